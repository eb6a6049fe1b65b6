"""The weights of the 综合指标值 per town, and the inspection deductions subtracted from a village's value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from gridgov.data.inspections.scoring import deductions
from gridgov.data.metrics.models import IndicatorWeights
from gridgov.data.metrics.periods import Period
from gridgov.data.org.models import Area
from gridgov.data.visits.domain.coverage import coverage


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of 综合指标值; a component whose denominator is zero is left out and the rest rescaled."""

    on_time_closure: Decimal = Decimal("0.5")
    closure: Decimal = Decimal("0.2")
    no_rework: Decimal = Decimal("0.15")
    satisfaction: Decimal = Decimal("0.15")
    visit_coverage: Decimal = Decimal(0)  # villages only; 0: off, the score exactly as without it

    @property
    def with_visits(self) -> bool:
        return self.visit_coverage > 0

    @classmethod
    def for_town(cls, town: Area) -> Weights:
        row = IndicatorWeights.objects.filter(town=town).first()
        if row is None:
            return cls()
        return cls(row.on_time_closure, row.closure, row.no_rework, row.satisfaction, row.visit_coverage)


def inspection_deductions(*, town: Area, period: Period) -> dict[int, Decimal]:
    """Deduction points per village for the period: the inspection problems found in it (see inspections)."""
    return deductions(town=town, start=period.start, end=period.end)


def visit_coverage_rates(*, town: Area, period: Period, as_of: datetime) -> dict[int, Decimal | None]:
    """走访覆盖率 per village for the period, counted to ``as_of``'s day (visits.domain.coverage: members due
    then, visited by their due date); None where nobody fell due."""
    last = min(period.end - timedelta(days=1), timezone.localdate(as_of))
    if last < period.start:
        return {}
    rows = coverage(town=town, start=period.start, end=last, by="village")
    return {r.area.pk: None if not r.due else Decimal(r.on_time) / Decimal(r.due) for r in rows}
