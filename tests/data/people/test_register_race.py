"""Two desks register the same person, address or 户号 at the same instant, each on its own connection (threads,
real transactions, on SQLite and on PostgreSQL): one row is written, the other desk gets the register's Chinese
refusal naming the field — never a server error, never two rows."""

from __future__ import annotations

import pytest

from gridgov.data.errors import InvalidInput
from gridgov.data.people.domain import (
    HouseholdInput,
    HouseInput,
    ResidentInput,
    register_house,
    register_household,
    register_resident,
)
from gridgov.data.people.enums import HouseUse, Relation
from gridgov.data.people.models import House, Household, Resident
from tests.data.people.factories import build_people, valid_id
from tests.factories import MONDAY_0900, build_world
from tests.locks import run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock")]

NUMBER = valid_id("33092119850615124")


def _refusals(results: list[object]) -> list[tuple[str, str | None]]:
    return [(r.message, r.field) for r in results if isinstance(r, InvalidInput)]


def test_the_same_id_number_from_two_desks_is_written_once():
    world = build_world()
    people = build_people(world)
    first = ResidentInput(household=people.household_a, name="王五", id_number=NUMBER, relation=Relation.SPOUSE)
    second = ResidentInput(household=people.household_b, name="王五", id_number=NUMBER, relation=Relation.OTHER)
    results = run_together(
        lambda: register_resident(actor=world.operator, data=first, now=MONDAY_0900),
        lambda: register_resident(actor=world.operator, data=second, now=MONDAY_0900),
    )
    written = [r for r in results if isinstance(r, Resident)]
    won_a = written[0].household_id == people.household_a.pk
    holder = "户 A001（双合村1组1号）" if won_a else "户 B001（火箭村2组5号）"
    masked = f"330921********{NUMBER[-4:]}"
    assert (len(written), Resident.objects.filter(id_digest=written[0].id_digest).count()) == (1, 1)
    assert _refusals(results) == [(f"证件号码 {masked} 已登记在{holder}，同一人不能登记两次", "id_number")]


def test_the_same_address_and_household_number_from_two_desks_are_written_once():
    world = build_world()
    house = HouseInput(
        town=world.town, village=world.village_a, grid=world.grid_a, address="双合村9组9号", use=HouseUse.OWN, rooms=2
    )
    houses = run_together(*[lambda: register_house(actor=world.operator, data=house, now=MONDAY_0900)] * 2)
    assert (House.objects.filter(address="双合村9组9号").count(), _refusals(houses)) == (
        1,
        [("标准地址“双合村9组9号”已登记", "address")],
    )
    home = House.objects.get(address="双合村9组9号")
    household = HouseholdInput(house=home, number="A900")
    households = run_together(*[lambda: register_household(actor=world.operator, data=household, now=MONDAY_0900)] * 2)
    assert Household.objects.filter(number="A900").count() == 1
    assert _refusals(households) == [("户号 A900 已存在", "number")]
