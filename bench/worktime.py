"""Benchmark of the working calendar: ``minutes_between`` and ``add`` by span length, before and after the index
of working days, beside plain datetime arithmetic; then the case-list export of long-overdue open rows.

    uv run python bench/worktime.py [--spans 1000] [--rows 10000] [--repeat 5]     # SQLite, temporary file
    bin/with-postgres uv run python bench/worktime.py                              # throwaway PostgreSQL

*Before* is the calendar as it was before the index (``gridgov/data/worktime/calendar.py`` at the parent of the
commit that added it, read from git — ``--before`` names another revision), built with the same periods, time
zone, overrides and confirmed years as *after*, the calendar of this checkout.

1. For spans of 1 day, 1 month, 1 year and 3 years (``--spans`` seeded random starts from 2023 to 2026, ending
   up to 2029: provisional years included), the time of one call of ``minutes_between`` on the working clock
   and of one ``add`` of the span's working minutes, before and after, beside the same spans' plain datetime
   arithmetic (``(b - a) // minute`` and ``a + timedelta``) as the same-run baseline. Each is the median of
   ``--repeat`` passes over all the spans; the calendars' caches are warm (the first pass is not timed), as they
   are in a process that has served a page. Before and after must give equal results (exit status 1 if not).
2. The demo town's organisation and ``--cases`` cases through the engine, then ``--rows`` copies of its open
   cases moved back one to three years (``bench/lists.py``'s copies, one bulk insert): long-overdue open rows.
   Timed in turns: ``cases_workbook`` (the export's domain function) with the calendar after and before, and
   bare openpyxl writing the same rows without the 剩余/超期 column (``bench/export.py``'s baseline); and the
   column alone (``time_left_text(deadline_view(...))`` for every row), after and before.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._env import ROOT, start_django

start_django()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench.export import bare
from bench.lists import copies, grow
from gridgov.data.cases.domain.deadlines import deadline_view, time_left_text
from gridgov.data.cases.domain.export import EXPORT_FIELDS, cases_workbook
from gridgov.data.cases.models import Case
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import Clock
from gridgov.ops.demo.town import build_demo_town

SPANS = {
    "1 day": timedelta(days=1),
    "1 month": timedelta(days=30),
    "1 year": timedelta(days=365),
    "3 years": timedelta(days=3 * 365),
}
MINUTE = timedelta(minutes=1)
CALENDAR_FILE = "gridgov/data/worktime/calendar.py"
INDEX_COMMIT_SUBJECT = "Working calendar: add and minutes_between find the working days of a span from a per-year index"


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def calendar_before(revision: str | None, like: WorkCalendar) -> WorkCalendar:
    """``like``'s calendar as the module at ``revision`` (default: before the index) builds it."""
    if revision is None:
        found = git(
            "log", "-1", "--format=%H", "--fixed-strings", f"--grep={INDEX_COMMIT_SUBJECT}", "--", CALENDAR_FILE
        )
        if not found:
            sys.exit(f"no commit named {INDEX_COMMIT_SUBJECT!r} touches {CALENDAR_FILE}: name one with --before")
        revision = f"{found.strip()}~1"
    module = types.ModuleType("calendar_before")
    exec(compile(git("show", f"{revision}:{CALENDAR_FILE}"), f"{revision}:{CALENDAR_FILE}", "exec"), module.__dict__)
    old: WorkCalendar = module.WorkCalendar(like.periods, like.overrides, like.confirmed_years, like.tz)
    return old


type Spans = list[tuple[datetime, datetime]]
type Adds = list[tuple[datetime, int]]


def per_call_us[T](fn: Callable[[list[T]], object], spans: list[T], repeat: int) -> float:
    """The median over ``repeat`` passes of ``fn(spans)``, per span; the first pass warms the caches and is not timed
    (the holiday package's days, the index's years)."""
    fn(spans)
    times = []
    for _turn in range(repeat):
        started = time.perf_counter()
        fn(spans)
        times.append(time.perf_counter() - started)
    return statistics.median(times) / len(spans) * 1e6


