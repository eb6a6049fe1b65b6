"""The weights of the 综合指标值 per town, and the inspection deductions subtracted from a village's value."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gridgov.data.inspections.scoring import deductions
from gridgov.data.metrics.models import IndicatorWeights
from gridgov.data.metrics.periods import Period
from gridgov.data.org.models import Area


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
