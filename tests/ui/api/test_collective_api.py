"""The villages' collective incomes through the API: seen per role as collective.scope defines (the town's command
room and leaders every village's, village staff their own, handlers and grid workers none), filtered by year,
village and kind, created once per Idempotency-Key (a second entry of a month corrects it), bad input refused with
422 naming the field and nothing written, the list in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.collective.models import VillageIncome
from gridgov.data.org.models import Area
from tests.factories import WORLD_TODAY, TownWorld

YEAR = WORLD_TODAY.year
MONTH = WORLD_TODAY.month
URL = "/api/collective/incomes"


def enter(client, village: Area, *, key: str | None = None, **fields: object):
    body = {"village_id": village.pk, "year": YEAR, "month": MONTH, "kind": "operating", "amount": "120000.00"}
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(URL, {**body, **fields}, **headers)


def test_an_income_is_created_once_per_key_and_a_second_entry_corrects(world: TownWorld, as_user) -> None:
    staff = as_user(world.village_staff_a)
    first = enter(staff, world.village_a, key="inc-1", note="十一月报表")
    assert first.status_code == 201
    shown = first.json()
    assert {k: shown[k] for k in ("village", "year", "month", "kind", "kind_label", "amount", "note")} == {
        "village": {"id": world.village_a.pk, "name": "双合村"},
        "year": YEAR,
        "month": MONTH,
        "kind": "operating",
        "kind_label": "经营性收入",
        "amount": 120000.0,
        "note": "十一月报表",
    }
    assert (shown["corrected_at"], shown["corrected_by"]) == (None, None)
    again = enter(staff, world.village_a, key="inc-1", note="十一月报表")
    assert (again.status_code, again.json(), again["Idempotent-Replayed"]) == (200, shown, "true")
    assert VillageIncome.objects.count() == 1

    corrected = enter(as_user(world.operator), world.village_a, key="inc-2", amount="125000")
    assert corrected.status_code == 201
    assert (corrected.json()["id"], corrected.json()["amount"], corrected.json()["corrected_by"]) == (
        shown["id"], 125000.0, "王芳",
    )  # fmt: skip
    assert VillageIncome.objects.count() == 1


@pytest.fixture
def incomes(world: TownWorld, as_user) -> dict[str, int]:
    staff = as_user(world.operator)
    return {
        "a": enter(staff, world.village_a).json()["id"],
        "b": enter(staff, world.village_b, kind="subsidy", amount="5000").json()["id"],
        "b_last_year": enter(staff, world.village_b, year=YEAR - 1, month=12).json()["id"],
    }


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("operator", {"a", "b", "b_last_year"}),
        ("leader", {"a", "b", "b_last_year"}),
        ("village_staff_a", {"a"}),
        ("village_staff_b", {"b", "b_last_year"}),
        ("handler_a", set()),
        ("grid_worker_a", set()),
        ("resident", set()),
    ],
)
def test_incomes_seen_per_role(world: TownWorld, incomes: dict[str, int], as_user, persona: str, seen) -> None:
    names = {pk: name for name, pk in incomes.items()}
    client = as_user(getattr(world, persona))
    answer = client.get(URL)
    assert answer.status_code == 200
    assert {names[r["id"]] for r in answer.json()["results"]} == seen
    for name, pk in incomes.items():
        assert client.get(f"{URL}/{pk}").status_code == (200 if name in seen else 404)


def test_the_list_filters_by_year_village_and_kind(world: TownWorld, incomes: dict[str, int], as_user) -> None:
    staff = as_user(world.operator)

    def ids(**params: object) -> list[int]:
        return sorted(r["id"] for r in staff.get(URL, **params).json()["results"])

    assert ids(year=YEAR) == sorted([incomes["a"], incomes["b"]])
    assert ids(village=world.village_b.pk) == sorted([incomes["b"], incomes["b_last_year"]])
    assert ids(year=YEAR, kind="subsidy") == [incomes["b"]]
    assert ids(year=1999) == []
    assert staff.get(URL, kind="bonus").status_code == 422


def test_bad_input_is_refused_naming_the_field_nothing_written(world: TownWorld, as_user) -> None:
    staff = as_user(world.operator)
    later = (YEAR, MONTH + 1) if MONTH < 12 else (YEAR + 1, 1)
    cases = [
        (enter(staff, world.village_a, amount="-1"), "amount"),
        (enter(staff, world.village_a, month=13), "month"),
        (enter(staff, world.village_a, year=later[0], month=later[1]), "month" if later[0] == YEAR else "year"),
        (enter(staff, world.village_a, kind="dividend"), "kind"),
        (enter(staff, world.grid_a), "village_id"),  # a grid is not a village
        (enter(as_user(world.village_staff_a), world.village_b), "village_id"),  # not theirs
        (enter(as_user(world.leader), world.village_a), "village_id"),  # leaders see, they do not record
        (enter(staff, world.village_a, note="报表\x00"), "note"),
    ]
    assert [(answer.status_code, answer.json()["field"]) for answer, _ in cases] == [(422, f) for _, f in cases]
    assert VillageIncome.objects.count() == 0


def test_the_list_takes_constant_queries(world: TownWorld, as_user, django_assert_num_queries) -> None:
    staff = as_user(world.operator)
    enter(staff, world.village_a)
    staff.get(URL)  # warm: the token's and memberships' caches
    with CaptureQueriesContext(connection) as captured:
        assert staff.get(URL).status_code == 200
    count = len(captured)
    for month in range(1, MONTH):
        enter(staff, world.village_b, month=month)
        enter(as_user(world.village_staff_b), world.village_b, month=month, amount="1")  # corrected: who shown
    with django_assert_num_queries(count):
        body = staff.get(URL).json()
    assert body["count"] == MONTH
