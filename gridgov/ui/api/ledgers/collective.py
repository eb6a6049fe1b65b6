"""The villages' collective incomes (村级集体经济) through the API: read in ``visible_incomes``' scope (the town's
command room, leaders and admins every village's, village staff their own village's), recorded through
``collective.domain.record_income`` — a second entry for the same village, month and kind corrects the first, as
on the pages. Nothing personal is in an income. Beside them the enterprises' help to the villages (村企结对, 共富工坊:
``/collective/supports``), seen and recorded by the same people, through ``collective.domain.record_support``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import may_record_income, visible_incomes, visible_supports
from gridgov.data.collective.domain import IncomeInput, SupportInput, record_income, record_support
from gridgov.data.collective.enums import IncomeKind, SupportKind
from gridgov.data.collective.models import VillageIncome, VillageSupport
from gridgov.data.errors import InvalidInput
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.types import JSONObject
from gridgov.ui.api.ledgers.common import Ledger, creates, reads, ref_of, where_given
from gridgov.ui.api.named import named
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import NOTE, PageIn, PageOut, RefOut, RowId, TextIn
from gridgov.ui.signed_in import api_user

MAX_AMOUNT = Decimal("999999999999.99")  # the column's 14 digits


class IncomeOut(Schema):
    id: int
    village: RefOut
    year: int
    month: int
    kind: IncomeKind
    kind_label: str
    amount: float = Field(description="金额（元）")
    note: str
    created_at: datetime
    corrected_at: datetime | None = Field(description="最近一次更正的时间（未更正为 null）")
    corrected_by: str | None = Field(description="最近一次更正人")


class IncomePageOut(PageOut):
    results: list[IncomeOut]


class VillageYearFilterIn(PageIn):
    """What both collective ledgers' lists filter by (the same villages, by year), before their kind."""

    year: int | None = Field(default=None, ge=1, le=9999, description="年度")
    village: RowId | None = Field(default=None, description="村 id")


class IncomeFilterIn(VillageYearFilterIn):
    kind: IncomeKind | None = None


class IncomeIn(TextIn):
    village_id: RowId = Field(description="村 id")
    year: int = Field(ge=2000, le=9999, description="年度（不晚于今年）")
    month: int = Field(ge=1, le=12, description="月份（不晚于本月）")
    kind: IncomeKind
    amount: Decimal = Field(ge=0, le=MAX_AMOUNT, decimal_places=2, description="金额（元）")
    note: str = NOTE


def _income(i: VillageIncome, *, now: datetime) -> JSONObject:
    return {
        "id": i.pk,
        "village": ref_of(i.village),
        "year": i.year,
        "month": i.month,
        "kind": i.kind,
        "kind_label": str(IncomeKind(i.kind).label),
        "amount": float(i.amount),
        "note": i.note,
        "created_at": i.created_at,
        "corrected_at": i.updated_at,
        "corrected_by": None if i.updated_by is None else str(i.updated_by),
    }


def _incomes(user: User) -> QuerySet[VillageIncome]:
    return visible_incomes(user, VillageIncome.objects.select_related("village", "updated_by"))


INCOMES = Ledger(_incomes, _income, IncomeOut, gettext_noop("收入记录不存在或您无权查看"))


@reads("/collective/incomes", IncomePageOut, summary="村级集体经济收入（按年度、村、收入类型筛选）")
def list_incomes(request: HttpRequest, filters: Query[IncomeFilterIn]) -> JSONObject:
    qs = where_given(_incomes(api_user(request)), year=filters.year, village_id=filters.village, kind=filters.kind)
    return paged(qs.order_by("-year", "-month", "village__path", "kind", "id"), filters, _income)


@reads("/collective/incomes/{income_id}", IncomeOut, summary="村级集体经济收入详情")
def get_income(request: HttpRequest, income_id: int) -> JSONObject:
    return INCOMES.detail(request, income_id)


def _recorded_village(user: User, pk: int) -> Area:
    """The village named, if ``user`` records for it (else InvalidInput on ``village_id``: not told it exists)."""
    village = Area.objects.filter(pk=pk, level=AreaLevel.VILLAGE).first()
    if village is None or not may_record_income(user, village):
        raise InvalidInput(_("村 %(id)s 不存在或您无权登记") % {"id": pk}, field="village_id")
    return village


