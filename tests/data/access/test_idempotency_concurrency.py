"""Identical create requests with the same Idempotency-Key at the same instant: one record, the same answer."""

from __future__ import annotations

import pytest

from gridgov.data.access.idempotency import Answer, create_once
from gridgov.data.access.models import IdempotencyRecord
from gridgov.data.cases.domain.engine import report_case
from gridgov.data.cases.enums import Channel
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput
from gridgov.data.people.domain import HouseInput, register_house
from gridgov.data.people.enums import HouseUse
from gridgov.data.people.models import House
from tests.factories import MONDAY_0900, build_world
from tests.locks import run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock")]


def test_concurrent_duplicates_make_one_case() -> None:
    world = build_world()

    def create() -> Case:
        return report_case(
            town=world.town,
            reporter=world.grid_worker_a,
            channel=Channel.GRID_WORKER,
            category=world.category,
            description="同时提交",
            area=world.grid_a,
        )

    def attempt() -> Answer:
        return create_once(
            user=world.grid_worker_a,
            key="same-key",
            body={"description": "同时提交"},
            create=create,
            render=lambda case: {"number": case.number},
        )

    results = run_together(attempt, attempt, attempt)
    assert all(isinstance(r, Answer) for r in results), results
    assert sorted(r.replayed for r in results) == [False, True, True]
    assert len({r.body["number"] for r in results}) == 1
    assert (Case.objects.count(), IdempotencyRecord.objects.count()) == (1, 1)


def test_concurrent_retries_of_a_register_entry_replay_the_first_answer() -> None:
    """A house is unique by its address: a retry the register refuses as a duplicate of its own first run, at the
    same instant or later, replays the first answer instead."""
    world = build_world()
    data = HouseInput(
        town=world.town, village=world.village_a, grid=world.grid_a, address="双合村7组7号", use=HouseUse.OWN, rooms=3
    )

    def attempt() -> Answer:
        return create_once(
            user=world.operator,
            key="house-key",
            body={"address": "双合村7组7号"},
            create=lambda: register_house(actor=world.operator, data=data, now=MONDAY_0900),
            render=lambda house: {"id": house.pk},
        )

    results = [*run_together(attempt, attempt, attempt), attempt()]
    assert all(isinstance(r, Answer) for r in results), results
    assert sorted(r.replayed for r in results) == [False, True, True, True]
    assert len({r.body["id"] for r in results}) == 1
    assert (House.objects.count(), IdempotencyRecord.objects.count()) == (1, 1)
    with pytest.raises(InvalidInput) as refused:  # without the key, the same house is a duplicate
        register_house(actor=world.operator, data=data, now=MONDAY_0900)
    assert refused.value.message == "标准地址“双合村7组7号”已登记"
