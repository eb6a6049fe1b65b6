"""Pages of the civic ledgers: inspection rounds and bulletins, problem lists, petitions and disputes.

Thin: resolve the user's town, read through the scope check (``visible_cases``), call the domain
functions, render. Lists filter by GET parameters; their Excel export takes the same parameters.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, AttachmentKind, Status
from gridgov.data.cases.scope import capacities, visible_cases
from gridgov.data.disputes import figures as dispute_figures
from gridgov.data.disputes.domain import (
    PartyInput,
    PartyView,
    can_reveal_parties,
    clear_backlog,
    parties_masked,
    record_mediation,
    register_dispute,
    request_petition_extension,
    reveal_parties,
)
from gridgov.data.disputes.enums import DisputeType
from gridgov.data.disputes.models import Dispute, DisputeParty
from gridgov.data.errors import DomainError, InvalidInput
from gridgov.data.inspections import figures as inspection_figures
from gridgov.data.inspections.bulletin import bulletin_docx
from gridgov.data.inspections.domain import (
    MANAGER_ROLES,
    create_round,
    finish_round,
    issue_bulletin,
    record_problem,
    village_scores,
)
from gridgov.data.inspections.models import InspectionBulletin, InspectionProblem, InspectionRound
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, User
from gridgov.data.org.security import Client
from gridgov.data.privacy import mask_name
from gridgov.data.problemlists import figures as problem_figures
from gridgov.data.problemlists.domain import (
    add_item,
    ensure_seven_lists,
    list_progress,
    report_progress,
    write_off,
)
from gridgov.data.problemlists.enums import Source
from gridgov.data.problemlists.ledger import town_roles
from gridgov.data.problemlists.models import ProblemItem, ProblemList
from gridgov.data.sheets.framework import XLSX_CONTENT_TYPE, workbook
from gridgov.data.sheets.jobs import home_town
from gridgov.ui.ledgers.forms_civic import DisputeForm, ItemForm, MediationForm, NoteForm, ProblemForm, RoundForm
from gridgov.ui.params import id_param, int_param
from gridgov.ui.web.menu import may_use_civic_ledgers

PAGE_SIZE = 200


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _town(user: User) -> Area:
    if not may_use_civic_ledgers(user):
        raise PermissionDenied(_("督查、问题清单和信访纠纷只对本镇工作人员开放"))
    town = home_town(user)
    if town is None:
        raise Http404(_("您的账号不属于任何乡镇"))
    return town


def _put_error(form: forms.Form, error: DomainError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.message)


def _xlsx(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}{stamp}.xlsx"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def _areas(town: Area) -> list[tuple[int, str]]:
    return [
        (a.pk, a.name if a.level == AreaLevel.VILLAGE else f"　{a.name}")
        for a in Area.objects.filter(town=town, level__in=[AreaLevel.VILLAGE, AreaLevel.GRID]).order_by("path")
    ]


def _villages(town: Area) -> list[tuple[int, str]]:
    return list(
        Area.objects.filter(town=town, level=AreaLevel.VILLAGE).order_by("sort_order", "code").values_list("pk", "name")
    )


def _departments(town: Area) -> list[tuple[int, str]]:
    return list(Department.objects.filter(town=town, active=True).values_list("pk", "name"))


def _status_filter(qs: QuerySet[Any], status: str, prefix: str = "case__") -> QuerySet[Any]:
    if status == "open":
        return qs.exclude(**{f"{prefix}status__in": [Status.CLOSED, Status.REJECTED]})
    if status in Status.values:
        return qs.filter(**{f"{prefix}status": status})
    return qs


STATUS_FILTERS = [
    ("", gettext_lazy("全部")),
    ("open", gettext_lazy("未办结")),
    (Status.CLOSED, gettext_lazy("已销号/办结")),
]


# ---------------------------------------------------------------------------------------------------
# Inspections


def _round_for(user: User, round_id: int) -> InspectionRound:
    round_ = InspectionRound.objects.select_related("town", "organizer").filter(pk=round_id).first()
    if round_ is None:
        raise Http404(_("督查不存在"))
    is_inspector = round_.organizer_id == user.pk or round_.inspectors.filter(pk=user.pk).exists()
    if not (is_inspector or town_roles(user, round_.town) & MANAGER_ROLES):
        raise Http404(_("督查不存在或您无权查看"))
    return round_


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    town = _town(user)
    manager = bool(town_roles(user, town) & MANAGER_ROLES)
    qs = InspectionRound.objects.filter(town=town)
    if not manager:
        qs = qs.filter(Q(inspectors=user) | Q(organizer=user)).distinct()
    # One year at a time (the year the round started): this year by default, links for the years with rounds.
    this_year = timezone.localdate().year
    chosen = _year_param(request.GET.get("year"), default=this_year)
    years = sorted({d.year for d in qs.dates("start_date", "year")} | {this_year, chosen}, reverse=True)
    rows = (
        qs.filter(start_date__year=chosen)
        .annotate(
            n_problems=Count("problems", filter=~Q(problems__case__status=Status.REJECTED), distinct=True),
            n_fixed=Count("problems", filter=Q(problems__case__status=Status.CLOSED), distinct=True),
            n_bulletins=Count("bulletins", distinct=True),
        )
        .order_by("-start_date", "-id")  # Meta.ordering does not apply to a GROUP BY query
    )
    return render(
        request, "ledgers/civic/rounds.html", {"rounds": rows, "manager": manager, "year": chosen, "years": years}
    )


def _year_param(raw: str | None, *, default: int) -> int:
    """?year=2022 → 2022; missing, malformed or out of range → the default."""
    if raw and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return default


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    town = _town(user)
    if not town_roles(user, town) & MANAGER_ROLES:
        return HttpResponseForbidden(_("只有镇指挥室、领导或管理员可以管理督查"))
    people = list(
        User.objects.filter(memberships__town=town, memberships__active=True, is_active=True)
        .exclude(memberships__role__in=[Role.RESIDENT, Role.ENTERPRISE])
        .distinct()
        .order_by("full_name")
    )
    form = RoundForm(request.POST or None, inspectors=[(p.pk, str(p)) for p in people])
    if request.method == "POST" and form.is_valid():
        chosen = [p for p in people if str(p.pk) in form.cleaned_data["inspectors"]]
        try:
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
        except DomainError as error:
            _put_error(form, error)
        else:
            return redirect("ledgers:round_detail", round_.pk)
    return render(request, "ledgers/civic/round_new.html", {"form": form})


def _round_problems(user: User, round_: InspectionRound, params: dict[str, str]) -> QuerySet[InspectionProblem]:
    qs = (
        InspectionProblem.objects.filter(round=round_, case__in=visible_cases(user).values("pk"))
        .select_related("case", "village", "item", "department")
        .order_by("village__sort_order", "village__code", "found_at", "id")
    )
    if village := id_param(params.get("village")):
        qs = qs.filter(village_id=village)
    return _status_filter(qs, params.get("status", ""))


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _user(request)
    round_ = _round_for(user, round_id)
    params = {"village": request.GET.get("village", ""), "status": request.GET.get("status", "")}
    problems = _round_problems(user, round_, params)[:PAGE_SIZE]
    context = {
        "round": round_,
        "items": round_.items.all(),
        "scores": village_scores(round_),
        "problems": problems,
        "bulletins": round_.bulletins.all(),
        "manager": bool(town_roles(user, round_.town) & MANAGER_ROLES),
        "villages": _villages(round_.town),
        "params": params,
        "status_filters": STATUS_FILTERS,
    }
    template = "ledgers/civic/round_detail.html"
    if getattr(request, "htmx", False):
        template += "#problems"
    return render(request, template, context)


@login_required
def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _user(request)
    round_ = _round_for(user, round_id)
    params = {"village": request.GET.get("village", ""), "status": request.GET.get("status", "")}
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
    return _xlsx(round_.name, workbook(_("督查问题"), headers, rows))


@login_required
@require_POST
def round_finish(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _user(request)
    round_ = _round_for(user, round_id)
    try:
        finish_round(round=round_, actor=user)
    except DomainError as error:
        return HttpResponseForbidden(error.message)
    return redirect("ledgers:round_detail", round_.pk)


@login_required
@require_POST
def round_issue_bulletin(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _user(request)
    round_ = _round_for(user, round_id)
    try:
        issue_bulletin(round=round_, actor=user)
    except DomainError as error:
        return HttpResponseForbidden(error.message)
    return redirect("ledgers:round_detail", round_.pk)


@login_required
def bulletin_download(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    bulletin = InspectionBulletin.objects.select_related("round", "town").filter(pk=bulletin_id).first()
    if bulletin is None:
        raise Http404(_("通报不存在"))
    _round_for(_user(request), bulletin.round_id)
    response = HttpResponse(
        bulletin_docx(bulletin),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(bulletin.title)}.docx"
    return response


@login_required
def round_record(request: HttpRequest, round_id: int) -> HttpResponse:
    """The inspector's phone page: a problem at a spot, with photos."""
    user = _user(request)
    round_ = _round_for(user, round_id)
    items = [(i.pk, f"{i.code} {i.name}（扣{i.points}分）") for i in round_.items.all()]
    form = ProblemForm(request.POST or None, request.FILES or None, items=items, areas=_areas(round_.town))
    recorded = None
    if request.method == "POST" and form.is_valid():
        uploads = [
            Upload(name=f.name or "photo.jpg", data=f.read(), kind=AttachmentKind.BEFORE)
            for f in request.FILES.getlist("photos")
        ]
        try:
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
        except DomainError as error:
            _put_error(form, error)
        else:
            form = ProblemForm(items=items, areas=_areas(round_.town))
    return render(request, "ledgers/civic/round_record.html", {"round": round_, "form": form, "recorded": recorded})


