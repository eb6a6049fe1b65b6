"""People for the visit tests: houses, residents and groups of the test town, written as the register keeps them.

(The people register's own factories arrive with its domain; these are the few rows the visit round needs.)
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from gridgov.data.org.models import Area, Department
from gridgov.data.people.enums import GroupKind, HouseUse, Relation
from gridgov.data.people.models import GroupMembership, House, Household, PersonGroup, Resident
from gridgov.data.visits.models import Visit
from tests.factories import MONDAY_0900, TownWorld

_numbers = iter(range(1, 10_000))


def house(
    world: TownWorld,
    *,
    grid: Area | None = None,
    use: HouseUse = HouseUse.OWN,
    created_at: datetime = MONDAY_0900,
    point: tuple[str, str] | None = None,
) -> House:
    grid = grid or world.grid_a
    village = world.village_a if grid == world.grid_a else world.village_b
    return House.objects.create(
        town=world.town,
        village=village,
        grid=grid,
        address=f"{village.name}{next(_numbers)}号",
        use=use,
        latitude=Decimal(point[0]) if point else None,
        longitude=Decimal(point[1]) if point else None,
        created_at=created_at,
        updated_at=created_at,
    )


def resident(world: TownWorld, *, name: str = "张三", grid: Area | None = None, home: House | None = None) -> Resident:
    home = home or house(world, grid=grid)
    household = Household.objects.create(
        town=world.town, house=home, number=f"H{next(_numbers)}", created_at=MONDAY_0900, updated_at=MONDAY_0900
    )
    return Resident.objects.create(
        town=world.town,
        household=household,
        name=name,
        relation=Relation.HEAD,
        created_at=MONDAY_0900,
        updated_at=MONDAY_0900,
    )


def group(
    world: TownWorld,
    *,
    code: str,
    every: int | None,
    sensitive: bool = False,
    kind: GroupKind = GroupKind.CARE,
    department: Department | None = None,
    name: str = "",
    name_en: str = "",
) -> PersonGroup:
    return PersonGroup.objects.create(
        town=world.town,
        code=code,
        name=name or code,
        name_en=name_en,
        kind=kind,
        sensitive=sensitive,
        department=department,
        visit_every_days=every,
    )


def member(person: Resident, of: PersonGroup, *, since: date, until: date | None = None) -> GroupMembership:
    return GroupMembership.objects.create(town=person.town, resident=person, group=of, since=since, until=until)


def visited(world: TownWorld, *, at: datetime, person: Resident | None = None, place: House | None = None) -> Visit:
    """A past visit by grid worker A, written directly (the test of ``record_visit`` is elsewhere)."""
    home = place or (person.household.house if person else None)
    assert home is not None
    return Visit.objects.create(
        town=world.town,
        worker=world.grid_worker_a,
        resident=person,
        house=place,
        village_id=home.village_id,
        grid_id=home.grid_id,
        visited_at=at,
        created_at=at,
    )
