"""How prepared statements reach the database: batches sent together, a request's short write transaction
(BEGIN with the first statement, COMMIT with the last queued ones on PostgreSQL), and PostgreSQL binding with
each statement's placeholder split kept."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import transaction as django_transaction

from gridgov.types import FromDjango, SQLValue

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------------
# Batches: several writes whose results nobody reads before the end, sent together.


@dataclass(slots=True)
class Later:
    """The row a queued statement returns (``fetch_later``): None until the batch it goes with is sent (and if
    the statement returned no row)."""

    row: tuple[SQLValue, ...] | None = None


class Queue(list[tuple[str, list[SQLValue]]]):
    """Statements waiting to be sent together, and, by position, the ``Later`` of each one whose row is wanted."""

    def __init__(self) -> None:
        super().__init__()
        self.later: dict[int, Later] = {}

    def take(self) -> tuple[list[tuple[str, list[SQLValue]]], dict[int, Later]]:
        """Empty the queue; what it held."""
        taken = (list(self), dict(self.later))
        self.clear()
        self.later.clear()
        return taken


BATCH: ContextVar[Queue | None] = ContextVar("gridgov_prepared_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Inside, ``insert`` of rows whose key is known (or not wanted) and ``execute`` are queued, and sent when
    the block ends without an exception: on PostgreSQL in one round trip (psycopg binds the values on the
    client, so one ``execute`` may carry several statements), on SQLite — in-process, no round trips — one by
    one. Use it inside a transaction, for writes nothing in the block reads back (foreign keys are checked
    at commit: Django declares them deferrable on both databases). A database error surfaces at the end of
    the block, as it would have from the statement that caused it."""
    if _OPEN.get() is not None and BATCH.get() is not None:
        yield  # inside ``transaction()`` at the top level: its queue goes out with its COMMIT
        return
    queue = Queue()
    token = BATCH.set(queue)
    try:
        yield
    finally:
        BATCH.reset(token)
    _send(*queue.take())


# ---------------------------------------------------------------------------------------------------
# A request's short write transaction. On PostgreSQL, ``atomic()`` costs two round trips of its own (BEGIN,
# then COMMIT); here BEGIN goes out with the first statement and COMMIT with the last queued ones.


@dataclass(slots=True)
class _Open:
    begun: bool = False
    queue: Queue = dataclasses.field(default_factory=Queue)
    hooks: list[Callable[[], None]] = dataclasses.field(default_factory=list)


_OPEN: ContextVar[_Open | None] = ContextVar("gridgov_prepared_open", default=None)


