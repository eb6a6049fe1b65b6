"""Social assistance payments (救助帮扶发放) through the API: read in ``visible_payments``' scope (the command room,
leaders and admins of the town, village staff for their village, a handler for their department's), recorded
through ``assistance.domain.record_payment``. A paid person is shown masked (张*)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import household_to_record, person_to_record, visible_payments
from gridgov.data.assistance.domain import PaymentInput, record_payment
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.assistance.models import Payment
from gridgov.data.org.models import Area, Department, User
from gridgov.data.people.models import Household, Resident
from gridgov.types import JSONObject
from gridgov.ui.api.ledgers.common import Ledger, creates, person_ref, reads, ref_of, where_given
from gridgov.ui.api.named import named, named_if
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import ID, NOTE, PageIn, PageOut, RefOut, RowId, TextIn
from gridgov.ui.signed_in import api_user


class PaidHouseholdOut(Schema):
    id: int
    number: str
    address: str


class PaymentOut(Schema):
    id: int
    household: PaidHouseholdOut
    resident: RefOut | None = Field(description="发放对象（姓名已脱敏）")
    kind: PaymentKind
    kind_label: str
    amount: float = Field(description="金额（元）")
    paid_on: date
    source: str
    department: RefOut | None
    note: str
    created_at: datetime


class PaymentPageOut(PageOut):
    results: list[PaymentOut]


class PaymentFilterIn(PageIn):
    kind: PaymentKind | None = None
    household: RowId | None = Field(default=None, description="户 id")
    since: date | None = Field(default=None, description="发放日期起（含）")
    until: date | None = Field(default=None, description="发放日期止（含）")


class PaymentIn(TextIn):
    household_id: RowId = Field(description="户 id")
    resident_id: int | None = ID
    kind: PaymentKind
    amount: Decimal = Field(gt=0, le=Decimal("9999999999.99"), decimal_places=2, description="金额（元）")
    paid_on: date = Field(ge=date(1950, 1, 1), description="发放日期（不晚于今天）")
    source: str = Field(default="", max_length=64, description="资金来源")
    department_id: int | None = ID
    note: str = NOTE


def _payment(p: Payment, *, now: datetime) -> JSONObject:
    house = p.household.house
    return {
        "id": p.pk,
        "household": {"id": p.household.pk, "number": p.household.number, "address": house.address},
        "resident": None if p.resident is None else person_ref(p.resident),
        "kind": p.kind,
        "kind_label": str(PaymentKind(p.kind).label),
        "amount": float(p.amount),
        "paid_on": p.paid_on,
        "source": p.source,
        "department": ref_of(p.department),
        "note": p.note,
        "created_at": p.created_at,
    }


def _payments(user: User) -> QuerySet[Payment]:
    return visible_payments(user, Payment.objects.select_related("household__house", "resident", "department"))


PAYMENTS = Ledger(_payments, _payment, PaymentOut, gettext_noop("发放记录不存在或您无权查看"))


@reads("/payments", PaymentPageOut, summary="救助帮扶发放（按类型、户、发放日期筛选）")
def list_payments(request: HttpRequest, filters: Query[PaymentFilterIn]) -> JSONObject:
    qs = where_given(
        _payments(api_user(request)),
        kind=filters.kind,
        household_id=filters.household,
        paid_on__gte=filters.since,
        paid_on__lte=filters.until,
    )
    return paged(qs.order_by("-paid_on", "-id"), filters, _payment)


@reads("/payments/{payment_id}", PaymentOut, summary="发放记录详情")
def get_payment(request: HttpRequest, payment_id: int) -> JSONObject:
    return PAYMENTS.detail(request, payment_id)


def _named_household(user: User, pk: int) -> Household:
    found = household_to_record(user, Household.objects.select_related("house").filter(pk=pk).first())
    return named(found, _("户 %(id)s 不存在或您无权查看") % {"id": pk}, field="household_id")


def _named_person(user: User, pk: int | None) -> Resident | None:
    if pk is None:
        return None
    found = person_to_record(user, Resident.objects.filter(pk=pk).first())
    return named(found, _("人员 %(id)s 不存在或您无权查看") % {"id": pk}, field="resident_id")


def _named_department(pk: int | None) -> Department | None:
    return named_if(pk, Department.objects.all(), _("部门 %(id)s 不存在") % {"id": pk}, field="department_id")


@creates("/payments", PaymentOut, summary="登记救助帮扶发放（镇指挥室、村社区、发放部门；支持 Idempotency-Key）")
def create_payment(request: HttpRequest, payload: PaymentIn) -> HttpResponse:
    user = api_user(request)
    household = _named_household(user, payload.household_id)
    data = PaymentInput(
        household=household,
        resident=_named_person(user, payload.resident_id),
        kind=payload.kind,
        amount=payload.amount,
        paid_on=payload.paid_on,
        source=payload.source,
        department=_named_department(payload.department_id),
        note=payload.note,
    )
    town = Area.objects.get(pk=household.town_id)

    def create() -> Payment:
        return record_payment(town=town, actor=user, data=data, now=timezone.now())

    return PAYMENTS.created(request, user=user, payload=payload, create=create)
