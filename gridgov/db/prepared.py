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

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True, slots=True)
class _Insert:
    sql: str
    fields: tuple[Field[Any, Any], ...]
    returns_pk: bool
    # Per field: the one Python type whose values the field stores as they are (None stores as NULL), or None
    # when every value goes through the field's own pre_save/get_db_prep_save (type(None): only None passes).
    plain: tuple[type | None, ...]


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
    queue: list[tuple[str, list[Any]]] = []
    token = _BATCH.set(queue)
    try:
        yield
    finally:
        _BATCH.reset(token)
    _send(queue)


def _send(queue: list[tuple[str, list[Any]]]) -> None:
    if not queue:
        return
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        if db.vendor == "postgresql" and len(queue) > 1:
            cursor.execute("; ".join(sql for sql, _ in queue), [value for _, params in queue for value in params])
        else:
            for sql, params in queue:
                cursor.execute(sql, params)


def execute(sql: str, params: Sequence[Any]) -> None:
    """Run one write statement (whose result is not read) — queued when inside ``batched()``."""
    queue = _BATCH.get()
    if queue is not None:
        queue.append((sql, list(params)))
        return
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)


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
    plain = tuple(
        _plain_type(f) or (type(None) if type(f) in _NONE_AS_NULL and not _has_pre_save(f) else None) for f in fields
    )
    return _Insert(sql, fields, returns_pk, plain)


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
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
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
    values = [_prepare(obj, field, plain, db) for field, plain in zip(compiled.fields, compiled.plain, strict=True)]
    if queue is not None and not compiled.returns_pk:
        queue.append((compiled.sql, values))
    else:
        _send_queued(queue)
        with db.cursor() as cursor:
            cursor.execute(compiled.sql, values)
            if compiled.returns_pk:
                setattr(obj, model._meta.pk.attname, cursor.fetchone()[0])
    obj._state.adding = False
    obj._state.db = db.alias
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
            position = next(i for i, f in enumerate(self.compiled.fields) if f.attname == attname)
            self.values[position] = _prepare(
                self.obj, self.compiled.fields[position], self.compiled.plain[position], db
            )


def _prepare(obj: Model, field: Field[Any, Any], plain: type | None, db: Any) -> Any:
    if plain is not None:
        value = getattr(obj, field.attname)
        if value is None or type(value) is plain:
            return value
    return field.get_db_prep_save(field.pre_save(obj, True), db)


def stage(obj: Model) -> Staged | None:
    """Prepare the INSERT of ``obj`` with its primary key given (to be set later); None when the model needs
    ``save()`` (receivers, database defaults) — then call ``insert`` instead."""
    db = connections[DEFAULT_DB_ALIAS]
    model = type(obj)
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        return None
    key = (db.alias, model, True, True)
    if key not in _INSERTS:
        _INSERTS[key] = _compile_insert(model, with_pk=True)
    compiled = _INSERTS[key]
    if compiled is None:
        return None
    values = [_prepare(obj, field, plain, db) for field, plain in zip(compiled.fields, compiled.plain, strict=True)]
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
            cursor.execute(staged.compiled.sql, staged.values)
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
        cursor.execute(sql, params)
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
        cursor.execute(compiled.sql, list(params))
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
        if db.vendor == "postgresql" and len(queries) > 1:
            cursor.execute("; ".join(c.sql for c in compiled), [v for q in queries for v in q.params])
            for number, one in enumerate(compiled):
                if number:
                    cursor.nextset()
                results.append(_materialize(one, cursor.fetchall()))
        else:
            for one, query in zip(compiled, queries, strict=True):
                cursor.execute(one.sql, list(query.params))
                results.append(_materialize(one, cursor.fetchall()))
    return results


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
            objects.append(part.model.from_db(db.alias, list(part.attnames), values))
        first = objects[0]
        assert first is not None
        for part, obj in zip(compiled.parts[1:], objects[1:], strict=True):
            assert part.link is not None
            part.link.set_cached_value(first, obj)  # type: ignore[attr-defined]  # a forward relation's private cache setter (Django internals, not in the stubs)
        found.append(first)
    return found
