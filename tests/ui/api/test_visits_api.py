"""Grid visits through the API: the signed-in grid worker's due list, a visit recorded once per Idempotency-Key
in their own grid only (nothing written otherwise), visits seen in scope with the person masked, lists in a
constant number of queries."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.cases.enums import Channel, Status
from gridgov.data.cases.models import Attachment, Case
from gridgov.data.people.models import Resident
from gridgov.data.visits.models import Visit
from tests.data.people.factories import make_house, make_household, make_resident
from tests.data.visits.builders import group, member
from tests.factories import WORLD_NOW, WORLD_TODAY, TownWorld, jpeg


@dataclass
class Round:
    mine: Resident  # grid A, in a monthly care group, last due 40 days ago
    theirs: Resident  # grid B, the same group


def _person(world: TownWorld, *, grid_a: bool, name: str, address: str) -> Resident:
    village, grid = (world.village_a, world.grid_a) if grid_a else (world.village_b, world.grid_b)
    household = make_household(world, make_house(world, village=village, grid=grid, address=address))
    return make_resident(world, household, name=name)


@pytest.fixture
def round_(world: TownWorld) -> Round:
    care = group(world, code="dujv", every=30, name="独居老人")
    mine = _person(world, grid_a=True, name="王芳", address="双合村3组1号")
    theirs = _person(world, grid_a=False, name="陈明", address="火箭村4组2号")
    for person in (mine, theirs):
        member(person, care, since=WORLD_TODAY - timedelta(days=40))
    return Round(mine=mine, theirs=theirs)


def test_due_list_is_the_grid_workers_own_and_a_visit_turns_it_green(world: TownWorld, round_: Round, as_user) -> None:
    worker = as_user(world.grid_worker_a)
    due = worker.get("/api/visits/due").json()
    assert [(d["resident_id"], d["label"], d["lamp"]) for d in due] == [(round_.mine.pk, "王*", "red")]
    assert due[0]["due_on"] == (WORLD_TODAY - timedelta(days=40)).isoformat()
    assert due[0]["reasons"] == ["独居老人"]
    assert [d["resident_id"] for d in as_user(world.grid_worker_b).get("/api/visits/due").json()] == [round_.theirs.pk]
    assert as_user(world.operator).get("/api/visits/due").json() == []  # no round to walk
    made = worker.post("/api/visits", {"resident_id": round_.mine.pk, "note": "身体尚好"})
    assert made.status_code == 201
    after = worker.get("/api/visits/due").json()
    assert [(d["last_visited"], d["lamp"]) for d in after] == [(WORLD_TODAY.isoformat(), "green")]
    assert after[0]["due_on"] == (WORLD_TODAY + timedelta(days=30)).isoformat()


def test_visit_recorded_once_per_key_and_refused_out_of_grid(world: TownWorld, round_: Round, as_user) -> None:
    worker = as_user(world.grid_worker_a)
    body = {
        "resident_id": round_.mine.pk,
        "visited_at": (WORLD_NOW - timedelta(hours=1)).isoformat(),
        "findings": "屋顶漏水",
    }
    first = worker.post("/api/visits", body, **{"Idempotency-Key": "visit-1"})
    assert first.status_code == 201
    assert first.json()["resident"] == {"id": round_.mine.pk, "name": "王*"}
    assert first.json()["house"]["address"] == "双合村3组1号"
    assert first.json()["grid"] == {"id": world.grid_a.pk, "name": world.grid_a.name}
    again = worker.post("/api/visits", body, **{"Idempotency-Key": "visit-1"})
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Visit.objects.filter(resident=round_.mine).count() == 1

    before = Visit.objects.count()
    out_of_grid = worker.post("/api/visits", {"resident_id": round_.theirs.pk})
    assert out_of_grid.status_code == 422
    assert out_of_grid.json()["field"] == "resident"
    assert out_of_grid.json()["message"] == "该人员不在您的走访范围内"
    future = worker.post("/api/visits", {**body, "visited_at": (WORLD_NOW + timedelta(days=1)).isoformat()})
    assert future.status_code == 422
    assert future.json()["field"] == "visited_at"
    ancient = worker.post("/api/visits", {**body, "visited_at": "0001-01-01T00:00:00+14:00"})
    assert ancient.status_code == 422
    both = worker.post("/api/visits", {"resident_id": round_.mine.pk, "house_id": round_.mine.household.house_id})
    assert both.status_code == 422
    assert as_user(world.operator).post("/api/visits", {"resident_id": round_.mine.pk}).status_code == 403
    assert Visit.objects.count() == before


def test_visits_seen_in_scope_and_filtered_by_period(world: TownWorld, round_: Round, as_user) -> None:
    made = as_user(world.grid_worker_a).post("/api/visits", {"resident_id": round_.mine.pk}).json()
    assert [v["id"] for v in as_user(world.operator).get("/api/visits").json()["results"]] == [made["id"]]
    assert as_user(world.grid_worker_b).get("/api/visits").json()["count"] == 0
    assert as_user(world.grid_worker_b).get(f"/api/visits/{made['id']}").status_code == 404
    listed = as_user(world.village_staff_a).get("/api/visits").json()["results"]
    assert as_user(world.village_staff_a).get(f"/api/visits/{made['id']}").json() == listed[0]
    assert listed[0]["resident"] == made["resident"]
    staff = as_user(world.operator)
    today = WORLD_TODAY.isoformat()
    assert staff.get("/api/visits", since=today, until=today).json()["count"] == 1
    tomorrow = (WORLD_TODAY + timedelta(days=1)).isoformat()
    assert staff.get("/api/visits", since=tomorrow).json()["count"] == 0
    assert staff.get("/api/visits", resident=round_.theirs.pk).json()["count"] == 0
    assert staff.get("/api/visits", since="0001-01-01", until="9999-12-31").json()["count"] == 1


def test_visit_lists_take_constant_queries(world: TownWorld, round_: Round, as_user, django_assert_num_queries) -> None:
    worker = as_user(world.grid_worker_a)
    worker.post("/api/visits", {"resident_id": round_.mine.pk})
    for path in ("/api/visits", "/api/visits/due"):
        worker.get(path)  # warm: the token's and memberships' caches
    with CaptureQueriesContext(connection) as captured:
        assert worker.get("/api/visits").json()["count"] == 1
    count = len(captured)  # now: each request clears the connection's query log
    for n in range(4):
        person = _person(world, grid_a=True, name=f"成员{n}", address=f"双合村6组{n}号")
        worker.post("/api/visits", {"resident_id": person.pk})
        worker.post("/api/visits", {"house_id": person.household.house_id})
    with django_assert_num_queries(count):
        body = worker.get("/api/visits").json()
    assert body["count"] == 9


def test_a_visit_with_its_photo_and_its_finding_reported_once_as_a_case(
    world: TownWorld, round_: Round, as_user
) -> None:
    worker = as_user(world.grid_worker_a)
    photo = {"name": "scene.jpg", "data_base64": base64.b64encode(jpeg()).decode()}
    body = {"resident_id": round_.mine.pk, "findings": "屋顶漏水，需维修", "photo": photo}
    visit = worker.post("/api/visits", body)
    assert (visit.status_code, visit.json()["has_photo"]) == (201, True)
    bad_photo = worker.post("/api/visits", {**body, "photo": {"name": "x.jpg", "data_base64": "bm90IGFuIGltYWdl"}})
    assert (bad_photo.status_code, Visit.objects.count()) == (422, 1)

    path = f"/api/visits/{visit.json()['id']}/case"
    unknown = worker.post(path, {"category": "no-such"})
    assert (unknown.status_code, unknown.json()["field"]) == (422, "category")
    assert as_user(world.grid_worker_b).post(path, {"category": "1201"}).status_code == 404
    assert as_user(world.operator).post(path, {"category": "1201"}).status_code == 404  # not the operator's visit
    assert Case.objects.count() == 0

    first = worker.post(path, {"category": "1201"}, **{"Idempotency-Key": "finding-1"})
    assert first.status_code == 201
    case = Case.objects.get()
    assert (first.json()["number"], first.json()["attachments"]) == (case.number, 1)
    assert (case.description, case.channel, case.area_id, case.category_id, case.status) == (
        "屋顶漏水，需维修",
        Channel.GRID_WORKER,
        world.grid_a.pk,
        world.category.pk,
        Status.REPORTED,
    )
    assert Attachment.objects.filter(case=case).count() == 1
    assert Visit.objects.get().case_id == case.pk
    replay = worker.post(path, {"category": "1201"}, **{"Idempotency-Key": "finding-1"})
    assert (replay.status_code, replay.json()) == (200, first.json())
    twice = worker.post(path, {"category": "1201"}, **{"Idempotency-Key": "finding-2"})
    assert (twice.status_code, twice.json()["message"]) == (409, f"该走访已转为事件 {case.number}，不能重复上报")
    assert Case.objects.count() == 1


def test_a_finding_without_words_is_refused(world: TownWorld, round_: Round, as_user) -> None:
    worker = as_user(world.grid_worker_a)
    visit = worker.post("/api/visits", {"resident_id": round_.mine.pk}).json()
    refused = worker.post(f"/api/visits/{visit['id']}/case", {"category": "1201"})
    assert (refused.status_code, refused.json()["field"], Case.objects.count()) == (422, "description", 0)
    described = worker.post(f"/api/visits/{visit['id']}/case", {"category": "1201", "description": "门口堆放杂物"})
    assert (described.status_code, Case.objects.get().description) == (201, "门口堆放杂物")


def test_a_visits_photo_is_shown_to_those_who_see_the_visit(world: TownWorld, round_: Round, as_user) -> None:
    worker = as_user(world.grid_worker_a)
    photo = {"name": "scene.jpg", "data_base64": base64.b64encode(jpeg()).decode()}
    with_photo = worker.post("/api/visits", {"resident_id": round_.mine.pk, "photo": photo}).json()
    without = worker.post("/api/visits", {"resident_id": round_.mine.pk}).json()
    url = f"/api/visits/{with_photo['id']}/photo"
    assert (with_photo["photo_url"], without["photo_url"]) == (url, None)
    seen = as_user(world.operator).get(url)
    assert (seen.status_code, seen["Content-Type"], b"".join(seen.streaming_content)[:2]) == (
        200,
        "image/jpeg",
        b"\xff\xd8",
    )
    assert as_user(world.grid_worker_b).get(url).status_code == 404  # another grid's worker does not see the visit
    assert worker.get(f"/api/visits/{without['id']}/photo").status_code == 404
