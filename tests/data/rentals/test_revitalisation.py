"""Idle farmhouses' revitalisation (闲置农房盘活): who may record it, the bad input refused, and the year's
figures (盘活N户, 增收N万元) with the houses behind them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from gridgov.data.access.permissions import revitalisable_houses, revitalisation_actions
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import Role
from gridgov.data.people.enums import HouseUse, Revitalisation
from gridgov.data.people.models import House
from gridgov.data.people.revitalisation import revitalise_house, revitalised
from tests.data.rentals.builders import make_house
from tests.factories import WORLD_NOW, WORLD_TODAY, TownWorld


def idle(world: TownWorld, address: str = "双合村5组3号", **kw: object) -> House:
    return make_house(world, address, use=HouseUse.IDLE, rooms=4, **kw)


def test_revitalising_records_the_day_and_the_income_as_typed(world: TownWorld) -> None:
    house = idle(world)
    revitalise_house(actor=world.operator, house=house, on=date(2026, 6, 1), added_income="3.5万元", now=WORLD_NOW)
    house.refresh_from_db()
    assert (house.revitalisation, house.revitalised_on, house.added_income, house.updated_at) == (
        Revitalisation.REVITALISED,
        date(2026, 6, 1),
        Decimal("35000.00"),
        WORLD_NOW,
    )


@pytest.mark.parametrize(
    ("use", "on", "income", "field", "message"),
    [
        (HouseUse.GROUP_RENTAL, date(2026, 6, 1), "0", "house", "房屋“双合村5组3号”不是闲置农房"),
        (HouseUse.IDLE, WORLD_TODAY + timedelta(days=1), "0", "revitalised_on", "盘活日期不能晚于今天"),
        (HouseUse.IDLE, date(2026, 6, 1), "-100", "added_income", "农户增收不能为负数"),
        (HouseUse.IDLE, date(2026, 6, 1), "很多", "added_income", "农户增收：“很多”不是金额"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(
    world: TownWorld, use: HouseUse, on: date, income: str, field: str, message: str
) -> None:
    house = make_house(world, "双合村5组3号", use=use, rooms=4)
    with pytest.raises(InvalidInput) as error:
        revitalise_house(actor=world.operator, house=house, on=on, added_income=income, now=WORLD_NOW)
    assert (error.value.field, error.value.message) == (field, message)
    house.refresh_from_db()
    assert (house.revitalisation, house.revitalised_on, house.added_income) == ("", None, Decimal(0))


def test_who_may_revitalise(world: TownWorld) -> None:
    """The command room and admins of the town, and the staff of the house's own village; nobody else."""
    house = idle(world)  # in village A
    people = {str(role): world.persona(role) for role in Role} | {"village_staff_b": world.village_staff_b}
    allowed = sorted(name for name, user in people.items() if revitalisation_actions(user=user, house=house))
    assert allowed == ["admin", "operator", "village_staff"]
    with pytest.raises(NotAllowed):
        revitalise_house(actor=world.village_staff_b, house=house, on=WORLD_TODAY, added_income="1", now=WORLD_NOW)
    revitalise_house(actor=world.village_staff_a, house=house, on=WORLD_TODAY, added_income="12,000", now=WORLD_NOW)
    house.refresh_from_db()
    assert house.added_income == Decimal("12000.00")


def test_revitalised_counts_the_year_s_houses_and_their_income(world: TownWorld) -> None:
    houses = [idle(world, f"双合村5组{n}号") for n in range(1, 6)]
    for house, on, income in [
        (houses[0], date(2026, 1, 1), "2万元"),
        (houses[1], date(2026, 11, 23), "15000.5"),
        (houses[2], date(2025, 12, 31), "9万"),  # the year before
    ]:
        revitalise_house(actor=world.operator, house=house, on=on, added_income=income, now=WORLD_NOW)
    House.objects.filter(pk=houses[3].pk).update(revitalisation=Revitalisation.PLANNED)  # planned only
    figures = revitalised(town=world.town, year=2026)
    assert (figures.households, figures.added_income, figures.added_income_wan) == (
        2,
        Decimal("35000.50"),
        Decimal("3.50"),
    )
    assert sorted(figures.houses.values_list("pk", flat=True)) == [houses[0].pk, houses[1].pk]
    last = revitalised(town=world.town, year=2025)
    assert (last.households, last.added_income_wan) == (1, Decimal("9.00"))


def test_revitalisable_houses_follow_the_same_rule(world: TownWorld) -> None:
    a = idle(world, "双合村5组1号")
    b = idle(world, "火箭村6组2号", village=world.village_b, grid=world.grid_b)
    people = {str(role): world.persona(role) for role in Role} | {"village_staff_b": world.village_staff_b}
    found = {
        name: sorted(h.address for h in revitalisable_houses(user, House.objects.filter(town=world.town)))
        for name, user in people.items()
    }
    assert {name: houses for name, houses in found.items() if houses} == {
        "admin": ["双合村5组1号", "火箭村6组2号"],
        "operator": ["双合村5组1号", "火箭村6组2号"],
        "village_staff": ["双合村5组1号"],
        "village_staff_b": ["火箭村6组2号"],
    }
    for name, user in people.items():  # the list and the single house agree
        assert [h.address for h in (a, b) if revitalisation_actions(user=user, house=h)] == found[name], name
