"""Every answer of the API writes a datetime the same way (milliseconds, UTC as Z): what a create answers is what
a later read of the same record answers, so a client comparing the two sees no change that did not happen."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from tests.data.people.factories import make_house, make_household, make_resident
from tests.factories import TownWorld

MOMENT = datetime(2026, 11, 23, 2, 3, 4, 123456, tzinfo=UTC)


def test_a_ledger_records_create_answer_writes_its_datetimes_as_its_read_does(world: TownWorld, as_user) -> None:
    house = make_house(world, village=world.village_a, grid=world.grid_a, address="双合村3组1号")
    person = make_resident(world, make_household(world, house), name="王芳")
    worker = as_user(world.grid_worker_a)
    with time_machine.travel(MOMENT, tick=False):
        made = worker.post("/api/visits", {"resident_id": person.pk})
        keyed = worker.post("/api/visits", {"resident_id": person.pk}, **{"Idempotency-Key": "visit-1"})
    assert (made.status_code, keyed.status_code) == (201, 201)
    read = worker.get(f"/api/visits/{made.json()['id']}").json()
    assert made.json()["visited_at"] == "2026-11-23T02:03:04.123Z"
    assert keyed.json()["visited_at"] == "2026-11-23T02:03:04.123Z"
    assert read["visited_at"] == "2026-11-23T02:03:04.123Z"
