"""Keeping the day × dimension rollups current: the write side, in the same transaction as every case write.

Why here, in the cases app: the rollups are a projection of the cases table that must commit or roll back with
each case change, so the engine, the bulk path and the re-calendaring write them — and the writer sits below
the readers. The metrics app reads the rows (``metrics.counting``) and rebuilds and checks them against a
recount (``metrics.rollups``); nothing here knows of indicators.

The engine calls ``case_changed(before=..., after=...)`` in the same transaction as every case change (not a
signal): the case's contribution before and after the change is computed from its columns, and the
difference is added to the rollup rows in one ``INSERT … ON CONFLICT … DO UPDATE`` statement (portable
between SQLite and PostgreSQL). A change that alters no count writes nothing.

A new report is the exception: it writes no row (``Case.report_rolled_up`` false). The task worker adds its
report-day counts a moment later (``count_pending_reports``); until then ``metrics.counting`` counts the case
live, and every change to it leaves its report-day counts out — so it is counted once, wherever it belongs now.

A case contributes to one row per dimension it belongs to (the town, its village, grid, department, the grid
worker who reported it, its category, major category and channel): ``reported``/``valid`` on the day it
was reported, the cohort counts on the day it was registered. The contribution is the case's facts as of
any moment after its last change (``facts`` with T after everything); the part of 超期 that depends on T
— open cases past their deadline — is never stored but counted live (``indicators``).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from gridgov.data.cases.enums import SATISFIED, Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.rollup_model import COUNT_FIELDS, DailyRollup, Dim
from gridgov.data.org.enums import Role
from gridgov.db import prepared

Key = tuple[str, str, date]  # (dim, member, day)
# "After every change": the moment the rollups describe (far enough, and still convertible to local time).
AFTER_EVERYTHING = datetime(3000, 1, 1, tzinfo=UTC)
REPORT_FIELDS = ("reported", "valid")
COHORT_FIELDS = tuple(f for f in COUNT_FIELDS if f not in REPORT_FIELDS)
INDEX = {name: i for i, name in enumerate(COUNT_FIELDS)}


@dataclass(frozen=True, slots=True)
class CaseState:
    """The columns of a case that its contribution to the rollups depends on."""

    town_id: int
    reported_at: datetime
    registered_at: datetime | None
    status: str
    closed_at: datetime | None
    first_resolved_at: datetime | None
    resolved_at: datetime | None
    handle_deadline: datetime | None
    rework_count: int
    satisfaction: str
    village_id: int | None
    grid_id: int | None
    department_id: int | None
    reporter_id: int | None
    reporter_role: str
    category_id: int
    major_category_id: int
    channel: str
    report_rolled_up: bool = True


def snapshot(case: Case) -> CaseState:
    return CaseState(
        town_id=case.town_id,
        reported_at=case.reported_at,
        registered_at=case.registered_at,
        status=str(case.status),
        closed_at=case.closed_at,
        first_resolved_at=case.first_resolved_at,
        resolved_at=case.resolved_at,
        handle_deadline=case.handle_deadline,
        rework_count=case.rework_count,
        satisfaction=case.satisfaction,
        village_id=case.village_id,
        grid_id=case.grid_id,
        department_id=case.department_id,
        reporter_id=case.reporter_id,
        reporter_role=case.reporter_role,
        category_id=case.category_id,
        major_category_id=case.major_category_id,
        channel=str(case.channel),
        report_rolled_up=case.report_rolled_up,
    )


def members(state: CaseState) -> list[tuple[str, str]]:
    """The (dimension, member) pairs a case is counted under."""
    found = [(Dim.TOWN.value, "")]
    if state.village_id is not None:
        found.append((Dim.VILLAGE.value, str(state.village_id)))
    if state.grid_id is not None:
        found.append((Dim.GRID.value, str(state.grid_id)))
    if state.department_id is not None:
        found.append((Dim.DEPARTMENT.value, str(state.department_id)))
    if state.reporter_id is not None and state.reporter_role == Role.GRID_WORKER:
        found.append((Dim.GRID_WORKER.value, str(state.reporter_id)))
    found.append((Dim.CATEGORY.value, str(state.category_id)))
    found.append((Dim.MAJOR_CATEGORY.value, str(state.major_category_id)))
    found.append((Dim.CHANNEL.value, state.channel))
    return found


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def case_counts(state: CaseState) -> tuple[list[int], list[int]]:
    """The case's report-day counts and cohort-day counts (each in ``COUNT_FIELDS`` order).

    The same definitions as ``metrics.facts`` with T after the case's last change.
    """
    registered = state.registered_at is not None and state.status != Status.REJECTED
    report = [0] * len(COUNT_FIELDS)
    report[INDEX["reported"]] = 1
    report[INDEX["valid"]] = int(registered)
    cohort = [0] * len(COUNT_FIELDS)
    if registered:
        closed = state.closed_at is not None
        suspended = state.status == Status.SUSPENDED
        resolved = state.first_resolved_at is not None
        deadline = state.handle_deadline
        on_time = state.resolved_at is not None and (deadline is None or state.resolved_at <= deadline)
        late_resolved = (
            not suspended
            and resolved
            and deadline is not None
            and state.resolved_at is not None
            and state.resolved_at > deadline
        )
        rated = closed and state.satisfaction != ""
        values = {
            "cohort": True,
            "closed": closed,
            "suspended": suspended,
            "resolved": resolved,
            "resolved_on_time": resolved and on_time,
            "closed_on_time": closed and on_time,
            "reworked": resolved and state.rework_count >= 1,
            "rated": rated,
            "satisfied": rated and state.satisfaction in SATISFIED,
            "late_resolved": late_resolved,
        }
        for name, value in values.items():
            cohort[INDEX[name]] = int(value)
    return report, cohort


def contribution(state: CaseState | None) -> dict[Key, list[int]]:
    """What one case adds to each rollup row."""
    if state is None:
        return {}
    report, cohort = case_counts(state)
    rows: dict[Key, list[int]] = {}
    report_day = _local_day(state.reported_at)
    cohort_day = _local_day(state.registered_at) if any(cohort) and state.registered_at is not None else None
    for dim, member in members(state):
        if state.report_rolled_up:  # else counted live until the worker adds them (``count_pending_reports``)
            _add_to(rows, (dim, member, report_day), report)
        if cohort_day is not None:
            _add_to(rows, (dim, member, cohort_day), cohort)
    return rows


def _add_to(rows: dict[Key, list[int]], key: Key, values: list[int], sign: int = 1) -> None:
    row = rows.get(key)
    if row is None:
        rows[key] = list(values) if sign == 1 else [-value for value in values]
    else:
        for i, value in enumerate(values):
            row[i] += sign * value


def case_changed(*, before: CaseState | None, after: CaseState | None) -> None:
    """Apply the change of one case's contribution to the rollups (call inside the case's transaction)."""
    if before == after:
        return
    write_change(change(before=before, after=after))


@dataclass(frozen=True, slots=True)
class Change:
    town_id: int
    rows: dict[Key, list[int]]


def change(*, before: CaseState | None, after: CaseState | None) -> Change:
    """What one case's change does to the rollup rows, computed without the database (so that a writer can
    work it out before its transaction and only ``write_change`` inside it)."""
    delta = contribution(after)  # a new dict of new lists: changed in place below
    for key, values in contribution(before).items():
        _add_to(delta, key, values, sign=-1)
    state = after or before
    assert state is not None
    return Change(state.town_id, {key: values for key, values in delta.items() if any(values)})


def write_change(change: Change) -> None:
    """Add a ``change`` to the rollups (call inside the case's transaction)."""
    if change.rows:
        _upsert(change.town_id, change.rows)


def contributions(states: Iterable[CaseState]) -> dict[Key, list[int]]:
    """What many new cases add to the rollup rows, summed (computed without touching the database)."""
    total: dict[Key, list[int]] = {}
    for state in states:
        for key, values in contribution(state).items():
            _add_to(total, key, values)
    return {key: values for key, values in total.items() if any(values)}


def cases_added(*, town_id: int, states: Iterable[CaseState] = (), rows: dict[Key, list[int]] | None = None) -> None:
    """Add new cases (or their precomputed ``contributions``) to the rollups: a few upserts for any number
    of cases (call inside the cases' transaction)."""
    delta = rows if rows is not None else contributions(states)
    items = sorted(delta.items())
    for i in range(0, len(items), _UPSERT_ROWS):
        _upsert(town_id, dict(items[i : i + _UPSERT_ROWS]))


# Rows per upsert statement: 16 parameters a row stays far below SQLite's and PostgreSQL's limits.
_UPSERT_ROWS = 500


@functools.lru_cache(maxsize=256)
def _upsert_sql(vendor: str, rows: int, shared: tuple[int | None, ...]) -> str:
    """The upsert of ``rows`` rows. ``shared`` has, per count, the value every row adds (written into the text
    as an integer constant) or None (bound per row). Only counts that change are updated on a conflict: a
    report's five rows bind their keys alone and add to ``reported``/``valid``."""
    qn = connection.ops.quote_name
    table = qn(DailyRollup._meta.db_table)
    columns = ["town_id", "dim", "member", "day", *COUNT_FIELDS]
    row = ", ".join(["%s"] * 4 + ["%s" if value is None else str(int(value)) for value in shared])
    changed = [c for c, value in zip(COUNT_FIELDS, shared, strict=True) if value != 0] or list(COUNT_FIELDS[:1])
    updates = ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in changed)
    return (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES "
        + ", ".join([f"({row})"] * rows)
        + f" ON CONFLICT ({qn('town_id')}, {qn('dim')}, {qn('member')}, {qn('day')}) DO UPDATE SET {updates}"
    )