@contextmanager
def transaction() -> Iterator[None]:
    """One write transaction, all or nothing, as ``django.db.transaction.atomic()``.

    On PostgreSQL outside any other transaction, BEGIN is sent with the block's first statement and COMMIT
    with its last: writes inside are queued as in ``batched()`` and go out with COMMIT; a statement that
    returns rows goes out at once (with what is queued before it). Everything inside must go through this
    module (no ORM writes, no nested ``atomic()``); ``on_commit`` callbacks run after the COMMIT. Elsewhere
    (SQLite: in-process, no round trips; or inside a transaction already) it is ``atomic()``."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.in_atomic_block or not db.get_autocommit():
        with django_transaction.atomic():
            yield
        return
    state = _Open()
    opened, batch = _OPEN.set(state), BATCH.set(state.queue)
    try:
        yield
        BATCH.reset(batch)
        state.queue.append(("COMMIT", []))
        _send(*state.queue.take())
    except BaseException:
        if state.begun:
            _roll_back(db)
        raise
    finally:
        _OPEN.reset(opened)
        if BATCH.get() is state.queue:
            BATCH.reset(batch)
    for hook in state.hooks:
        try:
            hook()
        except Exception:  # as on_commit(robust=True): the transaction is committed; say so and go on
            logger.exception("after-commit callback %r failed", hook)


def _roll_back(db: FromDjango) -> None:
    try:
        with db.cursor() as cursor:
            cursor.execute("ROLLBACK")
    except Exception:  # the connection is gone: it will not be reused with the transaction open
        db.close()


def on_commit(hook: Callable[[], None]) -> None:
    """Run ``hook`` once the current transaction commits (``transaction.on_commit(hook, robust=True)``)."""
    state = _OPEN.get()
    if state is not None:
        state.hooks.append(hook)
    else:
        django_transaction.on_commit(hook, robust=True)


def _send(statements: list[tuple[str, list[SQLValue]]], later: dict[int, Later]) -> None:
    if not statements:
        return
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        run_all(cursor, statements, later=later)


# ---------------------------------------------------------------------------------------------------
# Binding on PostgreSQL: psycopg binds values on the client (Django's default), but it parses a statement
# for its placeholders anew on every call once the text is over 4 KB or has over 50 values — as a case's
# INSERT and every batch are. The statements here never change, so their split is kept per text and only
# the values are quoted (by psycopg's own adapters: what it would have sent).

_TEMPLATES: dict[str, tuple[str, int]] = {}


def _template(sql: str) -> tuple[str, int]:
    """The statement as a ``%`` template whose only placeholders are its values' (any other ``%`` doubled), and
    how many values it takes."""
    kept = _TEMPLATES.get(sql)
    if kept is None:
        if len(_TEMPLATES) >= 512:  # the texts come from bounded caches; this only guards against a leak
            _TEMPLATES.clear()
        assert "%%" not in sql, sql
        assert "%(" not in sql, sql
        parts = sql.split("%s")
        kept = _TEMPLATES[sql] = ("%s".join(part.replace("%", "%%") for part in parts), len(parts) - 1)
    return kept


def run(cursor: FromDjango, sql: str, params: Sequence[SQLValue]) -> None:
    """``cursor.execute(sql, params)``; on PostgreSQL with the values bound here (see above)."""
    run_all(cursor, [(sql, params)])


def run_all(
    cursor: FromDjango, statements: Sequence[tuple[str, Sequence[SQLValue]]], *, later: dict[int, Later] | None = None
) -> None:
    """Run ``statements`` (SQL, values): on PostgreSQL bound here and sent in one ``execute`` (one round trip;
    their results, if any, follow one another: ``cursor.nextset()``), elsewhere one by one. ``later``: the
    statements (by position) whose first row is wanted, each put into its ``Later``."""
    db = cursor.db
    if db.vendor != "postgresql":
        for position, (sql, params) in enumerate(statements):
            cursor.execute(sql, params)
            if later and position in later:
                later[position].row = _first_row(cursor)
        return
    literal = _literal(db)
    encoding = db.connection.info.encoding
    texts: list[str] = []
    state = _OPEN.get()
    begin = state is not None and not state.begun
    if begin:
        assert state is not None
        texts.append("BEGIN")
        state.begun = True
    kept = _server_statements(db)
    prepares: list[str] = []  # sent first (after BEGIN): their results are passed over below
    sent: list[str] = []
    for sql, params in statements:
        template, count = _template(sql)
        assert count == len(params), (sql, len(params))
        values = tuple([_plain_literal(value) or literal(value).decode(encoding) for value in params])
        name = kept.name(sql, count, prepares) if kept is not None else None
        sent.append(f"EXECUTE {name}({', '.join(values)})" if name is not None else template % values)
    try:
        cursor.execute("; ".join(texts + prepares + sent))
    except BaseException as error:
        if kept is not None:
            kept.forget_unconfirmed()
            if getattr(error.__cause__, "sqlstate", None) == "26000":  # the session lost them (DISCARD ALL)
                kept.names.clear()
        raise
    if kept is not None:
        kept.confirm()
    raw = cursor.cursor  # psycopg's own cursor: the results below are read without Django's wrapper
    for _ in range(len(texts) + len(prepares)):
        raw.nextset()  # past BEGIN's and PREPAREs' results: the cursor shows the first statement's
    if not later:
        return
    for position in range(max(later) + 1):
        if position in later:
            later[position].row = _returned_row(raw)
        raw.nextset()


def _returned_row(raw: FromDjango) -> tuple[SQLValue, ...] | None:
    """The first row of the psycopg cursor's current result, None if it has none (read from its status, not
    from ``description``, which builds every column's description)."""
    result = raw.pgresult
    if result is None or result.status != _TUPLES_OK:
        return None
    row = raw.fetchone()
    return tuple(row) if row is not None else None


_TUPLES_OK = 2  # psycopg.pq.ExecStatus.TUPLES_OK (libpq's PGRES_TUPLES_OK)


def _first_row(cursor: FromDjango) -> tuple[SQLValue, ...] | None:
    if cursor.description is None:
        return None
    row = cursor.fetchone()
    return tuple(row) if row is not None else None


# ---------------------------------------------------------------------------------------------------
# Server-side prepared statements on PostgreSQL. Parsing and planning a report's long INSERTs with their
# inlined values costs the server more than executing them; a statement this process sends again and again is
# prepared once per connection (``PREPARE gridgov_N AS …`` sent with its first use, in the same round trip) and
# then sent as ``EXECUTE gridgov_N(values)``. The values stay literals bound here, so nothing changes in how
# they are quoted, and psycopg's own placeholder handling is not involved. Only INSERTs are prepared: their
# parameters take the types of the columns they fill. ``GRIDGOV_PG_PREPARE=0`` turns this off (a pooler in
# transaction mode, e.g. PgBouncer, does not keep a session's prepared statements).

PREPARE_AFTER_USES = 3  # a text sent this many times by the process is worth preparing
PREPARED_PER_CONNECTION = 100  # at most this many per connection (bulk paths send texts of many lengths)
PREPARED_VALUES = 1000  # a statement with more values (a bulk insert's) is sent as it is
_USES: dict[str, int] = {}


