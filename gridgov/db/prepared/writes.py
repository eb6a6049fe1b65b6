"""Prepared writes: ``insert``, rows built positionally from a blueprint (``new``), values prepared before the
lock (``stage``/``insert_staged``), ``update`` with an optimistic check, and keys reserved in SQL
(``next_pk_sql``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, post_save, pre_init, pre_save
from django.utils import timezone

from gridgov.db.prepared.fields import NONE_AS_NULL, column_sql, heard, plain_type
from gridgov.db.prepared.sending import BATCH, Later, fetch_later, fetch_one, flush_queue, run
from gridgov.types import AnyField, FromDjango, SQLValue


@dataclass(frozen=True, slots=True)
class SQL:
    """A column's value that the database computes in the INSERT itself: ``text``, a SQL expression with ``%s``
    for each of ``params`` — for what only the writing batch knows (a number it draws: ``numbering.draw``)."""

    text: str
    params: tuple[SQLValue, ...] = ()


@dataclass(frozen=True, slots=True)
class _Insert:
    sql: str
    fields: tuple[AnyField, ...]
    returns_pk: bool
    # Per field: the one Python type whose values the field stores as they are (None stores as NULL; ``str``
    # also takes its subclasses — TextChoices members — as a CharField's get_db_prep_save does; ``datetime``:
    # an aware one goes through ``moment``), ``_Stamp`` for auto_now(_add), or None when every value goes
    # through the field's own pre_save/get_db_prep_save (type(None): only None passes).
    plain: tuple[type | None, ...]
    positions: dict[str, int]  # attname → position among ``fields``
    attnames: tuple[str, ...]
    # For plain ``datetime`` columns: what the backend makes of an aware datetime (``adapt_datetimefield_value``).
    moment: Callable[[datetime], SQLValue]


_INSERTS: dict[tuple[str, type[Model], bool, bool], _Insert | None] = {}


def _compile_insert(model: type[Model], *, with_pk: bool, returning: bool = True) -> _Insert | None:
    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    if any(f.has_db_default() or f.generated for f in meta.concrete_fields):
        return None  # the database computes a value: let the ORM handle it
    fields = tuple(f for f in meta.concrete_fields if with_pk or f is not meta.pk)
    returns_pk = not with_pk and returning
    sql = _insert_sql(model, fields, returns_pk=returns_pk)
    moment = _moment(db)
    plain = tuple(
        ((_Stamp if _has_pre_save(f) else datetime) if moment is not None and type(f) is models.DateTimeField else None)
        or plain_type(f)
        or (type(None) if type(f) in NONE_AS_NULL and not _has_pre_save(f) else None)
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


def _insert_sql(model: type[Model], fields: Sequence[AnyField], *, returns_pk: bool, marks: Sequence[str] = ()) -> str:
    """``INSERT INTO`` the model's table, one placeholder per field (or the expression in ``marks``), and
    ``RETURNING`` its key."""
    db = connections[DEFAULT_DB_ALIAS]
    columns = ", ".join(column_sql(f) for f in fields)
    values = ", ".join(marks or ["%s"] * len(fields))
    sql = f"INSERT INTO {db.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({values})"
    return sql + f" RETURNING {column_sql(model._meta.pk)}" if returns_pk else sql


def _moment(db: FromDjango) -> Callable[[datetime], SQLValue] | None:
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


def _values(obj: Model, compiled: _Insert, db: FromDjango) -> list[SQLValue]:
    """Each field's value as ``save()`` would send it: plain values as they are, the rest through the field's
    ``pre_save`` and ``get_db_prep_save``."""
    data = obj.__dict__
    moment = compiled.moment
    stamp: datetime | None = None
    values: list[SQLValue] = []
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
        if type(data.get(attname)) is SQL:
            values.append(data[attname])
            continue
        values.append(field.get_db_prep_save(field.pre_save(obj, True), db))
    return values


def _has_pre_save(field: AnyField) -> bool:
    """Whether saving sets the value (``auto_now``/``auto_now_add``): then it must go through ``pre_save``."""
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def insert[M: Model](obj: M, *, returning: bool = True) -> M:
    """Insert a new ``obj`` in one statement and set its primary key — ``save(force_insert=True)``'s result.
    ``returning=False``: the database's new key is not wanted (``obj.pk`` stays None), so inside ``batched()``
    the row can be queued like one whose key was set beforehand."""
    db = connections[DEFAULT_DB_ALIAS]
    model = type(obj)
    queue = BATCH.get()
    if heard(model, pre_save, post_save):
        flush_queue(queue)
        obj.save(force_insert=True)
        return obj
    with_pk = obj.pk is not None
    key = (db.alias, model, with_pk, returning)
    if key not in _INSERTS:
        _INSERTS[key] = _compile_insert(model, with_pk=with_pk, returning=returning)
    compiled = _INSERTS[key]
    if compiled is None:
        flush_queue(queue)
        obj.save(force_insert=True)
        return obj
    sql, values = _statement(compiled, _values(obj, compiled, db))
    if queue is not None and not compiled.returns_pk:
        queue.append((sql, values))
    else:
        flush_queue(queue)
        with db.cursor() as cursor:
            run(cursor, sql, values)
            if compiled.returns_pk:
                setattr(obj, model._meta.pk.attname, cursor.fetchone()[0])
    obj._state.adding = False
    obj._state.db = db.alias
    return obj


@dataclass(frozen=True, slots=True)
class _Blueprint:
    attnames: tuple[str, ...]
    positions: dict[str, int]  # attname, "pk" and (for a foreign key) its name → position among the fields
    defaults: tuple[SQLValue, ...]  # the fields' defaults that are values (the same for every new row)
    factories: tuple[tuple[int, Callable[[], SQLValue]], ...]  # the defaults that are made anew for each row
    links: dict[str, AnyField]  # foreign key name → field


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


def new[M: Model](model: type[M], **values: SQLValue) -> M:
    """``model(**values)`` — a new, unsaved row with the other fields at their defaults, related objects
    cached — built the way the ORM builds a row it reads (positional values), which for a wide model is
    about ten times cheaper than keyword arguments. ``values`` are named by field name, attname or ``pk``;
    a foreign key given by its name takes the related object (or None)."""
    blueprint = _blueprint(model)
    row = list(blueprint.defaults)
    for position, factory in blueprint.factories:
        row[position] = factory()
    related: list[tuple[AnyField, Model | None]] = []
    for name, value in values.items():
        link = blueprint.links.get(name)
        if link is not None:
            related.append((link, value))
            value = None if value is None else getattr(value, link.target_field.attname)  # type: ignore[attr-defined]  # a foreign key's target field (Django internals, not in the stubs)
        row[blueprint.positions[name]] = value
    if heard(model, pre_init, post_init):
        obj = model(*row)
    else:  # what ``Model.__init__`` does with positional values, without its per-field descriptor calls
        obj = model.__new__(model)
        obj._state = ModelState()
        obj.__dict__.update(zip(blueprint.attnames, row, strict=True))
    for link, other in related:
        link.set_cached_value(obj, other)  # type: ignore[attr-defined]  # a forward relation's private cache setter (Django internals, not in the stubs)
    return obj


@dataclass(slots=True)
class Staged:
    """A new row's INSERT with its values prepared ahead (``stage``), so that a writing transaction only
    fills in what it alone knows (keys, numbers, hashes: ``set``) and sends it (``insert_staged``)."""

    obj: Model
    compiled: _Insert
    values: list[SQLValue]

    def set(self, **changes: SQLValue) -> None:
        """Set attributes (by attname) on the object and their prepared values in the statement."""
        db = connections[DEFAULT_DB_ALIAS]
        for attname, value in changes.items():
            setattr(self.obj, attname, value)
            position = self.compiled.positions[attname]
            self.values[position] = _prepare(
                self.obj, self.compiled.fields[position], self.compiled.plain[position], db
            )

    def stamp(self, **moments: datetime) -> None:
        """Set ``auto_now`` columns (by attname) to moments of the caller's, not the insert's: a step taken at a
        time of its own (a report dated in the past, by the demo or a test) leaves the row last updated then, as
        an action leaves ``updated_at`` at its step's time."""
        for attname, moment in moments.items():
            setattr(self.obj, attname, moment)
            self.values[self.compiled.positions[attname]] = self.compiled.moment(moment)

    def compute(self, **changes: SQL) -> None:
        """Have the database compute these columns (by attname) in the INSERT; the object's attributes stay
        None until the caller learns the values (after the batch is sent)."""
        for attname, expression in changes.items():
            setattr(self.obj, attname, None)
            self.values[self.compiled.positions[attname]] = expression


