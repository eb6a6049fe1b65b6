"""Group-rental rectifications (群租房整改): the ledger, its Excel export, the add form and the record's page,
where the department signs, reports the rectification (整改) and the command room accepts it (验收); and the
idle farmhouses whose revitalisation (盘活) a user may record."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access import permissions
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, AttachmentKind, Status
from gridgov.data.org.models import Area, Department, User
from gridgov.data.people.enums import HouseUse, Revitalisation
from gridgov.data.people.models import House
from gridgov.data.people.revitalisation import revitalise_house, revitalised
from gridgov.data.rentals.domain import RectificationInput, accept, record_rectification, rectify
from gridgov.data.rentals.enums import Problem
from gridgov.data.rentals.models import Rectification
from gridgov.types import CellValue
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_rentals import AcceptForm, RectificationForm, RectifyForm, RevitaliseForm
from gridgov.ui.ledgers.listing import LedgerList, export_view, sheet
from gridgov.ui.params import id_param, year_shown
from gridgov.ui.signed_in import signed_in_user

PAGE_SIZE = 50
RECTIFICATIONS = LedgerList(town_of=common.civic_town, filters=("village", "problem", "status"))


def _rectifications(user: User, town: Area, params: Mapping[str, str]) -> QuerySet[Rectification]:
    """The rectifications of ``town`` that ``user`` may see, filtered by the list's parameters."""
    qs = (
        common.town_records(user, Rectification, town, params)
        .select_related("case", "case__department", "house", "house__village")
        .order_by("-found_on", "-id")
    )
    if village_id := id_param(params.get("village")):
        qs = qs.filter(house__village_id=village_id)
    if params.get("problem") in Problem.values:
        qs = qs.filter(problems__contains=params["problem"])
    return qs


@login_required
def rectifications(request: HttpRequest) -> HttpResponse:
    shown = RECTIFICATIONS.read(request)
    context = {
        **common.page_context(request, _rectifications(shown.user, shown.town, shown.params), PAGE_SIZE),
        "params": shown.params,
        "villages": common.village_choices(shown.town),
        "problems": Problem.choices,
        "status_filters": common.STATUS_FILTERS,
        "actions": permissions.ledger_actions(user=shown.user, ledger=permissions.Ledger.RENTALS, town=shown.town),
    }
    return common.render_list(request, "ledgers/civic/rectifications.html", context, rows="rows")


def _exported(user: User, town: Area, params: Mapping[str, str]) -> Iterator[Rectification]:
    """Every rectification the list's filters select, read in chunks (the export has no pager)."""
    return _rectifications(user, town, params).iterator(chunk_size=500)


@sheet(
    gettext_lazy("群租房整改台账"),
    [
        gettext_lazy("事件编号"),
        gettext_lazy("村/社区"),
        gettext_lazy("地址"),
        gettext_lazy("涉及间数"),
        gettext_lazy("存在问题"),
        gettext_lazy("发现日期"),
        gettext_lazy("承办部门"),
        gettext_lazy("整改期限"),
        gettext_lazy("整改措施"),
        gettext_lazy("整改完成日期"),
        gettext_lazy("状态"),
        gettext_lazy("验收时间"),
    ],
)
def rectifications_sheet(r: Rectification) -> list[CellValue]:
    """A rectification in the export (no personal data: houses, rooms, problems, the case's progress)."""
    return [
        r.case.number,
        r.house.village.name,
        r.house.address,
        r.rooms,
        r.problem_labels,
        r.found_on,
        r.case.department.name if r.case.department else "",
        r.case.handle_deadline,
        r.measures,
        r.rectified_on,
        _("已验收") if r.case.status == Status.CLOSED else r.case.get_status_display(),
        r.case.closed_at,
    ]


rectifications_export = export_view(RECTIFICATIONS, _exported, rectifications_sheet)


def _house_choices(town: Area) -> list[tuple[int, str]]:
    houses = House.objects.filter(town=town, use=HouseUse.GROUP_RENTAL).order_by("village_id", "address")
    return [(pk, _("%(a)s（%(n)s间）") % {"a": address, "n": rooms}) for pk, address, rooms in
            houses.values_list("pk", "address", "rooms")]  # fmt: skip


