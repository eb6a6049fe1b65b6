"""Numbers issued per town and year without gaps (DX2026-000123, 2026年第N期): one counter row per series, town
and year, and one way to move it (``next_value``); the bulk path reads and sets it (``last_values``, ``set_last``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

from gridgov.data.org.models import Area, Counter
from gridgov.db import prepared

CASES = "case"  # the case numbers (立案编号); bulletins and inspection bulletins have their own series


def next_value(*, series: str, town: Area, year: int) -> int:
    """The next number of ``series`` for the town's year (the first is 1).

    Call it inside the transaction that writes what it numbers: the bump holds the counter row's lock until
    that transaction ends and rolls back with it, so concurrent callers get consecutive numbers and a failed
    write leaves no gap."""
    return next_value_with(series=series, town=town, year=year)[0]


def next_value_with(*, series: str, town: Area, year: int, also: Sequence[str] = ()) -> tuple[int, ...]:
    """``next_value``, and the values of the SQL expressions ``also`` computed in the same statement (the
    report reserves its new rows' keys here: one statement instead of two).

    One upsert (the year's first number creates the row) that takes the row's lock and returns its new value:
    ``RETURNING`` (SQLite ≥ 3.35 and PostgreSQL), so concurrent callers queue on the row and each reads back
    its own value."""
    row = prepared.fetch_one(_bump_sql(connection.vendor, tuple(also)), [series, town.pk, year])
    assert row is not None
    return tuple(int(value) for value in row)


@dataclass(frozen=True, slots=True)
class Drawn:
    """A number drawn by the batch being written (``draw``)."""

    sql: prepared.SQL  # the number, for the rows the same batch writes after the bump
    later: prepared.Later
    key: tuple[str, int, int]  # series, town, year

    @property
    def value(self) -> int:
        """The number, once the batch has been sent."""
        assert self.later.row is not None, "the batch that draws the number has not been sent"
        return int(self.later.row[0])

    def padded(self, *, head: str, width: int) -> prepared.SQL:
        """The text ``f"{head}{value:0{width}d}"``, computed by the database like ``sql``."""
        last, counter = _counter_row()
        if connection.vendor == "postgresql":
            text = (
                f"(SELECT %s || lpad(t, GREATEST({width:d}, length(t)), '0') "
                f"FROM (SELECT CAST({last} AS text) AS t {counter}) AS drawn)"
            )
        else:
            text = f"(SELECT %s || printf('%0{width:d}d', {last}) {counter})"
        return prepared.SQL(text, (head, *self.key))


def draw(*, series: str, town: Area, year: int) -> Drawn:
    """``next_value`` inside ``prepared.batched()``, without a round trip of its own: the bump is queued with
    the batch, and the rows the batch writes after it take the number through ``Drawn.sql`` — read back from
    the counter row, which the bump has locked for this transaction, so no other writer moves it in between.
    On PostgreSQL the lock is then held only while the database runs the rest of the batch, not while the
    application prepares it. ``Drawn.value`` once the batch is sent."""
    later = prepared.fetch_later(_bump_sql(connection.vendor, ()), [series, town.pk, year])
    key = (series, town.pk, year)
    last, counter = _counter_row()
    return Drawn(prepared.SQL(f"(SELECT {last} {counter})", key), later, key)


@functools.cache
def _counter_row() -> tuple[str, str]:
    """The counter's value column, and ``FROM`` the counters ``WHERE`` series, town and year are the three
    placeholders (quoted once per process)."""
    qn = connection.ops.quote_name
    where = f"{qn('series')} = %s AND {qn('town_id')} = %s AND {qn('year')} = %s"
    return qn("last_value"), f"FROM {qn(Counter._meta.db_table)} WHERE {where}"


@functools.cache
def _bump_sql(vendor: str, also: tuple[str, ...]) -> str:
    qn = connection.ops.quote_name
    table = qn(Counter._meta.db_table)
    last = qn("last_value")
    key = f"{qn('series')}, {qn('town_id')}, {qn('year')}"
    return (
        f"INSERT INTO {table} ({key}, {last}) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT ({key}) DO UPDATE SET {last} = {table}.{last} + 1 "
        f"RETURNING {', '.join((last, *also))}"
    )


def last_values(*, series: str, town: Area, years: Iterable[int]) -> dict[int, int]:
    """The last number issued in each of ``years`` that has one."""
    found = Counter.objects.filter(series=series, town=town, year__in=list(years))
    return dict(found.values_list("year", "last_value"))


def set_last(*, series: str, town: Area, year: int, value: int) -> None:
    """Move the counter to ``value`` (the bulk path, which numbers many rows at once inside its transaction)."""
    if not Counter.objects.filter(series=series, town=town, year=year).update(last_value=value):
        Counter.objects.create(series=series, town=town, year=year, last_value=value)
