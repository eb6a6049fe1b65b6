"""Benchmark of the indicators on a bulk-generated town: rollups + live overdue part versus a plain recount.

    uv run python bench/indicators.py [--cases 1000000]                 # SQLite in a temporary file
    bin/with-postgres uv run python bench/indicators.py --cases 1000000  # throwaway PostgreSQL

Builds the demo town's organisation, bulk-creates ``--cases`` cases spread over the three years before now
(villages, grids, categories, channels, statuses, deadlines, rework and ratings), builds the rollups with
``rollups.rebuild``, then prints the median time of each figure beside the plain recount of the same figures
in the same run, and checks that they are equal. Not part of the test suite (a smoke test runs it small).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._env import start_django

start_django()

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from gridgov.data.cases.enums import Channel, Satisfaction, Status
from gridgov.data.cases.models import Case
from gridgov.data.metrics import rollups
from gridgov.data.metrics.indicators import Period, Scope, compute, compute_by, count, count_by, ranking
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area
from gridgov.data.taxonomy.models import Category
from gridgov.ops.demo.organisation import Town, build_organisation

CHANNELS = [
    (Channel.GRID_WORKER, 55),
    (Channel.RESIDENT, 12),
    (Channel.HOTLINE, 15),
    (Channel.ENTERPRISE, 5),
    (Channel.INSPECTION, 6),
    (Channel.PETITION, 2),
    (Channel.SUPERIOR, 3),
    (Channel.OPEN311, 2),
]


def generate(org: Town, n: int, now: datetime, rng: random.Random) -> Iterator[Case]:
    """Cases as the engine would have left them, over the three years before ``now``."""
    town = org.town
    subs = list(Category.objects.filter(town=town, parent__isnull=False, active=True))
    weights_cat = [rng.paretovariate(1.2) for _ in subs]  # a few categories dominate, as in real life
    departments = list(org.departments.values())
    grids = org.grids
    grid_weights = [rng.uniform(0.5, 2.0) for _ in grids]
    village_of = {g.pk: g.parent_id for g in grids}
    channels, channel_weights = zip(*CHANNELS, strict=True)
    span = int(timedelta(days=3 * 365).total_seconds())
    seqs: dict[int, int] = {}
    for _ in range(n):
        reported = now - timedelta(seconds=rng.randrange(60, span))
        reported = reported.replace(hour=rng.choice((7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 19)))
        if reported > now:
            reported -= timedelta(days=1)
        local_year = timezone.localtime(reported).year
        seqs[local_year] = seq = seqs.get(local_year, 0) + 1
        grid = rng.choices(grids, grid_weights)[0]
        category = rng.choices(subs, weights_cat)[0]
        channel = rng.choices(channels, channel_weights)[0]
        worker = org.grid_workers.get(grid.pk) if channel == Channel.GRID_WORKER else None
        case = Case(
            town=town,
            number=f"{town.case_prefix}{local_year}-{seq:07d}",
            year=local_year,
            seq=seq,
            channel=channel,
            category=category,
            major_category_id=category.parent_id,
            description="批量生成的事件",
            area=grid,
            area_path=grid.path,
            village_id=village_of[grid.pk],
            grid=grid,
            reporter=worker,
            reporter_role=Role.GRID_WORKER if worker is not None else "",
            reported_at=reported,
            status=Status.REPORTED,
        )
        age_days = (now - reported).days
        fate = rng.random()
        if fate < 0.03:
            case.status, case.rejected_at = Status.REJECTED, reported + timedelta(hours=1)
        elif age_days < 2 and fate < 0.10:
            pass  # still awaiting triage
        elif worker is not None and fate < 0.25:
            case.status, case.self_resolved = Status.CLOSED, True
            case.registered_at = case.first_resolved_at = case.resolved_at = case.closed_at = reported
        else:
            _handled(case, rng, now, departments, age_days)
        yield case


def _handled(case: Case, rng: random.Random, now: datetime, departments: list[Any], age_days: int) -> None:
    reported = case.reported_at
    case.registered_at = reported + timedelta(minutes=rng.randrange(5, 240))
    case.dispatched_at = case.registered_at + timedelta(minutes=rng.randrange(5, 120))
    case.department = rng.choice(departments)
    case.handle_started_at = case.dispatched_at
    case.handle_deadline = case.dispatched_at + timedelta(days=rng.choice((1, 2, 3, 5, 7)))
    if case.dispatched_at > now:  # reported in the last hours: still awaiting triage
        case.registered_at = case.dispatched_at = case.handle_started_at = case.handle_deadline = None
        case.department = None
        return
    outcome = rng.random()
    old = age_days > 30
    if outcome < (0.02 if old else 0.08):
        case.status, case.suspended_at = Status.SUSPENDED, min(now, case.dispatched_at + timedelta(minutes=30))
        return
    if outcome < (0.03 if old else 0.25):
        case.status = rng.choice((Status.REGISTERED, Status.DISPATCHED, Status.HANDLING))
        if case.status == Status.REGISTERED:
            case.department = None
            case.dispatched_at = case.handle_deadline = case.handle_started_at = None
        return
    resolved = case.dispatched_at + timedelta(hours=rng.uniform(0.5, 24 * 9))
    if resolved > now:
        case.status = Status.HANDLING
        return
    case.first_resolved_at = case.resolved_at = resolved
    if rng.random() < 0.08:
        case.rework_count = 1
        case.resolved_at = min(now, resolved + timedelta(hours=rng.uniform(1, 48)))
    if not old and rng.random() < 0.3:
        case.status = Status.RESOLVED
        return
    case.status, case.closed_at = Status.CLOSED, min(now, case.resolved_at + timedelta(hours=2))
    if rng.random() < 0.6:
        case.satisfaction = rng.choices(
            (Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.UNSATISFIED), (80, 12, 8)
        )[0]


def insert(cases: Iterator[Case], now: datetime, batch: int = 5000) -> None:
    """Bulk insert with a prepared statement (Django's bulk_create spends most of its time preparing values).

    Every column gets the value Django would write: the model's defaults, prepared once, and per case the
    columns the generator sets, adapted for the database in use.
    """
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(Case._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    template = Case(created_at=now, updated_at=now)
    defaults = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields]
    varying = [
        i
        for i, f in enumerate(fields)
        if f.attname
        in {
            "town_id", "number", "year", "seq", "channel", "category_id", "major_category_id", "description",
            "area_id", "area_path", "village_id", "grid_id", "reporter_id", "reporter_role", "reported_at",
            "status", "registered_at", "dispatched_at", "department_id", "handle_started_at", "handle_deadline",
            "first_resolved_at", "resolved_at", "closed_at", "rejected_at", "suspended_at", "rework_count",
            "satisfaction", "self_resolved",
        }
    ]  # fmt: skip
    adapt = connection.ops.adapt_datetimefield_value
    rows: list[list[Any]] = []
    with connection.cursor() as cursor:
        for case in cases:
            row = list(defaults)
            for i in varying:
                value = getattr(case, fields[i].attname)
                row[i] = adapt(value) if isinstance(value, datetime) else value
            rows.append(row)
            if len(rows) == batch:
                with transaction.atomic():
                    cursor.executemany(sql, rows)
                rows = []
        with transaction.atomic():
            cursor.executemany(sql, rows)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def build(cases: int, out: Callable[[str], None] = print) -> tuple[Area, list[Area]]:
    """Empty the database, build the organisation, bulk-create the cases and rebuild the rollups."""
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(6)
    org = build_organisation(rng)
    now = timezone.now()
    start = time.perf_counter()
    insert(generate(org, cases, now, rng), now)
    out(f"database: {connection.vendor}; {cases:,} cases bulk-created in {time.perf_counter() - start:.1f} s")
    rebuild(org.town, out)
    return org.town, org.grids


def rebuild(town: Area, out: Callable[[str], None] = print) -> None:
    start = time.perf_counter()
    rows = rollups.rebuild(town=town)
    out(f"rollups rebuilt: {rows:,} rows in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        _analyze(cursor)


def _analyze(cursor: Any) -> None:
    """What a production database does on its own (autovacuum, PRAGMA optimize): statistics, and on PostgreSQL
    the visibility map that lets index-only scans skip the table."""
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def existing() -> tuple[Area, list[Area]]:
    """The town and grids of a database built before (``--build-only``), after applying new migrations."""
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        _analyze(cursor)
    town = Area.objects.get(level=AreaLevel.TOWN)
    return town, list(Area.objects.filter(town=town, level=AreaLevel.GRID).order_by("id"))


def run(
    cases: int,
    repeat: int = 15,
    out: Callable[[str], None] = print,
    *,
    reuse: bool = False,
    rebuild_rollups: bool = False,
) -> bool:
    """Build (or reuse), measure, compare; returns True when every fast figure equals its recount."""
    if reuse:
        town, grids = existing()
        cases = Case.objects.filter(town=town).count()
        out(f"database: {connection.vendor}; reusing {cases:,} cases")
        if rebuild_rollups:
            rebuild(town, out)
    else:
        town, grids = build(cases, out)
    now = timezone.now()
    year = Period.year(timezone.localtime(now).year)
    busiest_grid = max(grids, key=lambda g: Case.objects.filter(grid=g).count() if cases <= 10_000 else 0)
    category = Category.objects.filter(town=town, parent__isnull=False).order_by("code").first()
    assert category is not None
    grid_scope = Scope(town=town, area=busiest_grid)
    category_scope = Scope(town=town, category=category)
    as_of = timezone.now()
    checks = [
        (
            "one year × all villages",
            lambda: compute_by(town=town, period=year, group="village", as_of=as_of),
            lambda: count_by(town=town, period=year, group="village", as_of=as_of, recount=True),
            lambda fast: {k: s.counts for k, s in fast.items()},
        ),
        (
            "one year × one grid",
            lambda: compute(scope=grid_scope, period=year, as_of=as_of),
            lambda: count(scope=grid_scope, period=year, as_of=as_of, recount=True),
            lambda fast: fast.counts,
        ),
        (
            "one year × one category",
            lambda: compute(scope=category_scope, period=year, as_of=as_of),
            lambda: count(scope=category_scope, period=year, as_of=as_of, recount=True),
            lambda fast: fast.counts,
        ),
        (
            "ranking of all grid workers (one year)",
            lambda: ranking(town=town, period=year, by="grid_worker", as_of=as_of),
            lambda: count_by(town=town, period=year, group="grid_worker", as_of=as_of, recount=True),
            lambda fast: {r.key: r.indicators.counts for r in fast if r.n or r.indicators.counts.reported},
        ),
    ]
    all_equal = True
    out(f"{'figure':42} {'rollups + live':>15} {'plain recount':>14}  equal")
    for name, fast_fn, slow_fn, comparable in checks:
        fast_ms, fast = timed(fast_fn, repeat)
        slow_ms, slow = timed(slow_fn, max(3, repeat // 3))
        equal = comparable(fast) == slow
        all_equal &= equal
        out(f"{name:42} {fast_ms:>12.1f} ms {slow_ms:>11.1f} ms  {'yes' if equal else 'NO'}")
    open_cases = Case.objects.filter(town=town).exclude(status__in=(Status.CLOSED, Status.REJECTED)).count()
    out(f"open cases (the live part's input): {open_cases:,}")
    return all_equal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--build-only", action="store_true", help="build the dataset and stop (keep the database)")
    parser.add_argument("--reuse", action="store_true", help="measure a database built before with --build-only")
    parser.add_argument("--rebuild-rollups", action="store_true", help="with --reuse: rebuild the rollups first")
    args = parser.parse_args()
    if args.build_only:
        build(args.cases)
        return
    sys.exit(0 if run(args.cases, args.repeat, reuse=args.reuse, rebuild_rollups=args.rebuild_rollups) else 1)


if __name__ == "__main__":
    main()
