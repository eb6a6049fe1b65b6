"""Statements built once per process for the few writes and reads every API call makes.

Django compiles each ORM statement anew: for a 74-column case that is more time than SQLite takes to
insert it. Intake (``POST /api/cases``: token, memberships, case, action, idempotency record) runs a
handful of statements whose shape never changes, so their SQL text is built once per model and database
and only the values are bound per call. Values still go through each field's own ``pre_save`` and
``get_db_prep_save`` (and, for reads, the backend's and field's converters), exactly as the ORM does.

Anything with behaviour these shortcuts would skip — ``pre_save``/``post_save`` receivers on the model,
database-side defaults — falls back to the ORM, so the result is always what ``save()`` would have written.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db import transaction as django_transaction
from django.db.models import Field, Model
from django.db.models.base import ModelState
from django.db.models.signals import ModelSignal, post_init, post_save, pre_init, pre_save
from django.dispatch.dispatcher import NO_RECEIVERS
from django.utils import timezone

logger = logging.getLogger(__name__)

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True, slots=True)
class _Insert:
    sql: str
    fields: tuple[Field[Any, Any], ...]
    returns_pk: bool
    # Per field: the one Python type whose values the field stores as they are (None stores as NULL; ``str``
    # also takes its subclasses — TextChoices members — as a CharField's get_db_prep_save does; ``datetime``:
    # an aware one goes through ``moment``), ``_Stamp`` for auto_now(_add), or None when every value goes
    # through the field's own pre_save/get_db_prep_save (type(None): only None passes).
    plain: tuple[type | None, ...]
    positions: dict[str, int]  # attname → position among ``fields``
    attnames: tuple[str, ...]
    # For plain ``datetime`` columns: what the backend makes of an aware datetime (``adapt_datetimefield_value``).
    moment: Callable[[datetime], Any]


# Field classes (exactly these, not subclasses: an encrypted text field is a TextField) whose
# ``get_db_prep_save`` returns a value of the given type unchanged and whose ``pre_save`` reads the attribute.
_PLAIN: dict[type, type] = {
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
}


# Field classes (exactly these) whose ``get_db_prep_save`` of None is None: an empty column costs no call.
_NONE_AS_NULL: frozenset[type] = frozenset(
    {models.DateTimeField, models.DateField, models.DecimalField, models.FloatField}
)


def _heard(model: type[Model], *signals: ModelSignal) -> bool:
    """Whether any of ``signals`` has receivers for ``model`` — from the signal's own per-sender cache when it
    holds the answer (Django empties it whenever a receiver connects or disconnects)."""
    for signal in signals:
        if signal.sender_receivers_cache.get(model) is not NO_RECEIVERS and signal.has_listeners(model):
            return True
    return False


def _plain_type(field: Field[Any, Any]) -> type | None:
    if isinstance(field, models.ForeignKey) and type(field) is models.ForeignKey:
        return _plain_type(field.target_field)
    return _PLAIN.get(type(field))


def _column(field: Any) -> str:
    """The quoted column of a concrete field (or of a model's primary key)."""
    db = connections[DEFAULT_DB_ALIAS]
    column = field.column
    assert isinstance(column, str)
    return str(db.ops.quote_name(column))


_INSERTS: dict[tuple[str, type[Model], bool, bool], _Insert | None] = {}


# ---------------------------------------------------------------------------------------------------
# Batches: several writes whose results nobody reads before the end, sent together.

_BATCH: ContextVar[list[tuple[str, list[Any]]] | None] = ContextVar("gridgov_prepared_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Inside, ``insert`` of rows whose key is known (or not wanted) and ``execute`` are queued, and sent when
    the block ends without an exception: on PostgreSQL in one round trip (psycopg binds the values on the
    client, so one ``execute`` may carry several statements), on SQLite — in-process, no round trips — one by
    one. Use it inside a transaction, for writes nothing in the block reads back (foreign keys are checked
    at commit: Django declares them deferrable on both databases). A database error surfaces at the end of
    the block, as it would have from the statement that caused it."""
    if _OPEN.get() is not None and _BATCH.get() is not None:
        yield  # inside ``transaction()`` at the top level: its queue goes out with its COMMIT
        return
    queue: list[tuple[str, list[Any]]] = []
    token = _BATCH.set(queue)
    try:
        yield
    finally:
        _BATCH.reset(token)
    _send(queue)


# ---------------------------------------------------------------------------------------------------
# A request's short write transaction. On PostgreSQL, ``atomic()`` costs two round trips of its own (BEGIN,
# then COMMIT); here BEGIN goes out with the first statement and COMMIT with the last queued ones.


@dataclass(slots=True)
class _Open:
    begun: bool = False
    queue: list[tuple[str, list[Any]]] = dataclasses.field(default_factory=list)
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
    opened, batch = _OPEN.set(state), _BATCH.set(state.queue)
    try:
        yield
        _BATCH.reset(batch)
        state.queue.append(("COMMIT", []))
        _send(state.queue)
    except BaseException:
        if state.begun:
            _roll_back(db)
        raise
    finally:
        _OPEN.reset(opened)
        if _BATCH.get() is state.queue:
            _BATCH.reset(batch)
    for hook in state.hooks:
        try:
            hook()
        except Exception:  # as on_commit(robust=True): the transaction is committed; say so and go on
            logger.exception("after-commit callback %r failed", hook)


def _roll_back(db: Any) -> None:
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


def _send(queue: list[tuple[str, list[Any]]]) -> None:
    if not queue:
        return
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        _run_all(cursor, queue)


# ---------------------------------------------------------------------------------------------------
# Binding on PostgreSQL: psycopg binds values on the client (Django's default), but it parses a statement
# for its placeholders anew on every call once the text is over 4 KB or has over 50 values — as a case's
# INSERT and every batch are. The statements here never change, so their split is kept per text and only
# the values are quoted (by psycopg's own adapters: what it would have sent).

_SPLITS: dict[str, tuple[str, ...]] = {}


def _split(sql: str) -> tuple[str, ...]:
    parts = _SPLITS.get(sql)
    if parts is None:
        if len(_SPLITS) >= 512:  # the texts come from bounded caches; this only guards against a leak
            _SPLITS.clear()
        assert "%%" not in sql, sql
        assert "%(" not in sql, sql
        parts = _SPLITS[sql] = tuple(sql.split("%s"))
    return parts


def _run(cursor: Any, sql: str, params: Sequence[Any]) -> None:
    """``cursor.execute(sql, params)``; on PostgreSQL with the values bound here (see above)."""
    _run_all(cursor, [(sql, params)])


def _run_all(cursor: Any, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """Run ``statements`` (SQL, values): on PostgreSQL bound here and sent in one ``execute`` (one round trip;
    their results, if any, follow one another: ``cursor.nextset()``), elsewhere one by one."""
    db = cursor.db
    if db.vendor != "postgresql":
        for sql, params in statements:
            cursor.execute(sql, params)
        return
    literal = _literal(db)
    encoding = db.connection.info.encoding
    pieces: list[str] = []
    state = _OPEN.get()
    begin = state is not None and not state.begun
    if begin:
        assert state is not None
        pieces.append("BEGIN")
        state.begun = True
    for sql, params in statements:
        if pieces:
            pieces.append("; ")
        parts = _split(sql)
        assert len(parts) == len(params) + 1, (sql, len(params))
        pieces.append(parts[0])
        for value, part in zip(params, parts[1:], strict=True):
            pieces.append(literal(value).decode(encoding))
            pieces.append(part)
    cursor.execute("".join(pieces))
    if begin:
        cursor.nextset()  # past BEGIN's result: the cursor shows the first statement's, as without it


def _literal(db: Any) -> Callable[[Any], bytes]:
    """The connection's ``Transformer.as_literal`` (kept while the connection lives)."""
    raw = db.connection
    kept = getattr(db, "_gridgov_literal", None)
    if kept is None or kept[0] is not raw:
        from psycopg.adapt import Transformer

        kept = (raw, Transformer(raw).as_literal)
        db._gridgov_literal = kept
    return cast(Callable[[Any], bytes], kept[1])


def fetch_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """Run one statement that returns a row (``SELECT``, or a write with ``RETURNING``) and return its first
    row — after what is queued before it."""
    _send_queued(_BATCH.get())
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        _run(cursor, sql, params)
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def execute(sql: str, params: Sequence[Any]) -> None:
    """Run one write statement (whose result is not read) — queued when inside ``batched()``."""
    queue = _BATCH.get()
    if queue is not None:
        queue.append((sql, list(params)))
        return
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        _run(cursor, sql, params)


def _compile_insert(model: type[Model], *, with_pk: bool, returning: bool = True) -> _Insert | None:
    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    if any(f.has_db_default() or f.generated for f in meta.concrete_fields):
        return None  # the database computes a value: let the ORM handle it
    fields = tuple(f for f in meta.concrete_fields if with_pk or f is not meta.pk)
    columns = ", ".join(_column(f) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {db.ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks})"
    returns_pk = not with_pk and returning
    if returns_pk:
        sql += f" RETURNING {_column(meta.pk)}"
    moment = _moment(db)
    plain = tuple(
        ((_Stamp if _has_pre_save(f) else datetime) if moment is not None and type(f) is models.DateTimeField else None)
        or _plain_type(f)
        or (type(None) if type(f) in _NONE_AS_NULL and not _has_pre_save(f) else None)
        for f in fields
    )
    return _Insert(
        sql,
        fields,
        returns_pk,
        plain,
        {f.attname: i for i, f in enumerate(fields)},
        tuple(f.attname for f in fields),
        moment or str,
    )


def _moment(db: Any) -> Callable[[datetime], Any] | None:
    """The backend's ``adapt_datetimefield_value`` of an aware datetime (time zones on), as one step."""
    if not settings.USE_TZ:
        return None
    if db.vendor == "postgresql":  # psycopg adapts aware datetimes itself
        return lambda value: value
    if db.vendor == "sqlite":  # naive in the connection's zone, as text
        zone = db.timezone
        return lambda value: str(value.astimezone(zone).replace(tzinfo=None))
    return None


class _Stamp:
    """Marks a ``DateTimeField`` with ``auto_now``/``auto_now_add`` in ``_Insert.plain``."""


def _values(obj: Model, compiled: _Insert, db: Any) -> list[Any]:
    """Each field's value as ``save()`` would send it: plain values as they are, the rest through the field's
    ``pre_save`` and ``get_db_prep_save``."""
    data = obj.__dict__
    moment = compiled.moment
    stamp: datetime | None = None
    values: list[Any] = []
    for attname, plain, field in zip(compiled.attnames, compiled.plain, compiled.fields, strict=True):
        if plain is _Stamp:  # auto_now(_add): the moment of the insert, set on the row as pre_save would
            stamp = stamp or timezone.now()
            data[attname] = stamp
            values.append(moment(stamp))
            continue
        if plain is not None and attname in data:
            value = data[attname]
            if value is None or type(value) is plain or (plain is str and isinstance(value, str)):
                if plain is datetime and value is not None:
                    when = cast(datetime, value)
                    if when.utcoffset() is not None:
                        values.append(moment(when))
                        continue
                else:
                    values.append(value)
                    continue
        values.append(field.get_db_prep_save(field.pre_save(obj, True), db))
    return values


def _has_pre_save(field: Field[Any, Any]) -> bool:
    """Whether saving sets the value (``auto_now``/``auto_now_add``): then it must go through ``pre_save``."""
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def insert[M: Model](obj: M, *, returning: bool = True) -> M:
    """Insert a new ``obj`` in one statement and set its primary key — ``save(force_insert=True)``'s result.
    ``returning=False``: the database's new key is not wanted (``obj.pk`` stays None), so inside ``batched()``
    the row can be queued like one whose key was set beforehand."""
    db = connections[DEFAULT_DB_ALIAS]
    model = type(obj)
    queue = _BATCH.get()
    if _heard(model, pre_save, post_save):
        _send_queued(queue)
        obj.save(force_insert=True)
        return obj
    with_pk = obj.pk is not None
    key = (db.alias, model, with_pk, returning)
    if key not in _INSERTS:
        _INSERTS[key] = _compile_insert(model, with_pk=with_pk, returning=returning)
    compiled = _INSERTS[key]
    if compiled is None:
        _send_queued(queue)
        obj.save(force_insert=True)
        return obj
    values = _values(obj, compiled, db)
    if queue is not None and not compiled.returns_pk:
        queue.append((compiled.sql, values))
    else:
        _send_queued(queue)
        with db.cursor() as cursor:
            _run(cursor, compiled.sql, values)
            if compiled.returns_pk:
                setattr(obj, model._meta.pk.attname, cursor.fetchone()[0])
    obj._state.adding = False
    obj._state.db = db.alias
    return obj


@dataclass(frozen=True, slots=True)
class _Blueprint:
    attnames: tuple[str, ...]
    positions: dict[str, int]  # attname, "pk" and (for a foreign key) its name → position among the fields
    defaults: tuple[Any, ...]  # the fields' defaults that are values (the same for every new row)
    factories: tuple[tuple[int, Callable[[], Any]], ...]  # the defaults that are made anew for each row
    links: dict[str, Field[Any, Any]]  # foreign key name → field


_BLUEPRINTS: dict[type[Model], _Blueprint] = {}


def _blueprint(model: type[Model]) -> _Blueprint:
    found = _BLUEPRINTS.get(model)
    if found is None:
        fields = model._meta.concrete_fields
        positions = {f.attname: i for i, f in enumerate(fields)}
        positions["pk"] = positions[model._meta.pk.attname]
        links = {f.name: f for f in fields if f.many_to_one}
        for name, link in links.items():
            positions[name] = positions[link.attname]
        factories = tuple((i, f.default) for i, f in enumerate(fields) if f.has_default() and callable(f.default))
        dynamic = {i for i, _ in factories}
        defaults = tuple(None if i in dynamic else f.get_default() for i, f in enumerate(fields))
        found = _BLUEPRINTS[model] = _Blueprint(tuple(f.attname for f in fields), positions, defaults, factories, links)
    return found


def new[M: Model](model: type[M], **values: Any) -> M:
    """``model(**values)`` — a new, unsaved row with the other fields at their defaults, related objects
    cached — built the way the ORM builds a row it reads (positional values), which for a wide model is
    about ten times cheaper than keyword arguments. ``values`` are named by field name, attname or ``pk``;
    a foreign key given by its name takes the related object (or None)."""
    blueprint = _blueprint(model)
    row = list(blueprint.defaults)
    for position, factory in blueprint.factories:
        row[position] = factory()
    related: list[tuple[Field[Any, Any], Model | None]] = []
    for name, value in values.items():
        link = blueprint.links.get(name)
        if link is not None:
            related.append((link, value))
            value = None if value is None else getattr(value, link.target_field.attname)  # type: ignore[attr-defined]
        row[blueprint.positions[name]] = value
    if _heard(model, pre_init, post_init):
        obj = model(*row)
    else:  # what ``Model.__init__`` does with positional values, without its per-field descriptor calls
        obj = model.__new__(model)
        obj._state = ModelState()
        obj.__dict__.update(zip(blueprint.attnames, row, strict=True))
    for link, other in related:
        link.set_cached_value(obj, other)  # type: ignore[attr-defined]
    return obj


@dataclass(slots=True)
class Staged:
    """A new row's INSERT with its values prepared ahead (``stage``), so that a writing transaction only
    fills in what it alone knows (keys, numbers, hashes: ``set``) and sends it (``insert_staged``)."""

    obj: Model
    compiled: _Insert
    values: list[Any]

    def set(self, **changes: Any) -> None:
        """Set attributes (by attname) on the object and their prepared values in the statement."""
        db = connections[DEFAULT_DB_ALIAS]
        for attname, value in changes.items():
            setattr(self.obj, attname, value)
            position = self.compiled.positions[attname]
            self.values[position] = _prepare(
                self.obj, self.compiled.fields[position], self.compiled.plain[position], db
            )


def _prepare(obj: Model, field: Field[Any, Any], plain: type | None, db: Any) -> Any:
    if plain is not None:
        value = getattr(obj, field.attname)
        if value is None or (type(value) is plain and plain is not datetime):
            return value
    return field.get_db_prep_save(field.pre_save(obj, True), db)


def stage(obj: Model) -> Staged | None:
    """Prepare the INSERT of ``obj`` with its primary key given (to be set later); None when the model needs
    ``save()`` (receivers, database defaults) — then call ``insert`` instead."""
    db = connections[DEFAULT_DB_ALIAS]
    model = type(obj)
    if _heard(model, pre_save, post_save):
        return None
    key = (db.alias, model, True, True)
    if key not in _INSERTS:
        _INSERTS[key] = _compile_insert(model, with_pk=True)
    compiled = _INSERTS[key]
    if compiled is None:
        return None
    values = _values(obj, compiled, db)
    return Staged(obj, compiled, values)


def insert_staged(staged: Staged) -> Model:
    """Send a staged INSERT (queued inside ``batched()``); its key must have been ``set``."""
    assert staged.obj.pk is not None, "set the primary key of a staged row first"
    db = connections[DEFAULT_DB_ALIAS]
    queue = _BATCH.get()
    if queue is not None:
        queue.append((staged.compiled.sql, staged.values))
    else:
        with db.cursor() as cursor:
            _run(cursor, staged.compiled.sql, staged.values)
    staged.obj._state.adding = False
    staged.obj._state.db = db.alias
    return staged.obj


def _send_queued(queue: list[tuple[str, list[Any]]] | None) -> None:
    """A statement that must run now (it returns something) runs after what was queued before it."""
    if queue:
        _send(list(queue))
        queue.clear()


def send_queued() -> None:
    """Inside ``batched()``: send what is queued now (before a write that does not go through this module)."""
    _send_queued(_BATCH.get())


_NEXT_PK: dict[tuple[str, type[Model]], str] = {}


def next_pk_sql(model: type[Model]) -> str:
    """A SQL expression that reserves the next primary key of ``model``'s table, to be evaluated inside the
    writing transaction (e.g. in the ``RETURNING`` list of another statement of it), so that a row's key is
    known before the row is written — its audit hash covers it — without a statement of its own.

    PostgreSQL: ``nextval`` of the column's sequence (a key reserved by a transaction that rolls back is
    skipped, as any insert's would be). SQLite: one past the larger of the table's last key and its
    ``AUTOINCREMENT`` high-water mark in ``sqlite_sequence`` (as ``bulk`` reserves keys); every write
    transaction here begins ``IMMEDIATE`` (``gridgov.db.sqlite3``), so no other writer can take the same key
    before the row is inserted, and inserting it moves the mark."""
    db = connections[DEFAULT_DB_ALIAS]
    key = (db.alias, model)
    if key not in _NEXT_PK:
        table = model._meta.db_table
        column = model._meta.pk.column
        if db.vendor == "postgresql":
            with db.cursor() as cursor:
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [db.ops.quote_name(table), column])
                sequence = cursor.fetchone()[0]
            assert sequence, f"{table}.{column} has no sequence"
            _NEXT_PK[key] = f"nextval('{sequence}'::regclass)"
        elif db.vendor == "sqlite":
            # the larger of the last key and the high-water mark (which a deleted last row leaves behind)
            quoted = db.ops.quote_name(table)
            _NEXT_PK[key] = (
                f"(SELECT COALESCE(MAX(n), 0) + 1 FROM (SELECT MAX({_column(model._meta.pk)}) AS n FROM {quoted} "
                f"UNION ALL SELECT seq FROM sqlite_sequence WHERE name = '{table}'))"
            )
        else:  # pragma: no cover - the two databases GridGov runs on
            raise NotImplementedError(db.vendor)
    return _NEXT_PK[key]


_UPDATES: dict[tuple[str, type[Model], tuple[str, ...], str], tuple[str, tuple[Field[Any, Any], ...]]] = {}


def update(obj: Model, fields: Sequence[str], *, only_if: tuple[str, Any] | None = None) -> int:
    """``UPDATE`` the named fields of ``obj``'s row to its attributes' values, as ``QuerySet.update`` would
    (no signals, no ``auto_now``: the caller sets what it means); ``only_if=(field, value)`` changes the row
    only while that field still holds ``value`` (an optimistic version check). The number of rows changed."""
    db = connections[DEFAULT_DB_ALIAS]
    model = type(obj)
    key = (db.alias, model, tuple(fields), only_if[0] if only_if else "")
    if key not in _UPDATES:
        meta = model._meta
        chosen = tuple(cast(Field[Any, Any], meta.get_field(name)) for name in fields)
        assignments = ", ".join(f"{_column(f)} = %s" for f in chosen)
        sql = f"UPDATE {db.ops.quote_name(meta.db_table)} SET {assignments} WHERE {_column(meta.pk)} = %s"
        if only_if is not None:
            sql += f" AND {_column(meta.get_field(only_if[0]))} = %s"
        _UPDATES[key] = (sql, chosen)
    sql, chosen = _UPDATES[key]
    values = [f.get_db_prep_save(getattr(obj, f.attname), db) for f in chosen]  # as set (no auto_now)
    params = [*values, obj.pk] if only_if is None else [*values, obj.pk, only_if[1]]
    _send_queued(_BATCH.get())
    with db.cursor() as cursor:
        _run(cursor, sql, params)
        return int(cursor.rowcount)


@dataclass(frozen=True, slots=True)
class _Part:
    model: type[Model]
    fields: tuple[Field[Any, Any], ...]
    attnames: tuple[str, ...]
    pk_at: int
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]
    link: Field[Any, Any] | None  # the foreign key of the first model that leads here (None: the first model)


