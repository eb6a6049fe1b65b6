"""Disputes and petitions (矛盾纠纷): parties masked, revealed on request (and logged)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from gridgov.data.cases.models import Case
from gridgov.data.disputes.domain import PartyInput, PartyView, parties_shown, register_dispute, reveal_parties
from gridgov.data.disputes.enums import DisputeType, Level, PartyKind, PartyRole
from gridgov.data.disputes.models import Dispute, DisputeParty
from gridgov.data.org.models import User
from gridgov.data.org.security import Client
from gridgov.types import JSONObject
from gridgov.ui.api import present
from gridgov.ui.api.endpoints import _area, _department, _reporting_town
from gridgov.ui.api.ledgers.common import (
    Ledger,
    StatusIn,
    acts,
    case_records,
    creates,
    one_in,
    reads,
    where_given,
)
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import ID, CaseSummaryOut, PageOut, RowId, TextIn
from gridgov.ui.signed_in import api_user


class PartyOut(Schema):
    role: str
    kind: PartyKind = Field(description="person 个人（脱敏）/ organisation 单位（不脱敏）")
    name: str
    phone: str
    id_number: str = Field(description="个人：身份证号（脱敏）；单位：统一社会信用代码（完整显示）")
    masked: bool


class DisputeOut(Schema):
    id: int
    case: CaseSummaryOut
    type: DisputeType
    type_label: str
    level: str
    amount: float
    backlog: bool
    backlog_cleared_at: datetime | None
    received_on: date
    method: str
    outcome: str
    outcome_note: str
    parties: list[PartyOut] = Field(description="当事人（个人已脱敏，单位显示名称，与网页相同）")


class DisputePageOut(PageOut):
    results: list[DisputeOut]


class DisputeFilterIn(StatusIn):
    type: DisputeType | None = None
    backlog: bool | None = None


class PartyIn(TextIn):
    name: str = Field(min_length=1, max_length=64)
    phone: str = Field(default="", max_length=32)
    id_number: str = Field(
        default="",
        max_length=40,  # as typed (330902 19900101 1234): cleaned, then its length and check digit are checked
        description="证件号码：个人填身份证号，单位填18位统一社会信用代码（GB 32100）",
    )
    role: PartyRole = PartyRole.APPLICANT
    kind: PartyKind | None = Field(
        default=None, description="个人或单位；缺省按名称判断（以有限公司、合作社、村委会等结尾为单位，拿不准的按个人）"
    )


class DisputeIn(TextIn):
    town_id: RowId | None = Field(default=None, description="乡镇 id（只属于一个乡镇时可省略）")
    type: DisputeType
    description: str = Field(min_length=1, max_length=2000)
    parties: list[PartyIn] = Field(min_length=1, max_length=50, description="当事人（加密保存；返回时个人脱敏）")
    level: Level = Level.TOWN
    amount: Decimal = Field(default=Decimal(0), ge=0, le=Decimal("999999999999.99"), decimal_places=2)
    backlog: bool = False
    received_on: date | None = Field(default=None, ge=date(2000, 1, 1), description="受理日期（缺省今天）")
    department_id: RowId | None = Field(default=None, description="承办部门")
    area_id: int | None = ID


def _party(p: PartyView) -> JSONObject:
    return {
        "role": p.role,
        "kind": p.kind,
        "name": p.name,
        "phone": p.phone,
        "id_number": p.id_number,
        "masked": p.masked,
    }


def _dispute(d: Dispute, *, now: datetime) -> JSONObject:
    return {
        "id": d.pk,
        "case": present.case_summary(d.case, now=now),
        "type": d.type,
        "type_label": str(DisputeType(d.type).label),
        "level": d.level,
        "amount": float(d.amount),
        "backlog": d.backlog,
        "backlog_cleared_at": d.backlog_cleared_at,
        "received_on": d.received_on,
        "method": d.method,
        "outcome": d.outcome,
        "outcome_note": d.outcome_note,
        "parties": [_party(p) for p in parties_shown(d)],
    }


def _disputes(user: User) -> QuerySet[Dispute]:
    parties = Prefetch("parties", queryset=DisputeParty.objects.order_by("sort_order", "id"))
    return case_records(Dispute, user).prefetch_related(parties)


DISPUTES = Ledger(_disputes, _dispute, DisputeOut)


def _one_dispute(user: User, dispute_id: int) -> Dispute:
    return one_in(_disputes(user), dispute_id, _("纠纷不存在或您无权查看"))


@reads("/disputes", DisputePageOut, summary="矛盾纠纷（当事人已脱敏）")
def list_disputes(request: HttpRequest, filters: Query[DisputeFilterIn]) -> JSONObject:
    qs = where_given(DISPUTES.in_status(request, filters.status), type=filters.type, backlog=filters.backlog)
    return paged(qs.order_by("-received_on", "-id"), filters, _dispute)


@reads("/disputes/{dispute_id}", DisputeOut, summary="纠纷详情")
def get_dispute(request: HttpRequest, dispute_id: int) -> JSONObject:
    return _dispute(_one_dispute(api_user(request), dispute_id), now=timezone.now())


@acts(
    "/disputes/{dispute_id}/reveal-parties",
    list[PartyOut],
    summary="查看当事人完整信息（指挥室、领导、管理员；记录安全日志）",
)
def reveal_dispute_parties(request: HttpRequest, dispute_id: int) -> list[JSONObject]:
    user = api_user(request)
    found = _one_dispute(user, dispute_id)
    return [_party(p) for p in reveal_parties(user=user, dispute=found, client=Client.of(request))]


@creates("/disputes", DisputeOut, summary="登记信访/纠纷（镇指挥室、管理员；支持 Idempotency-Key）")
def create_dispute(request: HttpRequest, payload: DisputeIn) -> HttpResponse:
    user = api_user(request)
    town = _reporting_town(user, payload.town_id)
    department = _department(town.pk, payload.department_id) if payload.department_id is not None else None
    area = _area(town, payload.area_id) if payload.area_id is not None else None

    def create() -> Case:
        dispute = register_dispute(
            town=town,
            actor=user,
            type=payload.type,
            description=payload.description,
            parties=[
                PartyInput(name=p.name, phone=p.phone, id_number=p.id_number, role=p.role, kind=p.kind)
                for p in payload.parties
            ],
            level=payload.level,
            amount=payload.amount,
            backlog=payload.backlog,
            received_on=payload.received_on,
            department=department,
            area=area,
        )
        return dispute.case

    return DISPUTES.reported(request, user=user, payload=payload, create=create)
