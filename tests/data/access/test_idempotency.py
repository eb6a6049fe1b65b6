"""Idempotent creation in the domain: one case per (user, key), replay, reuse refused, failure leaves no record."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gridgov.data.access.idempotency import Answer, body_hash, check_key, create_once
from gridgov.data.access.models import IdempotencyRecord
from gridgov.data.cases.domain.engine import report_case
from gridgov.data.cases.enums import Channel
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput
from tests.factories import TownWorld


def make(
    world: TownWorld, description: str = "垃圾", on_written: Callable[[Case], None] | None = None
) -> Callable[[], Case]:
    def create() -> Case:
        return report_case(
            town=world.town,
            reporter=world.grid_worker_a,
            channel=Channel.GRID_WORKER,
            category=world.category,
            description=description,
            area=world.grid_a,
            on_written=on_written,
        )

    return create


def render(case: Case) -> dict[str, object]:
    return {"number": case.number}


def test_same_key_same_body_replays(world: TownWorld) -> None:
    first = create_once(user=world.grid_worker_a, key="k", body={"a": 1}, create=make(world), render=render)
    second = create_once(user=world.grid_worker_a, key="k", body={"a": 1}, create=make(world), render=render)
    assert (first.replayed, second.replayed, first.body == second.body) == (False, True, True)
    assert Case.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.case, record.response_body) == (Case.objects.get(), first.body)  # no first_answer: stored


def test_a_case_with_a_first_answer_stores_none_and_a_retry_rebuilds_it(world: TownWorld) -> None:
    def create(on_written: Callable[[Case], None]) -> Case:  # report_case calls on_written in its transaction
        return make(world, on_written=on_written)()

    asked: list[int] = []

    def rebuilt(case: Case) -> dict[str, object]:
        asked.append(case.pk)
        return {"number": case.number, "rebuilt": True}

    def attempt() -> Answer:
        return create_once(
            user=world.grid_worker_a,
            key="k",
            body={"a": 1},
            create_recording=create,
            render=render,
            first_answer=rebuilt,
        )

    first = attempt()
    case = Case.objects.get()
    assert list(IdempotencyRecord.objects.values_list("case_id", "response_body")) == [(case.pk, None)]
    assert (first, asked) == (Answer(status=201, body={"number": case.number}, replayed=False), [])
    second = attempt()
    assert (second, asked) == (
        Answer(status=201, body={"number": case.number, "rebuilt": True}, replayed=True),
        [case.pk],
    )
    assert Case.objects.count() == 1


def test_same_key_other_body_is_refused(world: TownWorld) -> None:
    create_once(user=world.grid_worker_a, key="k", body={"a": 1}, create=make(world), render=render)
    with pytest.raises(InvalidInput) as refused:
        create_once(user=world.grid_worker_a, key="k", body={"a": 2}, create=make(world), render=render)
    assert refused.value.code == "idempotency_key_reused"
    assert Case.objects.count() == 1


def test_failed_create_leaves_no_record(world: TownWorld) -> None:
    with pytest.raises(InvalidInput):
        create_once(user=world.grid_worker_a, key="k", body={"a": 1}, create=make(world, ""), render=render)
    assert (Case.objects.count(), IdempotencyRecord.objects.count()) == (0, 0)


def test_key_rules_and_canonical_hash() -> None:
    assert check_key(" abc ") == "abc"
    for bad in ("", "x" * 129, "中文", "a\nb"):
        with pytest.raises(InvalidInput):
            check_key(bad)
    assert body_hash({"a": 1, "b": [1, 2]}) == body_hash({"b": [1, 2], "a": 1})