@dataclass(frozen=True, slots=True)
class _Select:
    sql: str
    parts: tuple[_Part, ...]


_SELECTS: dict[tuple[str, type[Model], tuple[str, ...], str, tuple[str, ...]], _Select] = {}


def _compile_select(model: type[Model], related: tuple[str, ...], where: str, defer: tuple[str, ...] = ()) -> _Select:
    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    joins: list[str] = []
    parts: list[_Part] = []
    columns: list[str] = []
    targets: list[tuple[type[Model], str, Field[Any, Any] | None]] = [(model, "t0", None)]
    for number, name in enumerate(related, start=1):
        link = cast(Field[Any, Any], meta.get_field(name))
        assert link.many_to_one, name
        other = cast(type[Model], link.related_model)
        alias = f"t{number}"
        joins.append(
            f"LEFT OUTER JOIN {db.ops.quote_name(other._meta.db_table)} {alias} "
            f"ON {alias}.{_column(other._meta.pk)} = t0.{_column(link)}"
        )
        targets.append((other, alias, link))
    for target, alias, link_to in targets:
        prefix = f"{link_to.name}." if link_to is not None else ""
        fields = tuple(f for f in target._meta.concrete_fields if f"{prefix}{f.name}" not in defer)
        converters = []
        for position, field in enumerate(fields):
            columns.append(f"{alias}.{_column(field)}")
            expression = field.get_col(alias)
            found = tuple(db.ops.get_db_converters(expression) + expression.get_db_converters(db))
            if found:
                converters.append((position, found, expression))
        pk_at = next(i for i, f in enumerate(fields) if f.primary_key)
        parts.append(_Part(target, fields, tuple(f.attname for f in fields), pk_at, tuple(converters), link_to))
    table = db.ops.quote_name(meta.db_table)
    sql = f"SELECT {', '.join(columns)} FROM {table} t0 {' '.join(joins)} WHERE {where}"
    return _Select(sql, tuple(parts))


