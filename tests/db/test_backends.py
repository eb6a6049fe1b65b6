"""GridGov's database backends: JSON support known without asking a (possibly busy) database, and a statement
that waited too long for a lock logged with where it came from."""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import Area, SecurityEvent
from gridgov.data.org.security import record_event
from gridgov.db.sqlite3 import checkpoint
from gridgov.db.sqlite3.features import DatabaseFeatures
from tests.locks import short_lock_wait, write_lock_held

pytestmark = pytest.mark.django_db(transaction=True)
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the SQLite backend")


@sqlite_only
def test_json_support_is_known_from_the_library_without_a_query() -> None:
    assert sqlite3.sqlite_version_info >= (3, 38)  # the library this project runs on has JSON built in
    features = DatabaseFeatures(connection)
    with CaptureQueriesContext(connection) as queries:
        assert features.supports_json_field is True
    assert queries.captured_queries == []


@sqlite_only
def test_the_system_check_passes_while_another_process_holds_the_write_lock() -> None:
    """What killed runserver and db_worker at start: Django's probe took the write lock, timed out, and the
    check reported fields.E180 "SQLite does not support JSONFields"."""
    with short_lock_wait(200), write_lock_held():
        connection.features = DatabaseFeatures(connection)  # a fresh process: nothing cached yet
        call_command("check", "--fail-level", "ERROR")
        assert connection.features.supports_json_field is True


def test_a_statement_that_gives_up_waiting_is_logged_with_its_caller(caplog) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="gridgov.db.busy"),
        short_lock_wait(200),
        write_lock_held(),
        pytest.raises(OperationalError),
    ):
        record_event(kind=SecurityEventKind.LOGIN_FAILED, username="nobody")
    [record] = [r for r in caplog.records if r.name == "gridgov.db.busy"]
    assert record.levelname == "WARNING"
    message = record.getMessage()
    assert message.startswith("数据库忙：语句等待 ")
    assert 'INSERT INTO "org_securityevent"' in message
    assert re.search(r" — gridgov/data/org/security\.py:\d+ record_event$", message), message


@sqlite_only
def test_a_writer_waiting_for_the_lock_gets_it_as_soon_as_it_is_free(caplog) -> None:
    """BEGIN IMMEDIATE is retried in short steps within the busy timeout: the write happens once the other
    connection commits, and a lock held past the timeout still ends in the usual OperationalError."""
    with write_lock_held(seconds=0.3), transaction.atomic():  # waits ~0.3 s of the 20 s allowed, then writes
        record_event(kind=SecurityEventKind.LOGIN_FAILED, username="waiting-writer")
    assert SecurityEvent.objects.filter(username="waiting-writer").count() == 1
    lock = pytest.raises(OperationalError, match="locked")
    with short_lock_wait(150), write_lock_held(), lock, transaction.atomic():
        record_event(kind=SecurityEventKind.LOGIN_FAILED, username="gave-up")
    assert SecurityEvent.objects.filter(username="gave-up").count() == 0
    waited = re.search(r"语句等待 ([0-9.]+) 秒后放弃.*BEGIN IMMEDIATE", caplog.text)
    assert waited is not None
    assert float(waited[1]) >= 0.1  # the whole wait, not only the last try


def _batch_slices(stop: threading.Event, started: threading.Event) -> None:
    """A batch as the demo's 2022 build runs one: slice after slice, each holding the write lock 60 ms, with
    2 ms of work between them."""
    try:
        while not stop.is_set():
            with transaction.atomic():
                started.set()
                time.sleep(0.06)
            time.sleep(0.002)
    finally:
        started.set()
        connection.close()


@sqlite_only
def test_a_write_outside_a_transaction_gets_in_between_a_batchs_slices() -> None:
    """Sign-in writes ``last_login`` and its security event outside a transaction. SQLite's own busy handler
    looks for the lock every 100 ms after the first tries and missed the short gaps between the 2022 build's
    slices until its timeout (503 at sign-in beside the demo's build); such a write now waits in short steps,
    as BEGIN IMMEDIATE does, and gets in."""
    stop, started = threading.Event(), threading.Event()
    batch = threading.Thread(target=_batch_slices, args=(stop, started))
    batch.start()
    started.wait(10)
    try:
        with short_lock_wait(1000):
            for n in range(3):
                record_event(kind=SecurityEventKind.LOGIN_FAILED, username=f"beside-the-batch-{n}")
    finally:
        stop.set()
        batch.join(30)
    assert SecurityEvent.objects.filter(username__startswith="beside-the-batch-").count() == 3


@sqlite_only
def test_web_requests_leave_wal_checkpoints_to_the_worker(settings) -> None:
    """A web connection checkpoints only past a large log; the worker's passive checkpoint empties it."""
    connection.ensure_connection()
    (pages,) = connection.connection.execute("PRAGMA wal_autocheckpoint").fetchone()
    assert pages == settings.GRIDGOV_SQLITE_WEB_CHECKPOINT_PAGES
    Area.objects.create(code="wal-1", name="检查点", level="town", path="/wal-1/")
    Area.objects.filter(code="wal-1").update(name="检查点二")
    checkpoint._last = 0.0
    assert checkpoint.checkpoint_if_due(every=60) == 0  # every page of the log copied back
    assert checkpoint.checkpoint_if_due(every=60) is None  # not due again within the minute
