"""Another connection holding the database's write lock, as an import or a batch build does, on SQLite and on
PostgreSQL; and a short lock wait for this thread's connection so that tests give up quickly.

Tests that use these need ``pytest.mark.django_db(transaction=True)``: the test's own transaction would
otherwise hold the SQLite write lock itself.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
