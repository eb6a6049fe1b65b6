"""A database that cannot answer in time: recognise it, and log the statement that waited.

SQLite answers "database is locked" when its busy timeout ends while another connection holds the write lock;
PostgreSQL raises for a lock_timeout or statement_timeout, a deadlock, or a lost connection. Django wraps all
of these in :class:`django.db.OperationalError`. None of them means the request was wrong: the web answers
503 with Retry-After (:mod:`gridgov.middleware`) and the workers wait and try again (:mod:`gridgov.db.loops`).
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

from gridgov.types import FromDjango, SQLValue

logger = logging.getLogger("gridgov.db.busy")

_GIVING_WAY: ContextVar[bool] = ContextVar("gridgov_giving_way", default=False)  # inside not_waiting()
_STATEMENT_CHARS = 500  # enough to recognise the statement; parameters are never logged (personal data)


def is_lock_timeout(exc: BaseException) -> bool:
    """True for the errors of a database that was busy (a lock not granted in time), not of a wrong query."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(getattr(cause, "diag", None), "sqlstate", None)
    if sqlstate in ("55P03", "57014", "40P01", "40001"):  # lock not available, query canceled, deadlock, serialization
        return True
    text = str(exc).lower()
    return "locked" in text or "busy" in text or "timeout" in text


def describe(exc: BaseException) -> str:
    """The first line of an error's message (PostgreSQL's go on with the statement and a caret)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def log_lock_waits(
    execute: Callable[..., FromDjango], sql: str, params: SQLValue, many: bool, context: FromDjango
) -> FromDjango:
    """A connection execute wrapper: when a statement fails with OperationalError, log which one and how long it
    waited, then let the error go on. Installed on every connection by GridGov's backends."""
    started = time.monotonic()
    try:
        return execute(sql, params, many, context)
    except OperationalError as exc:
        connection = context.get("connection")
        if _GIVING_WAY.get():
            raise  # a best-effort write that gives way (see not_waiting): not worth a warning
        # A backend that already waited for this statement in its own retries says since when.
        waited = time.monotonic() - (getattr(connection, "lock_wait_started", None) or started)
        alias = getattr(connection, "alias", "?")
        statement = " ".join(str(sql).split())[:_STATEMENT_CHARS]
        where = _caller()
        if is_lock_timeout(exc):
            logger.warning(
                "数据库忙：语句等待 %.1f 秒后放弃（%s）[%s] %s — %s", waited, describe(exc), alias, statement, where
            )
        else:
            logger.warning("数据库错误（%s）[%s] %s — %s", describe(exc), alias, statement, where)
        raise


def _caller() -> str:
    """The innermost GridGov code that ran the statement (with IMMEDIATE transactions on SQLite the statement
    that waits is ``BEGIN IMMEDIATE``: where it was issued says which write it was)."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        name = frame.filename.replace("\\", "/")
        if "/gridgov/" in name and "/gridgov/db/" not in name and "/gridgov/middleware" not in name:
            return f"{name[name.rindex('/gridgov/') + 1 :]}:{frame.lineno} {frame.name}"
    return "?"


@contextmanager
def not_waiting(alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A best-effort write (a "last used" time, a counter of views) that gives way to a batch holding the write
    lock instead of making a read wait for it: the block's statements do not wait for a lock, and when the
    database is busy the block is skipped silently. Inside a transaction that already writes, the block runs
    as any other statement (the transaction waited for its lock when it began)."""
    db = connections[alias]
    if db.in_atomic_block:
        yield
        return
    db.ensure_connection()
    giving_way = _GIVING_WAY.set(True)
    try:
        if db.vendor == "sqlite":
            raw = db.connection
            (wait_ms,) = raw.execute("PRAGMA busy_timeout").fetchone()
            raw.execute("PRAGMA busy_timeout = 0")
            try:
                yield
            finally:
                raw.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        else:
            with transaction.atomic(using=alias):
                with db.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = 1")  # milliseconds; ends with this transaction
                yield
    except OperationalError as exc:
        if not is_lock_timeout(exc):
            raise
        logger.debug("数据库忙：跳过一次可省略的写入（%s）", describe(exc))
    finally:
        _GIVING_WAY.reset(giving_way)