@creates(
    "/collective/incomes",
    IncomeOut,
    summary="登记（或更正）一个村一个月一种收入（镇指挥室、管理员、本村干部；支持 Idempotency-Key）",
)
def create_income(request: HttpRequest, payload: IncomeIn) -> HttpResponse:
    user = api_user(request)
    data = IncomeInput(
        village=_recorded_village(user, payload.village_id),
        year=payload.year,
        month=payload.month,
        kind=payload.kind,
        amount=payload.amount,
        note=payload.note,
    )

    return INCOMES.registered(request, user=user, payload=payload, register=record_income, data=data)


# ---------------------------------------------------------------------------------------------------
# Enterprises' help to villages (企业助农): 村企结对 and 共富工坊, in ``visible_supports``' scope (the same villages as
# the incomes), recorded through ``collective.domain.record_support`` by those who record the village's incomes
# (``may_record_income``, as the page's form)


class SupportOut(Schema):
    id: int
    village: RefOut
    year: int
    kind: SupportKind
    kind_label: str
    on: date = Field(description="日期")
    enterprise: RefOut | None = Field(description="本镇企业库中的企业（不在库中为 null）")
    partner: str = Field(description="结对单位：企业名称，或不在企业库中时所填名称")
    amount: float = Field(description="帮扶金额（元）")
    people: int | None = Field(description="带动就业或受益人数")
    note: str
    created_at: datetime
    created_by: str | None = Field(description="登记人")


class SupportPageOut(PageOut):
    results: list[SupportOut]


class SupportFilterIn(VillageYearFilterIn):
    kind: SupportKind | None = None


class SupportIn(TextIn):
    village_id: RowId = Field(description="村 id")
    kind: SupportKind
    on: date = Field(ge=date(2000, 1, 1), description="日期（不晚于今天）")
    enterprise_id: RowId | None = Field(default=None, description="本镇企业 id（与 partner 二选一）")
    partner: str = Field(default="", max_length=100, description="结对单位名称（企业不在本镇企业库中时填写）")
    amount: Decimal | str = Field(description="帮扶金额（元），可为数字或“5万”“3,000”等写法")
    people: int | None = Field(default=None, ge=0, le=9_999_999, description="带动就业或受益人数")
    note: str = NOTE


def _support(s: VillageSupport, *, now: datetime) -> JSONObject:
    return {
        "id": s.pk,
        "village": ref_of(s.village),
        "year": s.year,
        "kind": s.kind,
        "kind_label": str(SupportKind(s.kind).label),
        "on": s.on,
        "enterprise": ref_of(s.enterprise),
        "partner": s.partner_name,
        "amount": float(s.amount),
        "people": s.people,
        "note": s.note,
        "created_at": s.created_at,
        "created_by": None if s.created_by is None else str(s.created_by),
    }


def _supports(user: User) -> QuerySet[VillageSupport]:
    return visible_supports(user, VillageSupport.objects.select_related("village", "enterprise", "created_by"))


SUPPORTS = Ledger(_supports, _support, SupportOut, gettext_noop("企业助农记录不存在或您无权查看"))


@reads("/collective/supports", SupportPageOut, summary="村企结对和共富工坊（按年度、村、助农类型筛选）")
def list_village_supports(request: HttpRequest, filters: Query[SupportFilterIn]) -> JSONObject:
    qs = where_given(_supports(api_user(request)), year=filters.year, village_id=filters.village, kind=filters.kind)
    return paged(qs.order_by("-on", "-id"), filters, _support)


@reads("/collective/supports/{support_id}", SupportOut, summary="村企结对或共富工坊记录详情")
def get_village_support(request: HttpRequest, support_id: int) -> JSONObject:
    return SUPPORTS.detail(request, support_id)


@creates(
    "/collective/supports",
    SupportOut,
    summary="登记一项村企结对或共富工坊（镇指挥室、管理员、本村干部；支持 Idempotency-Key）",
)
def create_village_support(request: HttpRequest, payload: SupportIn) -> HttpResponse:
    user = api_user(request)
    village = _recorded_village(user, payload.village_id)
    enterprise = None
    if payload.enterprise_id is not None:
        enterprise = named(
            Enterprise.objects.filter(pk=payload.enterprise_id, town_id=village.town_id, active=True).first(),
            _("企业 %(id)s 不在本镇企业库中，请改填结对单位名称") % {"id": payload.enterprise_id},
            field="enterprise_id",
        )
    data = SupportInput(
        village=village,
        kind=payload.kind,
        on=payload.on,
        amount=payload.amount,
        enterprise=enterprise,
        partner=payload.partner,
        people=payload.people,
        note=payload.note,
    )

    return SUPPORTS.registered(request, user=user, payload=payload, register=record_support, data=data)