def between_plain(spans: Spans) -> object:
    return [(b - a) // MINUTE for a, b in spans]


def add_plain(adds: Adds) -> object:
    return [a + m * MINUTE for a, m in adds]


def between_on(calendar: WorkCalendar) -> Callable[[Spans], list[int]]:
    return lambda spans: [calendar.minutes_between(a, b, Clock.WORKING) for a, b in spans]


def add_on(calendar: WorkCalendar) -> Callable[[Adds], list[datetime]]:
    return lambda adds: [calendar.add(a, m, Clock.WORKING) for a, m in adds]


def spans_table(after: WorkCalendar, before: WorkCalendar, *, count: int, repeat: int) -> bool:
    rng = random.Random(21)
    starts = [
        datetime(2023, 1, 1, tzinfo=after.tz) + timedelta(minutes=rng.randrange(4 * 365 * 24 * 60))
        for _n in range(count)
    ]
    print(f"| span ({count} spans, working clock) | plain datetime | before | after | before ÷ plain", end="")
    print(" | after ÷ plain | before ÷ after |")
    print("|---|---|---|---|---|---|---|")
    equal = True
    for name, length in SPANS.items():
        spans = [(a, a + length) for a in starts]
        adds = list(zip(starts, between_on(after)(spans), strict=True))
        equal &= between_on(after)(spans) == between_on(before)(spans)
        equal &= add_on(after)(adds) == add_on(before)(adds)
        figures = (
            (
                "minutes_between",
                [per_call_us(f, spans, repeat) for f in (between_plain, between_on(before), between_on(after))],
            ),
            ("add", [per_call_us(f, adds, repeat) for f in (add_plain, add_on(before), add_on(after))]),
        )
        for function, (base, old, new) in figures:
            print(
                f"| {function}, {name} | {base:.2f} µs | {old:.1f} µs | {new:.1f} µs"
                f" | {old / base:.0f} | {new / base:.1f} | {old / new:.1f} |"
            )
    print()
    print(f"before and after equal on every span: {'yes' if equal else 'NO'}")
    return equal


def export_table(after: WorkCalendar, before: WorkCalendar, *, cases: int, rows: int, repeat: int) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("createcachetable", verbosity=0)
    org, made = build_demo_town(cases=cases, seed=7, progress=lambda done, total: None)
    grow(copies(org, 1 + -(-rows // made), everything=False, open_only=True, years=3)[:rows])
    town_cases = Case.objects.filter(town=org.town).order_by("-reported_at", "-id")
    now = timezone.now()
    values = [cast(Case, row) for row in town_cases.values_list(*EXPORT_FIELDS, named=True)]  # as the export reads
    overdue = sum(1 for row in values if (deadline_view(row, now=now, calendar=after).remaining_minutes or 0) < 0)
    print(f"database: {connection.vendor}; {len(values)} cases in the town, {overdue} past their deadline")
    print()
    turns: dict[str, list[float]] = {name: [] for name in ("after", "before", "bare", "column after", "column before")}
    for _turn in range(repeat):
        for name, calendar in (("after", after), ("before", before)):
            started = time.perf_counter()
            cases_workbook(town_cases, now=now, calendar=calendar, title="cases")
            turns[name].append(time.perf_counter() - started)
            started = time.perf_counter()
            for row in values:
                time_left_text(deadline_view(row, now=now, calendar=calendar))
            turns[f"column {name}"].append(time.perf_counter() - started)
        started = time.perf_counter()
        bare(org.town.pk)
        turns["bare"].append(time.perf_counter() - started)
    median = {name: statistics.median(times) for name, times in turns.items()}
    print(
        f"| {connection.vendor}, {len(values)} rows ({overdue} overdue) | median | ÷ bare openpyxl without the column |"
    )
    print("|---|---|---|")
    print(f"| `cases_workbook`, calendar after | {median['after']:.2f} s | {median['after'] / median['bare']:.2f} |")
    print(f"| `cases_workbook`, calendar before | {median['before']:.2f} s | {median['before'] / median['bare']:.2f} |")
    print(f"| bare openpyxl, same rows, without 剩余/超期 | {median['bare']:.2f} s | 1 |")
    print(f"| the 剩余/超期 column alone, after | {median['column after']:.3f} s | |")
    print(f"| the 剩余/超期 column alone, before | {median['column before']:.3f} s | |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spans", type=int, default=1000, help="random spans of each length")
    parser.add_argument("--cases", type=int, default=300, help="cases through the engine before copying")
    parser.add_argument("--rows", type=int, default=10_000, help="long-overdue open copies to export")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", default=None, help="git revision of the calendar to compare with")
    parser.add_argument("--no-export", action="store_true", help="only the spans")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    after = WorkCalendar.load()
    before = calendar_before(args.before, after)
    equal = spans_table(after, before, count=args.spans, repeat=args.repeat)
    if not args.no_export:
        print()
        export_table(after, before, cases=args.cases, rows=args.rows, repeat=args.repeat)
    if not equal:
        sys.exit(1)


if __name__ == "__main__":
    main()
