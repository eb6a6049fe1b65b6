"""Visit coverage per grid and per village: members due in a period, visited on time, overdue."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from gridgov.data.errors import InvalidInput
from gridgov.data.visits.domain import coverage
from tests.data.visits.builders import group, member, resident, visited
from tests.factories import SHANGHAI, TownWorld

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime:
    return datetime.combine(timezone.localdate() - timedelta(days=days), time(10, 0), tzinfo=SHANGHAI)


def test_coverage_per_grid_and_village(world: TownWorld, django_assert_num_queries) -> None:
    today = timezone.localdate()
    monthly, bimonthly = group(world, code="elderly", every=30), group(world, code="veterans", every=60)
    never, on_time, late, not_due = (resident(world) for _ in range(4))
    for person in (never, on_time, late):
        member(person, monthly, since=today - timedelta(days=100))
    member(not_due, bimonthly, since=today - timedelta(days=100))
    visited(world, person=on_time, at=days_ago(35))  # due 5 days ago
    visited(world, person=on_time, at=days_ago(6))  # on time
    visited(world, person=late, at=days_ago(50))  # due 20 days ago
    visited(world, person=late, at=days_ago(10))  # late
    visited(world, person=not_due, at=days_ago(40))  # due in 20 days
    elsewhere = resident(world, grid=world.grid_b)
    member(elsewhere, monthly, since=today - timedelta(days=10))  # due (never visited), not visited

    start, end = today - timedelta(days=30), today
    with django_assert_num_queries(4):
        by_grid = coverage(town=world.town, start=start, end=end, by="grid")
    assert [(r.area, r.due, r.on_time, r.overdue) for r in by_grid] == [
        (world.grid_a, 3, 1, 2),
        (world.grid_b, 1, 0, 1),
    ]
    by_village = coverage(town=world.town, start=start, end=end, by="village")
    assert [(r.area, r.due, r.on_time, r.overdue) for r in by_village] == [
        (world.village_a, 3, 1, 2),
        (world.village_b, 1, 0, 1),
    ]
    assert by_grid[0].rate == pytest.approx(1 / 3)


def test_coverage_refuses_a_bad_period_or_level(world: TownWorld) -> None:
    today = timezone.localdate()
    with pytest.raises(InvalidInput):
        coverage(town=world.town, start=today, end=today - timedelta(days=1), by="grid")
    with pytest.raises(InvalidInput):
        coverage(town=world.town, start=today, end=today, by="town")