# ---------------------------------------------------------------------------------------------------
# Problem lists


def _items(user: User, town: Area, params: dict[str, str]) -> QuerySet[ProblemItem]:
    qs = (
        ProblemItem.objects.filter(town=town, case__in=visible_cases(user).values("pk"))
        .select_related("case", "problem_list", "department")
        .order_by("problem_list__sort_order", "-found_on", "-id")
    )
    if problem_list := id_param(params.get("list")):
        qs = qs.filter(problem_list_id=problem_list)
    if params.get("source") in Source.values:
        qs = qs.filter(source=params["source"])
    if department := id_param(params.get("department")):
        qs = qs.filter(department_id=department)
    return _status_filter(qs, params.get("status", ""))


def _item_params(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "") for key in ("list", "source", "department", "status")}


@login_required
def problem_lists(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    town = _town(user)
    params = _item_params(request)
    roles = town_roles(user, town)
    today = timezone.localdate()
    context = {
        "progress": [(p, _display(p.rate, "%")) for p in list_progress(town=town, as_of=timezone.now())]
        if roles & MANAGER_ROLES
        else [],
        "items": _items(user, town, params)[:PAGE_SIZE],
        "today": today,
        "params": params,
        "lists": ProblemList.objects.filter(town=town),
        "sources": Source.choices,
        "departments": _departments(town),
        "status_filters": STATUS_FILTERS,
        "can_add": bool(roles & {Role.OPERATOR, Role.ADMIN}),
    }
    template = "ledgers/civic/problem_lists.html"
    if getattr(request, "htmx", False):
        template += "#items"
    return render(request, template, context)


@login_required
def problem_items_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    town = _town(user)
    rows = (
        [
            i.problem_list.name,
            i.case.number,
            i.case.description,
            i.get_source_display(),
            i.department.name,
            i.responsible_person,
            i.plan,
            i.found_on,
            i.deadline,
            i.case.get_status_display(),
            i.case.closed_at,
        ]
        for i in _items(user, town, _item_params(request))
    )
    headers = [
        _("清单名称"),
        _("事件编号"),
        _("问题描述"),
        _("问题来源"),
        _("责任单位"),
        _("责任人"),
        _("整改措施"),
        _("发现日期"),
        _("整改时限"),
        _("状态"),
        _("销号时间"),
    ]
    return _xlsx(_("问题清单"), workbook(_("问题清单"), headers, rows))


@login_required
@require_POST
def seven_lists(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        ensure_seven_lists(town=_town(user), actor=user)
    except DomainError as error:
        return HttpResponseForbidden(error.message)
    return redirect("ledgers:problem_lists")


@login_required
def problem_item_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    town = _town(user)
    lists = list(ProblemList.objects.filter(town=town).values_list("pk", "name"))
    form = ItemForm(request.POST or None, lists=lists, departments=_departments(town))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = add_item(
                problem_list=ProblemList.objects.get(pk=data["problem_list"], town=town),
                actor=user,
                source=data["source"],
                description=data["description"],
                department=Department.objects.get(pk=data["department"], town=town),
                responsible_person=data["responsible_person"],
                plan=data["plan"],
                deadline=data["deadline"],
                found_on=data["found_on"],
            )
        except DomainError as error:
            _put_error(form, error)
        else:
            return redirect("ledgers:problem_item", item.pk)
    return render(request, "ledgers/civic/problem_item_new.html", {"form": form})


def _item_for(user: User, item_id: int) -> ProblemItem:
    item = (
        ProblemItem.objects.select_related("case", "problem_list", "department")
        .filter(pk=item_id, case__in=visible_cases(user).values("pk"))
        .first()
    )
    if item is None:
        raise Http404(_("问题不存在或您无权查看"))
    return item


@login_required
def problem_item(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    item = _item_for(user, item_id)
    caps = capacities(user, item.case)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_progress(item=item, actor=user, note=form.cleaned_data["note"])
        except DomainError as error:
            _put_error(form, error)
        else:
            return redirect("ledgers:problem_item", item.pk)
    context = {
        "item": item,
        "case": item.case,
        "form": form,
        "progress": item.case.actions.filter(action="progress").order_by("seq"),
        "can_progress": Role.HANDLER in caps and item.case.status == Status.HANDLING,
        "can_write_off": bool(caps & {Role.GRID_WORKER, Role.OPERATOR, Role.ADMIN})
        and item.case.status == Status.RESOLVED,
        "overdue": item.case.status not in (Status.CLOSED, Status.REJECTED) and item.deadline < timezone.localdate(),
    }
    return render(request, "ledgers/civic/problem_item.html", context)


@login_required
@require_POST
def problem_item_write_off(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    item = _item_for(user, item_id)
    try:
        write_off(item=item, actor=user)
    except DomainError as error:
        return HttpResponseForbidden(error.message)
    return redirect("ledgers:problem_item", item.pk)


# ---------------------------------------------------------------------------------------------------
# Petitions and disputes


def _disputes(user: User, town: Area, params: dict[str, str]) -> QuerySet[Dispute]:
    qs = (
        Dispute.objects.filter(town=town, case__in=visible_cases(user).values("pk"))
        .select_related("case", "case__department", "case__village")
        .prefetch_related(Prefetch("parties", queryset=DisputeParty.objects.order_by("sort_order", "id")))
        .order_by("-received_on", "-id")
    )
    if params.get("type") in DisputeType.values:
        qs = qs.filter(type=params["type"])
    if params.get("backlog") == "1":
        qs = qs.filter(backlog=True)
    return _status_filter(qs, params.get("status", ""))


def _dispute_params(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "") for key in ("type", "backlog", "status")}


def _masked_names(dispute: Dispute) -> str:
    return "、".join(mask_name(p.name) for p in dispute.parties.all())


@login_required
def disputes(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    town = _town(user)
    params = _dispute_params(request)
    rows = [(d, _masked_names(d)) for d in _disputes(user, town, params)[:PAGE_SIZE]]
    context = {
        "rows": rows,
        "params": params,
        "types": DisputeType.choices,
        "status_filters": STATUS_FILTERS,
        "can_add": bool(town_roles(user, town) & {Role.OPERATOR, Role.ADMIN}),
    }
    template = "ledgers/civic/disputes.html"
    if getattr(request, "htmx", False):
        template += "#rows"
    return render(request, template, context)


@login_required
def disputes_export(request: HttpRequest) -> HttpResponse:
    """The ledger as Excel, parties masked (a full export would be an unlogged mass unmasking)."""
    user = _user(request)
    town = _town(user)
    rows = (
        [
            d.case.number,
            d.get_type_display(),
            d.received_on,
            _masked_names(d),
            d.case.description,
            d.get_level_display(),
            d.amount,
            _("是") if d.backlog else _("否"),
            d.backlog_cleared_at,
            d.case.department.name if d.case.department else "",
            d.get_method_display(),
            d.get_outcome_display(),
            d.case.get_status_display(),
            d.case.closed_at,
        ]
        for d in _disputes(user, town, _dispute_params(request))
    )
    headers = [
        _("事件编号"),
        _("类型"),
        _("受理日期"),
        _("当事人"),
        _("事由"),
        _("层级"),
        _("涉及金额（元）"),
        _("是否积案"),
        _("积案化解时间"),
        _("承办单位"),
        _("调处方式"),
        _("调处结果"),
        _("状态"),
        _("办结时间"),
    ]
    return _xlsx(_("信访与矛盾纠纷"), workbook(_("信访与矛盾纠纷"), headers, rows))


@login_required
def dispute_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    town = _town(user)
    form = DisputeForm(request.POST or None, departments=_departments(town), areas=_villages(town))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dispute = register_dispute(
                town=town,
                actor=user,
                type=data["type"],
                description=data["description"],
                parties=[
                    PartyInput(name=data["party_name"], phone=data["party_phone"], id_number=data["party_id_number"])
                ],
                level=data["level"],
                amount=data["amount"] or Decimal(0),
                backlog=data["backlog"],
                received_on=data["received_on"],
                department=Department.objects.get(pk=data["department"], town=town),
                area=Area.objects.get(pk=data["area"], town=town) if data["area"] else None,
            )
        except DomainError as error:
            if isinstance(error, InvalidInput) and error.field in ("phone", "id_number", "parties"):
                form.add_error(
                    {"phone": "party_phone", "id_number": "party_id_number"}.get(error.field, "party_name"),
                    error.message,
                )
            else:
                _put_error(form, error)
        else:
            return redirect("ledgers:dispute", dispute.pk)
    return render(request, "ledgers/civic/dispute_new.html", {"form": form})


def _dispute_for(user: User, dispute_id: int) -> Dispute:
    dispute = (
        Dispute.objects.select_related("case", "case__department")
        .filter(pk=dispute_id, case__in=visible_cases(user).values("pk"))
        .first()
    )
    if dispute is None:
        raise Http404(_("记录不存在或您无权查看"))
    return dispute


def _render_dispute(
    request: HttpRequest,
    dispute: Dispute,
    *,
    parties: list[PartyView],
    form: MediationForm | None = None,
    extension_error: str = "",
) -> HttpResponse:
    user = _user(request)
    caps = capacities(user, dispute.case)
    case = dispute.case
    is_petition = dispute.type == DisputeType.PETITION and case.status == Status.HANDLING
    context = {
        "extension_error": extension_error,
        "can_ask_extension": is_petition
        and Role.HANDLER in caps
        and not case.pending_extension_value
        and case.extension_count == 0,
        "can_decide_extension": is_petition
        and bool(case.pending_extension_value)
        and bool(caps & {Role.OPERATOR, Role.LEADER, Role.ADMIN}),
        "dispute": dispute,
        "case": dispute.case,
        "parties": parties,
        "can_reveal": parties and parties[0].masked and can_reveal_parties(user, dispute),
        "form": form or MediationForm(),
        "can_mediate": bool(caps & {Role.HANDLER, Role.OPERATOR, Role.LEADER, Role.ADMIN}),
        "can_clear": dispute.backlog
        and dispute.backlog_cleared_at is None
        and dispute.case.status == Status.CLOSED
        and can_reveal_parties(user, dispute),
    }
    return render(request, "ledgers/civic/dispute.html", context)


@login_required
def dispute_detail(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = _user(request)
    dispute = _dispute_for(user, dispute_id)
    form = MediationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_mediation(
                dispute=dispute,
                actor=user,
                method=form.cleaned_data["method"],
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _put_error(form, error)
        else:
            return redirect("ledgers:dispute", dispute.pk)
    return _render_dispute(request, dispute, parties=parties_masked(dispute), form=form)


@login_required
@require_POST
def dispute_reveal(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = _user(request)
    dispute = _dispute_for(user, dispute_id)
    try:
        parties = reveal_parties(user=user, dispute=dispute, client=Client.of(request))
    except DomainError as error:
        return HttpResponseForbidden(error.message)
    return _render_dispute(request, dispute, parties=parties)


@login_required
@require_POST
def dispute_extension(request: HttpRequest, dispute_id: int) -> HttpResponse:
    """信访: the handler asks for up to 30 more days; the command room or a leader approves or denies it."""
    user = _user(request)
    dispute = _dispute_for(user, dispute_id)
    decision = request.POST.get("decision", "")
    try:
        if decision == "approve":
            apply_action(case_id=dispute.case_id, actor=user, action=Action.APPROVE_EXTENSION)
        elif decision == "deny":
            apply_action(
                case_id=dispute.case_id, actor=user, action=Action.DENY_EXTENSION, note=request.POST.get("note", "")
            )
        else:
            days = int_param(request.POST.get("days"), minimum=0, maximum=3650) or 0
            request_petition_extension(dispute=dispute, actor=user, note=request.POST.get("note", ""), days=days)
    except DomainError as error:
        return _render_dispute(request, dispute, parties=parties_masked(dispute), extension_error=error.message)
    return redirect("ledgers:dispute", dispute.pk)


@login_required
@require_POST
def dispute_clear_backlog(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = _user(request)
    dispute = _dispute_for(user, dispute_id)
    try:
        clear_backlog(dispute=dispute, actor=user)
    except DomainError as error:
        return HttpResponseForbidden(error.message)
    return redirect("ledgers:dispute", dispute.pk)


# ---------------------------------------------------------------------------------------------------
# Figures


def _display(value: int | Decimal | None, unit: str) -> str:
    """98.0% / 1605.00万元 / 188条 / — for an empty denominator."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"
    if unit == _("元"):
        amount = Decimal(value)
        if amount >= 10_000:
            return _("%(n)s万元") % {"n": (amount / 10_000).quantize(Decimal("0.01"))}
        return _("%(n)s元") % {"n": amount.quantize(Decimal("0.01"))}
    return f"{value}{unit}"


@login_required
def civic_figures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    town = _town(user)
    if not town_roles(user, town) & MANAGER_ROLES:
        return HttpResponseForbidden(_("只有镇指挥室、领导或管理员可以查看全镇数据"))
    year = int_param(request.GET.get("year"), minimum=2000, maximum=2100) or timezone.localdate().year
    as_of: datetime = timezone.now()
    groups = []
    for title, module in (
        (_("督查"), inspection_figures),
        (_("问题清单"), problem_figures),
        (_("信访与矛盾纠纷"), dispute_figures),
    ):
        figures = module.year_figures(town=town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=as_of)
        groups.append((title, [(key, f.label, _display(f.value, f.unit)) for key, f in figures.items()]))
    return render(request, "ledgers/civic/figures.html", {"groups": groups, "year": year, "as_of": as_of})
