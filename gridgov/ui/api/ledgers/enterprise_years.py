"""The enterprises' yearly figures (企业年度数据) through the API: read in ``visible_enterprise_years``' scope (the
town's command room, leaders, admins and economic department; an enterprise user its own enterprise's rows),
recorded through ``enterprises.domain.yearly.record_year`` — a second entry for the same enterprise and year
corrects the first. Amounts and the land area as people type them ("3,500万", "1.2亿", "12.5")."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import may_record_years, visible_enterprise_years
from gridgov.data.enterprises.domain.yearly import YearInput, record_year
from gridgov.data.enterprises.enums import Measure, Rectification
from gridgov.data.enterprises.models_yearly import EnterpriseYear
from gridgov.data.errors import NotAllowed
from gridgov.data.org.models import User
from gridgov.types import JSONObject
from gridgov.ui.api.ledgers.common import Ledger, creates, reads, ref_of, visible_enterprise, where_given
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import NOTE, PageIn, PageOut, RefOut, RowId, TextIn
from gridgov.ui.signed_in import api_user

AMOUNT = Field(default="", max_length=32, description="金额（元），可写12000、3,500万、1.2亿")


class EnterpriseYearOut(Schema):
    id: int
    enterprise: RefOut
    year: int
    above_scale: bool = Field(description="规上企业")
    above_scale_since: int | None = Field(description="首次进入规上年度")
    new_above_scale: bool = Field(description="新增规上企业（本年度首次进入规上）")
    key: bool = Field(description="重点企业")
    fixed_investment: float = Field(description="固定资产投资（元）")
    land_mu: float | None = Field(description="用地面积（亩）")
    tax: float = Field(description="税收（元）")
    output: float = Field(description="产值（元）")
    tax_per_mu: float | None = Field(description="亩均税收（元/亩）")
    output_per_mu: float | None = Field(description="亩均产值（元/亩）")
    low_efficiency: bool = Field(description="低效企业")
    rectification: Rectification | None = Field(description="整治状态")
    rectified_on: date | None = Field(description="整治日期")
    measure: Measure | None = Field(description="整治措施")
    note: str
    created_at: datetime


class EnterpriseYearPageOut(PageOut):
    results: list[EnterpriseYearOut]


class EnterpriseYearFilterIn(PageIn):
    year: int | None = Field(default=None, ge=2000, le=2100)
    enterprise: RowId | None = Field(default=None, description="企业 id")
    above_scale: bool | None = None
    key: bool | None = None
    low_efficiency: bool | None = None
    rectification: Rectification | None = None


class EnterpriseYearIn(TextIn):
    enterprise_id: RowId = Field(description="企业 id")
    year: int = Field(ge=2000, le=2100, description="年度（不晚于今年）")
    above_scale: bool = False
    above_scale_since: int | None = Field(default=None, ge=2000, le=2100, description="不填则沿用上一年度")
    key: bool = False
    fixed_investment: str = AMOUNT
    land_mu: str = Field(default="", max_length=32, description="用地面积（亩），大于0")
    tax: str = AMOUNT
    output: str = AMOUNT
    low_efficiency: bool = False
    rectification: Rectification | None = None
    rectified_on: date | None = Field(default=None, ge=date(2000, 1, 1), description="整治日期（不晚于今天）")
    measure: Measure | None = None
    note: str = NOTE


def _number(value: object) -> float | None:
    return None if value is None else float(str(value))


def _row(r: EnterpriseYear, *, now: datetime | None = None) -> JSONObject:
    """One row as the API shows it (``now``: unused, the list's row signature)."""
    return {
        "id": r.pk,
        "enterprise": ref_of(r.enterprise),
        "year": r.year,
        "above_scale": r.above_scale,
        "above_scale_since": r.above_scale_since,
        "new_above_scale": r.above_scale and r.above_scale_since == r.year,
        "key": r.key,
        "fixed_investment": float(r.fixed_investment),
        "land_mu": _number(r.land_mu),
        "tax": float(r.tax),
        "output": float(r.output),
        "tax_per_mu": _number(r.tax_per_mu),
        "output_per_mu": _number(r.output_per_mu),
        "low_efficiency": r.low_efficiency,
        "rectification": r.rectification or None,
        "rectified_on": r.rectified_on,
        "measure": r.measure or None,
        "note": r.note,
        "created_at": r.created_at,
    }


def _rows(user: User) -> QuerySet[EnterpriseYear]:
    return visible_enterprise_years(user, EnterpriseYear.objects.select_related("enterprise"))


ROWS = Ledger(_rows, _row, EnterpriseYearOut)


@reads(
    "/enterprise-years", EnterpriseYearPageOut, summary="企业年度数据（规上、重点企业投资、亩均论英雄、低效企业整治）"
)
def list_enterprise_years(request: HttpRequest, filters: Query[EnterpriseYearFilterIn]) -> JSONObject:
    qs = where_given(
        _rows(api_user(request)),
        year=filters.year,
        enterprise_id=filters.enterprise,
        above_scale=filters.above_scale,
        key=filters.key,
        low_efficiency=filters.low_efficiency,
        rectification=filters.rectification,
    )
    return paged(qs.order_by("-year", "enterprise__name", "id"), filters, _row)


@reads("/enterprise-years/{row_id}", EnterpriseYearOut, summary="企业年度数据详情")
def get_enterprise_year(request: HttpRequest, row_id: int) -> JSONObject:
    return ROWS.detail(request, row_id)


@creates(
    "/enterprise-years",
    EnterpriseYearOut,
    summary="登记或更正企业年度数据（镇指挥室、领导、经发办；同一企业同一年度再次提交即更正；支持 Idempotency-Key）",
)
def create_enterprise_year(request: HttpRequest, payload: EnterpriseYearIn) -> HttpResponse:
    user = api_user(request)
    enterprise = visible_enterprise(user, payload.enterprise_id)
    if not may_record_years(user, enterprise):
        raise NotAllowed(_("您无权登记“%(name)s”的年度数据") % {"name": enterprise.name})
    data = YearInput(
        enterprise=enterprise,
        year=payload.year,
        above_scale=payload.above_scale,
        above_scale_since=payload.above_scale_since,
        key=payload.key,
        fixed_investment=payload.fixed_investment,
        land_mu=payload.land_mu,
        tax=payload.tax,
        output=payload.output,
        low_efficiency=payload.low_efficiency,
        rectification=payload.rectification or "",
        rectified_on=payload.rectified_on,
        measure=payload.measure or "",
        note=payload.note,
    )
    return ROWS.registered(request, user=user, payload=payload, register=record_year, data=data)
