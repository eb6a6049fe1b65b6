"""Benchmark of the people register's pages as the register grows: p95 of each page on the demo's register, then
with the 2022 register beside it (about twenty times the houses and residents), against a bare endpoint.

    uv run python bench/people_lists.py [--requests 120]             # SQLite, temporary file
    bin/with-postgres uv run python bench/people_lists.py            # throwaway PostgreSQL

Builds the demo town as ``bin/demo`` does without 2022 (the organisation, a few cases, this year's ledgers and
people register: ~100 houses, ~250 residents), measures each page through Django's test client (production
settings: DEBUG off) and the sign-in page — a template without a query, the baseline — taking turns so the shared
machine's load falls on all alike; then adds the 2022 register (``ops.demo.ledgers_2022.people``: ~2,300 houses,
~4,500 residents, their memberships, visits and payments) and measures again. Printed: p95 before and after, and
each page's p95 as a multiple of the baseline's in the same phase (the ratio that the machine's noise leaves alone).
A page whose lists are served by indexes, with a query count that does not grow with rows, stays near its ratio.
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

from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.people.models import House, Resident
from gridgov.ops.demo.ledgers_2022.people import build_year

BASELINE = "/login/"  # the sign-in page: a template and no query, the same middleware
# (page, who opens it): the register's lists, assistance, the visit coverage page, a grid worker's round, the API.
PAGES = (
    ("/ledgers/people/houses/", "zhihuishi"),
    ("/ledgers/people/residents/", "zhihuishi"),
    ("/ledgers/people/residents/", "cun-shuanghe"),
    ("/ledgers/assistance/", "zhihuishi"),
    ("/dashboard/visits/", "lingdao"),
    ("/m/visits/", "wgy-shuanghe-1"),
    ("/api/residents", "zhihuishi"),
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=120, help="requests per page and phase")
    args = parser.parse_args()
    prepare_database()
    started = time.perf_counter()
    call_command("demo_town", "--cases", "50", "--no-2022", verbosity=0)
    town = Area.objects.get(level=AreaLevel.TOWN)
    clients = {"": Client()}  # the baseline's: nobody signed in
    for _page, who in PAGES:
        clients[who] = Client()
        clients[who].force_login(User.objects.get(username=who))
    sizes = [(House.objects.count(), Resident.objects.count())]
    print(f"database: {connection.vendor}; demo town in {time.perf_counter() - started:.0f} s: {sizes[0][0]} houses")
    analyze()
    before = measure(clients, args.requests)
    started = time.perf_counter()
    build_year(town=town, rng=random.Random(2022), year=2022)
    analyze()
    sizes.append((House.objects.count(), Resident.objects.count()))
    print(f"2022 register added in {time.perf_counter() - started:.0f} s")
    after = measure(clients, args.requests)

    (h0, r0), (h1, r1) = sizes
    print()
    print(f"| {connection.vendor}: {h0} → {h1} houses, {r0} → {r1} residents | p95 before | p95 after | "
          "× baseline before | × baseline after |")  # fmt: skip
    print("|---|---|---|---|---|")
    base0, base1 = p95(before[BASELINE]), p95(after[BASELINE])
    for key in before:
        b, a = p95(before[key]), p95(after[key])
        print(f"| `{key}` | {b:.1f} ms | {a:.1f} ms | {b / base0:.1f} | {a / base1:.1f} |")


if __name__ == "__main__":
    main()
