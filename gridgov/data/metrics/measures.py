"""Counts, measures and the indicator set: every indicator as a ``Measure`` built from the raw counts."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, get_args

from django.utils.translation import get_language, gettext_lazy
from django_stubs_ext import StrOrPromise

from gridgov.data.metrics.weights import Weights

ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)
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
MEASURE_KEYS: tuple[MeasureKey, ...] = get_args(MeasureKey)  # every indicator of a set, in the order shown


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
    visit_coverage: Decimal | None = None  # 走访覆盖率 (a village's, when its weight is on; else None)

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
    "score_visits": (
        gettext_lazy("综合指标值"),
        gettext_lazy(
            "100 ×（%(a)s × 按期结案率 + %(b)s × 结案率 + %(c)s ×（1 − 返工率）+ %(d)s × 满意率 + %(e)s × 走访覆盖率）"
            "− 督查扣分；分母为0的项不计，其余权重按比例放大"
        ),
    ),
}


@functools.lru_cache(maxsize=8)
def _texts(language: str | None) -> dict[str, tuple[str, str]]:
    """Labels and formulas translated once per language (a ranking builds hundreds of sets)."""
    return {key: (str(label), str(formula)) for key, (label, formula) in _TEXTS.items()}


def build_set(
    counts: Counts,
    *,
    weights: Weights | None = None,
    deduction: Decimal = Decimal(0),
    visit_coverage: Decimal | None = None,
) -> IndicatorSet:
    """Turn raw counts into every indicator, with the formulas shown on screen. ``visit_coverage`` (a village's
    走访覆盖率) counts in the score only when its weight is on; off, the score is exactly the cases' score."""
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
    if not weights.with_visits:
        visit_coverage = None
    else:
        parts.append((weights.visit_coverage, visit_coverage))
    used = [(w, v) for w, v in parts if v is not None and w > 0]
    total_weight = sum((w for w, _v in used), Decimal(0))
    score_value: Decimal | None = None
    if total_weight > 0:
        score_value = max(Decimal(0), HUNDRED * sum((w * v for w, v in used), Decimal(0)) / total_weight - deduction)
    label, formula = texts["score_visits" if weights.with_visits else "score"]
    shares = {"a": weights.on_time_closure, "b": weights.closure, "c": weights.no_rework, "d": weights.satisfaction}
    if weights.with_visits:
        shares["e"] = weights.visit_coverage
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
        visit_coverage=visit_coverage,
    )


def _fraction(numerator: int, denominator: int) -> Decimal | None:
    return None if denominator == 0 else Decimal(numerator) / Decimal(denominator)
