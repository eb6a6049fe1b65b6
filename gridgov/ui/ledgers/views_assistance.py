"""Social assistance (救助帮扶): the payments ledger (filters, totals per kind, masked names, Excel export, a
form), veterans' preferential cards (优待证: apply, issue) and day care (日间照料). Every read goes through the
permission module (``visible_payments`` …), every write through ``assistance.domain`` after
``may_record_assistance``; names are masked on every page and in the export."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from gridgov.data.access import permissions
from gridgov.data.assistance.domain import PaymentInput, household_by_number_or_id, record_payment, resident_by_id
from gridgov.data.assistance.enums import INSURANCE_KINDS, LIVING_KINDS, PaymentKind
from gridgov.data.assistance.figures import year_figures
from gridgov.data.assistance.models import Payment
from gridgov.data.errors import DomainError
from gridgov.data.org.disclosure import Item, as_private
from gridgov.data.org.models import Area, Department, User
from gridgov.data.people.domain import person_view
from gridgov.data.people.enums import Relation
from gridgov.data.people.models import Household, Resident
from gridgov.data.reports.phrasing import money
from gridgov.types import CellValue
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_assistance import DepartmentForm, PaymentForm
from gridgov.ui.ledgers.listing import LedgerList, export_view, sheet
from gridgov.ui.params import id_param, year_param, year_shown
from gridgov.ui.refusals import show_refusal
from gridgov.ui.signed_in import signed_in_user
from gridgov.ui.web.menu import may_use_assistance

PAGE_SIZE = 50
#: The domain names the person a record is for ``resident``; the forms call that field ``person``.
PERSON_FIELD = {"resident": "person"}
# The kind filter's groups, as the year figures count them.
KIND_GROUPS = {
    "group_living": (gettext_lazy("低保低边及生活补助"), LIVING_KINDS),
    "group_insurance": (gettext_lazy("养老、医疗保险补助"), INSURANCE_KINDS),
}


def assistance_town(user: User) -> Area:
    """The user's town, when the assistance pages answer them (``menu.may_use_assistance``); 403 otherwise."""
    if not may_use_assistance(user):
        raise PermissionDenied(_("救助帮扶台账只对镇指挥室、领导、民政等经办部门和村干部开放"))
    return common.civic_town(user)


def year_range(params: common.ListFilters) -> tuple[date, date] | None:
    year = year_param(params.get("year"))
    return (date(year, 1, 1), date(year + 1, 1, 1)) if year else None


def _village_id(params: common.ListFilters) -> int | None:
    return id_param(params.get("village"))


def department_of(town: Area, value: str) -> Department | None:
    pk = id_param(value)
    return Department.objects.filter(pk=pk, town=town).first() if pk else None


def masked(person: Resident | None) -> str:
    """The person's name as every page shows it: masked (张**), or the placeholder of an erased person."""
    return person_view(person).name if person is not None else ""


def _with_head(path: str) -> Prefetch[str]:
    """The heads of each household (``heads``: the one still living there first), for the masked name of a payment
    without a person."""
    heads = Resident.objects.filter(relation=Relation.HEAD).order_by(F("moved_out_on").asc(nulls_first=True), "id")
    return Prefetch(path, queryset=heads, to_attr="heads")


def _head(household: Household) -> Resident | None:
    heads: list[Resident] = getattr(household, "heads", [])
    return heads[0] if heads else None


# ---------------------------------------------------------------------------------------------------
# Payments


PAYMENTS = LedgerList(town_of=assistance_town, filters=("year", "kind", "village"))


def _payments(user: User, town: Area, params: common.ListFilters) -> QuerySet[Payment]:
    qs = permissions.visible_payments(user).filter(town=town)
    years = year_range(params)
    if years:
        qs = qs.filter(paid_on__gte=years[0], paid_on__lt=years[1])
    kind = params.get("kind", "")
    if kind in PaymentKind.values:
        qs = qs.filter(kind=kind)
    elif kind in KIND_GROUPS:
        qs = qs.filter(kind__in=KIND_GROUPS[kind][1])
    village = _village_id(params)
    if village:
        qs = qs.filter(household__house__village_id=village)
    return qs


def _listed(qs: QuerySet[Payment]) -> QuerySet[Payment]:
    return (
        qs.select_related("household__house__village", "resident", "department")
        .prefetch_related(_with_head("household__residents"))
        .order_by("-paid_on", "-id")
    )


@dataclass(frozen=True)
class PaymentRow:
    payment: Payment
    name: str  # masked: the person it is for, else the household's head
    village: str


def _row(payment: Payment) -> PaymentRow:
    person = payment.resident or _head(payment.household)
    return PaymentRow(payment, masked(person), payment.household.house.village.name)


@dataclass(frozen=True)
class KindTotal:
    label: str
    count: int
    amount: Decimal


def _totals(qs: QuerySet[Payment]) -> list[KindTotal]:
    """The filtered rows' count and sum per kind, in the kinds' order (one query)."""
    found = {
        kind: (n, total)
        for kind, n, total in qs.order_by()
        .values("kind")
        .annotate(n=Count("id"), total=Sum("amount"))
        .values_list("kind", "n", "total")
    }
    return [KindTotal(str(k.label), found[k][0], found[k][1]) for k in PaymentKind if k in found]


