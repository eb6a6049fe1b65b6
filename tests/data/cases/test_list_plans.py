"""The default lists are read from indexes in their order: no list sorts every case its user may see.

For each default list (全部事件, 受理派遣, 部门待办, the API list, the phone's tasks) and each kind of user, the
query the view runs — built by the same domain function the view calls — is explained by the database:
- SQLite: ``EXPLAIN QUERY PLAN`` has no temporary B-tree (``USE TEMP B-TREE FOR … ORDER BY``): every part of
  the list is walked in an index's order and the parts are merged (``MERGE (UNION ALL)``).
- PostgreSQL: ``EXPLAIN`` has no Sort node over the list's cases: each part is an index scan in the list's
  order under a Limit of one window, and only those rows are sorted into the window. The test tables hold a
  handful of rows, for which the planner rightly prefers reading the whole table and sorting it in memory;
  ``enable_seqscan`` and ``enable_sort`` are turned off for this transaction only (``SET LOCAL``) so that the
  plan shows whether an index path in the list's order *exists* — with them off, a list that no index serves
  still gets its Sort over all its rows (see the control test); with real tables the planner picks that path
  itself.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet

from gridgov.data.access.queries import CaseFilters, api_cases
from gridgov.data.cases.domain.queries import CaseFilter, Queue, list_cases, search_cases
from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from gridgov.data.org.models import User
from gridgov.ui.phone.views import my_reports, verify_queue
from tests.factories import MONDAY_0900, TownWorld


def explain(qs: QuerySet[Case]) -> str:
    """The plan of ``qs``'s query ("" when it runs none: an empty list)."""
    if qs.query.is_empty():
        return ""
    sql, params = qs.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def sorts_everything(plan: str) -> bool:
    """SQLite: a temporary B-tree sorts rows. PostgreSQL: a Sort node reads cases other than through a Limit of
    their own — a sort of the list's rows, not of at most a window's worth per part."""
    if connection.vendor == "sqlite":
        return "TEMP B-TREE" in plan
    lines = plan.splitlines()
    for at, line in enumerate(lines):
        if "Sort" not in line or "Sort Key" in line:
            continue
        depth = _depth(line)
        limited_below: list[int] = []  # depths of Limit nodes on the current path under this Sort
        for below in lines[at + 1 :]:
            if "->" not in below:
                continue
            level = _depth(below)
            if level <= depth:
                break
            limited_below = [d for d in limited_below if d < level]
            if "Limit" in below:
                limited_below.append(level)
            if " on cases_case" in below and not limited_below:
                return True
    return False


def _depth(line: str) -> int:
    return line.index("->") if "->" in line else len(line) - len(line.lstrip())


@pytest.fixture
def busy(world: TownWorld) -> TownWorld:
    for status in (Status.REPORTED, Status.REGISTERED, Status.DISPATCHED, Status.HANDLING, Status.RESOLVED):
        world.bring_to(status)
    world.bring_to(Status.DISPATCHED, department=world.committee_a)
    world.report(reporter=world.grid_worker_b, area=world.grid_b)
    return world


def personas(world: TownWorld) -> dict[str, User]:
    return {
        "operator": world.operator,
        "village staff": world.village_staff_a,
        "grid worker": world.grid_worker_a,
        "handler": world.handler_a,
        "resident": world.resident,
        "admin": world.admin,
    }


def default_lists(user: User) -> dict[str, QuerySet[Case]]:
    now = MONDAY_0900 + timedelta(hours=1)
    web = {
        queue: list_cases(user=user, case_filter=CaseFilter(queue=queue), now=now).window(0, 25)
        for queue in (Queue.ALL, Queue.TRIAGE, Queue.INBOX)
    }
    return {
        "/cases/": web[Queue.ALL],
        "/triage/": web[Queue.TRIAGE],
        "/inbox/": web[Queue.INBOX],
        "/api/cases": api_cases(user=user, filters=CaseFilters(), now=now).window(0, 50),
        "/m/ verify": verify_queue(user).window(0, 10),
        "/m/ mine": my_reports(user)[:10],
    }


def test_no_default_list_sorts_every_visible_case(busy: TownWorld) -> None:
    found = {}
    for who, user in personas(busy).items():
        for name, qs in default_lists(user).items():
            plan = explain(qs)
            found[(who, name)] = sorts_everything(plan)
            assert not found[(who, name)], (who, name, plan)
    assert len(found) == 36


def test_the_check_catches_a_list_sorted_after_filtering(busy: TownWorld) -> None:
    """Control: a list in an order no index serves (by status, then newest first) is sorted after filtering,
    and the check sees it on either database."""
    qs = search_cases(user=busy.village_staff_a, case_filter=CaseFilter(sort="status"), now=MONDAY_0900)[:25]
    assert sorts_everything(explain(qs))
