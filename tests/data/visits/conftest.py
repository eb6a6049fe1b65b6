"""Grid boundaries for the visit tests: grid A the western half of the town, grid B the eastern half."""

from __future__ import annotations

import pytest

from gridgov.data.org.models import Area
from tests.factories import TownWorld


def box(west: float, south: float, east: float, north: float) -> dict[str, object]:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


IN_GRID_A = ("30.250000", "122.050000")
IN_GRID_B = ("30.250000", "122.150000")


@pytest.fixture
def bounded(world: TownWorld) -> TownWorld:
    Area.objects.filter(pk=world.town.pk).update(boundary=box(122.0, 30.2, 122.2, 30.3))
    Area.objects.filter(pk__in=[world.village_a.pk, world.grid_a.pk]).update(boundary=box(122.0, 30.2, 122.1, 30.3))
    Area.objects.filter(pk__in=[world.village_b.pk, world.grid_b.pk]).update(boundary=box(122.1, 30.2, 122.2, 30.3))
    for area in (world.town, world.village_a, world.village_b, world.grid_a, world.grid_b):
        area.refresh_from_db()
    return world
