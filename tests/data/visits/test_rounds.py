"""Town-wide visit rounds: members overdue on a day (the due list's rule), and per village or grid the period's
coverage beside the overdue count, in a constant number of queries."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from gridgov.data.people.models import GroupMembership
from gridgov.data.visits.domain import Lamp, overdue_members, rounds
from tests.data.visits.builders import group, member, resident, visited
from tests.factories import SHANGHAI, TownWorld

pytestmark = pytest.mark.django_db


def on(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI)


SEP_1, OCT_1, OCT_31, NOV_1, NOV_5 = (
    date(2026, 9, 1),
    date(2026, 10, 1),
    date(2026, 10, 31),
    date(2026, 11, 1),
    date(2026, 11, 5),
)


def test_due_every_30_days_visited_on_day_x_overdue_on_day_y(world: TownWorld) -> None:
    monthly = group(world, code="elderly", every=30)
    person = resident(world)
    member(person, monthly, since=SEP_1)
    visited(world, person=person, at=on(OCT_1))  # due 30 days later: 31 October

    assert overdue_members(town=world.town, today=OCT_31) == []  # due today: yellow, not overdue
    [item] = overdue_members(town=world.town, today=NOV_1)
    assert (item.resident, item.due_on, item.last_visited, item.lamp) == (person, OCT_31, OCT_1, Lamp.RED)

    visited(world, person=person, at=on(NOV_5))  # late: due 31 October
    assert overdue_members(town=world.town, today=NOV_5) == []
    assert [i.resident for i in overdue_members(town=world.town, today=date(2026, 11, 4))] == [person]  # as of then
    [row_a, row_b] = rounds(town=world.town, start=NOV_1, end=date(2026, 11, 30), today=NOV_5, by="village")
    assert (row_a.area, row_a.due, row_a.on_time, row_a.late, row_a.overdue_now, row_a.lamp) == (
        world.village_a,
        1,
        0,
        1,
        0,
        Lamp.GREEN,
    )
    assert (row_b.area, row_b.due, row_b.overdue_now, row_b.rate) == (world.village_b, 0, 0, None)


def test_rounds_per_village_and_per_grid_of_a_village(world: TownWorld) -> None:
    monthly = group(world, code="elderly", every=30)
    on_time, never = resident(world), resident(world)
    elsewhere = resident(world, grid=world.grid_b)
    for person in (on_time, never, elsewhere):
        member(person, monthly, since=NOV_1)
    visited(world, person=on_time, at=on(NOV_1))  # due 1 November (never visited before), visited that day

    by_village = rounds(town=world.town, start=NOV_1, end=date(2026, 11, 20), today=date(2026, 11, 20), by="village")
    assert [(r.area, r.due, r.on_time, r.late, r.overdue_now, r.lamp) for r in by_village] == [
        (world.village_a, 2, 1, 1, 1, Lamp.RED),
        (world.village_b, 1, 0, 1, 1, Lamp.RED),
    ]
    assert by_village[0].rate == 0.5
    nov_20 = date(2026, 11, 20)
    in_a = rounds(town=world.town, start=NOV_1, end=nov_20, today=nov_20, by="grid", within=world.village_a)
    assert [(r.area, r.due, r.overdue_now) for r in in_a] == [(world.grid_a, 2, 1)]


def test_only_the_visible_memberships_count(world: TownWorld) -> None:
    monthly = group(world, code="elderly", every=30)
    sensitive = group(world, code="correction", every=7, sensitive=True)
    seen, hidden = resident(world), resident(world)
    member(seen, monthly, since=SEP_1)
    member(hidden, sensitive, since=SEP_1)
    visible = GroupMembership.objects.filter(group=monthly)

    assert [i.resident for i in overdue_members(town=world.town, today=NOV_1, visible=visible)] == [seen]
    assert {i.resident for i in overdue_members(town=world.town, today=NOV_1)} == {seen, hidden}
    [row_a, _b] = rounds(town=world.town, start=NOV_1, end=NOV_5, today=NOV_5, by="village", visible=visible)
    assert (row_a.due, row_a.overdue_now) == (1, 1)


@pytest.mark.parametrize("people", [1, 6])
def test_rounds_take_six_queries_however_many_people(world: TownWorld, people: int, django_assert_num_queries) -> None:
    monthly = group(world, code="elderly", every=30)
    for n in range(people):
        person = resident(world, grid=world.grid_a if n % 2 else world.grid_b)
        member(person, monthly, since=SEP_1)
        visited(world, person=person, at=on(OCT_1))
    with django_assert_num_queries(6):
        found = rounds(town=world.town, start=NOV_1, end=NOV_5, today=NOV_5, by="grid")
    assert sum(r.overdue_now for r in found) == people
