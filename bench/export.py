"""Benchmark of the case-list export (.xlsx): 10,000 rows through the page, beside bare openpyxl in the same run.

    uv run python bench/export.py [--rows 10000] [--repeat 5]            # SQLite, temporary file
    bin/with-postgres uv run python bench/export.py                       # throwaway PostgreSQL

Builds the demo town's organisation and ``--cases`` cases through the engine, grows them to ``--rows`` cases
with copies (``bench/lists.py``'s history copies), then times, in turns:

- **export**: the operator's ``/cases/?format=xlsx`` through Django's test client (production settings) — the
  scoped list query, every row's deadline lamp, the safe-text treatment of every cell, openpyxl write-only;
- **baseline**: the same 16 columns read with one plain SQL join and written with bare openpyxl (write-only,
  no styles, no safe-text, no lamp) — the least any .xlsx export of these rows can cost here.

Prints the medians, the ratio, and whether the export is within the goal (10,000 rows in ≤ 2 s).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from django.db import connection
from django.test import Client
from openpyxl import Workbook, load_workbook

from bench._env import prepare_database
from bench.lists import copies, grow
from gridgov.data.cases.models import Case
from gridgov.ops.demo.town import build_demo_town

BARE_SQL = """
SELECT c.number, c.status, '', m.name, s.name, c.priority, c.channel, v.name, g.name, c.address, c.description,
       d.name, u.username, c.reported_at, c.handle_deadline, c.closed_at
FROM cases_case c
JOIN taxonomy_category s ON s.id = c.category_id
JOIN taxonomy_category m ON m.id = c.major_category_id
LEFT JOIN org_area v ON v.id = c.village_id
LEFT JOIN org_area g ON g.id = c.grid_id
LEFT JOIN org_department d ON d.id = c.department_id
LEFT JOIN org_user u ON u.id = c.handler_id
WHERE c.town_id = %s
ORDER BY c.reported_at DESC, c.id DESC
"""


def bare(town_id: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("cases")
    sheet.append(["编号"] * 16)
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, [town_id])
        for row in cursor:
            sheet.append([v.replace(tzinfo=None) if hasattr(v, "tzinfo") and v is not None else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300, help="cases through the engine before copying")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    prepare_database()
    org, made = build_demo_town(cases=args.cases, seed=7, progress=lambda done, total: None)
    factor = -(-args.rows // made)
    rows = copies(org, factor, everything=True)[: args.rows - made]
    grow(rows)
    total = Case.objects.filter(town=org.town).count()
    client = Client()
    client.force_login(org.operator)
    ours: list[float] = []
    base: list[float] = []
    size = 0
    for _turn in range(args.repeat):
        started = time.perf_counter()
        response = client.get("/cases/?format=xlsx")
        ours.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
        started = time.perf_counter()
        bare(org.town.pk)
        base.append(time.perf_counter() - started)
    exported = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert exported is not None
    written = sum(1 for _ in exported.iter_rows()) - 1
    ours_s, base_s = statistics.median(ours), statistics.median(base)
    print(f"database: {connection.vendor}; {total} cases in the town; {written} rows exported ({size / 1e6:.1f} MB)")
    print()
    print(f"| {connection.vendor}, {written} rows | median | best |")
    print("|---|---|---|")
    print(f"| `/cases/?format=xlsx` (page, lamps, safe cells, write-only) | {ours_s:.2f} s | {min(ours):.2f} s |")
    print(f"| bare openpyxl write-only from one SQL join | {base_s:.2f} s | {min(base):.2f} s |")
    print(f"| ratio | {ours_s / base_s:.2f} | |")
    per_10k = ours_s * 10_000 / max(written, 1)
    print()
    print(f"goal: 10,000 rows in ≤ 2 s — {per_10k:.2f} s per 10,000 rows: {'met' if per_10k <= 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
