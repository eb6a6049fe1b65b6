"""Benchmark of the default lists as the cases grow: p95 of each list page on the demo town, then on 10× its cases.

    uv run python bench/lists.py [--cases 800] [--growth 10] [--requests 200]      # SQLite, temporary file
    bin/with-postgres uv run python bench/lists.py                                  # throwaway PostgreSQL

Builds the demo town as ``demo_town`` does (the organisation, then ``--cases`` cases through the real engine
over the last twelve months), measures the p95 of the default lists through Django's test client (production
settings: DEBUG off), then grows the town's cases to ``--growth`` times as many and measures again in the
same run — the two sizes take turns (``--blocks`` each: the copies are deleted and inserted again between
turns) so that the shared machine's changing load falls on both alike. The growth is history, as a town
brings it when it moves to GridGov (``import_historical_case``):
copies of the demo's finished cases (closed or rejected), marked imported, moved back by whole years, with
their own numbers — written with one bulk insert, since the import path's speed is not what is measured here.
``--mix everything`` copies every case instead (open ones too: 10× the open work, queues 10× as long).

Also prints, for the operator's 全部事件, the time of the window query alone through the lists' part-by-part
path and through the one-query path (``search_cases``, what the pages ran before), before and after growth.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._env import start_django

start_django()

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from gridgov.data.cases.domain.queries import CaseFilter, Queue, list_cases, search_cases
from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Membership, User
from gridgov.ops.demo.organisation import Town
from gridgov.ops.demo.town import build_demo_town

PAGES = ("/cases/", "/triage/", "/inbox/", "/api/cases", "/m/")
FINISHED = (Status.CLOSED, Status.REJECTED)
DATETIMES = [f.attname for f in Case._meta.concrete_fields if f.get_internal_type() == "DateTimeField"]


def copies(org: Town, factor: int, *, everything: bool, open_only: bool = False, years: int = 0) -> list[Case]:
    """(factor - 1) × the town's cases as copies of its cases moved back by whole years, with their own numbers.

    The copies are of the finished cases, of every case (``everything``) or of the open ones (``open_only``);
    the first round of copies goes one year back, the next two, and so on — up to ``years`` years and then
    from one year again, if ``years`` is given.
    """
    town = org.town
    sources = list(Case.objects.filter(town=town).order_by("id"))
    if open_only:
        pool = [c for c in sources if c.status not in FINISHED]
    else:
        pool = sources if everything else [c for c in sources if c.status in FINISHED]
    last_seq = {
        row["year"]: row["top"] for row in Case.objects.filter(town=town).values("year").annotate(top=Max("seq"))
    }
    rows: list[Case] = []
    for n in range(len(sources) * (factor - 1)):
        source = pool[n % len(pool)]
        rounds = n // len(pool)
        shift = timedelta(days=365 * (1 + (rounds % years if years else rounds)))
        copy = Case(**{f.attname: getattr(source, f.attname) for f in Case._meta.concrete_fields if not f.primary_key})
        for name in DATETIMES:
            value = getattr(copy, name)
            if value is not None and name not in ("created_at", "updated_at"):
                setattr(copy, name, value - shift)
        year = timezone.localtime(copy.reported_at).year
        last_seq[year] = seq = last_seq.get(year, 0) + 1
        copy.year, copy.seq = year, seq
        copy.number = f"{town.case_prefix or town.code}{year}-{seq:06d}"
        copy.imported = True
        copy.action_count, copy.audit_head, copy.version = 0, "", 1
        rows.append(copy)
    return rows


def grow(rows: list[Case]) -> None:
    for row in rows:
        row.pk = None
    with transaction.atomic():
        Case.objects.bulk_create(rows, batch_size=2000)
    analyze()


def shrink(last_demo_id: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Case._meta.db_table)} WHERE id > %s", [last_demo_id])
    analyze()


def analyze() -> None:
    """PostgreSQL's table as autovacuum would leave it after a large import or delete — done now, so that
    autovacuum does not start in the middle of a measurement (SQLite keeps no statistics)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(Case._meta.db_table)}")


