"""Preferential cards for veterans (退役军人优待证) and day care for people with disabilities (残疾人日间照料)
through the API: read in the assistance scope (``visible_veteran_cards``, ``visible_day_care``: the command room,
leaders and admins of the town, village staff for their village, the handling department for its own), written
through ``assistance.domain`` (apply, issue, record attendance) with its checks. A person is shown masked (张*)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_noop
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import visible_day_care, visible_veteran_cards
from gridgov.data.assistance.domain import apply_card, issue_card, record_attendance
from gridgov.data.assistance.models import DayCareAttendance, VeteranCard
from gridgov.data.org.models import Area, User
from gridgov.data.people.models import Resident
from gridgov.types import JSONObject
from gridgov.ui.api.ledgers.assistance import _named_department, _named_person
from gridgov.ui.api.ledgers.common import Ledger, acts, creates, person_ref, pk_of, reads, ref_of, where_given
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import ID, NOTE, PageIn, PageOut, RefOut, RowId, TextIn
from gridgov.ui.signed_in import api_user

FIRST_DAY = date(1950, 1, 1)


class CardOut(Schema):
    id: int
    resident: RefOut = Field(description="退役军人（姓名已脱敏）")
    village: RefOut | None
    applied_on: date
    issued_on: date | None = Field(description="发放日期；未发放为 null")
    number: str = Field(description="证号")
    department: RefOut | None
    note: str
    created_at: datetime


class CardPageOut(PageOut):
    results: list[CardOut]


class CardFilterIn(PageIn):
    issued: bool | None = Field(default=None, description="true：已发放；false：待发放")
    resident: RowId | None = Field(default=None, description="人员 id")


class CardIn(TextIn):
    resident_id: RowId = Field(description="退役军人（人员 id）")
    applied_on: date = Field(ge=FIRST_DAY, description="申请日期（不晚于今天）")
    department_id: int | None = ID
    note: str = NOTE


class IssueIn(TextIn):
    issued_on: date = Field(ge=FIRST_DAY, description="发放日期（不早于申请日期，不晚于今天）")
    number: str = Field(default="", max_length=32, description="证号")


class AttendanceOut(Schema):
    id: int
    resident: RefOut = Field(description="服务对象（姓名已脱敏）")
    village: RefOut | None
    day: date
    provider: str = Field(description="照料机构")
    department: RefOut | None
    created_at: datetime


class AttendancePageOut(PageOut):
    results: list[AttendanceOut]


class AttendanceFilterIn(PageIn):
    resident: RowId | None = Field(default=None, description="人员 id")
    since: date | None = Field(default=None, description="日期起（含）")
    until: date | None = Field(default=None, description="日期止（含）")


class AttendanceIn(TextIn):
    resident_id: RowId = Field(description="服务对象（人员 id）")
    day: date = Field(ge=FIRST_DAY, description="日期（不晚于今天）")
    provider: str = Field(min_length=1, max_length=64, description="照料机构")
    department_id: int | None = ID


def _village(resident: Resident) -> JSONObject | None:
    return ref_of(resident.household.house.village)


def _card(card: VeteranCard, *, now: datetime | None = None) -> JSONObject:
    return {
        "id": card.pk,
        "resident": person_ref(card.resident),
        "village": _village(card.resident),
        "applied_on": card.applied_on,
        "issued_on": card.issued_on,
        "number": card.number,
        "department": ref_of(card.department),
        "note": card.note,
        "created_at": card.created_at,
    }


def _attendance(a: DayCareAttendance, *, now: datetime | None = None) -> JSONObject:
    return {
        "id": a.pk,
        "resident": person_ref(a.resident),
        "village": _village(a.resident),
        "day": a.day,
        "provider": a.provider,
        "department": ref_of(a.department),
        "created_at": a.created_at,
    }


_PERSON = ("resident__household__house__village", "department")


def _cards(user: User) -> QuerySet[VeteranCard]:
    return visible_veteran_cards(user, VeteranCard.objects.select_related(*_PERSON))


CARDS = Ledger(_cards, _card, CardOut, gettext_noop("优待证记录不存在或您无权查看"))


def _one_card(user: User, pk: int) -> VeteranCard:
    return CARDS.one(user, pk_of(pk))  # an id no row can have: the generic message


def _named_resident(user: User, pk: int) -> Resident:
    person = _named_person(user, pk)
    assert person is not None  # a required id names a person or is refused
    return person


def _record_for_resident[R: VeteranCard | DayCareAttendance](
    request: HttpRequest,
    payload: CardIn | AttendanceIn,
    ledger: Ledger[R],
    record: Callable[..., R],
    **fields: object,
) -> HttpResponse:
    """Write a card or a day-care entry once per Idempotency-Key: ``record(town=…, actor=…, resident=…,
    department=…, now=…, **fields)`` for the person named (whom the user records for), in that person's town, with
    the department named; answered as ``ledger`` shows the record."""
    user = api_user(request)
    resident = _named_resident(user, payload.resident_id)
    department = _named_department(payload.department_id)

    def create() -> R:
        town = Area.objects.get(pk=resident.town_id)
        return record(town=town, actor=user, resident=resident, department=department, now=timezone.now(), **fields)

    return ledger.created(request, user=user, payload=payload, create=create)


@reads("/veteran-cards", CardPageOut, summary="退役军人优待证（申请与发放，可按是否已发放筛选）")
def list_veteran_cards(request: HttpRequest, filters: Query[CardFilterIn]) -> JSONObject:
    qs = where_given(_cards(api_user(request)), resident_id=filters.resident)
    if filters.issued is not None:
        qs = qs.filter(issued_on__isnull=not filters.issued)
    return paged(qs.order_by("-applied_on", "-id"), filters, _card)


@reads("/veteran-cards/{card_id}", CardOut, summary="优待证记录详情")
def get_veteran_card(request: HttpRequest, card_id: int) -> JSONObject:
    return _card(_one_card(api_user(request), card_id))


@creates("/veteran-cards", CardOut, summary="登记优待证申请（每人一张；支持 Idempotency-Key）")
def create_veteran_card(request: HttpRequest, payload: CardIn) -> HttpResponse:
    return _record_for_resident(request, payload, CARDS, apply_card, applied_on=payload.applied_on, note=payload.note)


@acts("/veteran-cards/{card_id}/issue", CardOut, summary="登记优待证发放（发放日期与证号；已发放的不能再发）")
def issue_veteran_card(request: HttpRequest, card_id: int, payload: IssueIn) -> JSONObject:
    user = api_user(request)
    card = _one_card(user, card_id)
    issue_card(card=card, actor=user, issued_on=payload.issued_on, number=payload.number, now=timezone.now())
    return CARDS.shown(user, card.pk)


def _attendances(user: User) -> QuerySet[DayCareAttendance]:
    return visible_day_care(user, DayCareAttendance.objects.select_related(*_PERSON))


ATTENDANCES = Ledger(_attendances, _attendance, AttendanceOut)


@reads("/day-care", AttendancePageOut, summary="残疾人日间照料记录（按人员、日期筛选）")
def list_day_care(request: HttpRequest, filters: Query[AttendanceFilterIn]) -> JSONObject:
    qs = where_given(
        _attendances(api_user(request)), resident_id=filters.resident, day__gte=filters.since, day__lte=filters.until
    )
    return paged(qs.order_by("-day", "-id"), filters, _attendance)


@creates("/day-care", AttendanceOut, summary="登记日间照料（每人每天一条；支持 Idempotency-Key）")
def create_day_care(request: HttpRequest, payload: AttendanceIn) -> HttpResponse:
    return _record_for_resident(
        request, payload, ATTENDANCES, record_attendance, day=payload.day, provider=payload.provider
    )
