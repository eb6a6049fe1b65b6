"""Residents of the people register (实有人口) through the API: read in the user's scope, written through
``people.domain``. Name, ID number and phone always masked (``person_view``); the tags shown are the groups the
user may see (a sensitive group only for its department and the town's leaders)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import household_for, resident_for, visible_memberships, visible_residents
from gridgov.data.org.models import User
from gridgov.data.people.domain import ResidentInput, move_out, person_view, register_resident, update_resident
from gridgov.data.people.enums import Relation, ResidentKind, Sex
from gridgov.data.people.models import GroupMembership, Household, Resident
from gridgov.types import JSONObject
from gridgov.ui.api.ledgers.common import Ledger, acts, creates, house_ref, pk_of, reads, updates, where_given
from gridgov.ui.api.ledgers.people import HouseRefOut
from gridgov.ui.api.named import named_by
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import ID, PageIn, PageOut, RowId, TextIn
from gridgov.ui.signed_in import api_user


class ResidentOut(Schema):
    id: int
    household_id: int
    house: HouseRefOut
    name: str = Field(description="姓名（已脱敏，如 张*）")
    id_number: str = Field(description="证件号码（已脱敏，如 330921********0123）")
    phone: str = Field(description="联系电话（已脱敏，如 138****8000）")
    birth_year: int | None
    sex: Sex
    kind: ResidentKind
    relation: Relation
    moved_out_on: date | None
    erased: bool
    masked: bool
    groups: list[str] = Field(description="您可见的重点人员/关爱对象类别（敏感类别只对其部门和领导可见）")


class ResidentPageOut(PageOut):
    results: list[ResidentOut]


class ResidentFilterIn(PageIn):
    kind: ResidentKind | None = None
    household: RowId | None = Field(default=None, description="户 id")


class ResidentIn(TextIn):
    household_id: RowId
    name: str = Field(min_length=1, max_length=64)
    id_number: str = Field(default="", max_length=32, description="身份证号（校验位、出生日期、性别自动核对）或护照号")
    phone: str = Field(default="", max_length=32)
    kind: ResidentKind = ResidentKind.REGISTERED
    relation: Relation = Relation.OTHER
    birth_date: date | None = Field(default=None, ge=date(1880, 1, 1), description="无身份证号时填写")
    sex: Sex = Sex.UNKNOWN


class ResidentPatchIn(TextIn):
    household_id: int | None = ID
    name: str | None = Field(default=None, min_length=1, max_length=64)
    id_number: str | None = Field(default=None, max_length=32)
    phone: str | None = Field(default=None, max_length=32)
    kind: ResidentKind | None = None
    relation: Relation | None = None
    birth_date: date | None = Field(default=None, ge=date(1880, 1, 1))
    sex: Sex | None = None


def _resident(r: Resident, *, now: datetime) -> JSONObject:
    shown = person_view(r)
    tags: list[GroupMembership] = getattr(r, "tags", [])
    return {
        "id": r.pk,
        "household_id": r.household_id,
        "house": house_ref(r.household.house),
        "name": shown.name,
        "id_number": shown.id_number,
        "phone": shown.phone,
        "birth_year": shown.birth_year,
        "sex": shown.sex,
        "kind": shown.kind,
        "relation": shown.relation,
        "moved_out_on": shown.moved_out_on,
        "erased": shown.erased,
        "masked": shown.masked,
        "groups": [m.group.name for m in tags],
    }


def _residents(user: User) -> QuerySet[Resident]:
    tags = visible_memberships(user, GroupMembership.objects.filter(until__isnull=True).select_related("group"))
    return visible_residents(user, Resident.objects.select_related("household__house")).prefetch_related(
        Prefetch("memberships", queryset=tags.order_by("group__sort_order", "id"), to_attr="tags")
    )


RESIDENTS = Ledger(_residents, _resident, ResidentOut)


def _household_named(user: User, pk: int) -> Household:
    message = _("户 %(id)s 不存在或您无权查看") % {"id": pk}
    return named_by(lambda: household_for(user, pk), message, field="household_id")


@reads("/residents", ResidentPageOut, summary="实有人口（姓名、证件号、电话已脱敏）")
def list_residents(request: HttpRequest, filters: Query[ResidentFilterIn]) -> JSONObject:
    qs = where_given(_residents(api_user(request)), kind=filters.kind, household_id=filters.household)
    return paged(qs.order_by("household_id", "id"), filters, _resident)


@reads("/residents/{resident_id}", ResidentOut, summary="人员详情（已脱敏）")
def get_resident(request: HttpRequest, resident_id: int) -> JSONObject:
    return RESIDENTS.detail(request, resident_id)


@creates("/residents", ResidentOut, summary="登记人员（证件号重复、校验位错误时拒绝；支持 Idempotency-Key）")
def create_resident(request: HttpRequest, payload: ResidentIn) -> HttpResponse:
    user = api_user(request)
    data = ResidentInput(
        household=_household_named(user, payload.household_id),
        name=payload.name,
        id_number=payload.id_number,
        phone=payload.phone,
        kind=payload.kind,
        relation=payload.relation,
        birth_date=payload.birth_date,
        sex=payload.sex,
    )

    return RESIDENTS.registered(request, user=user, payload=payload, register=register_resident, data=data)


@updates("/residents/{resident_id}", ResidentOut, summary="修改人员（只改给出的字段）")
def patch_resident(request: HttpRequest, resident_id: int, payload: ResidentPatchIn) -> JSONObject:
    user = api_user(request)
    resident = resident_for(user, pk_of(resident_id))
    given = payload.model_fields_set
    data = ResidentInput(
        household=resident.household if payload.household_id is None else _household_named(user, payload.household_id),
        name=resident.name if payload.name is None else payload.name,
        id_number=resident.id_number if payload.id_number is None else payload.id_number,
        phone=resident.phone if payload.phone is None else payload.phone,
        kind=ResidentKind(resident.kind) if payload.kind is None else payload.kind,
        relation=Relation(resident.relation) if payload.relation is None else payload.relation,
        birth_date=payload.birth_date if "birth_date" in given else resident.birth_date,
        sex=Sex(resident.sex) if payload.sex is None else payload.sex,
    )
    update_resident(actor=user, resident=resident, data=data, now=timezone.now())
    return RESIDENTS.shown(user, resident.pk)


class MoveOutIn(TextIn):
    moved_out_on: date = Field(ge=date(1950, 1, 1), description="迁出日期（不晚于今天）")


@acts(
    "/residents/{resident_id}/move-out",
    ResidentOut,
    summary="登记人员迁出（其重点/关爱类别同日解除；记录保留到保存期限）",
)
def move_out_resident(request: HttpRequest, resident_id: int, payload: MoveOutIn) -> JSONObject:
    user = api_user(request)
    resident = resident_for(user, pk_of(resident_id))
    move_out(actor=user, resident=resident, on=payload.moved_out_on, now=timezone.now())
    return RESIDENTS.shown(user, resident.pk)