def _prepare(obj: Model, field: AnyField, plain: type | None, db: FromDjango) -> SQLValue:
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
    if heard(model, pre_save, post_save):
        return None
    key = (db.alias, model, True, True)
    if key not in _INSERTS:
        _INSERTS[key] = _compile_insert(model, with_pk=True)
    compiled = _INSERTS[key]
    if compiled is None:
        return None
    values = _values(obj, compiled, db)
    return Staged(obj, compiled, values)


_SHAPED: dict[tuple[str, tuple[int, ...], tuple[tuple[int, str], ...]], str] = {}


def _statement(compiled: _Insert, values: list[SQLValue]) -> tuple[str, list[SQLValue]]:
    """The INSERT of ``values``: without the columns whose value is NULL (they are NULL when left out: the
    statement is compiled only for models without database defaults) — a wide row that leaves most columns
    empty, as a new case does, binds and sends only what it holds — and with the expression of each ``SQL``
    value in its place. One text per set of empty and computed columns."""
    empty: list[int] = []
    computed: list[tuple[int, str]] = []
    params: list[SQLValue] = []
    for position, value in enumerate(values):
        if value is None:
            empty.append(position)
        elif type(value) is SQL:
            computed.append((position, value.text))
            params.extend(value.params)
        else:
            params.append(value)
    if not empty and not computed:
        return compiled.sql, values
    key = (compiled.sql, tuple(empty), tuple(computed))
    sql = _SHAPED.get(key)
    if sql is None:
        if len(_SHAPED) >= 256:  # a handful of shapes in practice; this only bounds a leak
            _SHAPED.clear()
        gone, texts = set(empty), dict(computed)
        kept = [(f, texts.get(i, "%s")) for i, f in enumerate(compiled.fields) if i not in gone]
        sql = _SHAPED[key] = _insert_sql(
            compiled.fields[0].model,
            [f for f, _ in kept],
            returns_pk=compiled.returns_pk,
            marks=[mark for _, mark in kept],
        )
    return sql, params


