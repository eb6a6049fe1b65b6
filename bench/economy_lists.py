"""Benchmark of the economic ledgers' pages (issue 16) as they grow: p95 of each page on the demo's current year,
then with eight past years of the same ledgers beside it, against a bare endpoint.

    uv run python bench/economy_lists.py [--requests 120] [--years 8]    # SQLite, temporary file
    bin/with-postgres uv run python bench/economy_lists.py               # throwaway PostgreSQL

Builds the demo town as ``bin/demo`` does without 2022 (the organisation, a few cases, this year's ledgers),
measures each page through Django's test client (production settings: DEBUG off) and the sign-in page — a
template without a query, the baseline — taking turns so the shared machine's load falls on all alike; then builds
the key projects, investment leads, enterprises' yearly figures and villages' incomes of ``--years`` past years
through the demo's own builders (the 2022 shape each year) and measures again. Printed: p95 before and after, and
each page's p95 as a multiple of the baseline's in the same phase (the ratio that the machine's noise leaves alone).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GRIDGOV_DEBUG", "0")
os.environ.setdefault("GRIDGOV_SECRET_KEY", "bench-only-secret-key-0123456789abcdef0123456789")
os.environ.setdefault("GRIDGOV_FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE=")
os.environ.setdefault("GRIDGOV_TASK_BACKEND", "django.tasks.backends.dummy.DummyBackend")
os.environ.setdefault("GRIDGOV_VAR_DIR", tempfile.mkdtemp())
os.environ.setdefault("GRIDGOV_2FA_ROLES", "")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['GRIDGOV_VAR_DIR']}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")

import django
from django.apps import apps

if not apps.ready:
    django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from gridgov.data.collective.models import VillageIncome
from gridgov.data.investment.models import Lead
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.projects.models import Project
from gridgov.ops.demo.year2022 import LEDGER_BUILDERS

BASELINE = "/login/"  # the sign-in page: a template and no query, the same middleware
LEDGERS = ("projects", "investment", "firms", "collective")
# (page, who opens it): the economic ledgers' lists (all years: their default), the dashboard, the API.
PAGES = (
    ("/ledgers/projects/", "zhihuishi"),
    ("/ledgers/investment/", "zhihuishi"),
    ("/ledgers/years/", "jingfaban"),
    ("/ledgers/years/low-efficiency/", "jingfaban"),
    ("/ledgers/collective/", "cun-shuanghe"),
    ("/ledgers/collective/", "lingdao"),
    ("/dashboard/development/", "lingdao"),
    ("/api/projects", "zhihuishi"),
    ("/api/investment/leads", "zhihuishi"),
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
    parser.add_argument("--years", type=int, default=8, help="past years of the ledgers to add")
    args = parser.parse_args()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    call_command("demo_town", "--cases", "50", "--no-2022", verbosity=0)
    town = Area.objects.get(level=AreaLevel.TOWN)
    clients = {"": Client()}  # the baseline's: nobody signed in
    for _page, who in PAGES:
        clients[who] = Client()
        clients[who].force_login(User.objects.get(username=who))
    sizes = [(Project.objects.count(), Lead.objects.count(), VillageIncome.objects.count())]
    print(f"database: {connection.vendor}; demo town in {time.perf_counter() - started:.0f} s: {sizes[0]}")
    analyze()
    before = measure(clients, args.requests)
    started = time.perf_counter()
    for year in range(2022 - args.years + 1, 2023):
        for name in LEDGERS:
            LEDGER_BUILDERS[name](town=town, rng=random.Random(year), year=year)
    analyze()
    sizes.append((Project.objects.count(), Lead.objects.count(), VillageIncome.objects.count()))
    print(f"{args.years} past years added in {time.perf_counter() - started:.0f} s")
    after = measure(clients, args.requests)

    (p0, l0, i0), (p1, l1, i1) = sizes
    print()
    print(f"| {connection.vendor}: projects {p0} → {p1}, leads {l0} → {l1}, village incomes {i0} → {i1} | "
          "p95 before | p95 after | × baseline before | × baseline after |")  # fmt: skip
    print("|---|---|---|---|---|")
    base0, base1 = p95(before[BASELINE]), p95(after[BASELINE])
    for key in before:
        b, a = p95(before[key]), p95(after[key])
        print(f"| `{key}` | {b:.1f} ms | {a:.1f} ms | {b / base0:.1f} | {a / base1:.1f} |")


if __name__ == "__main__":
    main()
