"""Rebuilding the rollups: only the rows that differ from a recount are corrected, in one short transaction."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.metrics import rollups
from gridgov.data.metrics.models import DailyRollup
from gridgov.db.prepared.sending import statements_sent
from tests.factories import at

pytestmark = pytest.mark.django_db


def writes(queries: CaptureQueriesContext) -> list[str]:
    sent = [statements_sent(q["sql"].lstrip())[0] for q in queries.captured_queries]  # a prepared one as it runs
    return [sql for sql in sent if sql.upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_a_consistent_town_is_rebuilt_without_writing(world) -> None:
    world.bring_to(Status.CLOSED, now=at(2026, 11, 16))
    world.bring_to(Status.DISPATCHED, now=at(2026, 11, 17))
    before = rollups.stored(town=world.town)
    with CaptureQueriesContext(connection) as queries:
        rows = rollups.rebuild(town=world.town)
    assert writes(queries) == []
    assert rows == len(before)
    assert rollups.stored(town=world.town) == before


def test_drifted_rows_are_corrected_by_one_upsert(world) -> None:
    world.bring_to(Status.CLOSED, now=at(2026, 11, 16))
    right = rollups.stored(town=world.town)
    DailyRollup.objects.filter(town=world.town, dim="village").update(closed=7)
    DailyRollup.objects.filter(town=world.town, dim="channel").delete()
    with CaptureQueriesContext(connection) as queries:
        rollups.rebuild(town=world.town)
    assert len(writes(queries)) == 1
    assert rollups.stored(town=world.town) == right
    assert rollups.check(town=world.town) == []


@pytest.mark.django_db(transaction=True)
def test_an_action_committed_while_a_rebuild_reads_is_kept(world) -> None:
    """The rebuild reads the recount and the stored rows from one snapshot: an action committed by another
    connection between its two reads has added its own change, which the rebuild's difference leaves alone."""
    world.bring_to(Status.CLOSED, now=at(2026, 11, 16))
    waiting = world.report(now=at(2026, 11, 17))
    rollup_table = DailyRollup._meta.db_table
    committed: list[bool] = []

    def register_elsewhere() -> None:  # another thread: its own connection, committed before the read goes on
        try:
            apply_action(case_id=waiting.pk, actor=world.operator, action=Action.REGISTER, now=at(2026, 11, 17, 10))
            committed.append(True)
        finally:
            connection.close()

    def between_the_reads(execute, sql, params, many, context):
        if rollup_table in sql and not committed:  # the stored rows are about to be read: the recount is done
            thread = threading.Thread(target=register_elsewhere)
            thread.start()
            thread.join()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(between_the_reads):
        rollups.rebuild(town=world.town)
    assert committed == [True]
    assert rollups.check(town=world.town) == []
    registered = rollups.stored(town=world.town)
    rollups.rebuild(town=world.town)  # and a quiet rebuild finds nothing to correct
    assert rollups.stored(town=world.town) == registered