def insert_staged(staged: Staged) -> Model:
    """Send a staged INSERT (queued inside ``batched()``); its key must have been ``set``."""
    assert staged.obj.pk is not None, "set the primary key of a staged row first"
    db = connections[DEFAULT_DB_ALIAS]
    queue = BATCH.get()
    sql, values = _statement(staged.compiled, staged.values)
    if queue is not None:
        queue.append((sql, values))
    else:
        with db.cursor() as cursor:
            run(cursor, sql, values)
    staged.obj._state.adding = False
    staged.obj._state.db = db.alias
    return staged.obj


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
                f"(SELECT COALESCE(MAX(n), 0) + 1 FROM (SELECT MAX({column_sql(model._meta.pk)}) AS n FROM {quoted} "
                f"UNION ALL SELECT seq FROM sqlite_sequence WHERE name = '{table}'))"
            )
        else:  # pragma: no cover - the two databases GridGov runs on
            raise NotImplementedError(db.vendor)
    return _NEXT_PK[key]


def reserved_keys(*models: type[Model]) -> tuple[int, ...]:
    """Keys for one new row of each of ``models`` (PostgreSQL), reserved ahead: inside ``batched()`` the keys
    for this connection's next call are reserved by the same batch (``fetch_later``), so a writer that must know
    its rows' keys before writing them (the audit hash covers them) needs no statement of its own for them.

    The keys come from the tables' sequences, so none is handed out twice; one reserved and never used (its
    batch failed, its connection closed) is a gap, as a rolled-back insert's is. A key reserved ahead may be
    used after keys reserved later by other connections: keys are unique, not in the order rows are written.
    SQLite has no sequences (``next_pk_sql`` reads the table under the write lock): not there."""
    db = connections[DEFAULT_DB_ALIAS]
    assert db.vendor == "postgresql", "keys are reserved ahead on PostgreSQL only"
    sql = "SELECT " + ", ".join(next_pk_sql(model) for model in models)
    wrapper: FromDjango = db  # the connection's own state lives on its wrapper (one per thread)
    raw = db.connection
    kept = getattr(wrapper, "_gridgov_keys", None)
    if kept is None or kept[0] is not raw:  # a new connection: what the old one kept ahead is left unused
        kept = (raw, {})
        wrapper._gridgov_keys = kept
    ahead: dict[tuple[type[Model], ...], Later] = kept[1]
    waiting = ahead.pop(models, None)
    row = waiting.row if waiting is not None else None
    if row is None:
        row = fetch_one(sql, [])
        assert row is not None
    if BATCH.get() is not None:
        ahead[models] = fetch_later(sql, [])
    return tuple(int(value) for value in row)


_UPDATES: dict[tuple[str, type[Model], tuple[str, ...], str], tuple[str, tuple[AnyField, ...]]] = {}


def update(obj: Model, fields: Sequence[str], *, only_if: tuple[str, SQLValue] | None = None) -> int:
    """``UPDATE`` the named fields of ``obj``'s row to its attributes' values, as ``QuerySet.update`` would
    (no signals, no ``auto_now``: the caller sets what it means); ``only_if=(field, value)`` changes the row
    only while that field still holds ``value`` (an optimistic version check). The number of rows changed."""
    db = connections[DEFAULT_DB_ALIAS]
    model = type(obj)
    key = (db.alias, model, tuple(fields), only_if[0] if only_if else "")
    if key not in _UPDATES:
        meta = model._meta
        chosen = tuple(cast(AnyField, meta.get_field(name)) for name in fields)
        assignments = ", ".join(f"{column_sql(f)} = %s" for f in chosen)
        sql = f"UPDATE {db.ops.quote_name(meta.db_table)} SET {assignments} WHERE {column_sql(meta.pk)} = %s"
        if only_if is not None:
            sql += f" AND {column_sql(meta.get_field(only_if[0]))} = %s"
        _UPDATES[key] = (sql, chosen)
    sql, chosen = _UPDATES[key]
    values = [f.get_db_prep_save(getattr(obj, f.attname), db) for f in chosen]  # as set (no auto_now)
    params = [*values, obj.pk] if only_if is None else [*values, obj.pk, only_if[1]]
    flush_queue(BATCH.get())
    with db.cursor() as cursor:
        run(cursor, sql, params)
        return int(cursor.rowcount)
