"""A report writes no rollup row: its day counts (报送数, 有效数) are added by the task worker, and until then the
indicators count the case live — so a figure never misses a report and never counts one twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridgov.data.cases.domain import rollups as rollup_writes
from gridgov.data.cases.domain.rollups import count_pending_reports, count_pending_reports_if_due
from gridgov.data.cases.enums import Action
from gridgov.data.cases.models import Case
from gridgov.data.metrics import rollups
from gridgov.data.metrics.indicators import Period, Scope, count, count_by
from gridgov.data.metrics.measures import Counts
from gridgov.data.metrics.models import DailyRollup
from tests.data.metrics.conftest import act
from tests.factories import MONDAY_0900, TownWorld

pytestmark = pytest.mark.django_db

MONTH = Period.month(MONDAY_0900.year, MONDAY_0900.month)
LATER = MONDAY_0900 + timedelta(hours=2)


def town_reported(world: TownWorld) -> list[tuple[str, int, int]]:
    """The town's rollup rows: (dimension, reported, valid)."""
    return sorted(DailyRollup.objects.filter(town=world.town, reported__gt=0).values_list("dim", "reported", "valid"))


def test_a_report_is_counted_at_once_and_written_to_the_rollups_by_the_worker(world: TownWorld) -> None:
    case = world.report()
    assert town_reported(world) == []  # the report wrote no rollup row
    assert Case.objects.get(pk=case.pk).report_rolled_up is False
    town = Scope(town=world.town)
    live = count(scope=town, period=MONTH, as_of=LATER)
    assert (live.reported, live.valid) == (1, 0)
    assert live == count(scope=town, period=MONTH, as_of=LATER, recount=True)

    assert count_pending_reports() == 1
    assert count_pending_reports() == 0  # nothing twice
    assert Case.objects.get(pk=case.pk).report_rolled_up is True
    assert town_reported(world) == [
        ("category", 1, 0),
        ("channel", 1, 0),
        ("grid", 1, 0),
        ("grid_worker", 1, 0),
        ("major_category", 1, 0),
        ("town", 1, 0),
        ("village", 1, 0),
    ]
    assert count(scope=town, period=MONTH, as_of=LATER) == live
    assert rollups.check(town=world.town) == []


def test_a_case_changed_before_the_worker_counts_it_is_counted_once_where_it_now_belongs(world: TownWorld) -> None:
    case = world.report(category=world.category)
    act(case, world.operator, Action.REGISTER, MONDAY_0900 + timedelta(minutes=1))
    act(case, world.operator, Action.RECLASSIFY, MONDAY_0900 + timedelta(minutes=2), category=world.category_days)
    expected = {world.category_days.pk: Counts(reported=1, valid=1, cohort=1)}
    assert count_by(town=world.town, period=MONTH, group="category", as_of=LATER) == expected
    assert rollups.check(town=world.town) == []  # the registration wrote its cohort row; the report's wait

    assert count_pending_reports() == 1
    assert count_by(town=world.town, period=MONTH, group="category", as_of=LATER) == expected
    assert ("category", str(world.category.pk)) not in {
        (dim, member) for dim, member, _day in rollups.stored(town=world.town)
    }
    assert rollups.check(town=world.town) == []
    # And a change after the worker has counted moves the counted report, as before.
    act(case, world.operator, Action.RECLASSIFY, MONDAY_0900 + timedelta(minutes=3), category=world.category)
    assert count_by(town=world.town, period=MONTH, group="category", as_of=LATER) == {
        world.category.pk: Counts(reported=1, valid=1, cohort=1)
    }
    assert rollups.check(town=world.town) == []


def test_a_rebuild_leaves_the_waiting_reports_to_the_worker(world: TownWorld) -> None:
    world.report()
    DailyRollup.objects.all().delete()
    rollups.rebuild(town=world.town)
    assert town_reported(world) == []  # not counted into the rows: the worker will add it
    assert count_pending_reports() == 1
    assert rollups.check(town=world.town) == []
    scope = Scope(town=world.town)
    assert count(scope=scope, period=MONTH, as_of=LATER).reported == 1


def test_the_workers_round_counts_in_slices_and_at_most_once_a_period(world: TownWorld, monkeypatch) -> None:
    for _ in range(5):
        world.report()
    monkeypatch.setattr(rollup_writes, "PENDING_SLICE", 2)
    monkeypatch.setattr(rollup_writes, "_last_pending_run", 0.0)
    assert count_pending_reports_if_due(every=60, budget=10) == 5  # three slices of at most two
    world.report()
    assert count_pending_reports_if_due(every=60, budget=10) == 0  # not due again yet
    assert count_pending_reports_if_due(every=0, budget=10) == 1
    assert list(Case.objects.filter(report_rolled_up=False)) == []
    assert rollups.check(town=world.town) == []