def _upsert(town_id: int, rows: dict[Key, list[int]]) -> None:
    """Add ``rows`` to the rollup table: one INSERT … ON CONFLICT DO UPDATE (SQLite ≥ 3.24, PostgreSQL)."""
    vectors = list(rows.values())
    first = vectors[0]
    shared = tuple(value if all(vector[i] == value for vector in vectors) else None for i, value in enumerate(first))
    bound = [i for i, value in enumerate(shared) if value is None]
    sql = _upsert_sql(connection.vendor, len(rows), shared)
    params: list[int | str | date] = []
    for (dim, member, day), values in sorted(rows.items()):  # a fixed order: no deadlocks between writers
        params.extend([town_id, dim, member, day, *[values[i] for i in bound]])
    prepared.execute(sql, params)  # queued with the case's other writes inside prepared.batched()


# How many reports one transaction of ``count_pending_reports`` counts: a few milliseconds of writing.
PENDING_SLICE = 500
_last_pending_run = 0.0


def _waiting() -> QuerySet[Case]:
    """The cases whose report-day counts the task worker has yet to add."""
    return Case.objects.filter(report_rolled_up=False)


def reports_to_count() -> int:
    """How many reports wait for the task worker to add their day counts (``/healthz``; near 0 while it runs)."""
    return _waiting().count()


