"""Case list queries: the lamp filter agrees with lamp_of; nearby similar open cases."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from gridgov.data.cases.domain.deadlines import lamp_of
from gridgov.data.cases.domain.engine import report_case
from gridgov.data.cases.domain.queries import CaseFilter, search_cases
from gridgov.data.cases.domain.similar import distance_m, similar_open_cases
from gridgov.data.cases.enums import Channel, Lamp, Status
from gridgov.data.cases.models import Case
from tests.factories import MONDAY_0900, TownWorld


def test_lamp_filter_agrees_with_lamp_of(world: TownWorld) -> None:
    cases = [world.report(), world.bring_to(Status.HANDLING), world.bring_to(Status.SUSPENDED)]
    cases.append(world.bring_to(Status.CLOSED))
    for now in (MONDAY_0900 + timedelta(minutes=10), MONDAY_0900 + timedelta(hours=3), MONDAY_0900 + timedelta(days=9)):
        expected = {lamp: sorted(c.number for c in cases if lamp_of(c, now=now) == lamp) for lamp in Lamp.values}
        found = {
            lamp: sorted(
                search_cases(user=world.operator, case_filter=CaseFilter(lamp=lamp), now=now).values_list(
                    "number", flat=True
                )
            )
            for lamp in Lamp.values
        }
        assert found == expected
    late = MONDAY_0900 + timedelta(days=9)
    assert [lamp_of(c, now=late) for c in cases] == [Lamp.RED, Lamp.RED, Lamp.PAUSED, Lamp.NONE]


def _at(world: TownWorld, lat: str, lng: str, text: str, category=None) -> Case:
    return report_case(
        town=world.town,
        reporter=world.grid_worker_a,
        channel=Channel.GRID_WORKER,
        category=category or world.category,
        description=text,
        area=world.grid_a,
        latitude=Decimal(lat),
        longitude=Decimal(lng),
        now=MONDAY_0900,
    )


def test_distance_is_in_metres() -> None:
    assert round(distance_m(30.0, 122.0, 30.001, 122.0)) == 111


def test_similar_open_cases_need_two_of_category_place_and_text(world: TownWorld) -> None:
    new = _at(world, "30.250000", "122.100000", "路边垃圾桶满溢，垃圾散落")
    near_same = _at(world, "30.250900", "122.100000", "垃圾桶满了")  # 100 m, same category
    far_same_text = _at(world, "30.300000", "122.100000", "路边垃圾桶满溢，垃圾散落")  # 5.5 km, same text
    near_other = _at(world, "30.250100", "122.100000", "路灯不亮", category=world.category_days)  # near only
    far_other = _at(world, "30.400000", "122.100000", "路灯不亮", category=world.category_days)
    closed = world.bring_to(Status.CLOSED)
    found = similar_open_cases(user=world.operator, case=new)
    assert [s.case.number for s in found] == [near_same.number, far_same_text.number]
    assert round(found[0].distance_m or 0) == 100
    assert near_other.number not in [s.case.number for s in found]
    assert far_other.number not in [s.case.number for s in found]
    assert closed.number not in [s.case.number for s in found]
    # Scoped: a grid worker of village B sees none of village A's cases.
    assert similar_open_cases(user=world.grid_worker_b, case=new) == []


def test_overview_counts_by_status_and_lamp(world: TownWorld) -> None:
    from gridgov.data.cases.domain.queries import overview

    world.report()
    world.bring_to(Status.HANDLING)
    world.bring_to(Status.SUSPENDED)
    world.bring_to(Status.CLOSED)
    world.report(area=world.grid_b, reporter=world.grid_worker_b)
    early = overview(user=world.leader, now=MONDAY_0900 + timedelta(minutes=10))
    assert (early.total, early.red, early.yellow, early.paused, early.pending_extensions) == (5, 0, 0, 1, 0)
    assert early.by_status == {
        "reported": 2,
        "registered": 0,
        "dispatched": 0,
        "handling": 1,
        "resolved": 0,
        "closed": 1,
        "rejected": 0,
        "suspended": 1,
    }
    late = overview(user=world.leader, now=MONDAY_0900 + timedelta(days=9))
    assert (late.red, late.yellow) == (3, 0)
    # A grid worker's overview covers only their grid.
    assert overview(user=world.grid_worker_b, now=MONDAY_0900).total == 1
