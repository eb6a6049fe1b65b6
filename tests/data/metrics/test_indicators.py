"""Every indicator on the hand-built November (see conftest.py), with the expected values worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gridgov.data.cases.enums import Channel
from gridgov.data.errors import InvalidInput
from gridgov.data.metrics import rollups
from gridgov.data.metrics.indicators import (
    Counts,
    Period,
    Scope,
    Weights,
    build_set,
    cases_behind,
    compute,
    compute_by,
    count,
)
from gridgov.data.metrics.models import IndicatorWeights
from tests.factories import at

NOV = Period.month(2026, 11)
T = at(2026, 11, 20, 12, 0)  # after every change: the rollups answer
MEASURES = [
    "reported",
    "valid_rate",
    "registered",
    "completion_rate",
    "closure_rate",
    "on_time_closure_rate",
    "on_time_handling_rate",
    "rework_rate",
    "overdue_rate",
    "satisfaction_rate",
]


def shown(result) -> dict[str, str]:
    return {m.key: m.display for m in result.measures()}


def test_the_town_in_november(november):
    result = compute(scope=Scope(town=november.world.town), period=NOV, as_of=T)
    # reported c1–c9 (c10 is October); registered and not rejected: c1 c2 c3 c4 c6 c7 c9; closed c1 c2 c3 c6;
    # suspended c4; resolved c1 c2 c3 c6 c9, on time all but c2; reworked c3; rated c1 c2 c3 (2 satisfied);
    # late: c2 (resolved after its deadline) and c7 (handling past 19 Nov 09:02).
    assert result.counts == Counts(
        reported=9,
        valid=7,
        cohort=7,
        closed=4,
        suspended=1,
        resolved=5,
        resolved_on_time=4,
        closed_on_time=3,
        reworked=1,
        rated=3,
        satisfied=2,
        late=2,
    )
    assert shown(result) == {
        "reported": "9",
        "valid_rate": "77.8%",  # 7 / 9
        "registered": "7",
        "completion_rate": "57.1%",  # 4 / 7
        "closure_rate": "66.7%",  # 4 / (7 − 1)
        "on_time_closure_rate": "50.0%",  # 3 / 6
        "on_time_handling_rate": "80.0%",  # 4 / 5
        "rework_rate": "20.0%",  # 1 / 5
        "overdue_rate": "33.3%",  # 2 / 6
        "satisfaction_rate": "66.7%",  # 2 / 3
        # 100 × (0.5 × 3/6 + 0.2 × 4/6 + 0.15 × (1 − 1/5) + 0.15 × 2/3) = 25 + 13.33 + 12 + 10
        "score": "60.3",
    }
    assert (result.valid_rate.numerator, result.valid_rate.denominator) == (7, 9)
    assert result.valid_rate.value == Decimal(700) / Decimal(9)
    assert result.overdue_rate.formula.startswith("超期案件数")


def test_before_the_deadline_of_the_street_lamp_it_is_not_late(november):
    result = compute(scope=Scope(town=november.world.town), period=NOV, as_of=at(2026, 11, 18, 12, 0))
    assert (result.counts.late, result.overdue_rate.display) == (1, "16.7%")  # only c2


def test_in_the_past_the_recount_answers_as_of_then(november):
    # 16 Nov 09:00:30: everything reported, only c6 (self-resolved at 09:00) registered and closed.
    result = compute(scope=Scope(town=november.world.town), period=NOV, as_of=at(2026, 11, 16, 9, 0).replace(second=30))
    assert result.counts == Counts(
        reported=9, valid=1, cohort=1, closed=1, resolved=1, resolved_on_time=1, closed_on_time=1
    )
    assert shown(result)["satisfaction_rate"] == "—"
    assert shown(result)["score"] == "100.0"  # 满意率 left out, the other weights rescaled


def test_village_b_rescales_the_weights_without_satisfaction(november):
    w = november.world
    result = compute(scope=Scope(town=w.town, area=w.village_b), period=NOV, as_of=T)
    assert shown(result) == {
        "reported": "1",
        "valid_rate": "100.0%",
        "registered": "1",
        "completion_rate": "0.0%",
        "closure_rate": "0.0%",
        "on_time_closure_rate": "0.0%",
        "on_time_handling_rate": "100.0%",
        "rework_rate": "0.0%",
        "overdue_rate": "0.0%",
        "satisfaction_rate": "—",
        "score": "17.6",  # 100 × 0.15 × 1 / (0.5 + 0.2 + 0.15)
    }


@pytest.mark.parametrize(
    ("scope_kind", "expected"),
    [
        # village A: c1–c8; grid A the same cases
        ("village_a", (8, 6, 6, 4, 1, 4, 2)),
        ("grid_a", (8, 6, 6, 4, 1, 4, 2)),
        # 执法中队 holds c1 c2 c3 c7
        ("dept_a", (4, 4, 4, 3, 0, 3, 2)),
        # grid worker A reported c1–c7 (c8 came from a resident)
        ("grid_worker_a", (7, 6, 6, 4, 1, 4, 2)),
        # 路灯 (sub-category) and its major category 公共设施: c7 only
        ("category_days", (1, 1, 1, 0, 0, 0, 1)),
        ("major_days", (1, 1, 1, 0, 0, 0, 1)),
        ("resident_channel", (1, 0, 0, 0, 0, 0, 0)),
    ],
)
def test_each_scope_kind(november, scope_kind, expected):
    w = november.world
    scope = {
        "village_a": Scope(town=w.town, area=w.village_a),
        "grid_a": Scope(town=w.town, area=w.grid_a),
        "dept_a": Scope(town=w.town, department=w.dept_a),
        "grid_worker_a": Scope(town=w.town, grid_worker=w.grid_worker_a),
        "category_days": Scope(town=w.town, category=w.category_days),
        "major_days": Scope(town=w.town, category=w.category_days.parent),
        "resident_channel": Scope(town=w.town, channel=Channel.RESIDENT),
    }[scope_kind]
    counts = count(scope=scope, period=NOV, as_of=T)
    names = ("reported", "valid", "cohort", "closed", "suspended", "resolved", "late")
    assert tuple(getattr(counts, k) for k in names) == expected
    assert count(scope=scope, period=NOV, as_of=T, recount=True) == counts


def test_rollups_equal_the_recount_and_the_check_passes(november):
    assert rollups.check(town=november.world.town) == []
    assert rollups.stored(town=november.world.town) == rollups.recount(town=november.world.town)


@pytest.mark.parametrize("measure", MEASURES)
def test_drill_down_lists_equal_the_counts(november, measure):
    w = november.world
    for scope in (Scope(town=w.town), Scope(town=w.town, area=w.village_a), Scope(town=w.town, department=w.dept_a)):
        result = compute(scope=scope, period=NOV, as_of=T)
        m = result[measure]
        assert cases_behind(scope=scope, period=NOV, measure=measure, part="numerator", as_of=T).count() == m.numerator
        if m.denominator is not None:
            den = cases_behind(scope=scope, period=NOV, measure=measure, part="denominator", as_of=T)
            assert den.count() == m.denominator


def test_drill_down_names_the_cases(november):
    c, w = november.cases, november.world
    late = cases_behind(scope=Scope(town=w.town), period=NOV, measure="overdue_rate", part="numerator", as_of=T)
    assert set(late) == {c["c2"], c["c7"]}
    reworked = cases_behind(scope=Scope(town=w.town), period=NOV, measure="rework_rate", part="numerator", as_of=T)
    assert list(reworked) == [c["c3"]]


def test_drill_down_errors(november):
    scope = Scope(town=november.world.town)
    with pytest.raises(InvalidInput) as error:
        cases_behind(scope=scope, period=NOV, measure="score", part="numerator")
    assert error.value.field == "measure"
    with pytest.raises(InvalidInput) as error:
        cases_behind(scope=scope, period=NOV, measure="reported", part="denominator")
    assert error.value.field == "part"


def test_compute_by_village_month_and_channel(november):
    w = november.world
    by_village = compute_by(town=w.town, period=NOV, group="village", as_of=T)
    assert {k: (s.counts.reported, s.counts.cohort) for k, s in by_village.items()} == {
        w.village_a.pk: (8, 6),
        w.village_b.pk: (1, 1),
    }
    by_month = compute_by(
        town=w.town, period=Period.custom(date(2026, 10, 1), date(2026, 11, 30)), group="month", as_of=T
    )
    assert {k: (s.counts.reported, s.counts.cohort, s.counts.late) for k, s in by_month.items()} == {
        date(2026, 10, 1): (1, 1, 0),
        date(2026, 11, 1): (9, 7, 2),
    }
    by_channel = compute_by(town=w.town, period=NOV, group="channel", as_of=T)
    assert {k: s.counts.reported for k, s in by_channel.items()} == {"grid_worker": 8, "resident": 1}
    by_worker = compute_by(town=w.town, period=NOV, group="grid_worker", as_of=T)
    assert {k: s.n for k, s in by_worker.items()} == {w.grid_worker_a.pk: 6, w.grid_worker_b.pk: 1}


@pytest.mark.parametrize(
    "group", ["village", "grid", "department", "grid_worker", "category", "major_category", "channel", "month"]
)
def test_compute_by_equals_a_recount_now_and_in_the_past(november, group):
    from gridgov.data.metrics.indicators import count_by

    w = november.world
    for as_of in (T, at(2026, 11, 18, 12, 0)):
        assert count_by(town=w.town, period=NOV, group=group, as_of=as_of) == count_by(
            town=w.town, period=NOV, group=group, as_of=as_of, recount=True
        )


def test_zero_cases_give_dashes_not_zero_percent(world):
    result = compute(scope=Scope(town=world.town), period=Period.year(2025))
    assert shown(result) == {k: ("0" if k in ("reported", "registered") else "—") for k in [*MEASURES, "score"]}


def test_weights_from_the_town_and_deductions_from_inspections(november):
    w = november.world
    IndicatorWeights.objects.create(
        town=w.town, on_time_closure=Decimal(1), closure=Decimal(0), no_rework=Decimal(0), satisfaction=Decimal(0)
    )
    assert compute(scope=Scope(town=w.town), period=NOV, as_of=T).score.display == "50.0"  # 按期结案率 alone

    # Inspection deductions (the inspections ledger's, see tests/data/inspections) are subtracted from the value.
    counts = count(scope=Scope(town=w.town, area=w.village_a), period=NOV, as_of=T)
    result = build_set(counts, weights=Weights.for_town(w.town), deduction=Decimal("2.5"))
    assert (result.deduction, result.score.display) == (Decimal("2.5"), "57.5")  # 3/6 → 60.0 − 2.5


def test_score_never_negative():
    assert build_set(Counts(cohort=1), deduction=Decimal(5)).score.value == Decimal(0)
    assert build_set(Counts(), weights=Weights()).score.value is None


def test_periods_and_their_labels():
    assert Period.day(date(2026, 11, 25)).label == "2026年11月25日"
    assert Period.week(date(2026, 11, 25)).label == "2026年第48周（2026年11月23日—2026年11月29日）"
    assert Period.month(2026, 12) == Period(date(2026, 12, 1), date(2027, 1, 1), "month")
    assert Period.quarter(2026, 4).label == "2026年第四季度"
    assert Period.quarter(2026, 1) == Period(date(2026, 1, 1), date(2026, 4, 1), "quarter")
    assert Period.year(2026).label == "2026年"
    assert Period.custom(date(2026, 1, 1), date(2026, 3, 31)).label == "2026年1月1日至2026年3月31日"
    with pytest.raises(InvalidInput) as error:
        Period.custom(date(2026, 3, 1), date(2026, 2, 1))
    assert (error.value.field, str(error.value)) == ("end", "结束日期必须不早于开始日期")
    with pytest.raises(InvalidInput):
        Period.month(2026, 13)


def test_scope_takes_one_narrowing_in_its_own_town(world):
    with pytest.raises(InvalidInput) as error:
        Scope(town=world.town, area=world.village_a, channel=Channel.HOTLINE)
    assert error.value.field == "channel"
    with pytest.raises(InvalidInput) as error:
        Scope(town=world.village_a)
    assert error.value.field == "town"
    with pytest.raises(InvalidInput) as error:
        Scope(town=world.town, channel="fax")
    assert str(error.value) == "来源渠道“fax”无效"


def test_query_counts(november, django_assert_max_num_queries):
    w = november.world
    # freshness probe, weights, rollup sums, live overdue, inspection deductions (a village's score)
    with django_assert_max_num_queries(5):
        compute(scope=Scope(town=w.town, area=w.village_a), period=NOV, as_of=T)
    with django_assert_max_num_queries(4):
        compute_by(town=w.town, period=NOV, group="grid_worker", as_of=T)
    with django_assert_max_num_queries(4):  # in the past: freshness probe, weights, two recount queries
        compute(scope=Scope(town=w.town), period=NOV, as_of=at(2026, 11, 17, 9, 0))
