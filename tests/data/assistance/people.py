"""Households of the world's villages for the assistance tests, through the register's test builders."""

from __future__ import annotations

from gridgov.data.org.models import Area
from gridgov.data.people.enums import Relation
from gridgov.data.people.models import Household, Resident
from tests.data.people.factories import make_house, make_household, make_resident, valid_id
from tests.factories import TownWorld


def id_number(serial: int) -> str:
    """A synthetic ID number of 岱山 (330921), born 1960-01-01, with a valid check digit."""
    return valid_id(f"33092119600101{serial % 1000:03d}")


def household(world: TownWorld, village: Area, number: str, head: str, *, serial: int) -> Household:
    """A household of ``village`` at its own house, with a head named ``head`` and an ID number from ``serial``."""
    grid = world.grid_a if village == world.village_a else world.grid_b
    house = make_house(world, village=village, grid=grid, address=f"{village.name}{number}号")
    found = make_household(world, house, number=number)
    person(world, found, head, serial=serial, relation=Relation.HEAD)
    return found


def person(
    world: TownWorld, household: Household, name: str, *, serial: int, relation: Relation = Relation.OTHER
) -> Resident:
    return make_resident(world, household, name=name, id_number=id_number(serial), relation=relation)


def head(household: Household) -> Resident:
    return Resident.objects.get(household=household, relation=Relation.HEAD)