def _compiled_select(
    model: type[Model], where: str, related: tuple[str, ...], for_update: bool, defer: tuple[str, ...] = ()
) -> _Select:
    db = connections[DEFAULT_DB_ALIAS]
    if for_update and db.features.has_select_for_update:
        where = f"{where} FOR UPDATE OF t0"
    key = (db.alias, model, related, where, defer)
    if key not in _SELECTS:
        _SELECTS[key] = _compile_select(model, related, where, defer)
    return _SELECTS[key]


def select[M: Model](
    model: type[M],
    *,
    where: str,
    params: Sequence[Any],
    related: tuple[str, ...] = (),
    for_update: bool = False,
    defer: tuple[str, ...] = (),
) -> list[M]:
    """Rows of ``model`` matching ``where`` (SQL on alias ``t0``, ``%s`` placeholders), each with the foreign
    keys named in ``related`` loaded as by ``select_related`` (one level, outer joins). ``for_update`` locks
    the rows of ``model`` (not the related ones) where the database has row locks (PostgreSQL); SQLite's
    write transaction already excludes every other writer. ``defer`` names fields left unread until used, as
    ``QuerySet.defer`` would (``"field"`` of ``model``, ``"link.field"`` of a related one)."""
    compiled = _compiled_select(model, where, related, for_update, defer)
    _send_queued(_BATCH.get())
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        _run(cursor, compiled.sql, list(params))
        rows = cursor.fetchall()
    return cast(list[M], _materialize(compiled, rows))