@login_required
def payments(request: HttpRequest) -> HttpResponse:
    shown = PAYMENTS.read(request)
    qs = _payments(shown.user, shown.town, shown.params)
    context = common.page_context(request, _listed(qs), PAGE_SIZE)
    totals = _totals(qs)
    context.update(
        {
            "rows": [_row(p) for p in context["page"].object_list],
            "params": shown.params,
            "totals": totals,
            "grand_total": sum((t.amount for t in totals), Decimal(0)),
            "kinds": PaymentKind.choices + [(key, label) for key, (label, _kinds) in KIND_GROUPS.items()],
            "villages": common.village_choices(shown.town),
            "actions": permissions.assistance_actions(user=shown.user, town=shown.town),
        }
    )
    return common.render_list(request, "ledgers/assistance/payments.html", context, rows="rows")


def _exported(user: User, town: Area, params: common.ListFilters) -> Iterator[PaymentRow]:
    return (_row(p) for p in _listed(_payments(user, town, params)))


@sheet(
    gettext_lazy("救助帮扶发放"),
    [
        pgettext_lazy("assistance", "户号"),
        gettext_lazy("村/社区"),
        gettext_lazy("姓名"),
        gettext_lazy("类型"),
        gettext_lazy("金额（元）"),
        gettext_lazy("发放日期"),
        gettext_lazy("资金来源"),
        gettext_lazy("发放部门"),
        gettext_lazy("备注"),
    ],
)
def payments_sheet(r: PaymentRow) -> list[CellValue]:
    """A payment in the export, the name masked (a full export would be an unlogged mass unmasking)."""
    return [
        r.payment.household.number,
        r.village,
        r.name,
        r.payment.get_kind_display(),
        r.payment.amount,
        r.payment.paid_on,
        r.payment.source,
        r.payment.department.name if r.payment.department else "",
        r.payment.note,
    ]


payments_export = export_view(PAYMENTS, _exported, payments_sheet)


type Write = Callable[[User, Area, DepartmentForm, Department | None], bool]


def record_view(
    form_class: type[DepartmentForm], template: str, done: str, write: Write, refused: str | Promise
) -> Callable[[HttpRequest], HttpResponse]:
    """The page that adds one assistance record: who may add (``assistance_actions``, else 403 ``refused``), the
    form (``ledgers/assistance/<template>``), then ``write`` — the domain call; False when it put a refusal on the
    form, a DomainError goes next to its field; after a write, back to the list ``done``. A refused form keeps what
    was typed."""

    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        town = assistance_town(user)
        if "add" not in permissions.assistance_actions(user=user, town=town):
            raise PermissionDenied(str(refused))
        form = form_class(request.POST or None, departments=common.department_choices(town))
        if request.method == "POST" and form.is_valid():
            try:
                if write(user, town, form, department_of(town, form.cleaned_data["department"])):
                    return redirect(done)
            except DomainError as error:
                show_refusal(form, error, rename=PERSON_FIELD)
        return render(request, f"ledgers/assistance/{template}", {"form": form})

    return view


def _write_payment(user: User, town: Area, form: DepartmentForm, department: Department | None) -> bool:
    data = form.cleaned_data
    text = data["household"].strip()
    household = permissions.household_to_record(user, household_by_number_or_id(town=town, text=text))
    person = (
        permissions.person_to_record(user, resident_by_id(town=town, id_number=data["person"]))
        if data["person"]
        else None
    )
    if text and household is None:
        shown = as_private(text, item=Item.ID_NUMBER) if len(text) >= 15 else text  # an ID number, not a 户号
        form.add_error("household", _("人员库中没有户号或身份证号为“%(v)s”的户") % {"v": shown})
        return False
    if data["person"].strip() and person is None:
        form.add_error("person", _("人员库中没有该身份证号的人员"))
        return False
    if household is not None and not permissions.may_record_assistance(
        user=user, household=household, department=department
    ):
        form.add_error("department" if department is None else "household", _("您无权以该部门为该户登记发放"))
        return False
    record_payment(
        town=town,
        actor=user,
        data=PaymentInput(
            household=household,
            resident=person,
            kind=data["kind"],
            amount=data["amount"],
            paid_on=data["paid_on"],
            source=data["source"],
            department=department,
            note=data["note"],
        ),
    )
    return True


payment_new = record_view(
    PaymentForm, "payment_new.html", "ledgers:assistance_payments", _write_payment, gettext_lazy("您不能登记救助帮扶")
)


# ---------------------------------------------------------------------------------------------------
# The year's figures (as the work report writes them), each linked to the list of its records


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = assistance_town(user)
    if "figures" not in permissions.assistance_actions(user=user, town=town):
        raise PermissionDenied(_("只有镇指挥室、领导或管理员可以查看全镇数据"))
    year = year_shown(request)
    as_of = timezone.now()
    found = year_figures(town=town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=as_of)
    links: dict[str, tuple[str, dict[str, str | int]]] = {
        "assistance_living": ("ledgers:assistance_payments", {"year": year, "kind": "group_living"}),
        "assistance_condolence": ("ledgers:assistance_payments", {"year": year, "kind": PaymentKind.CONDOLENCE}),
        "insurance_subsidies": ("ledgers:assistance_payments", {"year": year, "kind": "group_insurance"}),
        "veteran_cards_issued": ("ledgers:assistance_cards", {"year": year, "status": "issued"}),
        "day_care_persons": ("ledgers:assistance_day_care", {"year": year}),
    }
    rows = []
    for key, figure in found.items():
        name, query = links[key]
        text = money(figure.value) if figure.unit == _("元") else f"{figure.value}{figure.unit}"
        rows.append((key, figure.label, text, f"{reverse(name)}?{urlencode(query)}"))
    return render(request, "ledgers/assistance/figures.html", {"rows": rows, "year": year, "as_of": as_of})