@login_required
def rectification_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = common.civic_town(user)
    if "add" not in permissions.ledger_actions(user=user, ledger=permissions.Ledger.RENTALS, town=town):
        raise PermissionDenied(_("只有镇指挥室或管理员可以登记群租房整改"))
    form = RectificationForm(
        request.POST or None,
        houses=_house_choices(town),
        departments=common.department_choices(town),
        initial={"found_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        house = House.objects.select_related("town", "village", "grid").get(pk=data["house"], town=town)
        department = Department.objects.get(pk=data["department"], town=town) if data["department"] else None
        with common.FormRefusal(form):
            row = record_rectification(
                actor=user,
                data=RectificationInput(
                    house=house,
                    rooms=data["rooms"],
                    problems=tuple(data["problems"]),
                    description=data["description"],
                    found_on=data["found_on"],
                    department=department,
                ),
            )
            messages.success(request, _("已登记并交办，事件编号 %(n)s") % {"n": row.case.number})
            return redirect("ledgers:rectification", row.pk)
    return render(request, "ledgers/civic/rectification_new.html", {"form": form})


def _rectification_for(user: User, rectification_id: int) -> Rectification:
    records = Rectification.objects.select_related(
        "case", "case__department", "case__category", "house", "house__village"
    )
    return common.found_or_404(permissions.record_for, user, records, rectification_id)


@login_required
def rectification_detail(request: HttpRequest, rectification_id: int) -> HttpResponse:
    user = signed_in_user(request)
    row = _rectification_for(user, rectification_id)
    actions = permissions.record_actions(user=user, record=row)
    step = request.POST.get("step", "")
    rectify_form = RectifyForm(
        request.POST if step == "rectify" else None,
        initial={"measures": row.measures, "rectified_on": timezone.localdate()},
    )
    accept_form = AcceptForm(request.POST if step == "accept" else None)
    if request.method == "POST":
        if step not in actions:
            raise PermissionDenied(_("您现在不能办理这一步"))
        if step == "sign":
            sign = lambda: apply_action(case_id=row.case_id, actor=user, action=Action.SIGN)  # noqa: E731
            return common.then_redirect(sign, "ledgers:rectification", row.pk)
        with common.FormRefusal(rectify_form if step == "rectify" else accept_form):
            if step == "rectify" and rectify_form.is_valid():
                data = rectify_form.cleaned_data
                rectify(
                    rectification=row,
                    actor=user,
                    measures=data["measures"],
                    rectified_on=data["rectified_on"],
                    note=data["note"],
                    photos=common.uploads(request, AttachmentKind.AFTER),
                )
                messages.success(request, _("已报告整改情况，等待验收"))
                return redirect("ledgers:rectification", row.pk)
            if step == "accept" and accept_form.is_valid():
                accept(rectification=row, actor=user, note=accept_form.cleaned_data["note"])
                messages.success(request, _("验收合格，已结案"))
                return redirect("ledgers:rectification", row.pk)
    context = {
        "row": row,
        "case": row.case,
        "actions": actions,
        "rectify_form": rectify_form,
        "accept_form": accept_form,
    }
    return render(request, "ledgers/civic/rectification.html", context)


# ---------------------------------------------------------------------------------------------------
# Idle farmhouses' revitalisation (闲置农房盘活)


def _farmhouses(user: User, town: Area) -> QuerySet[House]:
    """The town's idle farmhouses whose revitalisation ``user`` may record."""
    idle = House.objects.filter(town=town, use=HouseUse.IDLE)
    return permissions.revitalisable_houses(user, idle).select_related("town", "village")


@login_required
def farmhouses(request: HttpRequest) -> HttpResponse:
    """The idle farmhouses a user may revitalise, and for the town's keepers the year's 盘活N户, 增收N万元."""
    user = signed_in_user(request)
    town = common.civic_town(user)
    year = year_shown(request)
    keeps = "add" in permissions.ledger_actions(user=user, ledger=permissions.Ledger.RENTALS, town=town)
    houses = _farmhouses(user, town).order_by("village__path", "address", "id")
    in_year = request.GET.get("revitalised") == "1"
    if in_year:  # those revitalised in the year that the user may see (the year in review's 盘活N户 links here)
        done = revitalised(town=town, year=year).houses.values("pk")
        houses = permissions.visible_houses(user, House.objects.filter(pk__in=done)).select_related("village")
        houses = houses.order_by("village__path", "address", "id")
    context = {
        **common.page_context(request, houses, PAGE_SIZE),
        "year": year,
        "figures": revitalised(town=town, year=year) if keeps else None,
    }
    if in_year:  # the rows whose revitalisation the user may record (the others are listed without the button)
        shown = [h.pk for h in context["page"].object_list]
        context["revitalisable"] = set(_farmhouses(user, town).filter(pk__in=shown).values_list("pk", flat=True))
    return render(request, "ledgers/civic/farmhouses.html", context)


type FarmhouseLine = tuple[str, str, str, date | None, Decimal]


@sheet(
    gettext_lazy("闲置农房盘活"),
    [
        gettext_lazy("村/社区"),
        gettext_lazy("地址"),
        gettext_lazy("盘活状态"),
        gettext_lazy("盘活日期"),
        gettext_lazy("农户增收（元/年）"),
    ],
)
def farmhouses_sheet(line: FarmhouseLine) -> list[CellValue]:
    village, address, state, on, income = line
    return [village, address, Revitalisation(state).label, on or "", income]


@login_required
def farmhouses_export(request: HttpRequest) -> HttpResponse:
    """The idle farmhouses of the list as Excel (a house's address and revitalisation: no personal data)."""
    user = signed_in_user(request)
    listed = _farmhouses(user, common.civic_town(user)).order_by("village__path", "address", "id")
    return farmhouses_sheet.response(
        listed.values_list("village__name", "address", "revitalisation", "revitalised_on", "added_income")
    )


@login_required
def farmhouse_revitalise(request: HttpRequest, house_id: int) -> HttpResponse:
    user = signed_in_user(request)
    town = common.civic_town(user)
    house = _farmhouses(user, town).filter(pk=house_id).first()
    if house is None:
        raise Http404(_("房屋不存在或您无权登记其盘活"))
    initial = {"revitalised_on": house.revitalised_on or timezone.localdate(), "added_income": house.added_income}
    form = RevitaliseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with common.FormRefusal(form):
            revitalise_house(
                actor=user,
                house=house,
                on=form.cleaned_data["revitalised_on"],
                added_income=form.cleaned_data["added_income"],
            )
            messages.success(request, _("已登记“%(a)s”盘活") % {"a": house.address})
            return redirect("ledgers:farmhouses")
    return render(request, "ledgers/civic/farmhouse_revitalise.html", {"house": house, "form": form})