def personas(org: Town) -> dict[str, User]:
    """Who opens each page: the operator (the town), the busiest department's handler, a grid worker."""
    busiest = (
        Case.objects.filter(town=org.town, status__in=[Status.DISPATCHED, Status.HANDLING], department__isnull=False)
        .values("department_id")
        .annotate(n=Max("id"))
        .order_by("-n")
        .first()
    )
    handler = org.handlers.get(busiest["department_id"]) if busiest else None
    handler = handler or next(iter(org.handlers.values()), None)  # a tiny town may have nothing dispatched
    worker = Membership.objects.filter(role=Role.GRID_WORKER, active=True).select_related("user").first()
    assert handler is not None
    assert worker is not None
    return {"operator": org.operator, "handler": handler, "grid worker": worker.user}


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def measure(clients: dict[str, Client], rounds: int, samples: dict[str, list[float]]) -> None:
    """Time ``rounds`` requests of each page (ms), pages interleaved so that a noisy moment hits every page alike."""
    who = {
        "/cases/": "operator",
        "/triage/": "operator",
        "/inbox/": "handler",
        "/api/cases": "operator",
        "/m/": "grid worker",
    }
    for round_ in range(rounds + 5):
        for page in PAGES:
            start = time.perf_counter()
            response = clients[who[page]].get(page)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (page, response.status_code)
            if round_ >= 5:  # warm-up after each switch
                samples.setdefault(page, []).append(elapsed)


def query_ms(fn: Callable[[], object], repeat: int, into: list[float]) -> None:
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        into.append((time.perf_counter() - start) * 1000)


def window_queries(user: User, repeat: int, samples: dict[str, list[float]]) -> None:
    """The operator's 全部事件 first window alone: part by part, and as the one query the pages ran before."""
    now = timezone.now()
    everything = CaseFilter(queue=Queue.ALL)
    parts, one = samples.setdefault("parts", []), samples.setdefault("one", [])
    query_ms(lambda: list_cases(user=user, case_filter=everything, now=now)[0:25], repeat, parts)
    query_ms(lambda: list(search_cases(user=user, case_filter=everything, now=now)[:25]), repeat, one)


def run(
    *, cases: int, growth: int, requests: int, blocks: int, mix: str, out: Callable[[str], None] = print
) -> dict[str, float]:
    """Build, measure, print the tables through ``out``; returns each page's p95 ratio (after / before)."""
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    org, made = build_demo_town(cases=cases, seed=7, progress=lambda done, total: None)
    out(f"database: {connection.vendor}; demo town: {made} cases in {time.perf_counter() - started:.0f} s")
    analyze()
    users = personas(org)
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    last_demo_id = Case.objects.aggregate(top=Max("id"))["top"]
    started = time.perf_counter()
    rows = copies(org, growth, everything=mix == "everything")
    grow(rows)
    total = Case.objects.filter(town=org.town).count()
    out(f"grown ({mix}): {total} cases ({total / made:.1f}×) in {time.perf_counter() - started:.0f} s")
    # The two sizes take turns (demo, grown, demo, grown, …) so that the machine's load hits both alike.
    before: dict[str, list[float]] = {}
    after: dict[str, list[float]] = {}
    rounds = max(2, requests // blocks)
    for _block in range(blocks):
        shrink(last_demo_id)
        measure(clients, rounds, before)
        window_queries(users["operator"], max(2, rounds // 2), before)
        grow(rows)
        measure(clients, rounds, after)
        window_queries(users["operator"], max(2, rounds // 2), after)

    ratios = {}
    out("")
    out(f"| {connection.vendor}, {made} → {total} cases ({mix}) | p95 before | p95 after | ratio | median |")
    out("|---|---|---|---|---|")
    for page in PAGES:
        b95, a95 = p95(before[page]), p95(after[page])
        b50, a50 = statistics.median(before[page]), statistics.median(after[page])
        ratios[page] = a95 / b95
        out(f"| `{page}` | {b95:.1f} ms | {a95:.1f} ms | {a95 / b95:.2f} | {b50:.1f} → {a50:.1f} ms |")
    out("")
    out("| operator's 全部事件, first 25 rows, the query alone | p95 before | p95 after | ratio |")
    out("|---|---|---|---|")
    for label, key in (("part by part (UNION ALL of index walks)", "parts"), ("one query (the pages before)", "one")):
        b, a = p95(before[key]), p95(after[key])
        out(f"| {label} | {b:.2f} ms | {a:.2f} ms | {a / b:.2f} |")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=800, help="the demo's cases (demo_town's default: 800)")
    parser.add_argument("--growth", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200, help="requests per page and size")
    parser.add_argument("--mix", choices=("history", "everything"), default="history")
    parser.add_argument("--blocks", type=int, default=4, help="turns each size takes")
    args = parser.parse_args()
    # Production settings, except static file URLs: no collected manifest in a temporary run (a dict lookup less).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    run(cases=args.cases, growth=args.growth, requests=args.requests, blocks=args.blocks, mix=args.mix)


if __name__ == "__main__":
    main()
