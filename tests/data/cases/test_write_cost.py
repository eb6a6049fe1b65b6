"""What a report and an action cost in statements, on a warm worker (reference data cached)."""

from __future__ import annotations

import re

from django.db import connection

from gridgov.data.cases.domain.audit import verify_case_chain
from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.enums import Action, Channel
from gridgov.data.cases.models import Case
from gridgov.data.org.models import User
from gridgov.db.prepared.sending import statements_sent
from tests.factories import MONDAY_0900, TownWorld

# Transaction control is not work: BEGIN / SAVEPOINT / RELEASE are left out of the shapes (not of the limits).
_CONTROL = re.compile(r"^(BEGIN|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b")


def shapes(captured) -> list[str]:
    """Each statement as "VERB table" (e.g. "INSERT cases_case"); several sent in one round trip (PostgreSQL,
    ``prepared.batched``) are split (the test's values contain no "; "), a prepared one read as what it runs."""
    found = []
    for query in captured.captured_queries:
        for sql in statements_sent(query["sql"]):
            if _CONTROL.match(sql):
                continue
            verb = sql.split()[0].upper()
            table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
            found.append(f"{verb} {table.group(1) if table else '?'}")
    return found


def round_trips(captured) -> int:
    return sum(1 for query in captured.captured_queries if not _CONTROL.match(query["sql"]))


def test_report_case_is_three_statements(world: TownWorld, django_assert_max_num_queries) -> None:
    reporter = User.objects.get(pk=world.grid_worker_a.pk)
    world.report(reporter=reporter)  # the worker is warm: calendar, limits, areas, memberships loaded once
    # ≤ 5 with the transaction's own BEGIN (or the SAVEPOINT/RELEASE pair when nested, as here)
    with django_assert_max_num_queries(5) as captured:
        case = report_case(
            town=world.town,
            reporter=reporter,
            channel=Channel.GRID_WORKER,
            category=world.category,
            description="路边垃圾桶满溢",
            area=world.grid_a,
            now=MONDAY_0900,
        )
    if connection.vendor == "postgresql":  # one round trip: the number is drawn by the batch that writes the case
        assert shapes(captured) == [
            "SELECT ?",  # the keys of this connection's next report (this one's were reserved by the last)
            "INSERT org_counter",  # the number (upsert), read back by the case's INSERT
            "INSERT cases_case",  # with its audit head: the first action's hash
            "INSERT cases_caseaction",  # with its outbox; no rollup row: the worker adds the day's counts
        ]
        assert round_trips(captured) == 1
    else:  # in-process: no round trips to save
        assert shapes(captured) == [
            "INSERT org_counter",  # the number and the case's keys (upsert … RETURNING)
            "INSERT cases_case",
            "INSERT cases_caseaction",
        ]
        assert round_trips(captured) == 3
    assert (case.action_count, case.status) == (1, "reported")
    stored = Case.objects.get(pk=case.pk)
    first = stored.actions.get()
    assert (stored.number, stored.action_count, stored.audit_head) == (case.number, 1, first.hash)
    assert verify_case_chain(stored, [first], {}) is None


def test_reserved_keys_are_never_taken_twice(world: TownWorld) -> None:
    """A report's keys are the tables' next ones — on SQLite read under the write lock, on PostgreSQL taken
    from the sequences one report ahead (by the batch of the report before) — so reports, the ORM and the
    bulk path never take the same key."""
    first = world.report()
    later = world.report()
    assert (later.pk, later.seq, later.number) == (first.pk + 1, first.seq + 1, f"DX2026-{first.seq + 1:06d}")
    orm = Case.objects.create(
        **{
            f.attname: getattr(later, f.attname)
            for f in Case._meta.concrete_fields
            if not f.primary_key and f.attname not in ("number", "seq")
        },
        number="X-1",
        seq=999_999,
    )
    after = world.report()
    if connection.vendor == "postgresql":  # ``after``'s key was reserved by ``later``'s batch, before the ORM's
        assert (orm.pk, after.pk) == (later.pk + 2, later.pk + 1)
    else:
        assert (orm.pk, after.pk) == (later.pk + 1, later.pk + 2)
    assert Case.objects.get(pk=after.pk).number == after.number == f"DX2026-{later.seq + 1:06d}"


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
