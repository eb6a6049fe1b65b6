"""Inspection deductions for the 综合指标值 (metrics.indicators subtracts them from a village's value)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from gridgov.data.cases.enums import Status
from gridgov.data.cases.figures import local_bounds
from gridgov.data.inspections.models import InspectionProblem
from gridgov.data.org.models import Area


def deductions(*, town: Area, start: date, end: date) -> dict[int, Decimal]:
    """Village area id → total deduction points of the problems found in [start, end).

    Problems the command room rejected (不予立案) do not count. Dates are local days; datetimes are
    taken as given. Villages without problems are absent (no deduction).
    """
    since, until = local_bounds(start, end)
    rows = (
        InspectionProblem.objects.filter(town=town, found_at__gte=since, found_at__lt=until)
        .exclude(case__status=Status.REJECTED)
        .values("village_id")
        .annotate(total=Sum("deduction"))
        .order_by("village_id")
    )
    return {row["village_id"]: Decimal(row["total"]) for row in rows}
