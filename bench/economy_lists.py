"""Benchmark of the economic ledgers' pages (issue 16) as they grow: p95 of each page on the demo's current year,
then with 4 and with 16 past years of the same ledgers beside it, against a bare endpoint.

    uv run python bench/economy_lists.py [--requests 120] [--years 4,16]   # SQLite, temporary file
    bin/with-postgres uv run python bench/economy_lists.py               # throwaway PostgreSQL

Builds the demo town as ``bin/demo`` does without 2022 (the organisation, a few cases, this year's ledgers),
measures each page through Django's test client (production settings: DEBUG off) and the sign-in page — a
template without a query, the baseline — taking turns so the shared machine's load falls on all alike; then builds
the key projects, investment leads, enterprises' yearly figures and villages' incomes of the ``--years`` years
before this one through the demo's own builders (``year2022.LEDGER_BUILDERS``, the 2022 shape each year; the
enterprises' figures only from 2022 on, as their builder names enterprises above 规上 since 2022) and measures
again after each phase. Printed for each page: its p95 in each phase, that p95 as a multiple of the baseline's in
the same phase (the ratio that the machine's noise leaves alone), and its query count in each phase (after a
warm-up request). From the demo's few rows to 4 years a list fills its first page (50 rows), so its ratio may grow;
from 4 to 16 years only the tables grow — a ratio or a query count that still grows there is a missing index or
an N+1.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._env import prepare_database, start_django

start_django()

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gridgov.data.collective.models import VillageIncome
from gridgov.data.enterprises.models_yearly import EnterpriseYear
from gridgov.data.investment.models import Lead
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.projects.models import Project
from gridgov.ops.demo.ledgers_2022.firms import ABOVE_2022
from gridgov.ops.demo.year2022 import LEDGER_BUILDERS

BASELINE = "/login/"  # the sign-in page: a template and no query, the same middleware
LEDGERS = ("projects", "investment", "firms", "collective")
# (page, who opens it): the economic ledgers' lists, the development dashboard, and the API's lists.
PAGES = (
    ("/ledgers/projects/", "zhihuishi"),
    ("/ledgers/investment/", "zhihuishi"),
    ("/ledgers/investment/arrivals/", "zhihuishi"),
    ("/ledgers/years/", "jingfaban"),
    ("/ledgers/years/low-efficiency/", "jingfaban"),
    ("/ledgers/collective/", "cun-shuanghe"),
    ("/ledgers/collective/", "lingdao"),
    ("/ledgers/collective/supports/", "lingdao"),
    ("/dashboard/development/", "lingdao"),
    ("/api/projects", "zhihuishi"),
    ("/api/investment/leads", "zhihuishi"),
    ("/api/collective/incomes", "lingdao"),
)


SIZES = ("projects", "leads", "enterprise years", "village incomes")


def _sizes() -> tuple[int, int, int, int]:
    return (
        Project.objects.count(),
        Lead.objects.count(),
        EnterpriseYear.objects.count(),
        VillageIncome.objects.count(),
    )


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def analyze() -> None:
    """PostgreSQL's statistics as autovacuum would leave them after a large insert (SQLite keeps none)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(clients: dict[str, Client], rounds: int) -> dict[str, list[float]]:
    """``rounds`` requests of each page and of the baseline (ms), interleaved; the first five are a warm-up."""
    samples: dict[str, list[float]] = {}
    for round_ in range(rounds + 5):
        for page, who in ((BASELINE, ""), *PAGES):
            start = time.perf_counter()
            response = clients[who].get(page)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (page, who, response.status_code)
            if round_ >= 5:
                samples.setdefault(f"{page} ({who})" if page != BASELINE else page, []).append(elapsed)
    return samples


def queries(clients: dict[str, Client]) -> dict[str, int]:
    """How many queries each page makes (after a first request has warmed the per-process caches)."""
    counts = {}
    for page, who in PAGES:
        clients[who].get(page)
        with CaptureQueriesContext(connection) as captured:
            clients[who].get(page)
        counts[f"{page} ({who})"] = len(captured)
    return counts


def grow(town: Area, *, years: range) -> None:
    """The ledgers of ``years`` through the demo's own builders (each a finished year in the 2022 shape)."""
    for year in years:
        for name in LEDGERS:
            if name == "firms" and year < max(ABOVE_2022.values()):
                continue  # the builder's enterprises entered 规上 up to 2022: not a year before it
            LEDGER_BUILDERS[name](town=town, rng=random.Random(year), year=year)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=120, help="requests per page and phase")
    parser.add_argument(
        "--years",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[4, 16],
        help="past years of the ledgers in each phase after the demo's (default 4,16)",
    )
    args = parser.parse_args()
    prepare_database()
    started = time.perf_counter()
    call_command("demo_town", "--cases", "50", "--no-2022", verbosity=0)
    town = Area.objects.get(level=AreaLevel.TOWN)
    clients = {"": Client()}  # the baseline's: nobody signed in
    for _page, who in PAGES:
        clients[who] = Client()
        clients[who].force_login(User.objects.get(username=who))
    print(f"database: {connection.vendor}; demo town in {time.perf_counter() - started:.0f} s")
    this_year = timezone.localdate().year
    phases: list[tuple[tuple[int, int, int, int], dict[str, list[float]], dict[str, int]]] = []
    built = 0
    for past in [0, *args.years]:
        started = time.perf_counter()
        grow(town, years=range(this_year - past, this_year - built))
        built = max(built, past)
        analyze()
        sizes = _sizes()
        print(
            f"{past} past years ({time.perf_counter() - started:.0f} s to add): {dict(zip(SIZES, sizes, strict=True))}"
        )
        phases.append((sizes, measure(clients, args.requests), queries(clients)))

    grown = ", ".join(f"{name} " + " → ".join(str(p[0][i]) for p in phases) for i, name in enumerate(SIZES))
    print()
    print(f"{connection.vendor}, {timezone.localdate():%Y-%m-%d}, {args.requests} requests a page and phase: {grown}")
    print()
    print("| page | p95 by phase | × baseline by phase | queries by phase |")
    print("|---|---|---|---|")
    bases = [p95(samples[BASELINE]) for _sizes, samples, _queries in phases]
    for key in phases[0][1]:
        times = [p95(samples[key]) for _sizes, samples, _queries in phases]
        ratios = " → ".join(f"{t / base:.1f}" for t, base in zip(times, bases, strict=True))
        counts = " → ".join(str(q[key]) for _sizes, _samples, q in phases) if key != BASELINE else "—"
        print(f"| `{key}` | {' → '.join(f'{t:.1f} ms' for t in times)} | {ratios} | {counts} |")


if __name__ == "__main__":
    main()
