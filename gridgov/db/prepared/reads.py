"""Prepared reads: ``select`` (with forward relations joined) and ``select_together`` (several reads, one round
trip on PostgreSQL), rows filled in without ``Model.__init__``'s per-field calls where nobody listens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from gridgov.db.prepared.fields import Converter, column_sql, heard
from gridgov.db.prepared.sending import BATCH, flush_queue, run, run_all
from gridgov.types import AnyField, FromDjango, SQLValue


@dataclass(frozen=True, slots=True)
class _Part:
    model: type[Model]
    fields: tuple[AnyField, ...]
    attnames: tuple[str, ...]
    pk_at: int
    converters: tuple[tuple[int, tuple[Converter, ...], FromDjango], ...]
    link: AnyField | None  # the foreign key of the first model that leads here (None: the first model)


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
    targets: list[tuple[type[Model], str, AnyField | None]] = [(model, "t0", None)]
    for number, name in enumerate(related, start=1):
        link = cast(AnyField, meta.get_field(name))
        assert link.many_to_one, name
        other = cast(type[Model], link.related_model)
        alias = f"t{number}"
        joins.append(
            f"LEFT OUTER JOIN {db.ops.quote_name(other._meta.db_table)} {alias} "
            f"ON {alias}.{column_sql(other._meta.pk)} = t0.{column_sql(link)}"
        )
        targets.append((other, alias, link))
    for target, alias, link_to in targets:
        prefix = f"{link_to.name}." if link_to is not None else ""
        fields = tuple(f for f in target._meta.concrete_fields if f"{prefix}{f.name}" not in defer)
        converters = []
        for position, field in enumerate(fields):
            columns.append(f"{alias}.{column_sql(field)}")
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
    params: Sequence[SQLValue],
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
    flush_queue(BATCH.get())
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        run(cursor, compiled.sql, list(params))
        rows = cursor.fetchall()
    return cast(list[M], _materialize(compiled, rows))


@dataclass(frozen=True, slots=True)
class Query:
    """One read of ``select_together``: the arguments of ``select``."""

    model: type[Model]
    where: str
    params: Sequence[SQLValue]
    related: tuple[str, ...] = ()
    defer: tuple[str, ...] = ()


def select_together(*queries: Query) -> list[list[SQLValue]]:
    """Several independent reads (none uses another's result), as ``select`` each: on PostgreSQL in one round
    trip (the statements go in one ``execute``, their results come back one after the other), on SQLite one
    by one. Every API call starts with two such reads: the token with its user, and the user's memberships."""
    db = connections[DEFAULT_DB_ALIAS]
    compiled = [_compiled_select(q.model, q.where, q.related, False, q.defer) for q in queries]
    flush_queue(BATCH.get())
    results: list[list[SQLValue]] = []
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            run_all(cursor, [(c.sql, q.params) for c, q in zip(compiled, queries, strict=True)])
            for number, one in enumerate(compiled):
                if number:
                    cursor.nextset()
                results.append(_materialize(one, cursor.fetchall()))
        else:
            for one, query in zip(compiled, queries, strict=True):
                run(cursor, one.sql, list(query.params))
                results.append(_materialize(one, cursor.fetchall()))
    return results


def _loaded(model: type[Model], alias: str, attnames: tuple[str, ...], values: list[SQLValue]) -> Model:
    """``model.from_db(alias, attnames, values)``, without ``Model.__init__``'s per-field descriptor calls
    when nobody listens to its signals (fields left out of ``attnames`` stay deferred, as from_db leaves them)."""
    if heard(model, pre_init, post_init):
        return model.from_db(alias, list(attnames), values)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    state.adding = False
    state.db = alias
    obj.__dict__.update(zip(attnames, values, strict=True))
    return obj


def _materialize(compiled: _Select, rows: Sequence[Sequence[SQLValue]]) -> list[Model]:
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
