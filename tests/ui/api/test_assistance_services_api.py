"""Veterans' preferential cards and day care through the API: seen per role in the assistance scope, the person
masked, applied and recorded once per Idempotency-Key, a card issued once, bad input refused naming the field
with nothing written, lists in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.assistance.models import DayCareAttendance, VeteranCard
from tests.data.assistance.people import head, household
from tests.factories import WORLD_TODAY, TownWorld

TODAY = WORLD_TODAY.isoformat()
LAST_WEEK = (WORLD_TODAY - timedelta(days=7)).isoformat()


def test_a_card_applied_once_per_key_issued_once_and_seen_per_role(world: TownWorld, as_user) -> None:
    home_a = household(world, world.village_a, "A01", "王大山", serial=1)
    home_b = household(world, world.village_b, "B01", "李小河", serial=2)
    staff = as_user(world.operator)
    body = {"resident_id": head(home_a).pk, "applied_on": LAST_WEEK, "department_id": world.dept_b.pk}
    first = staff.post("/api/veteran-cards", body, **{"Idempotency-Key": "card-1"})
    assert first.status_code == 201
    card = first.json()
    assert (card["resident"], card["issued_on"], card["village"]["id"]) == (
        {"id": head(home_a).pk, "name": "王**"},
        None,
        world.village_a.pk,
    )
    again = staff.post("/api/veteran-cards", body, **{"Idempotency-Key": "card-1"})
    assert (again.status_code, again.json()) == (200, card)
    twice = staff.post("/api/veteran-cards", body)
    assert (twice.status_code, twice.json()["message"]) == (422, "该人员已申请过优待证")
    other = staff.post("/api/veteran-cards", {"resident_id": head(home_b).pk, "applied_on": TODAY}).json()

    def seen(user, **filters: object) -> list[int]:
        return sorted(c["id"] for c in as_user(user).get("/api/veteran-cards", **filters).json()["results"])

    assert (seen(world.operator), seen(world.village_staff_a), seen(world.handler_b)) == (
        sorted([card["id"], other["id"]]),
        [card["id"]],
        [card["id"]],
    )
    assert (seen(world.grid_worker_a), seen(world.handler_a)) == ([], [])
    assert as_user(world.village_staff_a).get(f"/api/veteran-cards/{other['id']}").status_code == 404

    path = f"/api/veteran-cards/{card['id']}/issue"
    early = staff.post(path, {"issued_on": (WORLD_TODAY - timedelta(days=8)).isoformat()})
    assert (early.status_code, early.json()["field"]) == (422, "issued_on")
    issued = staff.post(path, {"issued_on": TODAY, "number": "ZS-0001"})
    assert (issued.status_code, issued.json()["issued_on"], issued.json()["number"]) == (200, TODAY, "ZS-0001")
    assert as_user(world.village_staff_b).post(path, {"issued_on": TODAY}).status_code == 404
    assert (seen(world.operator, issued=True), seen(world.operator, issued=False)) == ([card["id"]], [other["id"]])
    assert staff.post(path, {"issued_on": TODAY}).json()["message"] == "该优待证已发放"
    assert VeteranCard.objects.get(pk=card["id"]).number == "ZS-0001"


def test_day_care_recorded_once_a_day_and_refused_out_of_scope(world: TownWorld, as_user) -> None:
    home_a = household(world, world.village_a, "A01", "王大山", serial=1)
    home_b = household(world, world.village_b, "B01", "李小河", serial=2)
    village_a = as_user(world.village_staff_a)
    body = {"resident_id": head(home_a).pk, "day": TODAY, "provider": "双合村居家养老服务中心"}
    first = village_a.post("/api/day-care", body, **{"Idempotency-Key": "care-1"})
    assert (first.status_code, first.json()["resident"]["name"]) == (201, "王**")
    assert village_a.post("/api/day-care", body, **{"Idempotency-Key": "care-1"}).json() == first.json()
    same_day = village_a.post("/api/day-care", body)
    assert (same_day.status_code, same_day.json()["field"]) == (422, "day")
    refused = [
        village_a.post("/api/day-care", {**body, "resident_id": head(home_b).pk}),  # another village's person
        village_a.post("/api/day-care", {**body, "day": (WORLD_TODAY + timedelta(days=1)).isoformat()}),
        village_a.post("/api/day-care", {**body, "day": LAST_WEEK, "provider": "   "}),
    ]
    assert [(r.status_code, r.json()["field"]) for r in refused] == [
        (422, "resident_id"),
        (422, "day"),
        (422, "provider"),
    ]
    assert DayCareAttendance.objects.count() == 1
    assert as_user(world.village_staff_b).get("/api/day-care").json()["count"] == 0
    staff = as_user(world.operator)
    assert staff.get("/api/day-care", since=TODAY, resident=head(home_a).pk).json()["count"] == 1
    assert staff.get("/api/day-care", until=LAST_WEEK).json()["count"] == 0


def test_card_and_day_care_lists_take_constant_queries(world: TownWorld, as_user, django_assert_num_queries) -> None:
    staff = as_user(world.operator)
    homes = [household(world, world.village_a, f"A{n:02d}", f"王{n}山", serial=n) for n in range(1, 6)]
    staff.post("/api/veteran-cards", {"resident_id": head(homes[0]).pk, "applied_on": TODAY})
    staff.post("/api/day-care", {"resident_id": head(homes[0]).pk, "day": TODAY, "provider": "中心"})
    counts = {}
    for path in ("/api/veteran-cards", "/api/day-care"):
        staff.get(path)  # warm: the token's and memberships' caches
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(path).json()["count"] == 1
        counts[path] = len(captured)
    for home in homes[1:]:
        staff.post(
            "/api/veteran-cards", {"resident_id": head(home).pk, "applied_on": TODAY, "department_id": world.dept_a.pk}
        )
        staff.post("/api/day-care", {"resident_id": head(home).pk, "day": TODAY, "provider": "中心"})
    for path, count in counts.items():
        with django_assert_num_queries(count):
            assert staff.get(path).json()["count"] == 5