def count_pending_reports(*, limit: int = PENDING_SLICE) -> int:
    """Add the report-day counts of up to ``limit`` cases the engine reported to the rollups, and mark them
    counted, in one short transaction; returns how many (0 without taking the write lock when none wait).

    A report writes no rollup row: every report of a day would otherwise add to the same few rows (the town,
    its channel, category, major category, grid worker), a hot spot each report must lock until it commits.
    Until this runs, the indicators count the case live (``metrics.counting``), and every change to the case
    leaves its report-day counts out (``contribution``), so a case is counted once whichever comes first.
    The cases are locked as the engine locks them, so no action on them interleaves.
    """
    if not _waiting().exists():  # a read: an idle worker takes no lock
        return 0
    with transaction.atomic():
        cases = list(_waiting().select_for_update().order_by("id")[:limit])
        by_town: dict[int, dict[Key, list[int]]] = {}
        for case in cases:
            state = snapshot(case)
            rows = by_town.setdefault(case.town_id, {})
            for key, values in change(before=state, after=replace(state, report_rolled_up=True)).rows.items():
                _add_to(rows, key, values)
        for town_id, rows in sorted(by_town.items()):
            cases_added(town_id=town_id, rows={key: values for key, values in rows.items() if any(values)})
        Case.objects.filter(pk__in=[case.pk for case in cases]).update(report_rolled_up=True)
    return len(cases)


def count_pending_reports_if_due(*, every: float = 1.0, budget: float = 0.5) -> int:
    """The task worker's round: if ``every`` seconds have passed, count waiting reports slice by slice for
    at most ``budget`` seconds (each slice its own short transaction); returns how many were counted."""
    global _last_pending_run
    now = time.monotonic()
    if now - _last_pending_run < every:
        return 0
    _last_pending_run = now
    counted = 0
    while time.monotonic() - now < budget:
        done = count_pending_reports()
        counted += done
        if done < PENDING_SLICE:
            break
    return counted
