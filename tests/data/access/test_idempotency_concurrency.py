"""Two identical create requests with the same Idempotency-Key at the same instant: one case, same answer."""

from __future__ import annotations

import pytest

from gridgov.data.access.idempotency import Answer, create_once
from gridgov.data.access.models import IdempotencyRecord
from gridgov.data.cases.domain.engine import report_case
from gridgov.data.cases.enums import Channel
from gridgov.data.cases.models import Case
from tests.factories import build_world
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
