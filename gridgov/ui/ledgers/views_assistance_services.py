"""Social assistance's services (救助帮扶): veterans' preferential cards (优待证, applied → issued) and day care for
persons with disabilities (日间照料). The payments and the year's figures are ``views_assistance``."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from gridgov.data.access import permissions
from gridgov.data.assistance.domain import apply_card, issue_card, record_attendance, resident_by_id
from gridgov.data.assistance.models import DayCareAttendance, VeteranCard
from gridgov.data.errors import DomainError
from gridgov.data.org.models import Area, Department, User
from gridgov.data.people.models import Resident
from gridgov.types import CellValue, FromDjango
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_assistance import CardForm, DayCareForm, DepartmentForm, IssueForm
from gridgov.ui.ledgers.listing import LedgerList, export_view, sheet
from gridgov.ui.ledgers.views_assistance import PAGE_SIZE, Write, assistance_town, masked, record_view, year_range
from gridgov.ui.signed_in import signed_in_user

# ---------------------------------------------------------------------------------------------------
# Veterans' preferential cards (优待证)

CARDS = LedgerList(town_of=assistance_town, filters=("year", "status"))


def _cards(user: User, town: Area, params: common.ListFilters) -> QuerySet[VeteranCard]:
    qs = permissions.visible_veteran_cards(user).filter(town=town)
    years = year_range(params)
    status = params.get("status")
    if status == "issued":  # issued in the year (the year figure's records)
        qs = qs.filter(issued_on__isnull=False)
        if years:
            qs = qs.filter(issued_on__gte=years[0], issued_on__lt=years[1])
    elif years:  # applied by the year's end and not issued before it
        qs = qs.filter(applied_on__lt=years[1]).exclude(issued_on__lt=years[0])
    if status == "applied":
        qs = qs.filter(issued_on__isnull=True)
    return qs.select_related("resident__household__house__village", "department").order_by("-applied_on", "-id")


def _render_cards(
    request: HttpRequest, user: User, town: Area, *, issue_error: tuple[int, str] | None = None
) -> HttpResponse:
    params = common.list_params(request, *CARDS.filters)
    context = common.page_context(request, _cards(user, town, params), PAGE_SIZE)
    context.update(
        {
            "rows": [(c, masked(c.resident)) for c in context["page"].object_list],
            "params": params,
            "actions": permissions.assistance_actions(user=user, town=town),
            "issue_form": IssueForm(request.POST or None) if issue_error else IssueForm(),
            "issue_error": issue_error,
        }
    )
    return common.render_list(request, "ledgers/assistance/cards.html", context, rows="rows")


@login_required
def cards(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return _render_cards(request, user, assistance_town(user))


@sheet(
    gettext_lazy("退役军人优待证"),
    [
        gettext_lazy("姓名"),
        gettext_lazy("村/社区"),
        gettext_lazy("申请日期"),
        pgettext_lazy("card", "发放日期"),
        gettext_lazy("证号"),
        gettext_lazy("经办部门"),
        gettext_lazy("备注"),
    ],
)
def cards_sheet(c: VeteranCard) -> list[CellValue]:
    """A card in the export, the name masked as on the page."""
    return [
        masked(c.resident),
        c.resident.household.house.village.name,
        c.applied_on,
        c.issued_on,
        c.number,
        c.department.name if c.department else "",
        c.note,
    ]


cards_export = export_view(CARDS, _cards, cards_sheet)


type PersonWrite = Callable[[User, Area, Resident, dict[str, FromDjango], Department | None], object]


def for_person(act: PersonWrite) -> Write:
    """A record form's write for the person it names by ID number: ``act`` runs when ``user`` may record for
    them; else the form gets the refusal and nothing is written."""

    def write(user: User, town: Area, form: DepartmentForm, department: Department | None) -> bool:
        person = permissions.person_to_record(user, resident_by_id(town=town, id_number=form.cleaned_data["person"]))
        if person is None:
            form.add_error("person", _("人员库中没有该身份证号的人员"))
        elif not permissions.may_record_assistance(user=user, household=person.household, department=department):
            form.add_error("department" if department is None else "person", _("您无权以该部门为该人员登记"))
        else:
            act(user, town, person, form.cleaned_data, department)
            return True
        return False

    return write


def _apply_card(
    user: User, town: Area, person: Resident, data: dict[str, FromDjango], department: Department | None
) -> object:
    return apply_card(
        town=town, actor=user, resident=person, applied_on=data["applied_on"], department=department, note=data["note"]
    )


card_new = record_view(
    CardForm, "card_new.html", "ledgers:assistance_cards", for_person(_apply_card), gettext_lazy("您不能登记优待证")
)


@login_required
@require_POST
def card_issue(request: HttpRequest, card_id: int) -> HttpResponse:
    user = signed_in_user(request)
    town = assistance_town(user)
    card = (
        permissions.visible_veteran_cards(user)
        .filter(pk=card_id, town=town)
        .select_related("resident__household", "department")
        .first()
    )
    if card is None:
        raise Http404(_("记录不存在或您无权查看"))
    if not permissions.may_record_assistance(user=user, household=card.resident.household, department=card.department):
        raise PermissionDenied(_("您无权发放该优待证"))
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            issue_card(
                card=card, actor=user, issued_on=form.cleaned_data["issued_on"], number=form.cleaned_data["number"]
            )
        except DomainError as error:
            return _render_cards(request, user, town, issue_error=(card.pk, error.message))
        return redirect("ledgers:assistance_cards")
    return _render_cards(request, user, town, issue_error=(card.pk, _("请检查发放日期和证号")))


# ---------------------------------------------------------------------------------------------------
# Day care (日间照料)

DAY_CARE = LedgerList(town_of=assistance_town, filters=("year",))


def _day_care(user: User, town: Area, params: common.ListFilters) -> QuerySet[DayCareAttendance]:
    qs = permissions.visible_day_care(user).filter(town=town)
    years = year_range(params)
    if years:
        qs = qs.filter(day__gte=years[0], day__lt=years[1])
    return qs


def _in_order(qs: QuerySet[DayCareAttendance]) -> QuerySet[DayCareAttendance]:
    return qs.select_related("resident__household__house__village", "department").order_by("-day", "-id")


@login_required
def day_care(request: HttpRequest) -> HttpResponse:
    shown = DAY_CARE.read(request)
    qs = _day_care(shown.user, shown.town, shown.params)
    context = common.page_context(request, _in_order(qs), PAGE_SIZE)
    context.update(
        {
            "rows": [(a, masked(a.resident)) for a in context["page"].object_list],
            "params": shown.params,
            "persons": qs.values("resident").distinct().count(),
            "actions": permissions.assistance_actions(user=shown.user, town=shown.town),
        }
    )
    return common.render_list(request, "ledgers/assistance/day_care.html", context, rows="rows")


def _exported(user: User, town: Area, params: common.ListFilters) -> QuerySet[DayCareAttendance]:
    return _in_order(_day_care(user, town, params))


@sheet(
    gettext_lazy("残疾人日间照料"),
    [
        gettext_lazy("日期"),
        gettext_lazy("姓名"),
        gettext_lazy("村/社区"),
        gettext_lazy("照料机构"),
        gettext_lazy("主管部门"),
    ],
)
def day_care_sheet(a: DayCareAttendance) -> list[CellValue]:
    """A day of care in the export, the name masked as on the page."""
    return [
        a.day,
        masked(a.resident),
        a.resident.household.house.village.name,
        a.provider,
        a.department.name if a.department else "",
    ]


day_care_export = export_view(DAY_CARE, _exported, day_care_sheet)


def _record_attendance(
    user: User, town: Area, person: Resident, data: dict[str, FromDjango], department: Department | None
) -> object:
    return record_attendance(
        town=town, actor=user, resident=person, day=data["day"], provider=data["provider"], department=department
    )


day_care_new = record_view(
    DayCareForm,
    "day_care_new.html",
    "ledgers:assistance_day_care",
    for_person(_record_attendance),
    gettext_lazy("您不能登记日间照料"),
)
