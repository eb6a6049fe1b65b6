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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True, slots=True)
class _Insert:
    sql: str
    fields: tuple[Field[Any, Any], ...]
    returns_pk: bool


def _column(field: Any) -> str:
    """The quoted column of a concrete field (or of a model's primary key)."""
    db = connections[DEFAULT_DB_ALIAS]
    column = field.column
    assert isinstance(column, str)
    return str(db.ops.quote_name(column))


_INSERTS: dict[tuple[str, type[Model], bool], _Insert | None] = {}


def _compile_insert(model: type[Model], *, with_pk: bool) -> _Insert | None:
    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    if any(f.has_db_default() or f.generated for f in meta.concrete_fields):
        return None  # the database computes a value: let the ORM handle it
    fields = tuple(f for f in meta.concrete_fields if with_pk or f is not meta.pk)
    columns = ", ".join(_column(f) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {db.ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks})"
    if not with_pk:
        sql += f" RETURNING {_column(meta.pk)}"
    return _Insert(sql, fields, not with_pk)


def insert[M: Model](obj: M) -> M:
    """Insert a new ``obj`` in one statement and set its primary key — ``save(force_insert=True)``'s result."""
    db = connections[DEFAULT_DB_ALIAS]
    model = type(obj)
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        obj.save(force_insert=True)
        return obj
    with_pk = obj.pk is not None
    key = (db.alias, model, with_pk)
    if key not in _INSERTS:
        _INSERTS[key] = _compile_insert(model, with_pk=with_pk)
    compiled = _INSERTS[key]
    if compiled is None:
        obj.save(force_insert=True)
        return obj
    values = [f.get_db_prep_save(f.pre_save(obj, True), db) for f in compiled.fields]
    with db.cursor() as cursor:
        cursor.execute(compiled.sql, values)
        if compiled.returns_pk:
            setattr(obj, model._meta.pk.attname, cursor.fetchone()[0])
    obj._state.adding = False
    obj._state.db = db.alias
    return obj


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


_SELECTS: dict[tuple[str, type[Model], tuple[str, ...], str], _Select] = {}


def _compile_select(model: type[Model], related: tuple[str, ...], where: str) -> _Select:
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
        fields = tuple(target._meta.concrete_fields)
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


def select[M: Model](
    model: type[M], *, where: str, params: Sequence[Any], related: tuple[str, ...] = (), for_update: bool = False
) -> list[M]:
    """Rows of ``model`` matching ``where`` (SQL on alias ``t0``, ``%s`` placeholders), each with the foreign
    keys named in ``related`` loaded as by ``select_related`` (one level, outer joins). ``for_update`` locks
    the rows of ``model`` (not the related ones) where the database has row locks (PostgreSQL); SQLite's
    write transaction already excludes every other writer."""
    db = connections[DEFAULT_DB_ALIAS]
    if for_update and db.features.has_select_for_update:
        where = f"{where} FOR UPDATE OF t0"
    key = (db.alias, model, related, where)
    if key not in _SELECTS:
        _SELECTS[key] = _compile_select(model, related, where)
    compiled = _SELECTS[key]
    with db.cursor() as cursor:
        cursor.execute(compiled.sql, list(params))
        rows = cursor.fetchall()
    found: list[M] = []
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
            part.link.set_cached_value(first, obj)  # type: ignore[attr-defined]
        found.append(first)  # type: ignore[arg-type]
    return found
