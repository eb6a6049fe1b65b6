"""The villages' 村企结对 and 共富工坊 through the API: seen per role as collective.scope defines (the town's command
room and leaders every village's, village staff their own, handlers and grid workers none), filtered by year,
village and kind, paginated; created once per Idempotency-Key by those who record for the village (as the page's
form), amounts as people type them, a bad amount refused in Chinese and nothing written; the list in a constant
number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.collective.models import VillageSupport
from gridgov.data.enterprises.domain.enterprises import create_enterprise
from gridgov.data.org.models import Area, Enterprise
from tests.data.enterprises.conftest import valid_code
from tests.factories import WORLD_TODAY, TownWorld

YEAR = WORLD_TODAY.year
URL = "/api/collective/supports"


@pytest.fixture
def shipyard(world: TownWorld) -> Enterprise:
    return create_enterprise(town=world.town, name="岱西船舶修造有限公司", credit_code=valid_code("91330921MA2A0B1C2"))


def enter(client, village: Area, *, key: str | None = None, **fields: object):
    body = {"village_id": village.pk, "kind": "pairing", "on": WORLD_TODAY.isoformat(), "amount": "5万"}
    body |= {"partner": "岱山县农商银行"} if "enterprise_id" not in fields else {}
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(URL, {**body, **fields}, **headers)


def test_a_support_is_created_once_per_key(world: TownWorld, shipyard: Enterprise, as_user) -> None:
    staff = as_user(world.village_staff_a)
    first = enter(staff, world.village_a, key="sup-1", enterprise_id=shipyard.pk, people=20, note="结对帮扶")
    assert first.status_code == 201
    shown = first.json()
    assert {k: v for k, v in shown.items() if k not in ("id", "created_at")} == {
        "village": {"id": world.village_a.pk, "name": "双合村"},
        "year": YEAR,
        "kind": "pairing",
        "kind_label": "村企结对",
        "on": WORLD_TODAY.isoformat(),
        "enterprise": {"id": shipyard.pk, "name": "岱西船舶修造有限公司"},
        "partner": "岱西船舶修造有限公司",
        "amount": 50000.0,
        "people": 20,
        "note": "结对帮扶",
        "created_by": str(world.village_staff_a),
    }
    again = enter(staff, world.village_a, key="sup-1", enterprise_id=shipyard.pk, people=20, note="结对帮扶")
    assert (again.status_code, again.json(), again["Idempotent-Replayed"]) == (200, shown, "true")
    assert VillageSupport.objects.count() == 1
    detail = staff.get(f"{URL}/{shown['id']}").json()
    assert {k: v for k, v in detail.items() if k != "created_at"} == {
        k: v for k, v in shown.items() if k != "created_at"
    }
    second = enter(staff, world.village_a, key="sup-2", kind="workshop", amount=3000)
    assert (second.status_code, second.json()["partner"], second.json()["amount"]) == (201, "岱山县农商银行", 3000.0)
    assert VillageSupport.objects.count() == 2


@pytest.fixture
def supports(world: TownWorld, as_user) -> dict[str, int]:
    staff = as_user(world.operator)
    return {
        "a": enter(staff, world.village_a).json()["id"],
        "b": enter(staff, world.village_b, kind="workshop", amount="3,000").json()["id"],
        "b_last_year": enter(staff, world.village_b, on=date(YEAR - 1, 6, 1).isoformat()).json()["id"],
    }


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("operator", {"a", "b", "b_last_year"}),
        ("leader", {"a", "b", "b_last_year"}),
        ("admin", {"a", "b", "b_last_year"}),
        ("village_staff_a", {"a"}),
        ("village_staff_b", {"b", "b_last_year"}),
        ("handler_a", set()),
        ("grid_worker_a", set()),
        ("resident", set()),
        ("enterprise", set()),
    ],
)
def test_supports_seen_per_role(world: TownWorld, supports: dict[str, int], as_user, persona: str, seen) -> None:
    names = {pk: name for name, pk in supports.items()}
    client = as_user(getattr(world, persona))
    answer = client.get(URL)
    assert answer.status_code == 200
    assert {names[r["id"]] for r in answer.json()["results"]} == seen
    for name, pk in supports.items():
        assert client.get(f"{URL}/{pk}").status_code == (200 if name in seen else 404)


def test_the_list_filters_and_pages(world: TownWorld, supports: dict[str, int], as_user) -> None:
    staff = as_user(world.operator)

    def ids(**params: object) -> list[int]:
        return sorted(r["id"] for r in staff.get(URL, **params).json()["results"])

    assert ids(year=YEAR) == sorted([supports["a"], supports["b"]])
    assert ids(village=world.village_b.pk) == sorted([supports["b"], supports["b_last_year"]])
    assert ids(year=YEAR, kind="workshop") == [supports["b"]]
    assert ids(year=1999) == []
    assert staff.get(URL, kind="bonus").status_code == 422
    first, second = staff.get(URL, page_size=2).json(), staff.get(URL, page_size=2, page=2).json()
    assert (first["count"], len(first["results"]), [r["id"] for r in second["results"]]) == (
        3, 2, [supports["b_last_year"]],
    )  # fmt: skip


def test_who_records_is_the_pages_rule_and_refusals_write_nothing(world: TownWorld, as_user) -> None:
    operator = as_user(world.operator)
    bad_amount = enter(operator, world.village_a, amount="很多")
    assert (bad_amount.status_code, bad_amount.json()["field"], bad_amount.json()["message"]) == (
        422, "amount", "帮扶金额：“很多”不是金额",
    )  # fmt: skip
    negative = enter(operator, world.village_a, amount="-5万")
    assert (negative.status_code, negative.json()["message"]) == (422, "帮扶金额不能为负数")
    cases = [
        (enter(operator, world.grid_a), "village_id"),  # a grid is not a village
        (enter(as_user(world.village_staff_a), world.village_b), "village_id"),  # not theirs
        (enter(as_user(world.leader), world.village_a), "village_id"),  # leaders see, they do not record
        (enter(as_user(world.handler_a), world.village_a), "village_id"),
        (enter(operator, world.village_a, partner=""), "partner"),
        (enter(operator, world.village_a, enterprise_id=999_999), "enterprise_id"),
        (enter(operator, world.village_a, on=date(YEAR + 1, 1, 1).isoformat()), "on"),
        (enter(operator, world.village_a, kind="gift"), "kind"),
    ]
    assert [(answer.status_code, answer.json()["field"]) for answer, _ in cases] == [(422, f) for _, f in cases]
    assert VillageSupport.objects.count() == 0


def test_the_list_takes_constant_queries(world: TownWorld, shipyard: Enterprise, as_user, django_assert_num_queries):
    staff = as_user(world.operator)
    enter(staff, world.village_a)
    staff.get(URL)  # warm: the token's and memberships' caches
    with CaptureQueriesContext(connection) as captured:
        assert staff.get(URL).status_code == 200
    count = len(captured)
    for n in range(6):
        village_staff = as_user(world.village_staff_b)  # another author for each record: who shown
        enter(village_staff, world.village_b, amount=f"{n + 1}万", enterprise_id=shipyard.pk)
    with django_assert_num_queries(count):
        body = staff.get(URL).json()
    assert (body["count"], {r["created_by"] for r in body["results"]}) == (
        7, {str(world.operator), str(world.village_staff_b)},
    )  # fmt: skip
