"""Reads that see the database as of one moment, without taking the write lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def one_snapshot() -> Iterator[None]:
    """Inside, every read sees the same committed state, whatever other connections commit meanwhile; nothing
    inside may write.

    PostgreSQL: a ``REPEATABLE READ READ ONLY`` transaction. SQLite: a deferred transaction — in WAL mode its
    first read fixes what it sees and writers go on committing (Django's ``atomic()`` would begin IMMEDIATE,
    taking the write lock every request waits for). Inside a transaction already, its reads are what they are.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if db.in_atomic_block:
        yield
        return
    if db.vendor == "postgresql":
        with transaction.atomic():
            with db.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    with db.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with db.cursor() as cursor:
            cursor.execute("ROLLBACK")  # it wrote nothing
