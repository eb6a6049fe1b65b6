"""Investment attraction (招商引资) through the API: leads read in ``visible_leads``' scope (the town's command room,
leaders, admins and 经济发展办; a lead out of scope is not found), recorded through ``investment.domain``
(``record_lead``, ``record_arrival``, ``advance_stage``, ``register_enterprise``) once per Idempotency-Key.
Amounts may be numbers or text as people type them ("1.2亿", "3,500万")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import investment_towns, visible_leads
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.investment.domain import (
    ArrivalInput,
    LeadInput,
    NewEnterpriseInput,
    advance_stage,
    record_arrival,
    record_lead,
    register_enterprise,
)
from gridgov.data.investment.enums import Industry, Source, Stage
from gridgov.data.investment.models import FundArrival, Lead
from gridgov.data.org.models import Area, Department, User
from gridgov.types import JSONObject
from gridgov.ui.api.ledgers.common import Ledger, creates, reads, ref_of, register_once_per_key, where_given
from gridgov.ui.api.named import named, named_if
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import ID, NOTE, PageIn, PageOut, RefOut, RowId, TextIn
from gridgov.ui.signed_in import api_user

AMOUNT_TEXT = "可为数字或“1.2亿”“3,500万”等写法（元）"


class NewEnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    registered_on: date | None


class ArrivalOut(Schema):
    id: int
    year: int
    month: int
    amount: float = Field(description="到位资金（元）")
    note: str


class LeadOut(Schema):
    id: int
    name: str
    stage: Stage
    stage_label: str
    source: Source
    industry: Industry
    signed_amount: float | None = Field(description="签约金额（元）")
    billion: bool = Field(description="亿元项目（签约金额不少于1亿元）")
    major_industrial: bool
    enclave: bool
    enclave_place: str
    department: RefOut | None
    person: str
    village: RefOut | None
    lead_on: date
    talks_on: date | None
    signed_on: date | None
    landed_on: date | None
    producing_on: date | None
    enterprise: NewEnterpriseOut | None
    arrivals: list[ArrivalOut]
    note: str
    created_at: datetime


class LeadPageOut(PageOut):
    results: list[LeadOut]


class LeadFilterIn(PageIn):
    stage: Stage | None = None
    source: Source | None = None
    industry: Industry | None = None
    signed_year: int | None = Field(default=None, ge=2000, le=2100, description="签约年度（引进）")
    enclave: bool | None = Field(default=None, description="飞地项目（true：只看飞地项目；false：不含飞地项目）")


class LeadIn(TextIn):
    town_id: RowId | None = Field(default=None, description="乡镇 id（只管一个乡镇时可省略）")
    name: str = Field(max_length=100, description="项目名称")
    source: Source
    industry: Industry
    lead_on: date = Field(ge=date(2000, 1, 1), description="线索日期")
    talks_on: date | None = Field(default=None, ge=date(2000, 1, 1))
    signed_on: date | None = Field(default=None, ge=date(2000, 1, 1))
    landed_on: date | None = Field(default=None, ge=date(2000, 1, 1))
    producing_on: date | None = Field(default=None, ge=date(2000, 1, 1))
    signed_amount: Decimal | str | None = Field(default=None, description=f"签约金额，{AMOUNT_TEXT}")
    major_industrial: bool = False
    enclave_place: str = Field(default="", max_length=100, description="飞地所在地（飞地项目填写）")
    department_id: int | None = ID
    person: str = Field(default="", max_length=32)
    village_id: int | None = ID
    note: str = NOTE


class ArrivalIn(TextIn):
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)
    amount: Decimal | str = Field(description=f"到位资金，{AMOUNT_TEXT}")
    note: str = NOTE


class StageIn(TextIn):
    stage: Stage = Field(description="推进到的阶段：须为当前阶段的下一阶段（线索 → 洽谈 → 签约 → 落地 → 投产）")
    on: date = Field(ge=date(2000, 1, 1), description="到达该阶段的日期（不能晚于今天，不能早于上一阶段）")
    signed_amount: Decimal | str | None = Field(
        default=None, description=f"签约金额（推进到签约时必填），{AMOUNT_TEXT}"
    )


class NewEnterpriseIn(TextIn):
    credit_code: str = Field(max_length=32, description="统一社会信用代码（18位，按 GB 32100 校验）")
    name: str = Field(max_length=100, description="企业名称（本镇企业库已有该代码的企业时沿用其记录）")
    registered_on: date = Field(ge=date(2000, 1, 1), description="企业注册日期（不能晚于今天）")
    address: str = Field(default="", max_length=200)
    contact_name: str = Field(default="", max_length=32)
    contact_phone: str = Field(default="", max_length=32)


def _arrival(a: FundArrival) -> JSONObject:
    return {"id": a.pk, "year": a.year, "month": a.month, "amount": float(a.amount), "note": a.note}


def _lead(lead: Lead, *, now: datetime) -> JSONObject:
    enterprise = lead.enterprise
    return {
        "id": lead.pk,
        "name": lead.name,
        "stage": lead.stage,
        "stage_label": str(Stage(lead.stage).label),
        "source": lead.source,
        "industry": lead.industry,
        "signed_amount": None if lead.signed_amount is None else float(lead.signed_amount),
        "billion": lead.is_billion,
        "major_industrial": lead.major_industrial,
        "enclave": lead.enclave,
        "enclave_place": lead.enclave_place,
        "department": ref_of(lead.department),
        "person": lead.person,
        "village": ref_of(lead.village),
        "lead_on": lead.lead_on,
        "talks_on": lead.talks_on,
        "signed_on": lead.signed_on,
        "landed_on": lead.landed_on,
        "producing_on": lead.producing_on,
        "enterprise": None
        if enterprise is None
        else {
            "id": enterprise.pk,
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "registered_on": lead.enterprise_on,
        },
        "arrivals": [_arrival(a) for a in lead.arrivals.all()],
        "note": lead.note,
        "created_at": lead.created_at,
    }


def _leads(user: User) -> QuerySet[Lead]:
    arrivals = FundArrival.objects.order_by("year", "month")
    return visible_leads(
        user,
        Lead.objects.select_related("department", "village", "enterprise").prefetch_related(
            Prefetch("arrivals", queryset=arrivals)
        ),
    )


LEADS = Ledger(_leads, _lead, LeadOut, gettext_noop("招商项目不存在或您无权查看"))


@reads("/investment/leads", LeadPageOut, summary="招商项目（按阶段、招商方式、产业类别、签约年度、飞地项目筛选）")
def list_investment_leads(request: HttpRequest, filters: Query[LeadFilterIn]) -> JSONObject:
    year = filters.signed_year
    qs = where_given(
        _leads(api_user(request)),
        stage=filters.stage,
        source=filters.source,
        industry=filters.industry,
        signed_on__gte=None if year is None else date(year, 1, 1),
        signed_on__lt=None if year is None else date(year + 1, 1, 1),
        enclave=filters.enclave,
    )
    return paged(qs.order_by("-lead_on", "-id"), filters, _lead)


@reads("/investment/leads/{lead_id}", LeadOut, summary="招商项目详情（含到位资金和新增企业）")
def get_investment_lead(request: HttpRequest, lead_id: int) -> JSONObject:
    return LEADS.detail(request, lead_id)


def _town(user: User, town_id: int | None) -> Area:
    towns = investment_towns(user)
    if towns is not None and not towns:
        raise NotAllowed(_("您无权登记招商引资信息"))
    if town_id is None:
        if towns is None or len(towns) != 1:
            raise InvalidInput(_("请指定乡镇（town_id）"), field="town_id")
        town_id = next(iter(towns))
    found = Area.objects.filter(pk=town_id).first() if towns is None or town_id in towns else None
    return named(found, _("乡镇 %(id)s 不存在或您无权登记") % {"id": town_id}, field="town_id")


@creates("/investment/leads", LeadOut, summary="登记招商项目（镇指挥室、领导、经济发展办；支持 Idempotency-Key）")
def create_investment_lead(request: HttpRequest, payload: LeadIn) -> HttpResponse:
    user = api_user(request)
    town = _town(user, payload.town_id)
    department = named_if(
        payload.department_id,
        Department.objects.filter(town=town),
        _("部门 %(id)s 不存在") % {"id": payload.department_id},
        field="department_id",
    )
    village = named_if(
        payload.village_id, Area.objects.all(), _("村 %(id)s 不存在") % {"id": payload.village_id}, field="village_id"
    )
    data = LeadInput(
        town=town,
        name=payload.name,
        source=payload.source,
        industry=payload.industry,
        lead_on=payload.lead_on,
        talks_on=payload.talks_on,
        signed_on=payload.signed_on,
        landed_on=payload.landed_on,
        producing_on=payload.producing_on,
        signed_amount=payload.signed_amount,
        major_industrial=payload.major_industrial,
        enclave=bool(payload.enclave_place.strip()),
        enclave_place=payload.enclave_place,
        department=department,
        person=payload.person,
        village=village,
        note=payload.note,
    )
    return LEADS.registered(request, user=user, payload=payload, register=record_lead, data=data)


@creates(
    "/investment/leads/{lead_id}/arrivals",
    ArrivalOut,
    summary="登记到位资金（按月；同月再次登记为更正；支持 Idempotency-Key）",
)
def create_investment_arrival(request: HttpRequest, lead_id: int, payload: ArrivalIn) -> HttpResponse:
    user = api_user(request)
    lead = LEADS.one(user, lead_id)
    data = ArrivalInput(lead=lead, year=payload.year, month=payload.month, amount=payload.amount, note=payload.note)
    return register_once_per_key(
        request, user=user, payload=payload, register=record_arrival, data=data, shown=_arrival, schema=ArrivalOut
    )


@creates(
    "/investment/leads/{lead_id}/stages",
    LeadOut,
    summary="推进招商项目到下一阶段（签约须填签约金额；经济发展办、镇指挥室、领导；支持 Idempotency-Key）",
)
def advance_investment_lead(request: HttpRequest, lead_id: int, payload: StageIn) -> HttpResponse:
    user = api_user(request)
    lead = LEADS.one(user, lead_id)

    def create() -> Lead:
        return advance_stage(
            actor=user,
            lead=lead,
            stage=payload.stage,
            on=payload.on,
            now=timezone.now(),
            signed_amount=payload.signed_amount,
        )

    return LEADS.created(request, user=user, payload=payload, create=create)


@creates(
    "/investment/leads/{lead_id}/enterprise",
    LeadOut,
    summary="登记已落地项目的新增企业（统一社会信用代码校验，计入企业库；支持 Idempotency-Key）",
)
def register_investment_enterprise(request: HttpRequest, lead_id: int, payload: NewEnterpriseIn) -> HttpResponse:
    user = api_user(request)
    lead = LEADS.one(user, lead_id)
    data = NewEnterpriseInput(
        credit_code=payload.credit_code,
        name=payload.name,
        registered_on=payload.registered_on,
        address=payload.address,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
    )

    def create() -> Lead:
        register_enterprise(actor=user, lead=lead, data=data, now=timezone.now())
        return lead

    return LEADS.created(request, user=user, payload=payload, create=create)
