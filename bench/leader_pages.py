"""Benchmark of the leaders' pages at two sizes of the town: each page's query count and time against a baseline.

    uv run python bench/leader_pages.py [--requests 30] [--scale 1.0]   # SQLite, temporary file
    bin/with-postgres uv run python bench/leader_pages.py             # throwaway PostgreSQL

First size: the demo town as ``bin/demo`` builds it before its 2022 (the organisation, the people register, the last
months of cases and this year's ledgers). Second size: the same town with 岱西镇's whole 2022 added through the demo's
own builder (``demo_town``: 3,124 events through the engine, the 2022 ledgers and the people register of the 2023
work report; ``--scale`` below 1 builds a share of the events, without the ledgers). Each leader page — the
dashboard and its charts and map, the indicators and a drill-down, the rankings, the bulletins and a bulletin, the
year in review (this year and 2022), the economy and development pages, the visits, the wall, and the village
dashboard (cun-shuanghe) — is requested through Django's test client with production settings (DEBUG off), in turns
with the baseline: the sign-in page, a template without a query behind the same middleware. Printed per page: its
query count (after a warm-up request), its median time and that median as a multiple of the baseline's in the same
phase — the ratio the shared machine's noise leaves alone. A query count that grows from the first size to the
second is a per-row query.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._env import prepare_database, start_django

start_django()

from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gridgov.data.cases.models import Case
from gridgov.data.metrics.indicators import Period, Scope
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.reports.domain.bulletins import generate_bulletin, issue_bulletin
from gridgov.data.reports.enums import BulletinStatus
from gridgov.data.reports.models import Bulletin

BASELINE = ("/login/", "")
LEADER, VILLAGE = "lingdao", "cun-shuanghe"


def pages(bulletin_id: int) -> list[tuple[str, str]]:
    """(path, who opens it); the bulletin is the town's latest issued one."""
    return [
        ("/dashboard/", LEADER),
        ("/dashboard/charts.json", LEADER),
        ("/dashboard/map.json", LEADER),
        ("/dashboard/indicators/", LEADER),
        ("/dashboard/indicators/cases/?measure=completion_rate&part=numerator", LEADER),
        ("/dashboard/rankings/", LEADER),
        ("/dashboard/rankings/?by=grid_worker", LEADER),
        ("/dashboard/bulletins/", LEADER),
        (f"/dashboard/bulletins/{bulletin_id}/", LEADER),
        ("/dashboard/year/", LEADER),
        ("/dashboard/year/?year=2022", LEADER),
        ("/dashboard/economy/", LEADER),
        ("/dashboard/development/", LEADER),
        ("/dashboard/visits/", LEADER),
        ("/dashboard/wall/", LEADER),
        ("/dashboard/wall/figures/", LEADER),
        ("/dashboard/wall/lists/", LEADER),
        ("/dashboard/", VILLAGE),
        ("/dashboard/charts.json", VILLAGE),
        ("/dashboard/indicators/", VILLAGE),
        ("/dashboard/indicators/cases/?measure=registered&part=numerator", VILLAGE),
    ]


def label(path: str, who: str) -> str:
    return f"`{path}` ({who})" if who else f"`{path}` (baseline)"


def latest_bulletin(town: Area) -> int:
    """The town's latest issued bulletin; the first size has none, so one is drawn up and issued for last month."""
    found = Bulletin.objects.filter(town=town, status=BulletinStatus.ISSUED).order_by("-issued_at").first()
    if found is not None:
        return found.pk
    leader = User.objects.get(username=LEADER)
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    draft = generate_bulletin(
        user=leader, scope=Scope(town=town), scope_key="", period=Period.month(last_month.year, last_month.month)
    )
    return issue_bulletin(bulletin_id=draft.pk, town=town, user=leader).pk


def analyze() -> None:
    """PostgreSQL's statistics as autovacuum would leave them after a large insert (SQLite keeps none)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def count_queries(clients: dict[str, Client], listed: list[tuple[str, str]]) -> dict[str, int]:
    counts = {}
    for path, who in listed:
        fetch(clients[who], path)  # warms the per-process caches (URLconf, calendar, categories)
        with CaptureQueriesContext(connection) as captured:
            response = fetch(clients[who], path)
        assert response.status_code in (200, 302), (path, who, response.status_code)
        counts[label(path, who)] = len(captured)
    return counts


def timings(clients: dict[str, Client], listed: list[tuple[str, str]], rounds: int) -> dict[str, list[float]]:
    """``rounds`` requests of each page and of the baseline (ms), in turns; two warm-up rounds first."""
    samples: dict[str, list[float]] = {}
    for round_ in range(rounds + 2):
        for path, who in (BASELINE, *listed):
            started = time.perf_counter()
            fetch(clients[who], path)
            elapsed = (time.perf_counter() - started) * 1000
            if round_ >= 2:
                samples.setdefault(label(path, who), []).append(elapsed)
    return samples


def fetch(client: Client, path: str) -> HttpResponse:
    """GET ``path``; ``POST path?form`` posts the form's fields (the query string) to the path instead."""
    if path.startswith("POST "):
        url, _sep, query = path.removeprefix("POST ").partition("?")
        return client.post(url, dict(parse_qsl(query)))
    return client.get(path)


def run(listed_for: Callable[[Area], list[tuple[str, str]]], users: tuple[str, ...]) -> None:
    """Build the demo town, then at its two sizes count the queries and time each page ``listed_for(town)`` gives
    (path, who opens it) against the baseline, and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30, help="requests per page and size")
    parser.add_argument("--scale", type=float, default=1.0, help="share of 2022 to build (below 1: no ledgers)")
    args = parser.parse_args()
    prepare_database()
    started = time.perf_counter()
    call_command("demo_town", "--no-2022", verbosity=0)
    town = Area.objects.get(level=AreaLevel.TOWN)
    clients = {"": Client()}
    for who in users:
        clients[who] = Client()
        clients[who].force_login(User.objects.get(username=who))
    print(f"database: {connection.vendor}; demo town in {time.perf_counter() - started:.0f} s")
    phases: list[tuple[int, dict[str, int], dict[str, list[float]]]] = []
    for size in ("demo", "2022"):
        if size == "2022":
            started = time.perf_counter()
            call_command("demo_town", "--scale-2022", str(args.scale), verbosity=0)
            print(f"2022 added in {time.perf_counter() - started:.0f} s")
        analyze()
        listed = listed_for(town)
        phases.append((Case.objects.filter(town=town).count(), count_queries(clients, listed), {}))
        phases[-1][2].update(timings(clients, listed, args.requests))

    cases = " → ".join(f"{n:,}" for n, _counts, _samples in phases)
    print()
    print(
        f"{connection.vendor}, {timezone.localdate():%Y-%m-%d}, {args.requests} requests a page and size; cases {cases}"
    )
    print()
    print("| page | queries | median | × baseline |")
    print("|---|---|---|---|")
    bases = [statistics.median(samples[label(*BASELINE)]) for _n, _counts, samples in phases]
    for key in phases[0][2]:
        medians = [statistics.median(samples[key]) for _n, _counts, samples in phases]
        queries = " → ".join(str(counts[key]) for _n, counts, _samples in phases) if key in phases[0][1] else "—"
        ratios = " → ".join(f"{m / base:.1f}" for m, base in zip(medians, bases, strict=True))
        print(f"| {key} | {queries} | {' → '.join(f'{m:.1f} ms' for m in medians)} | {ratios} |")


def main() -> None:
    run(lambda town: pages(latest_bulletin(town)), (LEADER, VILLAGE))


if __name__ == "__main__":
    main()
