"""Evaluation indicators (综合评价) exactly as the design defines them, for any period, scope and moment T.

Public API (used by the dashboard, rankings, bulletins and the year in review):

- ``Period``: [start, end) in whole local days, with day/week/month/quarter/year/custom helpers and labels;
- ``Scope``: a town, optionally narrowed to one area (village, grid or any subtree), department, grid worker,
  category (major or sub) or channel;
- ``compute`` → ``IndicatorSet`` (every indicator as a ``Measure``: numerator, denominator, value, formula);
- ``compute_by`` → one ``IndicatorSet`` per village, grid, department, grid worker, category, major
  category, channel or month, in one pass;
- ``cases_behind``: the cases behind a numerator or denominator (always equal to the counts);
- ``ranking`` (擂台赛) by 综合指标值, ties sharing a rank, n shown, small samples flagged.

How the counts are obtained: when no case of the town changed after T (always true for T = now), the
T-independent counts come from the maintained day × dimension rollups and the T-dependent part of 超期
(open cases past their deadline at T) is counted live from the small set of open cases. Otherwise — T in
the past, or a scope the rollups do not cover (a micro-grid subtree) — a plain recount over the cases
evaluates the same conditions (``facts``) with T. See docs/indicators.md for what is exact as of a past T.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, cast

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from gridgov.data.cases.enums import Channel
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.errors import InvalidInput
from gridgov.data.inspections.scoring import deductions
from gridgov.data.metrics import facts
from gridgov.data.metrics.models import COUNT_FIELDS, DailyRollup, Dim, IndicatorWeights
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Membership, User
from gridgov.data.taxonomy.models import Category

SMALL_SAMPLE = 5  # a ranking row with a cohort smaller than this is flagged 样本少
ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)

Group = Literal["village", "grid", "department", "grid_worker", "category", "major_category", "channel", "month"]
GroupKey = int | str | date
MeasureKey = Literal[
    "reported",
    "valid_rate",
    "registered",
    "completion_rate",
    "closure_rate",
    "on_time_closure_rate",
    "on_time_handling_rate",
    "rework_rate",
    "overdue_rate",
    "satisfaction_rate",
    "score",
]
Part = Literal["numerator", "denominator"]


# ---------------------------------------------------------------------------------------------------
# Periods


def _tz() -> tzinfo:
    return timezone.get_default_timezone()


def _cn_date(d: date) -> str:
    """2026年11月23日 in Chinese, Nov. 23, 2026 in English (the language's DATE_FORMAT)."""
    return formats.date_format(d, "DATE_FORMAT")


# 第三季度 in Chinese; the English catalogue makes them digits (Q3 2026)
QUARTER_NAMES = (
    pgettext_lazy("quarter", "一"),
    pgettext_lazy("quarter", "二"),
    pgettext_lazy("quarter", "三"),
    pgettext_lazy("quarter", "四"),
)


@dataclass(frozen=True, slots=True)
class Period:
    """Whole local days [start, end) — ``end`` is the first day after the period."""

    start: date
    end: date
    kind: Literal["day", "week", "month", "quarter", "year", "custom"] = "custom"

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidInput(_("结束日期必须不早于开始日期"), field="end")

    @classmethod
    def day(cls, d: date) -> Period:
        return cls(d, d + timedelta(days=1), "day")

    @classmethod
    def week(cls, d: date) -> Period:
        """The week (Monday to Sunday) containing ``d``."""
        monday = d - timedelta(days=d.weekday())
        return cls(monday, monday + timedelta(days=7), "week")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise InvalidInput(_("月份必须在1到12之间"), field="month")
        end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return cls(date(year, month, 1), end, "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise InvalidInput(_("季度必须在1到4之间"), field="quarter")
        first = date(year, 3 * quarter - 2, 1)
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return cls(first, end, "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year + 1, 1, 1), "year")

    @classmethod
    def custom(cls, first: date, last: date) -> Period:
        """From ``first`` to ``last``, both days included (as people write a date range)."""
        if last < first:
            raise InvalidInput(_("结束日期必须不早于开始日期"), field="end")
        return cls(first, last + timedelta(days=1), "custom")

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        s = self.start
        if self.kind == "day":
            return _cn_date(s)
        if self.kind == "week":
            iso_year, iso_week, _weekday = s.isocalendar()
            return _("%(y)d年第%(w)d周（%(a)s—%(b)s）") % {
                "y": iso_year,
                "w": iso_week,
                "a": _cn_date(s),
                "b": _cn_date(self.last),
            }
        if self.kind == "month":
            return formats.date_format(s, "YEAR_MONTH_FORMAT")  # 2026年11月 / November 2026
        if self.kind == "quarter":
            return _("%(y)d年第%(q)s季度") % {"y": s.year, "q": QUARTER_NAMES[(s.month - 1) // 3]}
        if self.kind == "year":
            return _("%(y)d年") % {"y": s.year}
        if self.start == self.last:
            return _cn_date(s)
        return _("%(a)s至%(b)s") % {"a": _cn_date(s), "b": _cn_date(self.last)}

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes: local midnight of ``start`` and of ``end``."""
        tz = _tz()
        return (
            datetime(self.start.year, self.start.month, self.start.day, tzinfo=tz),
            datetime(self.end.year, self.end.month, self.end.day, tzinfo=tz),
        )


# ---------------------------------------------------------------------------------------------------
# Scope


@dataclass(frozen=True, slots=True)
class Scope:
    """A town, optionally narrowed by exactly one of: an area subtree, a department, a grid worker (the cases
    they reported as grid worker), a category (major or sub) or a channel."""

    town: Area
    area: Area | None = None
    department: Department | None = None
    grid_worker: User | None = None
    category: Category | None = None
    channel: str | None = None

    def __post_init__(self) -> None:
        given = [
            name
            for name in ("area", "department", "grid_worker", "category", "channel")
            if getattr(self, name) not in (None, "")
        ]
        if len(given) > 1:
            raise InvalidInput(_("统计范围只能选择一项（区域、部门、网格员、分类或渠道）"), field=given[1])
        if self.town.level != AreaLevel.TOWN:
            raise InvalidInput(_("统计范围必须属于一个乡镇"), field="town")
        if self.area is not None and self.area.pk != self.town.pk and self.area.town_id != self.town.pk:
            raise InvalidInput(
                _("区域“%(name)s”不在%(town)s") % {"name": self.area.name, "town": self.town.name},
                field="area",
            )
        if self.department is not None and self.department.town_id != self.town.pk:
            raise InvalidInput(
                _("部门“%(name)s”不属于%(town)s") % {"name": self.department.name, "town": self.town.name},
                field="department",
            )
        if self.category is not None and self.category.town_id != self.town.pk:
            raise InvalidInput(
                _("分类“%(name)s”不属于%(town)s") % {"name": self.category.name, "town": self.town.name},
                field="category",
            )
        if self.channel not in (None, "") and self.channel not in Channel.values:
            raise InvalidInput(_("来源渠道“%(c)s”无效") % {"c": self.channel}, field="channel")

    @property
    def label(self) -> str:
        if self.area is not None and self.area.pk != self.town.pk:
            return self.area.name
        if self.department is not None:
            return self.department.name
        if self.grid_worker is not None:
            return _("网格员%(name)s") % {"name": self.grid_worker.full_name or self.grid_worker.username}
        if self.category is not None:
            return self.category.name
        if self.channel:
            return str(Channel(self.channel).label)
        return self.town.name

    def case_filter(self) -> Q:
        """The scope as a condition on cases (the town is applied separately)."""
        if self.area is not None and self.area.pk != self.town.pk:
            if self.area.level == AreaLevel.VILLAGE:
                return Q(village_id=self.area.pk)
            if self.area.level == AreaLevel.GRID:
                return Q(grid_id=self.area.pk)
            return Q(area_path__startswith=self.area.path)
        if self.department is not None:
            return Q(department_id=self.department.pk)
        if self.grid_worker is not None:
            return Q(reporter_id=self.grid_worker.pk, reporter_role=Role.GRID_WORKER)
        if self.category is not None:
            if self.category.parent_id is None:
                return Q(major_category_id=self.category.pk)
            return Q(category_id=self.category.pk)
        if self.channel:
            return Q(channel=self.channel)
        return Q()

    def rollup_key(self) -> tuple[Dim, str] | None:
        """The rollup dimension and member answering this scope; None when only a recount can."""
        if self.area is not None and self.area.pk != self.town.pk:
            if self.area.level == AreaLevel.VILLAGE:
                return Dim.VILLAGE, str(self.area.pk)
            if self.area.level == AreaLevel.GRID:
                return Dim.GRID, str(self.area.pk)
            return None
        if self.department is not None:
            return Dim.DEPARTMENT, str(self.department.pk)
        if self.grid_worker is not None:
            return Dim.GRID_WORKER, str(self.grid_worker.pk)
        if self.category is not None:
            if self.category.parent_id is None:
                return Dim.MAJOR_CATEGORY, str(self.category.pk)
            return Dim.CATEGORY, str(self.category.pk)
        if self.channel:
            return Dim.CHANNEL, str(self.channel)
        return Dim.TOWN, ""


# ---------------------------------------------------------------------------------------------------
# Weights and deductions


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of 综合指标值; a component whose denominator is zero is left out and the rest rescaled."""

    on_time_closure: Decimal = Decimal("0.5")
    closure: Decimal = Decimal("0.2")
    no_rework: Decimal = Decimal("0.15")
    satisfaction: Decimal = Decimal("0.15")

    @classmethod
    def for_town(cls, town: Area) -> Weights:
        row = IndicatorWeights.objects.filter(town=town).first()
        if row is None:
            return cls()
        return cls(row.on_time_closure, row.closure, row.no_rework, row.satisfaction)


def inspection_deductions(*, town: Area, period: Period) -> dict[int, Decimal]:
    """Deduction points per village for the period: the inspection problems found in it (see inspections)."""
    return deductions(town=town, start=period.start, end=period.end)


# ---------------------------------------------------------------------------------------------------
# Counts, measures and the indicator set


@dataclass(slots=True)
class Counts:
    """The raw counts every indicator is made of (see ``facts`` for each definition)."""

    reported: int = 0
    valid: int = 0
    cohort: int = 0
    closed: int = 0
    suspended: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    closed_on_time: int = 0
    reworked: int = 0
    rated: int = 0
    satisfied: int = 0
    late: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass(frozen=True, slots=True)
class Measure:
    """One indicator: how it is computed and its value (None when the denominator is zero)."""

    key: MeasureKey
    label: str
    formula: str
    unit: Literal["count", "percent", "score"]
    numerator: int | None
    denominator: int | None
    value: Decimal | None
    drill: MeasureKey | None  # the key for ``cases_behind``; None when there are no cases behind it

    @property
    def display(self) -> str:
        """As Chinese users write it: 3124, 98.0%, 86.5; "—" when the denominator is zero."""
        if self.value is None:
            return "—"
        if self.unit == "count":
            return str(int(self.value))
        shown = self.value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
        return f"{shown}%" if self.unit == "percent" else str(shown)


def _rate(
    key: MeasureKey, label: str, formula: str, numerator: int, denominator: int, *, drill: bool = True
) -> Measure:
    value = None if denominator == 0 else Decimal(numerator) * HUNDRED / Decimal(denominator)
    return Measure(key, label, formula, "percent", numerator, denominator, value, key if drill else None)


def _count(key: MeasureKey, label: str, formula: str, n: int) -> Measure:
    return Measure(key, label, formula, "count", n, None, Decimal(n), key)


@dataclass(frozen=True, slots=True)
class IndicatorSet:
    counts: Counts
    reported: Measure  # 上报数
    valid_rate: Measure  # 有效上报率
    registered: Measure  # 立案数
    completion_rate: Measure  # 办结率
    closure_rate: Measure  # 结案率
    on_time_closure_rate: Measure  # 按期结案率
    on_time_handling_rate: Measure  # 按期处置率
    rework_rate: Measure  # 返工率
    overdue_rate: Measure  # 超期率
    satisfaction_rate: Measure  # 满意率
    score: Measure  # 综合指标值
    deduction: Decimal = Decimal(0)
    weights: Weights = field(default_factory=Weights)

    @property
    def n(self) -> int:
        """The cohort size (立案数) shown beside a ranking's score."""
        return self.counts.cohort

    def measures(self) -> list[Measure]:
        return [
            self.reported,
            self.valid_rate,
            self.registered,
            self.completion_rate,
            self.closure_rate,
            self.on_time_closure_rate,
            self.on_time_handling_rate,
            self.rework_rate,
            self.overdue_rate,
            self.satisfaction_rate,
            self.score,
        ]

    def __getitem__(self, key: str) -> Measure:
        measure = getattr(self, key, None)
        if not isinstance(measure, Measure):
            raise KeyError(key)
        return measure


_TEXTS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "reported": (gettext_lazy("上报数"), gettext_lazy("期间内上报的事件数")),
    "valid_rate": (gettext_lazy("有效上报率"), gettext_lazy("期间内上报且已立案的事件数 ÷ 上报数")),
    "registered": (gettext_lazy("立案数"), gettext_lazy("期间内立案的事件数（自行处置的按上报时间计）")),
    "completion_rate": (gettext_lazy("办结率"), gettext_lazy("结案数 ÷ 立案数")),
    "closure_rate": (gettext_lazy("结案率"), gettext_lazy("结案数 ÷（立案数 − 缓办数）")),
    "on_time_closure_rate": (gettext_lazy("按期结案率"), gettext_lazy("按期结案数 ÷（立案数 − 缓办数）")),
    "on_time_handling_rate": (
        gettext_lazy("按期处置率"),
        gettext_lazy("最近一次处置反馈在期限内的案件数 ÷ 已处置案件数"),
    ),
    "rework_rate": (gettext_lazy("返工率"), gettext_lazy("返工案件数 ÷ 已处置案件数")),
    "overdue_rate": (
        gettext_lazy("超期率"),
        gettext_lazy("超期案件数（未处置已过期限，或最近一次处置晚于期限；不含缓办）÷（立案数 − 缓办数）"),
    ),
    "satisfaction_rate": (gettext_lazy("满意率"), gettext_lazy("（满意 + 基本满意）÷ 已评价回访数")),
    "score": (
        gettext_lazy("综合指标值"),
        gettext_lazy(
            "100 ×（%(a)s × 按期结案率 + %(b)s × 结案率 + %(c)s ×（1 − 返工率）+ %(d)s × 满意率）− 督查扣分；"
            "分母为0的项不计，其余权重按比例放大"
        ),
    ),
}


@functools.lru_cache(maxsize=8)
def _texts(language: str | None) -> dict[str, tuple[str, str]]:
    """Labels and formulas translated once per language (a ranking builds hundreds of sets)."""
    return {key: (str(label), str(formula)) for key, (label, formula) in _TEXTS.items()}


def build_set(counts: Counts, *, weights: Weights | None = None, deduction: Decimal = Decimal(0)) -> IndicatorSet:
    """Turn raw counts into every indicator, with the formulas shown on screen."""
    weights = weights or Weights()
    c = counts
    active = c.cohort - c.suspended
    texts = _texts(get_language())

    def rate(key: MeasureKey, numerator: int, denominator: int) -> Measure:
        return _rate(key, *texts[key], numerator, denominator)

    def number(key: MeasureKey, n: int) -> Measure:
        return _count(key, *texts[key], n)

    parts: list[tuple[Decimal, Decimal | None]] = [
        (weights.on_time_closure, _fraction(c.closed_on_time, active)),
        (weights.closure, _fraction(c.closed, active)),
        (weights.no_rework, None if c.resolved == 0 else 1 - Decimal(c.reworked) / Decimal(c.resolved)),
        (weights.satisfaction, _fraction(c.satisfied, c.rated)),
    ]
    used = [(w, v) for w, v in parts if v is not None and w > 0]
    total_weight = sum((w for w, _v in used), Decimal(0))
    score_value: Decimal | None = None
    if total_weight > 0:
        score_value = max(Decimal(0), HUNDRED * sum((w * v for w, v in used), Decimal(0)) / total_weight - deduction)
    label, formula = texts["score"]
    shares = {"a": weights.on_time_closure, "b": weights.closure, "c": weights.no_rework, "d": weights.satisfaction}
    score = Measure("score", label, formula % shares, "score", None, None, score_value, None)
    return IndicatorSet(
        counts=c,
        reported=number("reported", c.reported),
        valid_rate=rate("valid_rate", c.valid, c.reported),
        registered=number("registered", c.cohort),
        completion_rate=rate("completion_rate", c.closed, c.cohort),
        closure_rate=rate("closure_rate", c.closed, active),
        on_time_closure_rate=rate("on_time_closure_rate", c.closed_on_time, active),
        on_time_handling_rate=rate("on_time_handling_rate", c.resolved_on_time, c.resolved),
        rework_rate=rate("rework_rate", c.reworked, c.resolved),
        overdue_rate=rate("overdue_rate", c.late, active),
        satisfaction_rate=rate("satisfaction_rate", c.satisfied, c.rated),
        score=score,
        deduction=deduction,
        weights=weights,
    )


def _fraction(numerator: int, denominator: int) -> Decimal | None:
    return None if denominator == 0 else Decimal(numerator) / Decimal(denominator)


# ---------------------------------------------------------------------------------------------------
# Counting: rollups + live part, or a recount


def rollups_current(*, town: Area, as_of: datetime) -> bool:
    """True when no case of the town changed after ``as_of``, so the rollups describe the town as of then."""
    return not CaseAction.objects.filter(town=town, created_at__gt=as_of).exists()


_DIM_COLUMN: dict[str, str] = {
    Dim.VILLAGE: "village_id",
    Dim.GRID: "grid_id",
    Dim.DEPARTMENT: "department_id",
    Dim.GRID_WORKER: "reporter_id",
    Dim.CATEGORY: "category_id",
    Dim.MAJOR_CATEGORY: "major_category_id",
    Dim.CHANNEL: "channel",
}


def _dim_filter(dim: Dim) -> Q:
    if dim == Dim.GRID_WORKER:
        return Q(reporter_role=Role.GRID_WORKER, reporter_id__isnull=False)
    if dim in _DIM_COLUMN:
        return Q(**{f"{_DIM_COLUMN[dim]}__isnull": False})
    return Q()


def _member_key(dim: Dim | Literal["month"], value: object) -> GroupKey:
    if dim == "month":
        return cast(date, value)
    if dim in (Dim.CHANNEL, Dim.TOWN):
        return str(value)
    return int(cast(int | str, value))


def _from_rollups(
    *, town: Area, period: Period, as_of: datetime, dim: Dim, member: str | None, by_month: bool = False
) -> dict[GroupKey, Counts]:
    rows = DailyRollup.objects.filter(town=town, dim=dim, day__gte=period.start, day__lt=period.end)
    if member is not None:
        rows = rows.filter(member=member)
    sums = {name: Sum(name) for name in COUNT_FIELDS}
    result: dict[GroupKey, Counts] = {}
    group_field = "day" if by_month else "member"
    for row in rows.values(group_field).annotate(**sums).order_by():
        value = row[group_field]
        key: GroupKey = date(value.year, value.month, 1) if by_month else _member_key(dim, value)
        counts = result.setdefault(key, Counts())
        counts.add(
            Counts(
                reported=row["reported"],
                valid=row["valid"],
                cohort=row["cohort"],
                closed=row["closed"],
                suspended=row["suspended"],
                resolved=row["resolved"],
                resolved_on_time=row["resolved_on_time"],
                closed_on_time=row["closed_on_time"],
                reworked=row["reworked"],
                rated=row["rated"],
                satisfied=row["satisfied"],
                late=row["late_resolved"],
            )
        )
    # The part of 超期 that depends on T: cohort cases dispatched or handling past their deadline, counted live
    # in the database, bounded by the period (index case_open_registered: town, status, registered_at).
    for key, n in _live_late(town=town, period=period, as_of=as_of, dim=dim, member=member, by_month=by_month):
        result.setdefault(key, Counts()).late += n
    # A member whose cases all moved elsewhere (redispatch, reclassification) leaves rows of zeros behind.
    return {key: counts for key, counts in result.items() if counts != Counts()}


def _live_late(
    *, town: Area, period: Period, as_of: datetime, dim: Dim, member: str | None, by_month: bool
) -> list[tuple[GroupKey, int]]:
    """Per group key, the cohort cases late at ``as_of`` while dispatched or handling (``facts.late_open``)."""
    start, end = period.bounds()
    column = _DIM_COLUMN.get(dim)
    # In the cohort: registered in the period by T; dispatched or handling means not rejected.
    candidates = Case.objects.filter(
        facts.late_open(as_of),
        Q(town=town, registered_at__gte=start, registered_at__lt=end, registered_at__lte=as_of),
        _dim_filter(dim),
    )
    if member is not None and column is not None:
        candidates = candidates.filter(**{column: member})
    if by_month:
        months = candidates.annotate(g=TruncMonth("registered_at", tzinfo=_tz())).values("g")
        tz = _tz()
        found: dict[GroupKey, int] = {}
        for row in months.order_by().annotate(n=Count("id")):
            value = row["g"]
            local = value.astimezone(tz) if isinstance(value, datetime) else value
            key = date(local.year, local.month, 1)
            found[key] = found.get(key, 0) + row["n"]
        return list(found.items())
    if column is None:
        n = candidates.count()
        return [("", n)] if n else []
    return [
        (_member_key(dim, row[column]), row["n"])
        for row in candidates.values(column).order_by().annotate(n=Count("id"))
    ]


def _recount(
    *, town: Area, period: Period, as_of: datetime, case_filter: Q, group: Dim | Literal["month"] | None
) -> dict[GroupKey, Counts]:
    """Count straight from the cases (two aggregate queries), evaluating every condition as of ``as_of``."""
    start, end = period.bounds()
    t = as_of
    base = Case.objects.filter(town=town).filter(case_filter)
    if isinstance(group, Dim):
        base = base.filter(_dim_filter(group))
    tz = _tz()

    def grouped(qs: QuerySet[Case], moment: str) -> tuple[QuerySet[Case], str | None]:
        if group is None or group == Dim.TOWN:
            return qs, None
        if group == "month":
            return qs.annotate(g=TruncMonth(moment, tzinfo=tz)), "g"
        return qs, _DIM_COLUMN[group]

    result: dict[GroupKey, Counts] = {}

    def key_of(row: dict[str, object], column: str | None) -> GroupKey:
        if column is None:
            return ""
        value = row[column]
        if group == "month":
            local = value.astimezone(tz) if isinstance(value, datetime) else value
            assert isinstance(local, date)
            return date(local.year, local.month, 1)
        assert group is not None
        return _member_key(group, value)

    reported_qs, column = grouped(base.filter(facts.reported_in(start, end, t)), "reported_at")
    if column is None:
        totals = reported_qs.aggregate(reported=Count("id"), valid=Count("id", filter=facts.registered_by(t)))
        result[""] = Counts(reported=totals["reported"], valid=totals["valid"])
    else:
        for row in (
            reported_qs.values(column)
            .order_by()
            .annotate(reported=Count("id"), valid=Count("id", filter=facts.registered_by(t)))
        ):
            counts = result.setdefault(key_of(row, column), Counts())
            counts.reported += row["reported"]
            counts.valid += row["valid"]

    cohort_qs, column = grouped(base.filter(facts.cohort(start, end, t)), "registered_at")
    conditions = facts.count_conditions(t)
    aggregates = {"cohort": Count("id"), **{name: Count("id", filter=q) for name, q in conditions.items()}}
    cohort_rows: list[dict[str, object]]
    if column is None:
        cohort_rows = [cohort_qs.aggregate(**aggregates)]
    else:
        cohort_rows = list(cohort_qs.values(column).order_by().annotate(**aggregates))
    for row in cohort_rows:
        if column is None and not row["cohort"]:
            continue
        counts = result.setdefault(key_of(row, column), Counts())
        for name in ("cohort", "closed", "suspended", "resolved", "resolved_on_time", "closed_on_time"):
            setattr(counts, name, getattr(counts, name) + cast(int, row[name]))
        for name in ("reworked", "rated", "satisfied"):
            setattr(counts, name, getattr(counts, name) + cast(int, row[name]))
        counts.late += cast(int, row["late_resolved"]) + cast(int, row["late_open"])
    return result


def count(*, scope: Scope, period: Period, as_of: datetime | None = None, recount: bool = False) -> Counts:
    """The raw counts for one scope; ``recount=True`` forces the plain recount (used by checks and benchmarks)."""
    t = as_of or timezone.now()
    key = scope.rollup_key()
    if not recount and key is not None and rollups_current(town=scope.town, as_of=t):
        dim, member = key
        found = _from_rollups(
            town=scope.town, period=period, as_of=t, dim=dim, member=member if dim != Dim.TOWN else ""
        )
    else:
        found = _recount(town=scope.town, period=period, as_of=t, case_filter=scope.case_filter(), group=None)
    total = Counts()
    for counts in found.values():
        total.add(counts)
    return total


def compute(
    *, scope: Scope, period: Period, as_of: datetime | None = None, weights: Weights | None = None
) -> IndicatorSet:
    """Every indicator for one scope and period, as of ``as_of`` (default: now)."""
    counts = count(scope=scope, period=period, as_of=as_of)
    weights = weights or Weights.for_town(scope.town)
    deduction = Decimal(0)
    if scope.area is not None and scope.area.level == AreaLevel.VILLAGE:
        deduction = inspection_deductions(town=scope.town, period=period).get(scope.area.pk, Decimal(0))
    return build_set(counts, weights=weights, deduction=deduction)


def count_by(
    *, town: Area, period: Period, group: Group, as_of: datetime | None = None, recount: bool = False
) -> dict[GroupKey, Counts]:
    """The raw counts per group member, in one pass (members with no cases are absent)."""
    t = as_of or timezone.now()
    if not recount and rollups_current(town=town, as_of=t):
        if group == "month":
            return _from_rollups(town=town, period=period, as_of=t, dim=Dim.TOWN, member="", by_month=True)
        return _from_rollups(town=town, period=period, as_of=t, dim=Dim(group), member=None)
    return _recount(
        town=town, period=period, as_of=t, case_filter=Q(), group="month" if group == "month" else Dim(group)
    )


def compute_by(
    *,
    town: Area,
    period: Period,
    group: Group,
    as_of: datetime | None = None,
    weights: Weights | None = None,
) -> dict[GroupKey, IndicatorSet]:
    """Every indicator per village, grid, department, grid worker, (major) category, channel or month.

    Keys are ids (channel: its value; month: the month's first day). Members without cases are absent.
    """
    weights = weights or Weights.for_town(town)
    deductions = inspection_deductions(town=town, period=period) if group == "village" else {}
    return {
        key: build_set(counts, weights=weights, deduction=deductions.get(cast(int, key), Decimal(0)))
        for key, counts in count_by(town=town, period=period, group=group, as_of=as_of).items()
    }


# ---------------------------------------------------------------------------------------------------
# Drill-down


def cases_behind(
    *, scope: Scope, period: Period, measure: str, part: Part, as_of: datetime | None = None
) -> QuerySet[Case]:
    """The cases counted in one indicator's numerator or denominator (equal in number to the figure).

    Callers restrict the result further to what the user may see (``cases.scope.visible_cases``).
    """
    t = as_of or timezone.now()
    start, end = period.bounds()
    reported = facts.reported_in(start, end, t)
    cohort = facts.cohort(start, end, t)
    not_suspended = ~facts.suspended_at(t)
    resolved = facts.resolved_by(t)
    table: dict[str, tuple[Q, Q | None]] = {
        "reported": (reported, None),
        "valid_rate": (reported & facts.registered_by(t), reported),
        "registered": (cohort, None),
        "completion_rate": (cohort & facts.closed_by(t), cohort),
        "closure_rate": (cohort & facts.closed_by(t), cohort & not_suspended),
        "on_time_closure_rate": (cohort & facts.closed_by(t) & facts.on_time(t), cohort & not_suspended),
        "on_time_handling_rate": (cohort & resolved & facts.on_time(t), cohort & resolved),
        "rework_rate": (cohort & facts.reworked(t), cohort & resolved),
        "overdue_rate": (cohort & facts.late(t), cohort & not_suspended),
        "satisfaction_rate": (cohort & facts.satisfied(t), cohort & facts.rated(t)),
    }
    if measure not in table:
        raise InvalidInput(_("指标“%(m)s”没有可查看的案件清单") % {"m": measure}, field="measure")
    numerator, denominator = table[measure]
    condition = numerator if part == "numerator" else denominator
    if condition is None:
        raise InvalidInput(_("指标“%(m)s”没有分母") % {"m": measure}, field="part")
    return Case.objects.filter(town=scope.town).filter(scope.case_filter()).filter(condition)


# ---------------------------------------------------------------------------------------------------
# Rankings (擂台赛)


@dataclass(frozen=True, slots=True)
class RankRow:
    rank: int | None  # None: no score (no cohort, or every component's denominator is zero)
    key: int
    name: str
    n: int  # cohort size (立案数)
    score: Measure
    on_time_closure_rate: Measure
    closure_rate: Measure
    rework_rate: Measure
    satisfaction_rate: Measure
    deduction: Decimal
    small_sample: bool  # n < SMALL_SAMPLE: shown as 样本少
    indicators: IndicatorSet

    @property
    def note(self) -> str:
        return _("样本少") if self.small_sample else ""


def _members(*, town: Area, by: Literal["village", "department", "grid_worker"]) -> dict[int, str]:
    if by == "village":
        return dict(
            Area.objects.filter(town=town, level=AreaLevel.VILLAGE)
            .order_by("sort_order", "code")
            .values_list("id", "name")
        )
    if by == "department":
        return dict(Department.objects.filter(town=town, active=True).order_by("code").values_list("id", "name"))
    members = (
        Membership.objects.filter(town=town, role=Role.GRID_WORKER, active=True)
        .order_by("user_id")
        .values_list("user_id", "user__full_name", "user__username")
    )
    return {user_id: full_name or username for user_id, full_name, username in members}


def ranking(
    *,
    town: Area,
    period: Period,
    by: Literal["village", "department", "grid_worker"],
    as_of: datetime | None = None,
    weights: Weights | None = None,
) -> list[RankRow]:
    """Villages, departments or grid workers by 综合指标值, highest first.

    Scores equal at the displayed precision (one decimal) share a rank (1, 1, 3); within a tie, rows are
    ordered by n (larger first), then by name. Members without a score come last, unranked.
    """
    sets = compute_by(town=town, period=period, group=by, as_of=as_of, weights=weights)
    names = _members(town=town, by=by)
    for key in sets:
        names.setdefault(cast(int, key), str(key))
    empty = build_set(Counts(), weights=weights or Weights.for_town(town)) if len(sets) < len(names) else None
    rows: list[RankRow] = []
    for key, name in names.items():
        indicator_set = sets.get(key) or empty
        assert indicator_set is not None
        rows.append(
            RankRow(
                rank=None,
                key=key,
                name=name,
                n=indicator_set.n,
                score=indicator_set.score,
                on_time_closure_rate=indicator_set.on_time_closure_rate,
                closure_rate=indicator_set.closure_rate,
                rework_rate=indicator_set.rework_rate,
                satisfaction_rate=indicator_set.satisfaction_rate,
                deduction=indicator_set.deduction,
                small_sample=indicator_set.n < SMALL_SAMPLE,
                indicators=indicator_set,
            )
        )

    def shown(row: RankRow) -> Decimal | None:
        value = row.score.value
        return None if value is None else value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    scored = sorted((r for r in rows if shown(r) is not None), key=lambda r: (-cast(Decimal, shown(r)), -r.n, r.name))
    unscored = sorted((r for r in rows if shown(r) is None), key=lambda r: (-r.n, r.name))
    ranked: list[RankRow] = []
    previous: Decimal | None = None
    rank = 0
    for position, row in enumerate(scored, start=1):
        if shown(row) != previous:
            rank = position
            previous = shown(row)
        ranked.append(replace(row, rank=rank))
    return ranked + unscored
