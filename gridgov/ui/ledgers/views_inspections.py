"""Inspection rounds (督查): the rounds, their problems, exports and bulletins."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.data.access import permissions
from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.enums import AttachmentKind
from gridgov.data.errors import DomainError
from gridgov.data.inspections import figures as inspection_figures
from gridgov.data.inspections.bulletin import bulletin_docx, issue_bulletin, issue_plan
from gridgov.data.inspections.domain import create_round, finish_round, record_problem
from gridgov.data.inspections.models import InspectionBulletin, InspectionProblem, InspectionRound
from gridgov.data.inspections.scoring import village_scores
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, User
from gridgov.data.sheets.workbooks import workbook
from gridgov.ui.confirm import ask_first, confirmed
from gridgov.ui.downloads import DOCX, download
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_civic import ProblemForm, RoundForm
from gridgov.ui.params import id_param, year_shown
from gridgov.ui.signed_in import signed_in_user

PAGE_SIZE = 200


def _round_for(user: User, round_id: int) -> InspectionRound:
    return common.found_or_404(permissions.round_for, user, round_id)


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = common.civic_town(user)
    actions = permissions.ledger_actions(user=user, ledger=permissions.Ledger.INSPECTIONS, town=town)
    qs = permissions.visible_rounds(user, town)
    # One year at a time (the year the round started): this year by default, links for the years with rounds.
    this_year = timezone.localdate().year
    chosen = year_shown(request)
    years = sorted({d.year for d in qs.dates("start_date", "year")} | {this_year, chosen}, reverse=True)
    rows = inspection_figures.with_counts(qs.filter(start_date__year=chosen))
    return render(
        request, "ledgers/civic/rounds.html", {"rounds": rows, "actions": actions, "year": chosen, "years": years}
    )


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = common.civic_keeper_town(user, _("只有镇指挥室、领导或管理员可以管理督查"))
    people = list(
        User.objects.filter(memberships__town=town, memberships__active=True, is_active=True)
        .exclude(memberships__role__in=[Role.RESIDENT, Role.ENTERPRISE])
        .distinct()
        .order_by("full_name")
    )
    form = RoundForm(request.POST or None, inspectors=[(p.pk, str(p)) for p in people])
    if request.method == "POST" and form.is_valid():
        chosen = [p for p in people if str(p.pk) in form.cleaned_data["inspectors"]]
        with common.FormRefusal(form):
            round_ = create_round(
                town=town,
                actor=user,
                name=form.cleaned_data["name"],
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                organizer=user,
                inspectors=chosen,
                items=form.cleaned_data["items"],
                bulletin_title=form.cleaned_data["bulletin_title"],
            )
            return redirect("ledgers:round_detail", round_.pk)
    return render(request, "ledgers/civic/round_new.html", {"form": form})


def _round_problems(user: User, round_: InspectionRound, params: dict[str, str]) -> QuerySet[InspectionProblem]:
    qs = (
        permissions.visible_records(user, InspectionProblem)
        .filter(round=round_)
        .select_related("case", "village", "item", "department")
        .order_by("village__sort_order", "village__code", "found_at", "id")
    )
    if village := id_param(params.get("village")):
        qs = qs.filter(village_id=village)
    return common.status_filter(qs, params.get("status", ""))


def _problem_params(request: HttpRequest) -> dict[str, str]:
    return common.list_params(request, "village", "status")


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    user = signed_in_user(request)
    round_ = _round_for(user, round_id)
    params = _problem_params(request)
    problems = _round_problems(user, round_, params)[:PAGE_SIZE]
    context = {
        "round": round_,
        "items": round_.items.all(),
        "scores": village_scores(round_),
        "problems": problems,
        "bulletins": round_.bulletins.all(),
        "actions": permissions.ledger_actions(user=user, ledger=permissions.Ledger.INSPECTIONS, town=round_.town),
        "villages": common.village_choices(round_.town),
        "params": params,
        "status_filters": common.STATUS_FILTERS,
    }
    return common.render_list(request, "ledgers/civic/round_detail.html", context, rows="problems")


@login_required
def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    user = signed_in_user(request)
    round_ = _round_for(user, round_id)
    params = _problem_params(request)
    rows = (
        [
            p.case.number,
            p.village.name,
            p.spot,
            p.item.name,
            p.case.description,
            p.deduction,
            p.found_at,
            p.department.name,
            p.case.get_status_display(),
            p.case.closed_at,
        ]
        for p in _round_problems(user, round_, params)
    )
    headers = [
        _("事件编号"),
        _("村（社区）"),
        _("点位"),
        _("检查项目"),
        _("问题描述"),
        _("扣分"),
        _("发现时间"),
        _("责任单位"),
        _("状态"),
        _("整改完成时间"),
    ]
    return common.dated_xlsx(round_.name, workbook(_("督查问题"), headers, rows))


def _round_step(request: HttpRequest, round_id: int, step: Callable[..., object]) -> HttpResponse:
    """A round's button: ``step(round=…, actor=…)``, then back to the round."""
    user = signed_in_user(request)
    round_ = _round_for(user, round_id)
    return common.then_redirect(lambda: step(round=round_, actor=user), "ledgers:round_detail", round_.pk)


