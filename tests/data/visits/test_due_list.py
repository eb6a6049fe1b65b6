"""The due list of a grid worker: due dates, lamps, the strictest frequency, and who is on it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from gridgov.data.org.models import User
from gridgov.data.people.enums import HouseUse
from gridgov.data.visits.domain import Lamp, due_list, lamp_for
from tests.data.visits.builders import group, house, member, resident, visited
from tests.factories import SHANGHAI, TownWorld

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime:
    return datetime.combine(timezone.localdate() - timedelta(days=days), time(15, 0), tzinfo=SHANGHAI)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # memberships read again, as on a new request


def test_lamp_boundaries_on_the_clock_s_dates(world: TownWorld) -> None:
    today = timezone.localdate()
    assert lamp_for(today - timedelta(days=1), today=today) == Lamp.RED
    assert lamp_for(today, today=today) == Lamp.YELLOW
    assert lamp_for(today + timedelta(days=3), today=today) == Lamp.YELLOW
    assert lamp_for(today + timedelta(days=4), today=today) == Lamp.GREEN


def test_never_visited_is_due_from_the_membership_start(world: TownWorld) -> None:
    today = timezone.localdate()
    monthly = group(world, code="elderly", every=30)
    joined_earlier, joined_today = resident(world, name="张三"), resident(world, name="李四")
    member(joined_earlier, monthly, since=today - timedelta(days=10))
    member(joined_today, monthly, since=today)

    items = due_list(worker=world.grid_worker_a, today=today)

    assert [(i.resident, i.due_on, i.lamp, i.last_visited) for i in items] == [
        (joined_earlier, today - timedelta(days=10), Lamp.RED, None),
        (joined_today, today, Lamp.YELLOW, None),
    ]


def test_last_visit_plus_frequency(world: TownWorld) -> None:
    today = timezone.localdate()
    monthly = group(world, code="elderly", every=30)
    recent, overdue, due_soon = resident(world), resident(world), resident(world)
    for person in (recent, overdue, due_soon):
        member(person, monthly, since=today - timedelta(days=100))
    visited(world, person=recent, at=days_ago(5))
    visited(world, person=overdue, at=days_ago(40))
    visited(world, person=overdue, at=days_ago(31))  # the last one counts
    visited(world, person=due_soon, at=days_ago(27))

    items = {i.resident: i for i in due_list(worker=world.grid_worker_a, today=today)}

    assert (items[recent].due_on, items[recent].lamp) == (today + timedelta(days=25), Lamp.GREEN)
    assert items[recent].last_visited == today - timedelta(days=5)
    assert (items[overdue].due_on, items[overdue].lamp) == (today - timedelta(days=1), Lamp.RED)
    assert (items[due_soon].due_on, items[due_soon].lamp) == (today + timedelta(days=3), Lamp.YELLOW)


def test_overdue_first_then_by_due_date(world: TownWorld) -> None:
    today = timezone.localdate()
    monthly = group(world, code="elderly", every=30)
    green, red, yellow = resident(world), resident(world), resident(world)
    for person in (green, red, yellow):
        member(person, monthly, since=today - timedelta(days=100))
    visited(world, person=green, at=days_ago(1))
    visited(world, person=red, at=days_ago(60))
    visited(world, person=yellow, at=days_ago(29))

    items = due_list(worker=world.grid_worker_a, today=today)

    assert [(i.resident, i.lamp) for i in items] == [(red, Lamp.RED), (yellow, Lamp.YELLOW), (green, Lamp.GREEN)]


def test_several_groups_the_shortest_frequency_wins(world: TownWorld) -> None:
    today = timezone.localdate()
    monthly, weekly = group(world, code="elderly", every=30), group(world, code="poor", every=7)
    person = resident(world)
    member(person, monthly, since=today - timedelta(days=100))
    member(person, weekly, since=today - timedelta(days=50))
    visited(world, person=person, at=days_ago(5))

    [item] = due_list(worker=world.grid_worker_a, today=today)

    assert (item.every_days, item.due_on, item.lamp) == (7, today + timedelta(days=2), Lamp.YELLOW)
    assert sorted(item.reasons) == ["elderly", "poor"]


def test_who_is_not_on_the_list(world: TownWorld) -> None:
    today = timezone.localdate()
    monthly = group(world, code="elderly", every=30)
    sensitive = group(world, code="corrections", every=7, sensitive=True, department=world.dept_a)
    no_round = group(world, code="veterans", every=None)
    listed = resident(world, name="张三")
    member(listed, monthly, since=today - timedelta(days=3))
    member(resident(world, name="王五"), sensitive, since=today - timedelta(days=3))
    member(resident(world, name="赵六"), no_round, since=today - timedelta(days=3))
    member(resident(world, name="钱七"), monthly, since=today - timedelta(days=60), until=today - timedelta(days=1))
    other_grid = resident(world, name="孙八", grid=world.grid_b)
    member(other_grid, monthly, since=today - timedelta(days=3))

    assert [i.resident for i in due_list(worker=world.grid_worker_a, today=today)] == [listed]
    assert [i.resident for i in due_list(worker=world.grid_worker_b, today=today)] == [other_grid]
    assert due_list(worker=world.operator, today=today) == []  # no grid: no round


def test_the_label_is_masked(world: TownWorld) -> None:
    today = timezone.localdate()
    member(resident(world, name="张三丰"), group(world, code="elderly", every=30), since=today)

    [item] = due_list(worker=world.grid_worker_a, today=today)

    assert item.label == "张**"


def test_group_rental_houses_of_the_grid(world: TownWorld, settings) -> None:
    today = timezone.localdate()
    never = house(world, use=HouseUse.GROUP_RENTAL, created_at=days_ago(40))
    recent = house(world, use=HouseUse.GROUP_RENTAL, created_at=days_ago(90))
    visited(world, place=recent, at=days_ago(10))
    house(world, use=HouseUse.RENTED)  # not a group rental
    house(world, use=HouseUse.GROUP_RENTAL, grid=world.grid_b)  # another grid

    items = due_list(worker=world.grid_worker_a, today=today)
    assert [(i.house, i.due_on, i.lamp) for i in items] == [
        (never, today - timedelta(days=40), Lamp.RED),
        (recent, today + timedelta(days=20), Lamp.GREEN),
    ]
    assert items[0].label == never.address

    settings.GRIDGOV_GROUP_RENTAL_VISIT_DAYS = 7
    items = due_list(worker=world.grid_worker_a, today=today)
    assert [(i.house, i.due_on, i.lamp) for i in items] == [
        (never, today - timedelta(days=40), Lamp.RED),
        (recent, today - timedelta(days=3), Lamp.RED),
    ]


def _people(world: TownWorld, count: int) -> None:
    today = timezone.localdate()
    monthly, weekly = group(world, code=f"m{count}", every=30), group(world, code=f"w{count}", every=7)
    for n in range(count):
        person = resident(world)
        member(person, monthly, since=today - timedelta(days=60))
        member(person, weekly, since=today - timedelta(days=60))
        visited(world, person=person, at=days_ago(n % 9))
        rental = house(world, use=HouseUse.GROUP_RENTAL)
        visited(world, place=rental, at=days_ago(n % 40))


@pytest.mark.parametrize("count", [1, 30])
def test_queries_do_not_grow_with_the_people(world: TownWorld, count: int, django_assert_num_queries) -> None:
    _people(world, count)
    worker = fresh(world.grid_worker_a)
    # memberships, the members with their groups, the group-rental houses, the last visits of each kind
    with django_assert_num_queries(5):
        items = due_list(worker=worker, today=timezone.localdate())
    assert len(items) == 2 * count
