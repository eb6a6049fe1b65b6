"""After a batch write, PostgreSQL plans the tables it filled by their new contents at once (ANALYZE after the
commit, taking no lock a request waits for); SQLite is left as it is."""

from __future__ import annotations

import pytest
from django.db import connection

from gridgov.data.people.importers import HOUSES
from gridgov.data.people.models import House
from gridgov.data.sheets.framework import import_sheet
from gridgov.db.analyze import analyze_due_tables
from tests.factories import TownWorld
from tests.sheets import import_context, workbook

HEADERS = ["村(社区)", "网格", "地址", "房屋用途", "间数"]
ROWS = [["双合村", "双合村第1网格", f"双合村3组{n}号", "自住", 2] for n in range(1, 121)]


def _reltuples(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return float(cursor.fetchone()[0])


def _modes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT mode FROM pg_locks WHERE relation = %s::regclass AND pid = pg_backend_pid()",
            [table],
        )
        return {row[0] for row in cursor.fetchall()}


def test_an_import_leaves_the_table_it_filled_analysed_after_the_commit(
    world: TownWorld, django_capture_on_commit_callbacks
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_house")  # analysed empty, as in a new town's database
    assert _reltuples("people_house") == 0

    with django_capture_on_commit_callbacks(execute=False) as waiting:
        report = import_sheet(importer=HOUSES, content=workbook(HEADERS, ROWS), ctx=import_context(world))
    assert (report.errors, report.imported, House.objects.count()) == ([], 120, 120)
    assert _reltuples("people_house") == 0  # not before the commit
    assert len(waiting) == 1

    waiting[0]()  # what the commit runs
    assert _reltuples("people_house") == 120
    # ANALYZE's lock, kept here by the test's open transaction: SHARE UPDATE EXCLUSIVE, which neither reads
    # (ACCESS SHARE) nor writes (ROW EXCLUSIVE, the import's own) wait for.
    assert _modes("people_house") == {"AccessShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock"}


def test_sqlite_is_left_alone(world: TownWorld, django_capture_on_commit_callbacks) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner")
    with django_capture_on_commit_callbacks(execute=True) as ran:
        report = import_sheet(importer=HOUSES, content=workbook(HEADERS, ROWS), ctx=import_context(world))
    assert (report.imported, ran, analyze_due_tables()) == (120, [], [])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 0
