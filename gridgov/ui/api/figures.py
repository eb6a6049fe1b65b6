"""Indicator endpoints: the dashboard's figures through ``gridgov.data.metrics`` — same period and scope
parameters (read by the dashboard's own ``read_filters``), same viewer rules (``reports.domain.viewers``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal, get_args

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import Viewer, viewer_of, visible_cases
from gridgov.data.errors import InvalidInput, NotFound, OutOfScope
from gridgov.data.metrics.indicators import IndicatorSet, Measure, MeasureKey, RankRow, cases_behind, compute, ranking
from gridgov.data.org.models import Area
from gridgov.types import JSONObject
from gridgov.ui.api import present
from gridgov.ui.api.api import api
from gridgov.ui.api.endpoints import ERRORS
from gridgov.ui.api.schemas import CasePageOut, Ref, RowId, TextIn
from gridgov.ui.dashboard.filters import Filters, read_filters
from gridgov.ui.signed_in import api_user

MEASURE_KEYS = get_args(MeasureKey)  # every figure of the design, in its order


class FiguresIn(TextIn):
    town: RowId | None = Field(default=None, description="乡镇 id（缺省：您的第一个乡镇）")
    period: Literal["day", "week", "month", "quarter", "year", "custom"] = Field(
        default="month", description="统计周期"
    )
    date: str = Field(default="", max_length=32, description="周期内任一天（如 2026-11-25；缺省今天）")
    start: str = Field(default="", max_length=32, description="自定义周期的开始日期（含）")
    end: str = Field(default="", max_length=32, description="自定义周期的结束日期（含）")
    scope: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^((village|grid|department|grid_worker|category):[1-9][0-9]{0,17}|channel:[a-z0-9_]{1,32})?$",
        description="统计范围：空=全镇；village:<id>、grid:<id>、department:<id>、grid_worker:<用户id>、"
        "category:<id>、channel:<渠道>（村干部只能选本村及其网格；缺省为其本村）",
    )
    as_of: str = Field(default="", max_length=64, description="评价时点 T（带时区的 ISO 时间；缺省：现在）")


class RankingIn(FiguresIn):
    by: Literal["village", "department", "grid_worker"] = Field(default="village", description="排名对象")


class DrillIn(FiguresIn):
    part: Literal["numerator", "denominator"] = "numerator"
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=50, ge=1, le=200)


class MeasureOut(Schema):
    key: str
    label: str
    formula: str
    unit: Literal["count", "percent", "score"]
    numerator: int | None
    denominator: int | None
    value: float | None = Field(description="百分比指标为 0–100；分母为 0 时为 null")
    display: str = Field(description="按中文习惯显示，如 98.0%；分母为 0 时为“—”")
    drill: str | None = Field(description="可查看案件清单时的指标键（/api/indicators/{measure}/cases）")


class PeriodOut(Schema):
    kind: str
    start: date
    last: date
    label: str


class ScopeOut(Schema):
    value: str
    label: str


class FigureContextOut(Schema):
    town: Ref
    period: PeriodOut
    scope: ScopeOut
    as_of: datetime


class IndicatorsOut(FigureContextOut):
    deduction: float = Field(description="督查扣分（仅村范围）")
    measures: list[MeasureOut]


class RankRowOut(Schema):
    rank: int | None
    id: int
    name: str
    n: int = Field(description="立案数（样本量）")
    small_sample: bool
    score: MeasureOut
    on_time_closure_rate: MeasureOut
    closure_rate: MeasureOut
    rework_rate: MeasureOut
    satisfaction_rate: MeasureOut
    deduction: float


class RankingOut(FigureContextOut):
    by: str
    rows: list[RankRowOut]


class DrillOut(CasePageOut):
    measure: MeasureOut
    part: str
    as_of: datetime


def _viewer(request: HttpRequest) -> Viewer:
    viewer = viewer_of(api_user(request))
    if not viewer.sees_anything:
        raise OutOfScope(_("您没有查看统计数据的权限"))
    return viewer


def _town(viewer: Viewer, town_id: int | None) -> Area:
    """The same choice as the dashboard's ``town_for``: a town the viewer sees in full or through a village."""
    if town_id is None:
        return viewer.default_town()
    for town in viewer.towns:
        if town.pk == town_id:
            return town
    if any(village.town_id == town_id for village in viewer.villages):
        return Area.objects.get(pk=town_id)
    raise OutOfScope(_("您无权查看该乡镇的数据"))


