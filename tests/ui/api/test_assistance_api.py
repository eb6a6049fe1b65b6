"""Assistance payments through the API: seen per role as assistance.scope defines (the command room, village staff
for their village, a handler for their department's, grid workers none), the paid person masked, created once per
Idempotency-Key, bad input refused with nothing written, lists in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.assistance.models import Payment
from gridgov.data.people.models import Household
from tests.data.assistance.people import head, household
from tests.factories import WORLD_TODAY, TownWorld


@dataclass
class Homes:
    a: Household  # village A
    b: Household  # village B


@pytest.fixture
def homes(world: TownWorld) -> Homes:
    return Homes(
        a=household(world, world.village_a, "A01", "王大山", serial=1),
        b=household(world, world.village_b, "B01", "李小河", serial=2),
    )


def pay(client, home: Household, *, key: str | None = None, **fields: object):
    body = {"household_id": home.pk, "kind": "condolence", "amount": "500.00", "paid_on": WORLD_TODAY.isoformat()}
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post("/api/payments", {**body, **fields}, **headers)


def test_payment_created_once_per_key_and_masked(world: TownWorld, homes: Homes, as_user) -> None:
    staff = as_user(world.operator)
    first = pay(staff, homes.a, key="pay-1", resident_id=head(homes.a).pk, department_id=world.dept_b.pk)
    assert first.status_code == 201
    shown = first.json()
    assert shown["resident"] == {"id": head(homes.a).pk, "name": "王**"}
    assert (shown["kind_label"], shown["amount"], shown["household"]["number"]) == ("慰问金", 500.0, "A01")
    assert shown["department"] == {"id": world.dept_b.pk, "name": world.dept_b.name}
    again = pay(staff, homes.a, key="pay-1", resident_id=head(homes.a).pk, department_id=world.dept_b.pk)
    assert again.status_code == 200
    assert again.json() == shown
    assert Payment.objects.filter(household=homes.a).count() == 1
    assert "王大山" not in first.content.decode()


def test_payments_seen_per_role(world: TownWorld, homes: Homes, as_user) -> None:
    staff = as_user(world.operator)
    to_a = pay(staff, homes.a, department_id=world.dept_b.pk).json()["id"]
    to_b = pay(staff, homes.b).json()["id"]

    def seen(user) -> list[int]:
        return sorted(p["id"] for p in as_user(user).get("/api/payments").json()["results"])

    assert seen(world.operator) == sorted([to_a, to_b])
    assert seen(world.village_staff_a) == [to_a]
    assert seen(world.village_staff_b) == [to_b]
    assert seen(world.handler_b) == [to_a]  # paid by their department
    assert seen(world.handler_a) == []
    assert seen(world.grid_worker_a) == []
    assert as_user(world.village_staff_a).get(f"/api/payments/{to_b}").status_code == 404
    assert as_user(world.village_staff_a).get("/api/payments/99999999999999999999").status_code in (404, 422)
    assert as_user(world.operator).get("/api/payments", household=homes.b.pk).json()["count"] == 1
    assert as_user(world.operator).get("/api/payments", kind="dibao").json()["count"] == 0
    yesterday = (WORLD_TODAY - timedelta(days=1)).isoformat()
    assert as_user(world.operator).get("/api/payments", until=yesterday).json()["count"] == 0
    assert as_user(world.operator).get("/api/payments", since="0001-01-01").json()["count"] == 2


def test_bad_payment_refused_naming_the_field_nothing_written(world: TownWorld, homes: Homes, as_user) -> None:
    staff = as_user(world.operator)
    cases = [
        (pay(staff, homes.a, amount="0"), "amount"),
        (pay(staff, homes.a, paid_on=(WORLD_TODAY + timedelta(days=1)).isoformat()), "paid_on"),
        (pay(staff, homes.a, resident_id=head(homes.b).pk), "resident"),
        (pay(staff, homes.a, kind="bonus"), "kind"),
        (pay(as_user(world.village_staff_a), homes.b), "household_id"),  # not theirs: not told it exists
        (pay(staff, homes.a, source="现金\x00"), "source"),
    ]
    assert [(answer.status_code, answer.json()["field"]) for answer, _ in cases] == [(422, f) for _, f in cases]
    assert "不能晚于今天" in cases[1][0].json()["message"]
    assert Payment.objects.count() == 0


def test_payment_list_takes_constant_queries(
    world: TownWorld, homes: Homes, as_user, django_assert_num_queries
) -> None:
    staff = as_user(world.operator)
    pay(staff, homes.a, resident_id=head(homes.a).pk)
    staff.get("/api/payments")  # warm: the token's and memberships' caches
    with CaptureQueriesContext(connection) as captured:
        assert staff.get("/api/payments").status_code == 200
    count = len(captured)  # now: each request clears the connection's query log
    for n in range(4):
        pay(staff, homes.b, amount=str(100 + n), department_id=world.dept_a.pk)
    with django_assert_num_queries(count):
        body = staff.get("/api/payments").json()
    assert body["count"] == 5
