"""Counting: the maintained rollups plus the live part, or a recount over the cases (``facts``) as of T."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, cast

from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.metrics import facts
from gridgov.data.metrics.measures import Counts, IndicatorSet, build_set
from gridgov.data.metrics.models import COUNT_FIELDS, DIM_COLUMNS, DailyRollup, Dim
from gridgov.data.metrics.periods import Period, local_zone
from gridgov.data.metrics.scope import Scope
from gridgov.data.metrics.weights import Weights, inspection_deductions, visit_coverage_rates
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area

Group = Literal["village", "grid", "department", "grid_worker", "category", "major_category", "channel", "month"]
GroupKey = int | str | date

# Counts' fields are the rollup columns, in order (``late`` sums ``late_resolved``): a rollup row reads as Counts.
assert [f.name for f in fields(Counts)] == [*COUNT_FIELDS[:-1], "late"]


def rollups_current(*, town: Area, as_of: datetime) -> bool:
    """True when no case of the town changed after ``as_of``, so the rollups describe the town as of then."""
    return not CaseAction.objects.filter(town=town, created_at__gt=as_of).exists()


def _dim_filter(dim: Dim) -> Q:
    if dim == Dim.GRID_WORKER:
        return Q(reporter_role=Role.GRID_WORKER, reporter_id__isnull=False)
    if dim in DIM_COLUMNS:
        return Q(**{f"{DIM_COLUMNS[dim]}__isnull": False})
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
        counts.add(Counts(*(row[name] for name in COUNT_FIELDS)))
    for key, live in _live(town=town, period=period, as_of=as_of, dim=dim, member=member, by_month=by_month).items():
        result.setdefault(key, Counts()).add(live)
    # A member whose cases all moved elsewhere (redispatch, reclassification) leaves rows of zeros behind.
    return {key: counts for key, counts in result.items() if counts != Counts()}


def _live(
    *, town: Area, period: Period, as_of: datetime, dim: Dim, member: str | None, by_month: bool
) -> dict[GroupKey, Counts]:
    """What the rollups leave to be counted live, per group key (the member, or the month), in one query of
    two parts, each read through its own index:

    - the part of 超期 that depends on T: cohort cases dispatched or handling past their deadline at ``as_of``
      (``facts.late_open``), bounded by the period (index case_status_registered_at, read alone);
    - the reports whose day counts the task worker has not added yet (seconds' worth; index
      case_report_not_rolled_up): ``reported`` and ``valid``, by the day they were reported.
    """
    start, end = period.bounds()
    column = DIM_COLUMNS.get(dim)
    zero = Value(0, output_field=IntegerField())
    # In the cohort: registered in the period by T; dispatched or handling means not rejected.
    late = Case.objects.filter(
        facts.late_open(as_of), Q(town=town, registered_at__gte=start, registered_at__lt=end, registered_at__lte=as_of)
    )
    pending = Case.objects.filter(facts.reported_in(start, end, as_of), town=town, report_rolled_up=False)
    parts: list[tuple[QuerySet[Case], str, dict[str, Count | Value]]] = [
        (late, "registered_at", {"late": Count("id"), "reported": zero, "valid": zero}),
        (
            pending,
            "reported_at",
            {"late": zero, "reported": Count("id"), "valid": Count("id", filter=facts.registered_by(as_of))},
        ),
    ]
    tz = local_zone()
    grouped: list[QuerySet[Case, dict[str, object]]] = []
    for candidates, moment, counted in parts:
        candidates = candidates.filter(_dim_filter(dim))
        if member is not None and column is not None:
            candidates = candidates.filter(**{column: member})
        if by_month:
            candidates, key = candidates.annotate(g=TruncMonth(moment, tzinfo=tz)), "g"
        else:
            key = column or "town_id"  # the town's part: one group
        grouped.append(candidates.values(key).order_by().annotate(**counted))
    found: dict[GroupKey, Counts] = {}
    rows: Iterable[Mapping[str, object]] = grouped[0].union(grouped[1], all=True).order_by()
    for row in rows:
        value = row[key]
        if by_month:
            local = value.astimezone(tz) if isinstance(value, datetime) else cast(date, value)
            key_of: GroupKey = date(local.year, local.month, 1)
        else:
            key_of = "" if column is None else _member_key(dim, value)
        counts = found.setdefault(key_of, Counts())
        counts.late += cast(int, row["late"])
        counts.reported += cast(int, row["reported"])
        counts.valid += cast(int, row["valid"])
    return found


def _recount(
    *, town: Area, period: Period, as_of: datetime, case_filter: Q, group: Dim | Literal["month"] | None
) -> dict[GroupKey, Counts]:
    """Count straight from the cases (two aggregate queries), evaluating every condition as of ``as_of``."""
    start, end = period.bounds()
    t = as_of
    base = Case.objects.filter(town=town).filter(case_filter)
    if isinstance(group, Dim):
        base = base.filter(_dim_filter(group))
    tz = local_zone()

    def grouped(qs: QuerySet[Case], moment: str) -> tuple[QuerySet[Case], str | None]:
        if group is None or group == Dim.TOWN:
            return qs, None
        if group == "month":
            return qs.annotate(g=TruncMonth(moment, tzinfo=tz)), "g"
        return qs, DIM_COLUMNS[group]

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
    visits: Decimal | None = None
    if scope.area is not None and scope.area.level == AreaLevel.VILLAGE:
        deduction = inspection_deductions(town=scope.town, period=period).get(scope.area.pk, Decimal(0))
        if weights.with_visits:
            rates = visit_coverage_rates(town=scope.town, period=period, as_of=as_of or timezone.now())
            visits = rates.get(scope.area.pk)
    return build_set(counts, weights=weights, deduction=deduction, visit_coverage=visits)


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
    counted = count_by(town=town, period=period, group=group, as_of=as_of)
    visits: dict[int, Decimal | None] = {}
    if group == "village" and weights.with_visits:
        # With 走访覆盖率 on, a village whose members fell due has a score even without cases.
        visits = visit_coverage_rates(town=town, period=period, as_of=as_of or timezone.now())
        for key, rate in visits.items():
            if rate is not None:
                counted.setdefault(key, Counts())
    return {
        key: build_set(
            counts,
            weights=weights,
            deduction=deductions.get(cast(int, key), Decimal(0)),
            visit_coverage=visits.get(cast(int, key)),
        )
        for key, counts in counted.items()
    }