@login_required
@require_POST
def round_finish(request: HttpRequest, round_id: int) -> HttpResponse:
    return _round_step(request, round_id, finish_round)


@login_required
@require_POST
def round_issue_bulletin(request: HttpRequest, round_id: int) -> HttpResponse:
    """Issue the round's bulletin — after a confirmation that says what is issued and to whom (``ask_first``):
    the first POST answers it and issues nothing."""
    if confirmed(request):
        return _round_step(request, round_id, issue_bulletin)
    user = signed_in_user(request)
    round_ = _round_for(user, round_id)
    try:
        plan = issue_plan(round=round_, actor=user)
    except DomainError as error:  # refused as the step itself would be
        raise PermissionDenied(error.message) from None
    return ask_first(request, "ledgers/civic/round_issue.html", {"round": round_, "plan": plan})


@login_required
def bulletin_download(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    bulletin = InspectionBulletin.objects.select_related("round", "town").filter(pk=bulletin_id).first()
    if bulletin is None:
        raise Http404(_("通报不存在"))
    _round_for(signed_in_user(request), bulletin.round_id)
    return download(bulletin_docx(bulletin), f"{bulletin.title}.docx", DOCX)


@login_required
def round_record(request: HttpRequest, round_id: int) -> HttpResponse:
    """The inspector's phone page: a problem at a spot, with photos."""
    user = signed_in_user(request)
    round_ = _round_for(user, round_id)
    items = [
        (i.pk, _("%(code)s %(name)s（扣%(points)s分）") % {"code": i.code, "name": i.name, "points": i.points})
        for i in round_.items.all()
    ]
    form = ProblemForm(request.POST or None, request.FILES or None, items=items, areas=common.area_choices(round_.town))
    recorded = None
    if request.method == "POST" and form.is_valid():
        uploads = [
            Upload(name=f.name or "photo.jpg", data=f.read(), kind=AttachmentKind.BEFORE)
            for f in request.FILES.getlist("photos")
        ]
        with common.FormRefusal(form):
            recorded = record_problem(
                round=round_,
                inspector=user,
                item=round_.items.get(pk=form.cleaned_data["item"]),
                description=form.cleaned_data["description"],
                spot=form.cleaned_data["spot"],
                area=Area.objects.get(pk=form.cleaned_data["area"], town=round_.town),
                latitude=form.cleaned_data.get("latitude"),
                longitude=form.cleaned_data.get("longitude"),
                photos=uploads,
            )
            form = ProblemForm(items=items, areas=common.area_choices(round_.town))
    return render(request, "ledgers/civic/round_record.html", {"round": round_, "form": form, "recorded": recorded})
