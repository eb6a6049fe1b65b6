"""Django's SQLite backend with JSON support known from the library, lock waits logged, and writers that
queue for the write lock promptly.

SQLite's own busy handler sleeps 1, 2, 5, 10 … up to 100 ms between tries: two web workers writing ~1 ms
transactions (a report) then spend most of their time asleep while the lock is free, and beside a batch that
commits slice after slice (the demo's 2022, an import) a waiter that looks ten times a second can miss every
gap between slices until its timeout. So every wait for the write lock — ``BEGIN IMMEDIATE`` of a transaction,
and a write statement run outside one (Django's ``last_login``, a security event) — is tried with short pauses
(0.1 ms, then every 0.25 ms for the first 10 ms, then every 2 ms) for as long as the connection's busy timeout
allows, then once more the stock way, so a timeout is raised, wrapped and logged exactly as before.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable

from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX, SQLiteCursorWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper as StockWrapper

from gridgov.db.busy import log_lock_waits
from gridgov.db.sqlite3.features import DatabaseFeatures
from gridgov.types import FromDjango


@functools.lru_cache(maxsize=2048)
def _qmark(query: str) -> str:
    return FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(SQLiteCursorWrapper):
    """Django's cursor, with each statement's ``%s`` → ``?`` rewrite remembered: the ORM and the prepared
    statements (:mod:`gridgov.db.prepared`) send the same texts again and again, and rewriting a 74-column
    insert costs more than running it."""

    waits: DatabaseWrapper | None = None  # set by DatabaseWrapper.create_cursor

    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return _qmark(query) if len(query) < 8000 else FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")
        return str(super().convert_query(query, param_names=param_names))

    def execute(self, query: str, params: FromDjango = None) -> FromDjango:
        if self.waits is None or self.connection.in_transaction or not _writes(query):
            return super().execute(query, params)
        # A write outside a transaction takes the lock itself: wait for it in short steps too (it fails before
        # changing anything when the lock is taken, so trying it again is safe).
        return self.waits.patiently(lambda: super(CursorWrapper, self).execute(query, params))

    def executemany(self, query: str, param_list: FromDjango) -> FromDjango:
        if self.waits is None or self.connection.in_transaction or not _writes(query):
            return super().executemany(query, param_list)
        return self.waits.patiently(lambda: super(CursorWrapper, self).executemany(query, list(param_list)))


def _writes(query: str) -> bool:
    return query.lstrip()[:7].upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))


class DatabaseWrapper(StockWrapper):
    features_class = DatabaseFeatures
    lock_wait_started: float | None = None  # read by gridgov.db.busy.log_lock_waits

    def create_cursor(self, name: str | None = None) -> FromDjango:
        cursor = self.connection.cursor(factory=CursorWrapper)
        cursor.waits = self
        return cursor

    def __init__(self, *args: FromDjango, **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(log_lock_waits)

    def _start_transaction_under_autocommit(self) -> None:
        if getattr(self, "transaction_mode", None) != "IMMEDIATE":
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # a private Django backend method, not in the stubs
            return
        raw = self.connection
        begin = super()._start_transaction_under_autocommit  # type: ignore[misc]  # a private Django backend method, not in the stubs
        self.patiently(lambda: raw.execute("BEGIN IMMEDIATE"), last=begin)

    def patiently[T](self, attempt: Callable[[], T], *, last: Callable[[], T] | None = None) -> T:
        """``attempt`` (a statement that takes the write lock), retried in short steps while the lock is taken,
        within the connection's busy timeout; the last try (``last``, else ``attempt``) waits the stock way and
        raises, wrapped and logged, as it would have."""
        last = last or attempt
        raw = self.connection
        (wait_ms,) = raw.execute("PRAGMA busy_timeout").fetchone()
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            deadline = time.monotonic() + wait_ms / 1000
            pause = 0.0001
            while True:
                try:
                    return attempt()
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        with self.wrap_database_errors:
                            raise
                if time.monotonic() + pause >= deadline:
                    break
                try:
                    time.sleep(pause)
                except OSError:  # a clock that cannot sleep (libfaketime in tests): let SQLite wait the rest
                    remaining = max(1, int((deadline - time.monotonic()) * 1000))
                    raw.execute(f"PRAGMA busy_timeout = {remaining}")
                    return last()
                # Short polls while a report-sized transaction may be ending (a 2 ms sleep after a 0.7 ms one
                # wasted most of the wait), longer ones once it is a batch that holds the lock.
                waited = time.monotonic() - (deadline - wait_ms / 1000)
                pause = min(pause * 2, 0.00025 if waited < 0.01 else 0.002)
            raw.execute("PRAGMA busy_timeout = 1")
            self.lock_wait_started = deadline - wait_ms / 1000
            return last()  # last try: raised, logged
        finally:
            self.lock_wait_started = None
            raw.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
