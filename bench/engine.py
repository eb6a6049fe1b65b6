"""Benchmark of the case engine and the first pages, on a fresh database of the demo town.

    uv run python bench/engine.py [--cases 300]            # SQLite in a temporary file
    DATABASE_URL=postgres://… uv run python bench/engine.py  # PostgreSQL (the database is flushed!)

Prints: cases per second through the whole workflow, milliseconds and queries per action, and the median
time of the pages staff live in (home list, case page) through Django's test client.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._env import start_django

start_django(debug=True)

from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action
from gridgov.data.cases.models import Case
from gridgov.ops.demo.organisation import build_organisation
from gridgov.ops.demo.town import History


def median_ms(fn, repeat: int = 30) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    import random

    org = build_organisation(random.Random(1))
    history = History(org, random.Random(2), timezone.now(), through_engine=True)
    start = time.perf_counter()
    history.run(args.cases, lambda done, total: None)
    elapsed = time.perf_counter() - start
    actions = sum(c.action_count for c in Case.objects.all())
    print(f"database: {connection.vendor}")
    print(
        f"history: {args.cases} cases, {actions} actions in {elapsed:.1f} s "
        f"= {actions / elapsed:.0f} actions/s ({elapsed / actions * 1000:.1f} ms per action)"
    )

    case = Case.objects.filter(status="dispatched").first() or Case.objects.filter(status="registered").first()
    if case is not None:
        handler = org.handlers.get(case.department_id or 0, org.operator)
        action = Action.SIGN if case.status == "dispatched" else Action.COMMENT
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            apply_action(
                case_id=case.pk, actor=handler if action == Action.SIGN else org.operator, action=action, note="bench"
            )
        print(f"queries for one action ({action}): {len(queries.captured_queries)}")

    client = Client()
    client.force_login(org.operator)
    some_case = Case.objects.order_by("-action_count").first()
    assert some_case is not None
    reset_queries()
    home = median_ms(lambda: client.get("/triage/"))  # the operator opens on the triage queue
    detail = median_ms(lambda: client.get(f"/cases/{some_case.pk}/"))
    print(f"home list (operator, 50 rows): {home:.1f} ms median")
    print(f"case page ({some_case.action_count} actions): {detail:.1f} ms median")


if __name__ == "__main__":
    main()
