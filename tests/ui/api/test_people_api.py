"""The people register through the API: houses, households and residents in each role's scope, persons always
masked (and sensitive tags only for their department and leaders), creates once per Idempotency-Key, bad input
refused with nothing written, lists in a constant number of queries."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from gridgov.data.access.models import IdempotencyRecord
from gridgov.data.people.models import House, Household, Resident
from gridgov.types import JSONObject
from tests.data.people.factories import PeopleWorld, build_people, make_house, make_household, make_resident, valid_id
from tests.factories import WORLD_TODAY, TownWorld

ID_A = valid_id("33092119800101123")


@pytest.fixture
def people(world: TownWorld) -> PeopleWorld:
    return build_people(world)


def patch(client, path: str, body: object):
    return client.client.patch(path, data=json.dumps(body), content_type="application/json")


def test_residents_scoped_per_role_and_always_masked(world: TownWorld, people: PeopleWorld, as_user) -> None:
    def seen(user) -> dict[int, JSONObject]:
        return {r["id"]: r for r in as_user(user).get("/api/residents").json()["results"]}

    a, b = people.resident_a.pk, people.resident_b.pk
    command_room = seen(world.operator)
    assert sorted(command_room) == [a, b]
    assert command_room[a]["name"] == "张*"
    assert command_room[a]["id_number"] == "330921********" + ID_A[-4:]
    assert command_room[a]["phone"] == "138****8000"
    assert command_room[a]["masked"] is True
    # 社区矫正 is sensitive: not the command room's, the grid worker's or the care department's to see.
    assert command_room[a]["groups"] == []
    assert command_room[b]["groups"] == ["困难家庭"]
    assert seen(world.leader)[a]["groups"] == ["社区矫正"]
    assert sorted(seen(world.grid_worker_a)) == [a]
    assert seen(world.grid_worker_a)[a]["groups"] == []
    assert sorted(seen(world.village_staff_b)) == [b]
    assert sorted(seen(world.handler_b)) == [b]  # 民政-like care department: its members, not 社区矫正's
    handler_a = seen(world.handler_a)
    assert sorted(handler_a) == [a]
    assert handler_a[a]["groups"] == ["社区矫正"]
    assert handler_a[a]["name"] == "张*"  # the API never unmasks, whoever asks
    assert seen(world.resident) == {}
    assert seen(world.enterprise) == {}
    # Out of scope answers 404, the same as a record that does not exist.
    assert as_user(world.grid_worker_a).get(f"/api/residents/{b}").status_code == 404
    assert as_user(world.handler_b).get(f"/api/residents/{a}").status_code == 404
    assert as_user(world.operator).get("/api/residents/99999999999999999999").status_code in (404, 422)
    detail = as_user(world.operator).get(f"/api/residents/{a}").json()
    assert detail == command_room[a]
    assert ID_A not in json.dumps(detail, ensure_ascii=False)
    assert "张三" not in json.dumps(detail, ensure_ascii=False)


def test_houses_and_households_scoped_and_filtered(world: TownWorld, people: PeopleWorld, as_user) -> None:
    staff = as_user(world.operator)
    assert [h["id"] for h in staff.get("/api/houses").json()["results"]] == [people.house_a.pk, people.house_b.pk]
    in_b = staff.get("/api/houses", village=world.village_b.pk).json()["results"]
    assert [h["address"] for h in in_b] == ["火箭村2组5号"]
    assert staff.get("/api/houses", grid=world.grid_a.pk).json()["count"] == 1
    assert staff.get("/api/houses", use="idle").json()["count"] == 0
    worker = as_user(world.grid_worker_a)
    assert [h["id"] for h in worker.get("/api/houses").json()["results"]] == [people.house_a.pk]
    assert worker.get(f"/api/houses/{people.house_b.pk}").status_code == 404
    households = {h["id"]: h for h in staff.get("/api/households").json()["results"]}
    assert households[people.household_a.pk]["head"] == "张*"
    assert households[people.household_a.pk]["house"] == {"id": people.house_a.pk, "address": "双合村1组1号"}
    assert [h["id"] for h in as_user(world.village_staff_b).get("/api/households").json()["results"]] == [
        people.household_b.pk
    ]
    assert as_user(world.village_staff_b).get(f"/api/households/{people.household_a.pk}").status_code == 404


def test_create_house_household_resident_once_per_key(world: TownWorld, people: PeopleWorld, as_user) -> None:
    worker = as_user(world.grid_worker_a)
    house = {"village_id": world.village_a.pk, "grid_id": world.grid_a.pk, "address": "双合村1组9号", "use": "rented"}
    first = worker.post("/api/houses", house, **{"Idempotency-Key": "house-9"})
    assert first.status_code == 201
    again = worker.post("/api/houses", house, **{"Idempotency-Key": "house-9"})
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert House.objects.filter(address="双合村1组9号").count() == 1
    house_id = first.json()["id"]
    assert first.json()["use_label"] == "出租"

    household = worker.post("/api/households", {"house_id": house_id, "number": "A009"}, **{"Idempotency-Key": "hh"})
    assert household.status_code == 201
    household_id = household.json()["id"]
    person = {"household_id": household_id, "name": "王五", "id_number": valid_id("33092119851212001"),
              "phone": "13912345678", "relation": "head"}  # fmt: skip
    made = worker.post("/api/residents", person, **{"Idempotency-Key": "r-1"})
    assert made.status_code == 201
    assert (made.json()["name"], made.json()["phone"]) == ("王*", "139****5678")
    assert made.json()["birth_year"] == 1985
    assert made.json()["sex"] == "m"
    replay = worker.post("/api/residents", person, **{"Idempotency-Key": "r-1"})
    assert (replay.status_code, replay.json()) == (200, made.json())
    assert Resident.objects.filter(household_id=household_id).count() == 1
    changed = worker.post("/api/residents", {**person, "name": "王六"}, **{"Idempotency-Key": "r-1"})
    assert changed.status_code == 422
    assert changed.json()["code"] == "idempotency_key_reused"
    assert IdempotencyRecord.objects.filter(user=world.grid_worker_a).count() == 3
    # The same ID number again (another household of the town): refused, naming the field.
    other = make_household(world, people.house_a)
    twice = worker.post("/api/residents", {**person, "household_id": other.pk, "relation": "other"})
    assert twice.status_code == 422
    assert twice.json()["field"] == "id_number"
    assert Resident.objects.filter(household=other).count() == 0


def test_bad_input_answers_chinese_field_errors_and_writes_nothing(
    world: TownWorld, people: PeopleWorld, as_user
) -> None:
    worker = as_user(world.grid_worker_a)
    houses, residents = House.objects.count(), Resident.objects.count()
    bad_digit = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")
    refused = worker.post(
        "/api/residents", {"household_id": people.household_a.pk, "name": "赵七", "id_number": bad_digit}
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "id_number"
    assert "校验" in refused.json()["message"]
    # A grid worker registers only in their own grid: grid B is another worker's.
    elsewhere = worker.post(
        "/api/houses", {"village_id": world.village_b.pk, "grid_id": world.grid_b.pk, "address": "火箭村9号"}
    )
    assert elsewhere.status_code == 403
    # A household of a house out of scope: the house is named not found, not told to exist.
    hidden = worker.post("/api/households", {"house_id": people.house_b.pk})
    assert hidden.status_code == 422
    assert hidden.json()["field"] == "house_id"
    nul = worker.post("/api/houses", {"village_id": world.village_a.pk, "address": "双合\x00村"})
    assert nul.status_code == 422
    assert nul.json()["field"] == "address"
    huge = worker.post("/api/houses", {"village_id": 2**70, "address": "双合村3号"})
    assert huge.status_code == 422
    taken = worker.post(
        "/api/houses", {"village_id": world.village_a.pk, "grid_id": world.grid_a.pk, "address": "双合村1组1号"}
    )
    assert taken.status_code == 422
    assert taken.json()["field"] == "address"
    assert (House.objects.count(), Resident.objects.count()) == (houses, residents)
    assert Household.objects.filter(house=people.house_b).count() == 1


def test_patch_changes_only_the_given_fields_in_scope(world: TownWorld, people: PeopleWorld, as_user) -> None:
    worker = as_user(world.grid_worker_a)
    answer = patch(worker, f"/api/houses/{people.house_a.pk}", {"use": "group_rental", "rooms": 12})
    assert answer.status_code == 200
    shown = answer.json()
    assert (shown["use"], shown["rooms"], shown["address"]) == ("group_rental", 12, "双合村1组1号")
    people.house_a.refresh_from_db()
    assert (people.house_a.use, people.house_a.rooms) == ("group_rental", 12)
    assert patch(worker, f"/api/houses/{people.house_b.pk}", {"rooms": 3}).status_code == 404
    resident = patch(worker, f"/api/residents/{people.resident_a.pk}", {"phone": "13700001111"})
    assert resident.status_code == 200
    assert resident.json()["phone"] == "137****1111"
    people.resident_a.refresh_from_db()
    assert (people.resident_a.phone, people.resident_a.name) == ("13700001111", "张三")
    bad = patch(worker, f"/api/residents/{people.resident_a.pk}", {"id_number": "123"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "id_number"
    people.resident_a.refresh_from_db()
    assert people.resident_a.id_number == ID_A
    household = patch(worker, f"/api/households/{people.household_a.pk}", {"number": "A100"})
    assert household.status_code == 200
    assert household.json()["number"] == "A100"
    assert patch(worker, f"/api/households/{people.household_b.pk}", {"number": "B9"}).status_code == 404


def test_people_lists_take_constant_queries(
    world: TownWorld, people: PeopleWorld, as_user, django_assert_num_queries
) -> None:
    staff = as_user(world.leader)

    def queries(path: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert staff.get(path).status_code == 200
        return len(captured)

    paths = ("/api/houses", "/api/households", "/api/residents")
    for path in paths:  # warm: the token's and memberships' caches
        staff.get(path)
    before = {path: queries(path) for path in paths}
    for n in range(5):
        house = make_house(world, village=world.village_a, grid=world.grid_a, address=f"双合村5组{n}号")
        household = make_household(world, house)
        make_resident(world, household, name=f"成员{n}", id_number=valid_id(f"33092119700101{n}12"))
    for path, count in before.items():
        with django_assert_num_queries(count):
            body = staff.get(path).json()
        assert body["count"] == len(body["results"]) > 5
    assert before["/api/residents"] == before["/api/houses"] + 1  # + the visible tags, one query for the page


def test_move_out_in_scope_keeps_the_record_and_refuses_a_future_day(
    world: TownWorld, people: PeopleWorld, as_user
) -> None:
    worker = as_user(world.grid_worker_a)
    path = f"/api/residents/{people.resident_a.pk}/move-out"
    tomorrow = (WORLD_TODAY + timedelta(days=1)).isoformat()
    future = worker.post(path, {"moved_out_on": tomorrow})
    assert future.status_code == 422
    assert future.json()["field"] == "moved_out_on"
    people.resident_a.refresh_from_db()
    assert people.resident_a.moved_out_on is None
    assert as_user(world.grid_worker_b).post(path, {"moved_out_on": WORLD_TODAY.isoformat()}).status_code == 404
    moved = worker.post(path, {"moved_out_on": WORLD_TODAY.isoformat()})
    assert moved.status_code == 200
    assert (moved.json()["moved_out_on"], moved.json()["name"]) == (WORLD_TODAY.isoformat(), "张*")
    people.corrections_a.refresh_from_db()
    assert people.corrections_a.until == WORLD_TODAY
    assert worker.post(path, {"moved_out_on": WORLD_TODAY.isoformat()}).status_code == 422  # already moved out