class _ServerStatements:
    """The statements prepared on one PostgreSQL connection, by SQL text."""

    __slots__ = ("names", "raw", "unconfirmed")

    def __init__(self, raw: object) -> None:
        self.raw = raw
        self.names: dict[str, str] = {}
        self.unconfirmed: list[str] = []

    def name(self, sql: str, count: int, prepares: list[str]) -> str | None:
        """The prepared statement's name for ``sql``, adding its ``PREPARE`` to ``prepares`` if it is prepared
        now; None when it is sent as it is."""
        known = self.names.get(sql)
        if known is not None:
            return known
        if (
            not 0 < count <= PREPARED_VALUES
            or not sql.startswith("INSERT ")
            or len(self.names) >= PREPARED_PER_CONNECTION
        ):
            return None
        uses = _USES.get(sql, 0) + 1
        if len(_USES) >= 2048:  # bounded like the templates
            _USES.clear()
        _USES[sql] = uses
        if uses < PREPARE_AFTER_USES:
            return None
        # A fresh name each time: if the round trip that carried a PREPARE fails, whether it ran is unknown.
        _SERIAL[0] += 1
        name = f"gridgov_{_SERIAL[0]}"
        parts = sql.split("%s")
        numbered = "".join(part + (f"${i + 1}" if i < count else "") for i, part in enumerate(parts))
        prepares.append(f"PREPARE {name} AS {numbered}")
        self.names[sql] = name
        self.unconfirmed.append(sql)
        return name

    def confirm(self) -> None:
        self.unconfirmed.clear()

    def forget_unconfirmed(self) -> None:
        for sql in self.unconfirmed:
            self.names.pop(sql, None)
        self.unconfirmed.clear()


_SERIAL = [0]
_EXECUTE = re.compile(r"EXECUTE (gridgov_\d+)\(")


def statements_sent(text: str) -> list[str]:
    """The statements a text sent by ``run_all`` on this connection stands for, one by one: ``PREPARE`` left
    out, each ``EXECUTE gridgov_N(…)`` shown as the statement it runs (with ``%s`` where its values go) — for
    tests and logs that read what was sent."""
    kept = getattr(connections[DEFAULT_DB_ALIAS], "_gridgov_statements", None)
    by_name = {name: sql for sql, name in kept.names.items()} if isinstance(kept, _ServerStatements) else {}
    found = []
    for statement in text.split("; "):
        if statement.startswith("PREPARE gridgov_"):
            continue
        named = _EXECUTE.match(statement)
        found.append(by_name.get(named.group(1), statement) if named else statement)
    return found


def _server_statements(db: FromDjango) -> _ServerStatements | None:
    """This connection's prepared statements (kept while the connection lives), or None when turned off."""
    if not settings.GRIDGOV_PG_PREPARE:
        return None
    raw = db.connection
    kept = getattr(db, "_gridgov_statements", None)
    if kept is None or kept.raw is not raw:
        kept = _ServerStatements(raw)
        db._gridgov_statements = kept
    return cast(_ServerStatements, kept)


def _plain_literal(value: SQLValue) -> str:
    """The literal of the commonest values, as psycopg writes it, without its adapters' calls (a report binds
    about 230 values): NULL, booleans, integers and text with nothing to escape; "" for anything else."""
    kind = type(value)
    if value is None:
        return "NULL"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value) if value >= 0 else f" {value}"  # psycopg's space: no "--" after a minus sign
    if kind is str and "'" not in value and "\\" not in value and "\x00" not in value:
        return f"'{value}'"
    return ""


def _literal(db: FromDjango) -> Callable[[SQLValue], bytes]:
    """The connection's ``Transformer.as_literal`` (kept while the connection lives)."""
    raw = db.connection
    kept = getattr(db, "_gridgov_literal", None)
    if kept is None or kept[0] is not raw:
        from psycopg.adapt import Transformer

        kept = (raw, Transformer(raw).as_literal)
        db._gridgov_literal = kept
    return cast(Callable[[SQLValue], bytes], kept[1])


def fetch_one(sql: str, params: Sequence[SQLValue]) -> tuple[SQLValue, ...] | None:
    """Run one statement that returns a row (``SELECT``, or a write with ``RETURNING``) and return its first
    row — after what is queued before it."""
    flush_queue(BATCH.get())
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        run(cursor, sql, params)
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def fetch_later(sql: str, params: Sequence[SQLValue]) -> Later:
    """Inside ``batched()``: queue one statement that returns a row, and get the row once the batch is sent
    (``Later.row``) — a number the batch draws, say, without a round trip of its own. Outside: run it now."""
    queue = BATCH.get()
    if queue is None:
        return Later(fetch_one(sql, params))
    kept = queue.later[len(queue)] = Later()
    queue.append((sql, list(params)))
    return kept


def execute(sql: str, params: Sequence[SQLValue]) -> None:
    """Run one write statement (whose result is not read) — queued when inside ``batched()``."""
    queue = BATCH.get()
    if queue is not None:
        queue.append((sql, list(params)))
        return
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        run(cursor, sql, params)


def flush_queue(queue: Queue | None) -> None:
    """A statement that must run now (it returns something) runs after what was queued before it."""
    if queue:
        _send(*queue.take())


def send_queued() -> None:
    """Inside ``batched()``: send what is queued now (before a write that does not go through this module)."""
    flush_queue(BATCH.get())
