"""One counter for every numbered series: 1, 2, 3 … per series, town and year, each series apart."""

from __future__ import annotations

from gridgov.data.org.numbering import next_value
from tests.factories import TownWorld


def test_each_series_town_and_year_counts_from_one(world: TownWorld) -> None:
    town = world.town
    assert [next_value(series="bulletin", town=town, year=2026) for _ in range(3)] == [1, 2, 3]
    assert next_value(series="inspection_bulletin", town=town, year=2026) == 1
    assert next_value(series="bulletin", town=town, year=2027) == 1
    assert next_value(series="bulletin", town=world.county, year=2026) == 1
    assert next_value(series="bulletin", town=town, year=2026) == 4
