"""One counter for every numbered series: 1, 2, 3 … per series, town and year, each series apart."""

from __future__ import annotations

import pytest
from django.db import transaction

from gridgov.data.org.models import Counter
from gridgov.data.org.numbering import draw, next_value
from gridgov.db import prepared
from tests.factories import TownWorld


def test_each_series_town_and_year_counts_from_one(world: TownWorld) -> None:
    town = world.town
    assert [next_value(series="bulletin", town=town, year=2026) for _ in range(3)] == [1, 2, 3]
    assert next_value(series="inspection_bulletin", town=town, year=2026) == 1
    assert next_value(series="bulletin", town=town, year=2027) == 1
    assert next_value(series="bulletin", town=world.county, year=2026) == 1
    assert next_value(series="bulletin", town=town, year=2026) == 4


def test_a_number_drawn_by_a_batch_is_the_next_one_and_reads_back_in_the_same_batch(world: TownWorld) -> None:
    town = world.town
    assert next_value(series="bulletin", town=town, year=2026) == 1
    table = Counter._meta.db_table
    prepared.execute(f"UPDATE {table} SET last_value = %s WHERE series = %s", [999_998, "bulletin"])
    texts = []
    for _ in range(2):
        with prepared.batched():
            drawn = draw(series="bulletin", town=town, year=2026)
            padded = drawn.padded(head="岱西通报2026-", width=6)
            read = prepared.fetch_later(f"SELECT {drawn.sql.text}, {padded.text}", [*drawn.sql.params, *padded.params])
        assert read.row is not None
        texts.append((drawn.value, *read.row))
    # the text is f"{head}{value:06d}": padded to six digits, never cut
    assert texts == [(999_999, 999_999, "岱西通报2026-999999"), (1_000_000, 1_000_000, "岱西通报2026-1000000")]
    assert next_value(series="bulletin", town=town, year=2026) == 1_000_001


def test_a_batch_that_fails_draws_no_number(world: TownWorld) -> None:
    town = world.town

    def fail() -> None:
        with transaction.atomic(), prepared.batched():
            draw(series="bulletin", town=town, year=2026)
            raise LookupError

    with pytest.raises(LookupError):
        fail()
    assert next_value(series="bulletin", town=town, year=2026) == 1
