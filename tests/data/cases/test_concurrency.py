"""Two people act on the same case at the same moment: exactly one wins, the other gets a clear conflict.

These tests use real transactions on separate connections (threads), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.errors import Conflict, DomainError
from gridgov.data.org.models import Counter
from tests.factories import MONDAY_0900, build_world
from tests.locks import run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock")]


def test_two_operators_dispatching_the_same_case_one_wins() -> None:
    world = build_world()
    case = world.bring_to(Status.REGISTERED)
    version = case.version

    def dispatch_to(department: Any) -> Callable[[], Any]:
        return lambda: apply_action(
            case_id=case.pk,
            actor=world.operator,
            action=Action.DISPATCH,
            department=department,
            expected_version=version,
        )

    results = run_together(dispatch_to(world.dept_a), dispatch_to(world.dept_b))
    winners = [r for r in results if isinstance(r, CaseAction)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), results
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.version == version + 1
    assert fresh.status == Status.DISPATCHED
    assert fresh.department_id == winners[0].data["department"]["id"]
    assert CaseAction.objects.filter(case=case, action=Action.DISPATCH).count() == 1


def test_sign_and_redispatch_race_never_both_apply() -> None:
    world = build_world()
    case = world.bring_to(Status.DISPATCHED)
    results = run_together(
        lambda: apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN, expected_version=case.version),
        lambda: apply_action(
            case_id=case.pk,
            actor=world.operator,
            action=Action.REDISPATCH,
            department=world.dept_b,
            expected_version=case.version,
        ),
    )
    assert sorted(type(r).__name__ for r in results) == ["CaseAction", "Conflict"], results
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.version == case.version + 1
    assert fresh.action_count == case.action_count + 1
    # The chain stays intact whoever won.
    seqs = list(CaseAction.objects.filter(case=case).values_list("seq", flat=True))
    assert seqs == list(range(1, fresh.action_count + 1))


def test_without_a_version_the_loser_is_refused_by_the_state_it_finds() -> None:
    world = build_world()
    case = world.bring_to(Status.DISPATCHED)
    results = run_together(
        lambda: apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN),
        lambda: apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN),
    )
    errors = [r for r in results if isinstance(r, DomainError)]
    assert len(errors) == 1, results
    assert "当前状态为“处置中”" in errors[0].message
    assert CaseAction.objects.filter(case=case, action=Action.SIGN).count() == 1


def test_concurrent_reports_get_unique_gap_free_numbers() -> None:
    world = build_world()
    count = 8
    results = run_together(*[lambda: world.report(now=MONDAY_0900) for _ in range(count)])
    assert all(isinstance(r, Case) for r in results), results
    numbers = sorted(r.number for r in results)
    assert numbers == [f"DX2026-{n:06d}" for n in range(1, count + 1)]
    assert Counter.objects.get(series="case", town=world.town, year=2026).last_value == count
