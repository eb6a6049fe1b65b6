"""Builders for the people register's tests: houses, households, residents, groups and memberships.

``PeopleWorld`` puts one house in each village of the town world (A: grid A, B: grid B), a household and a head
in each, a care group (困难家庭, 村镇建设办) and a sensitive key group (社区矫正, 综合行政执法中队): resident A is in
社区矫正, resident B in 困难家庭 (and was in 社区矫正 until last year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gridgov.data.org.models import Area, Department
from gridgov.data.people.domain import (
    HouseholdInput,
    HouseInput,
    ResidentInput,
    join_group,
    leave_group,
    register_house,
    register_household,
    register_resident,
)
from gridgov.data.people.enums import GroupKind, Relation
from gridgov.data.people.models import GroupMembership, House, Household, PersonGroup, Resident
from tests.factories import MONDAY_0900, TownWorld

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_id(body17: str) -> str:
    """An 18-character ID number: ``body17`` and its GB 11643 check digit."""
    return body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, ID_WEIGHTS, strict=True)) % 11]


def make_house(world: TownWorld, *, village: Area, grid: Area | None, address: str) -> House:
    data = HouseInput(town=world.town, village=village, grid=grid, address=address)
    return register_house(actor=world.operator, data=data, now=MONDAY_0900)


def make_household(world: TownWorld, house: House, *, number: str = "") -> Household:
    return register_household(actor=world.operator, data=HouseholdInput(house=house, number=number), now=MONDAY_0900)


def make_resident(
    world: TownWorld,
    household: Household,
    *,
    name: str,
    id_number: str = "",
    phone: str = "",
    relation: Relation = Relation.HEAD,
) -> Resident:
    data = ResidentInput(household=household, name=name, id_number=id_number, phone=phone, relation=relation)
    return register_resident(actor=world.operator, data=data, now=MONDAY_0900)


def make_group(
    world: TownWorld,
    *,
    code: str,
    name: str,
    kind: GroupKind = GroupKind.CARE,
    sensitive: bool = False,
    department: Department | None = None,
) -> PersonGroup:
    return PersonGroup.objects.create(
        town=world.town, code=code, name=name, kind=kind, sensitive=sensitive, department=department
    )


def join(
    world: TownWorld, resident: Resident, group: PersonGroup, *, since: date, until: date | None = None
) -> GroupMembership:
    """A membership, written by the town's admin (who sees the sensitive groups too)."""
    membership = join_group(actor=world.admin, resident=resident, group=group, since=since, now=MONDAY_0900)
    if until is not None:
        membership = leave_group(actor=world.admin, membership=membership, until=until, now=MONDAY_0900)
    return membership


@dataclass
class PeopleWorld:
    house_a: House
    house_b: House
    household_a: Household
    household_b: Household
    resident_a: Resident
    resident_b: Resident
    care: PersonGroup  # 困难家庭, dept B
    corrections: PersonGroup  # 社区矫正, sensitive, dept A
    corrections_a: GroupMembership
    care_b: GroupMembership
    corrections_b_ended: GroupMembership


def build_people(world: TownWorld) -> PeopleWorld:
    house_a = make_house(world, village=world.village_a, grid=world.grid_a, address="双合村1组1号")
    house_b = make_house(world, village=world.village_b, grid=world.grid_b, address="火箭村2组5号")
    household_a = make_household(world, house_a, number="A001")
    household_b = make_household(world, house_b, number="B001")
    resident_a = make_resident(
        world, household_a, name="张三", id_number=valid_id("33092119800101123"), phone="13800138000"
    )
    resident_b = make_resident(world, household_b, name="李四", id_number=valid_id("33092119900202234"))
    care = make_group(world, code="kunnan", name="困难家庭", department=world.dept_b)
    corrections = make_group(
        world, code="jiaozheng", name="社区矫正", kind=GroupKind.KEY, sensitive=True, department=world.dept_a
    )
    return PeopleWorld(
        house_a=house_a,
        house_b=house_b,
        household_a=household_a,
        household_b=household_b,
        resident_a=resident_a,
        resident_b=resident_b,
        care=care,
        corrections=corrections,
        corrections_a=join(world, resident_a, corrections, since=date(2026, 1, 5)),
        care_b=join(world, resident_b, care, since=date(2026, 3, 1)),
        corrections_b_ended=join(world, resident_b, corrections, since=date(2024, 1, 1), until=date(2025, 6, 30)),
    )
