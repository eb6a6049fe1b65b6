"""Village scores of the inspection rounds: the ranking a round's bulletin prints, and the deductions the
综合指标值 subtracts from a village's value (``metrics.weights``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from gridgov.data.cases.enums import Status
from gridgov.data.cases.figures import local_bounds
from gridgov.data.inspections.models import InspectionProblem, InspectionRound
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area

POINT = Decimal("0.1")  # deduction points have one decimal place (InspectionProblem.deduction)


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
    # SQLite adds decimals as floats (0.1 + 0.2 → 0.300000000000000): back to the points' one decimal place
    return {row["village_id"]: Decimal(row["total"]).quantize(POINT) for row in rows}


# ---------------------------------------------------------------------------------------------------
# Scores and ranking


@dataclass(frozen=True, slots=True)
class VillageScore:
    rank: int
    village: Area
    problems: int
    rectified: int
    deduction: Decimal
    score: Decimal


def village_scores(round: InspectionRound) -> list[VillageScore]:
    """Every village of the town: base score − the deductions of its problems in the round (problems the
    command room rejected as invalid do not count), ranked high to low; equal scores share a rank."""
    villages = list(Area.objects.filter(town=round.town, level=AreaLevel.VILLAGE).order_by("sort_order", "code"))
    totals: dict[int, tuple[int, int, Decimal]] = {v.pk: (0, 0, Decimal(0)) for v in villages}
    rows = (
        InspectionProblem.objects.filter(round=round)
        .exclude(case__status=Status.REJECTED)
        .values_list("village_id", "deduction", "case__status")
    )
    for village_id, deduction, status in rows:
        n, fixed, total = totals.get(village_id, (0, 0, Decimal(0)))
        totals[village_id] = (n + 1, fixed + (status == Status.CLOSED), total + deduction)
    scored = sorted(
        ((v, *totals[v.pk]) for v in villages),
        key=lambda row: -(round.base_score - row[3]),
    )
    result: list[VillageScore] = []
    previous: Decimal | None = None
    rank = 0
    for position, (village, n, fixed, total) in enumerate(scored, start=1):
        score = round.base_score - total
        if score != previous:
            rank, previous = position, score
        result.append(
            VillageScore(rank=rank, village=village, problems=n, rectified=fixed, deduction=total, score=score)
        )
    return result