def _filters(request: HttpRequest, *, viewer: Viewer, town: Area) -> Filters:
    """The dashboard's reading of period and scope; where the page falls back and shows a message, the API
    answers 422 with that message."""
    try:
        filters = read_filters(request.GET, town=town, viewer=viewer, with_choices=False)
    except (ValueError, OverflowError):  # a period reaching past year 9999 (or before year 1)
        raise InvalidInput(_("日期超出可统计的范围"), field="date") from None
    for field_name, message in filters.errors.items():
        raise InvalidInput(message, field=field_name)
    for day in (filters.period.start, filters.period.last):
        if not 1900 <= day.year <= 2999:
            raise InvalidInput(_("日期超出可统计的范围"), field="date")
    if filters.as_of is not None and not 1900 <= filters.as_of.year <= 2999:
        raise InvalidInput(_("数据截止时间超出范围"), field="as_of")
    return filters


def _read(request: HttpRequest, town_id: int | None, *, whole_town: bool = False) -> tuple[Filters, datetime]:
    """A figures request read as the dashboard reads it: the viewer (refused when they see no figures), the town
    (``whole_town``: only for those who see all of it), period and scope (``_filters``), and the moment the figures
    are as of (``as_of``, else now)."""
    viewer = _viewer(request)
    town = _town(viewer, town_id)
    if whole_town:
        viewer.require_town(town)
    filters = _filters(request, viewer=viewer, town=town)
    return filters, filters.as_of or timezone.now()


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(Decimal("0.0001")))


def _measure(m: Measure) -> JSONObject:
    return {
        "key": m.key,
        "label": str(m.label),
        "formula": str(m.formula),
        "unit": m.unit,
        "numerator": m.numerator,
        "denominator": m.denominator,
        "value": _number(m.value),
        "display": m.display,
        "drill": m.drill,
    }


def _context(filters: Filters, *, as_of: datetime) -> JSONObject:
    return {
        "town": {"id": filters.town.pk, "name": filters.town.name},
        "period": {
            "kind": filters.period_kind,
            "start": filters.period.start,
            "last": filters.period.last,
            "label": filters.period.label,
        },
        "scope": {"value": filters.scope_value, "label": filters.scope.label},
        "as_of": as_of,
    }


@api.get("/indicators", response={200: IndicatorsOut, **ERRORS}, tags=["指标"], summary="综合评价指标（期间、范围）")
def get_indicators(request: HttpRequest, params: Query[FiguresIn]) -> JSONObject:
    """Every indicator with numerator, denominator, value (null when the denominator is 0) and formula."""
    filters, as_of = _read(request, params.town)
    figures: IndicatorSet = compute(scope=filters.scope, period=filters.period, as_of=as_of)
    return {
        **_context(filters, as_of=as_of),
        "deduction": float(figures.deduction),
        "measures": [_measure(m) for m in figures.measures()],
    }


@api.get(
    "/rankings",
    response={200: RankingOut, **ERRORS},
    tags=["指标"],
    summary="擂台赛排名（村/社区、部门、网格员；仅本镇领导、指挥室、管理员）",
)
def get_rankings(request: HttpRequest, params: Query[RankingIn]) -> JSONObject:
    filters, as_of = _read(request, params.town, whole_town=True)
    rows: list[RankRow] = ranking(town=filters.town, period=filters.period, by=params.by, as_of=as_of)
    return {
        **_context(filters, as_of=as_of),
        "by": params.by,
        "rows": [
            {
                "rank": row.rank,
                "id": row.key,
                "name": row.name,
                "n": row.n,
                "small_sample": row.small_sample,
                "score": _measure(row.score),
                "on_time_closure_rate": _measure(row.on_time_closure_rate),
                "closure_rate": _measure(row.closure_rate),
                "rework_rate": _measure(row.rework_rate),
                "satisfaction_rate": _measure(row.satisfaction_rate),
                "deduction": float(row.deduction),
            }
            for row in rows
        ],
    }


@api.get(
    "/indicators/{measure}/cases",
    response={200: DrillOut, **ERRORS},
    tags=["指标"],
    summary="指标的案件清单（分子或分母；仅含您有权查看的事件）",
)
def list_indicator_cases(request: HttpRequest, measure: str, params: Query[DrillIn]) -> JSONObject:
    """Pass the ``as_of`` of the figures to get exactly the cases they counted."""
    if measure not in MEASURE_KEYS:
        raise NotFound(_("指标“%(m)s”不存在") % {"m": measure[:40]})
    user = api_user(request)
    filters, as_of = _read(request, params.town)
    behind = cases_behind(scope=filters.scope, period=filters.period, measure=measure, part=params.part, as_of=as_of)
    figures = compute(scope=filters.scope, period=filters.period, as_of=as_of)
    cases = (
        visible_cases(user, behind)
        .select_related("category", "major_category", "area", "village", "department")
        .order_by("-registered_at", "-reported_at", "-id")
    )
    return {
        **present.paged(cases, params, present.case_summary),
        "measure": _measure(figures[measure]),
        "part": params.part,
        "as_of": as_of,
    }
