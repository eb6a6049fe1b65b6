"""What a report and an action cost in statements, on a warm worker (reference data cached)."""

from __future__ import annotations

import re

from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.enums import Action, Channel
from gridgov.data.org.models import User
from tests.factories import MONDAY_0900, TownWorld

# Transaction control is not work: BEGIN / SAVEPOINT / RELEASE are left out of the shapes (not of the limits).
_CONTROL = re.compile(r"^(BEGIN|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b")


def shapes(captured) -> list[str]:  # type: ignore[no-untyped-def]
    """Each statement as "VERB table" (e.g. "INSERT cases_case")."""
    found = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if _CONTROL.match(sql):
            continue
        verb = sql.split()[0].upper()
        table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
        found.append(f"{verb} {table.group(1) if table else '?'}")
    return found


def test_report_case_is_five_statements(world: TownWorld, django_assert_max_num_queries) -> None:
    reporter = User.objects.get(pk=world.grid_worker_a.pk)
    world.report(reporter=reporter)  # the worker is warm: calendar, limits, areas, memberships loaded once
    # ≤ 6 with the transaction's own BEGIN (or the SAVEPOINT/RELEASE pair when nested, as here)
    with django_assert_max_num_queries(7) as captured:
        case = report_case(
            town=world.town,
            reporter=reporter,
            channel=Channel.GRID_WORKER,
            category=world.category,
            description="路边垃圾桶满溢",
            area=world.grid_a,
            now=MONDAY_0900,
        )
    assert shapes(captured) == [
        "UPDATE cases_casecounter",  # the number (… RETURNING)
        "INSERT cases_case",
        "INSERT cases_caseaction",  # with its outbox
        "UPDATE cases_case",  # audit head
        "INSERT metrics_dailyrollup",  # indicators (… ON CONFLICT DO UPDATE)
    ]
    assert (case.action_count, case.status) == (1, "reported")


def test_an_action_is_four_statements_including_the_rollup(world: TownWorld, django_assert_max_num_queries) -> None:
    operator = User.objects.get(pk=world.operator.pk)
    case = world.report()
    apply_action(case_id=case.pk, actor=operator, action=Action.REGISTER, now=MONDAY_0900)
    with django_assert_max_num_queries(6) as captured:
        row = apply_action(
            case_id=case.pk, actor=operator, action=Action.DISPATCH, department=world.dept_a, now=MONDAY_0900
        )
    assert shapes(captured) == [
        "SELECT cases_case",  # … FOR UPDATE
        "INSERT cases_caseaction",
        "UPDATE cases_case",
        "INSERT metrics_dailyrollup",
    ]
    assert (row.action, row.to_status) == ("dispatch", "dispatched")