@dataclass(frozen=True, slots=True)
class Query:
    """One read of ``select_together``: the arguments of ``select``."""

    model: type[Model]
    where: str
    params: Sequence[Any]
    related: tuple[str, ...] = ()
    defer: tuple[str, ...] = ()


def select_together(*queries: Query) -> list[list[Any]]:
    """Several independent reads (none uses another's result), as ``select`` each: on PostgreSQL in one round
    trip (the statements go in one ``execute``, their results come back one after the other), on SQLite one
    by one. Every API call starts with two such reads: the token with its user, and the user's memberships."""
    db = connections[DEFAULT_DB_ALIAS]
    compiled = [_compiled_select(q.model, q.where, q.related, False, q.defer) for q in queries]
    _send_queued(_BATCH.get())
    results: list[list[Any]] = []
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            _run_all(cursor, [(c.sql, q.params) for c, q in zip(compiled, queries, strict=True)])
            for number, one in enumerate(compiled):
                if number:
                    cursor.nextset()
                results.append(_materialize(one, cursor.fetchall()))
        else:
            for one, query in zip(compiled, queries, strict=True):
                _run(cursor, one.sql, list(query.params))
                results.append(_materialize(one, cursor.fetchall()))
    return results


def _loaded(model: type[Model], alias: str, attnames: tuple[str, ...], values: list[Any]) -> Model:
    """``model.from_db(alias, attnames, values)``, without ``Model.__init__``'s per-field descriptor calls
    when nobody listens to its signals (fields left out of ``attnames`` stay deferred, as from_db leaves them)."""
    if _heard(model, pre_init, post_init):
        return model.from_db(alias, list(attnames), values)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    state.adding = False
    state.db = alias
    obj.__dict__.update(zip(attnames, values, strict=True))
    return obj


def _materialize(compiled: _Select, rows: Sequence[Sequence[Any]]) -> list[Model]:
    db = connections[DEFAULT_DB_ALIAS]
    found: list[Model] = []
    for raw in rows:
        row = list(raw)
        start = 0
        objects: list[Model | None] = []
        for part in compiled.parts:
            for position, converters, expression in part.converters:
                value = row[start + position]
                for convert in converters:
                    value = convert(value, expression, db)
                row[start + position] = value
            values = row[start : start + len(part.fields)]
            start += len(part.fields)
            if part.link is not None and values[part.pk_at] is None:
                objects.append(None)  # the outer join found nothing: a null foreign key
                continue
            objects.append(_loaded(part.model, db.alias, part.attnames, values))
        first = objects[0]
        assert first is not None
        for part, obj in zip(compiled.parts[1:], objects[1:], strict=True):
            assert part.link is not None
            part.link.set_cached_value(first, obj)  # type: ignore[attr-defined]  # a forward relation's private cache setter (Django internals, not in the stubs)
        found.append(first)
    return found
