"""Another connection holding the database's write lock, as an import or a batch build does, on SQLite and on
PostgreSQL; a short lock wait for this thread's connection so that tests give up quickly; and calls released
together on their own connections (``run_together``).

Tests that use these need ``pytest.mark.django_db(transaction=True)``: the test's own transaction would
otherwise hold the SQLite write lock itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

# Tables an import writes and a request needs: a lock on them is what a request meets beside a batch job.
BUSY_TABLES = (
    "django_session",
    "org_user",
    "access_apitoken",
    "access_apikey",
    "access_idempotencyrecord",
    "access_open311submission",
    "org_counter",
    "cases_case",
    "cases_deadlinealert",
    "django_tasks_database_dbtaskresult",
    "gridgov_cache",
)


def _hold(ready: threading.Event, release: threading.Event, seconds: float) -> None:
    try:
        with transaction.atomic():  # SQLite: BEGIN IMMEDIATE, the database's one write lock
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    existing = set(connection.introspection.table_names(cursor))
                    for table in BUSY_TABLES:
                        if table in existing:
                            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # writers wait, readers not
            ready.set()
            release.wait(seconds)
    finally:
        ready.set()
        connection.close()


@contextmanager
def write_lock_held(seconds: float = 30.0) -> Iterator[threading.Thread]:
    """Another thread (its own connection) holds the write lock until the block ends, or ``seconds`` pass."""
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold, args=(ready, release, seconds))
    holder.start()
    ready.wait(30)
    try:
        yield holder
    finally:
        release.set()
        holder.join(60)


@contextmanager
def short_lock_wait(milliseconds: int = 300) -> Iterator[None]:
    """This thread's connection waits at most this long for a lock; a fresh connection afterwards."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET lock_timeout = {int(milliseconds)}")
        else:
            cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        connection.close()


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same instant; return each result or raised error."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def runner(index: int, call: Callable[[], Any]) -> None:
        try:
            _patient_lock_wait()
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _patient_lock_wait() -> None:
    """These tests are about who wins and which numbers are given, not about how long a writer waits: on a
    shared, busy machine the eight writers (and the notification deliveries after them) may queue for longer
    than a request's 6 s, so each thread waits up to 60 s for the lock."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET lock_timeout = 60000")
        else:
            cursor.execute("PRAGMA busy_timeout = 60000")
