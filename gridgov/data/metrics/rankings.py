"""Rankings (擂台赛) by 综合指标值: ties share a rank, n shown, small samples flagged."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, cast

from django.utils.translation import gettext as _

from gridgov.data.metrics.counting import compute_by
from gridgov.data.metrics.measures import ONE_DECIMAL, Counts, IndicatorSet, Measure, build_set
from gridgov.data.metrics.periods import Period
from gridgov.data.metrics.weights import Weights
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Membership

SMALL_SAMPLE = 5  # a ranking row with a cohort smaller than this is flagged 样本少


@dataclass(frozen=True, slots=True)
class RankRow:
    """One member's place: its rank, and its figures — read from its indicator set, kept once."""

    rank: int | None  # None: no score (no cohort, or every component's denominator is zero)
    key: int
    name: str
    indicators: IndicatorSet

    @property
    def n(self) -> int:
        return self.indicators.n  # cohort size (立案数)

    @property
    def score(self) -> Measure:
        return self.indicators.score

    @property
    def on_time_closure_rate(self) -> Measure:
        return self.indicators.on_time_closure_rate

    @property
    def closure_rate(self) -> Measure:
        return self.indicators.closure_rate

    @property
    def rework_rate(self) -> Measure:
        return self.indicators.rework_rate

    @property
    def satisfaction_rate(self) -> Measure:
        return self.indicators.satisfaction_rate

    @property
    def visit_coverage(self) -> Decimal | None:
        return self.indicators.visit_coverage  # 走访覆盖率: villages, when its weight is on

    @property
    def deduction(self) -> Decimal:
        return self.indicators.deduction

    @property
    def small_sample(self) -> bool:
        return self.n < SMALL_SAMPLE  # shown as 样本少

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
        rows.append(RankRow(rank=None, key=key, name=name, indicators=indicator_set))

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
