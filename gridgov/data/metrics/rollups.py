"""Rebuilding the day × dimension rollups and checking them against a recount (the read side of the rollups).

The rows are written by the cases app in the same transaction as every case change
(``gridgov.data.cases.domain.rollups``, which also says what a case contributes); here they are recounted from
the cases with ``facts`` — the definitions every indicator uses — so a check proves the two agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from gridgov.data.cases.domain.rollups import AFTER_EVERYTHING, COHORT_FIELDS, INDEX, Key, cases_added
from gridgov.data.cases.models import Case
from gridgov.data.cases.rollup_model import COUNT_FIELDS, DIM_COLUMNS, DailyRollup, Dim
from gridgov.data.metrics import facts
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area
from gridgov.db.snapshot import one_snapshot

# Every dimension with its case column; the town's (None) counts every case of the town.
_DIM_COLUMNS: dict[str, str | None] = {Dim.TOWN: None, **DIM_COLUMNS}


def recount(*, town: Area) -> dict[Key, list[int]]:
    """Every rollup row of a town counted afresh from its cases (two grouped queries per dimension)."""
    t = AFTER_EVERYTHING
    tz = timezone.get_default_timezone()
    everything = (datetime(1900, 1, 1, tzinfo=UTC), t)
    conditions = facts.count_conditions(t)
    result: dict[Key, list[int]] = defaultdict(lambda: [0] * len(COUNT_FIELDS))
    for dim, column in _DIM_COLUMNS.items():
        base = Case.objects.filter(town=town)
        if dim == Dim.GRID_WORKER:
            base = base.filter(reporter_role=Role.GRID_WORKER)
        if column is not None:
            base = base.filter(**{f"{column}__isnull": False})
        group = [column] if column is not None else []
        reported = (  # the reports the task worker has yet to count are not in the rows (counted live)
            base.filter(report_rolled_up=True)
            .annotate(day=TruncDate("reported_at", tzinfo=tz))
            .values(*group, "day")
            .order_by()
            .annotate(reported=Count("id"), valid=Count("id", filter=facts.registered_by(t)))
        )
        for row in reported:
            values = result[(str(dim), "" if column is None else str(row[column]), row["day"])]
            values[INDEX["reported"]] += row["reported"]
            values[INDEX["valid"]] += row["valid"]
        aggregates = {"cohort": Count("id")} | {
            name: Count("id", filter=q) for name, q in conditions.items() if name in COHORT_FIELDS
        }
        cohort = (
            base.filter(facts.cohort(*everything, t))
            .annotate(day=TruncDate("registered_at", tzinfo=tz))
            .values(*group, "day")
            .order_by()
            .annotate(**aggregates)
        )
        for row in cohort:
            values = result[(str(dim), "" if column is None else str(row[column]), row["day"])]
            for name in COHORT_FIELDS:
                values[INDEX[name]] += row[name]
    return {key: values for key, values in result.items() if any(values)}


def stored(*, town: Area) -> dict[Key, list[int]]:
    rows = DailyRollup.objects.filter(town=town).values_list("dim", "member", "day", *COUNT_FIELDS)
    return {(row[0], row[1], row[2]): list(row[3:]) for row in rows if any(row[3:])}


def rebuild(*, town: Area) -> int:
    """Bring a town's rollups to a fresh recount; returns the number of rows the recount has.

    The recount and the stored rows are read from one snapshot, without the write lock; only the rows that
    differ are then corrected, by adding the difference (as the engine adds its changes), in one short
    transaction — usually nothing at all, so a rebuild never makes a web request wait. An action or a worker's
    round committed meanwhile added its own change to the rows, which the difference leaves as it is.
    """
    with one_snapshot():  # two reads at different moments would undo what was committed between them
        fresh = recount(town=town)
        have = stored(town=town)
    zero = [0] * len(COUNT_FIELDS)
    delta: dict[Key, list[int]] = {}
    for key in set(fresh) | set(have):
        want, got = fresh.get(key, zero), have.get(key, zero)
        if want != got:
            delta[key] = [w - g for w, g in zip(want, got, strict=True)]
    if delta:
        with transaction.atomic():
            cases_added(town_id=town.pk, rows=delta)
    return len(fresh)


@dataclass(frozen=True, slots=True)
class Mismatch:
    key: Key
    stored: list[int]
    recounted: list[int]


def check(*, town: Area) -> list[Mismatch]:
    """Compare a town's rollups with a recount (read from one snapshot); empty when they agree."""
    with one_snapshot():
        have = stored(town=town)
        want = recount(town=town)
    zero = [0] * len(COUNT_FIELDS)
    return [
        Mismatch(key, have.get(key, zero), want.get(key, zero))
        for key in sorted(set(have) | set(want))
        if have.get(key, zero) != want.get(key, zero)
    ]


def towns_with_cases() -> list[Area]:
    ids = Case.objects.order_by().values_list("town_id", flat=True).distinct()
    return list(Area.objects.filter(Q(pk__in=ids)).order_by("code"))
