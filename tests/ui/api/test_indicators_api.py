"""Indicators, rankings and drill-down through the API: figures equal to ``metrics.compute`` / ``ranking``,
the dashboard's period and scope parameters and its viewer rules."""

from __future__ import annotations

import pytest
from django.utils.dateparse import parse_datetime

from gridgov.data.cases.enums import Status
from gridgov.data.metrics.indicators import Period, Scope, compute, ranking
from tests.factories import MONDAY_0900, TownWorld

NOV = {"period": "month", "date": "2026-11-23"}
AS_OF = "2026-11-30T12:00:00+08:00"


@pytest.fixture
def cases(world: TownWorld) -> dict[str, object]:
    return {
        "a_closed": world.bring_to(Status.CLOSED, now=MONDAY_0900),
        "a_handling": world.bring_to(Status.HANDLING, now=MONDAY_0900),
        "a_rejected": world.bring_to(Status.REJECTED, now=MONDAY_0900),
        "b_reported": world.report(reporter=world.grid_worker_b, area=world.grid_b, now=MONDAY_0900),
    }


def test_indicators_equal_compute_with_formulas(world: TownWorld, cases, as_user) -> None:
    body = as_user(world.leader).get("/api/indicators", **NOV, as_of=AS_OF).json()
    expected = compute(scope=Scope(town=world.town), period=Period.month(2026, 11), as_of=parse_datetime(AS_OF))
    assert body["town"] == {"id": world.town.pk, "name": "岱西镇"}
    assert body["period"] == {"kind": "month", "start": "2026-11-01", "last": "2026-11-30", "label": "2026年11月"}
    assert body["scope"] == {"value": "", "label": "岱西镇"}
    assert [m["key"] for m in body["measures"]] == [m.key for m in expected.measures()]
    for got, want in zip(body["measures"], expected.measures(), strict=True):
        assert (got["numerator"], got["denominator"], got["display"], got["formula"]) == (
            want.numerator,
            want.denominator,
            want.display,
            str(want.formula),
        )
    by_key = {m["key"]: m for m in body["measures"]}
    assert (by_key["reported"]["value"], by_key["registered"]["value"]) == (4.0, 2.0)
    assert (by_key["completion_rate"]["numerator"], by_key["completion_rate"]["denominator"]) == (1, 2)
    assert by_key["completion_rate"]["value"] == 50.0
    assert by_key["satisfaction_rate"]["value"] is None
    assert by_key["satisfaction_rate"]["display"] == "—"


def test_scope_rules_are_the_dashboards(world: TownWorld, cases, as_user) -> None:
    staff = as_user(world.village_staff_b)
    body = staff.get("/api/indicators", **NOV, as_of=AS_OF).json()
    assert body["scope"] == {"value": f"village:{world.village_b.pk}", "label": "火箭村"}
    assert body["measures"][0]["numerator"] == 1
    refused = staff.get("/api/indicators", **NOV, scope=f"village:{world.village_a.pk}")
    assert refused.status_code == 422
    assert refused.json()["field"] == "scope"
    assert staff.get("/api/indicators", **NOV, scope="").json()["message"] == "您只能查看本村的数据"
    assert staff.get("/api/rankings", **NOV).status_code == 403
    for role in ("grid_worker_a", "handler_a", "resident", "enterprise"):
        response = as_user(getattr(world, role)).get("/api/indicators", **NOV)
        assert (response.status_code, response.json()["code"]) == (403, "out_of_scope"), role
    leader = as_user(world.leader)
    village = leader.get("/api/indicators", **NOV, as_of=AS_OF, scope=f"village:{world.village_a.pk}").json()
    assert village["measures"][0]["numerator"] == 3
    bad = [
        {"period": "decade"},
        {"date": "2026-13-45"},
        {"period": "custom", "start": "2026-11-30", "end": "2026-11-01"},
        {"scope": "planet:1"},
        {"scope": "village:99999999999999999999999"},
        {"scope": "department:77"},
        {"as_of": "yesterday"},
        {"town": "999999"},
        {"period": "year", "date": "9999-12-31"},
        {"period": "week", "date": "0001-01-01"},
        {"period": "custom", "start": "2026-01-01", "end": "9999-12-31"},
        {"as_of": "0001-01-01T00:00:00+08:00"},
    ]
    for params in bad:
        response = leader.get("/api/indicators", **params)
        assert response.status_code in (403, 422), params
        assert response.json()["message"], params


def test_rankings_equal_ranking(world: TownWorld, cases, as_user) -> None:
    leader = as_user(world.leader)
    for by in ("village", "department", "grid_worker"):
        body = leader.get("/api/rankings", **NOV, as_of=AS_OF, by=by).json()
        expected = ranking(town=world.town, period=Period.month(2026, 11), by=by, as_of=parse_datetime(AS_OF))
        assert [(r["rank"], r["id"], r["name"], r["n"], r["score"]["display"]) for r in body["rows"]] == [
            (r.rank, r.key, r.name, r.n, r.score.display) for r in expected
        ]
    assert leader.get("/api/rankings", by="planet").status_code == 422


def test_drill_down_lists_the_counted_visible_cases(world: TownWorld, cases, as_user) -> None:
    leader = as_user(world.leader)
    body = leader.get("/api/indicators/completion_rate/cases", **NOV, as_of=AS_OF).json()
    assert body["count"] == 1
    assert [c["id"] for c in body["results"]] == [cases["a_closed"].pk]
    assert (body["measure"]["numerator"], body["part"]) == (1, "numerator")
    denominator = leader.get("/api/indicators/completion_rate/cases", **NOV, as_of=AS_OF, part="denominator").json()
    assert denominator["count"] == 2
    reported = leader.get("/api/indicators/reported/cases", **NOV, as_of=AS_OF).json()
    assert reported["count"] == 4
    staff = as_user(world.village_staff_b).get("/api/indicators/reported/cases", **NOV, as_of=AS_OF).json()
    assert [c["id"] for c in staff["results"]] == [cases["b_reported"].pk]
    assert leader.get("/api/indicators/nonsense/cases").status_code == 404
    no_denominator = leader.get("/api/indicators/reported/cases", part="denominator")
    assert (no_denominator.status_code, no_denominator.json()["field"]) == (422, "part")
    assert leader.get("/api/indicators/score/cases").status_code == 422
