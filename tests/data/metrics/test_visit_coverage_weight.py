"""走访覆盖率 in the village score: off by default (the ranking exactly as without visits), on with its weight."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gridgov.data.cases.enums import Action
from gridgov.data.metrics.indicators import Period, Scope, compute, ranking
from gridgov.data.metrics.models import IndicatorWeights
from gridgov.data.org.models import Area
from tests.data.metrics.conftest import _dispatched, _resolve, act
from tests.data.visits.builders import group, member, resident, visited
from tests.factories import TownWorld, at

pytestmark = pytest.mark.django_db

NOV = Period.month(2026, 11)
T = at(2026, 11, 20, 12, 0)


def _closed(w: TownWorld, area: Area) -> None:
    case = _dispatched(w, area=area)
    _resolve(w, case, at(2026, 11, 16, 10, 0))
    act(case, w.operator, Action.VERIFY_PASS, at(2026, 11, 16, 10, 10))


def _half_visited(w: TownWorld) -> None:
    """Village A (双合村): two members due 1 November, one visited that day (coverage 1/2); village B (火箭村):
    nobody due."""
    monthly = group(w, code="elderly", every=30)
    on_time, missed = resident(w), resident(w)
    for person in (on_time, missed):
        member(person, monthly, since=date(2026, 11, 1))
    visited(w, person=on_time, at=at(2026, 11, 1, 10, 0))


def _table(w: TownWorld) -> list[tuple[int | None, str, str, Decimal | None]]:
    return [
        (r.rank, r.name, r.score.display, r.visit_coverage)
        for r in ranking(town=w.town, period=NOV, by="village", as_of=T)
    ]


def test_off_by_default_the_ranking_is_unchanged_by_visits(world: TownWorld) -> None:
    _closed(world, world.grid_a)
    late = _dispatched(world, area=world.grid_a)
    _resolve(world, late, at(2026, 11, 18, 10, 0))  # late, awaiting verification
    _closed(world, world.grid_b)
    before = _table(world)
    _half_visited(world)
    IndicatorWeights.objects.create(town=world.town)  # a weights row with the default: off

    assert _table(world) == before == [(1, "火箭村", "100.0", None), (2, "双合村", "58.8", None)]


def test_on_it_joins_the_village_score_with_its_weight(world: TownWorld) -> None:
    _closed(world, world.grid_a)
    _closed(world, world.grid_b)
    _half_visited(world)
    IndicatorWeights.objects.create(town=world.town, visit_coverage=Decimal("0.2"))

    # 双合村 (A): 100 × (0.5 × 1 + 0.2 × 1 + 0.15 × 1 + 0.2 × 1/2) / (0.85 + 0.2) = 90.5 (no ratings: 满意率 left out)
    assert _table(world) == [(1, "火箭村", "100.0", None), (2, "双合村", "90.5", Decimal("0.5"))]
    village_a = compute(scope=Scope(town=world.town, area=world.village_a), period=NOV, as_of=T)
    assert (village_a.score.display, village_a.visit_coverage) == ("90.5", Decimal("0.5"))
    assert "走访覆盖率" in village_a.score.formula
    departments = ranking(town=world.town, period=NOV, by="department", as_of=T)
    assert [r.visit_coverage for r in departments] == [None] * len(departments)  # villages only


def test_on_a_village_without_cases_is_scored_by_its_visits(world: TownWorld) -> None:
    _half_visited(world)
    IndicatorWeights.objects.create(town=world.town, visit_coverage=Decimal("0.2"))

    assert _table(world) == [(1, "双合村", "50.0", Decimal("0.5")), (None, "火箭村", "—", None)]
