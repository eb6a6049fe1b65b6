"""Every row of the transition table works for every role it names; a sample of what it forbids fails."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Satisfaction, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.cases.transitions import TRANSITIONS, Need, Transition
from gridgov.data.errors import NotAllowed, OutOfScope
from gridgov.data.org.enums import Role
from tests.factories import MONDAY_0900, TownWorld, photo

# Roles that only ever act on a case as its reporter (their capacity is "resident").
REPORTER_ONLY = {Role.RESIDENT, Role.ENTERPRISE}

# Statuses in which no department holds the case: a handler has no capacity on it at all.
NOT_WITH_A_DEPARTMENT = {Status.REPORTED, Status.REGISTERED, Status.SUSPENDED, Status.REJECTED}

CASES = [
    pytest.param(t, role, id=f"{t.source}-{t.action}-{role}")
    for t in TRANSITIONS.values()
    for role in sorted(t.roles)
    if role not in (REPORTER_ONLY - {Role.RESIDENT})
    and not (role == Role.HANDLER and t.source in NOT_WITH_A_DEPARTMENT)
    and t.action != Action.SELF_RESOLVE  # taken at report time: see test_engine.test_self_resolve_*
]


def _prepare(world: TownWorld, transition: Transition, role: Role) -> Case:
    reporter = world.resident if role == Role.RESIDENT else None
    # Village staff act as handlers for cases dispatched to their village committee.
    department = world.committee_a if role == Role.VILLAGE_STAFF else None
    case = world.bring_to(Status(transition.source), reporter=reporter, department=department)
    if Need.PENDING_EXTENSION in transition.needs:
        handler = world.handler_a
        apply_action(
            case_id=case.pk,
            actor=handler,
            action=Action.REQUEST_EXTENSION,
            note="需协调",
            extension=2,
            now=MONDAY_0900 + timedelta(minutes=30),
        )
        case.refresh_from_db()
    return case


def _kwargs(world: TownWorld, transition: Transition) -> dict[str, object]:
    kwargs: dict[str, object] = {}
    if Need.NOTE in transition.needs:
        kwargs["note"] = "处理意见"
    if Need.PHOTO in transition.needs:
        kwargs["photos"] = photo()
    if Need.DEPARTMENT in transition.needs:
        kwargs["department"] = world.dept_b if transition.action == Action.REDISPATCH else world.dept_a
    if Need.EXTENSION in transition.needs:
        kwargs["extension"] = 2
    if Need.RATING in transition.needs:
        kwargs["rating"] = Satisfaction.SATISFIED
    if Need.RECLASSIFICATION in transition.needs:
        kwargs["category"] = world.category_days
    return kwargs


@pytest.mark.parametrize(("transition", "role"), CASES)
def test_allowed_transition(world: TownWorld, transition: Transition, role: Role) -> None:
    case = _prepare(world, transition, role)
    actor = world.persona(role)
    before = case.action_count
    row = apply_action(
        case_id=case.pk,
        actor=actor,
        action=transition.action,
        now=MONDAY_0900 + timedelta(hours=1),
        **_kwargs(world, transition),
    )
    case.refresh_from_db()
    expected = transition.target if transition.target is not None else Status.REGISTERED
    assert case.status == expected
    assert (row.action, row.from_status, row.to_status, row.seq) == (
        transition.action,
        transition.source,
        expected,
        before + 1,
    )
    assert row.actor_id == actor.pk
    assert case.action_count == before + 1
    assert case.audit_head == row.hash


FORBIDDEN_BY_STATUS = [
    (Status.REPORTED, Action.DISPATCH, Role.OPERATOR),
    (Status.REGISTERED, Action.RESOLVE, Role.OPERATOR),
    (Status.DISPATCHED, Action.RESOLVE, Role.HANDLER),
    (Status.HANDLING, Action.VERIFY_PASS, Role.GRID_WORKER),
    (Status.CLOSED, Action.RESOLVE, Role.HANDLER),
    (Status.CLOSED, Action.REGISTER, Role.OPERATOR),
    (Status.REJECTED, Action.DISPATCH, Role.OPERATOR),
    (Status.SUSPENDED, Action.SIGN, Role.OPERATOR),
    (Status.RESOLVED, Action.SIGN, Role.HANDLER),
]


@pytest.mark.parametrize(("status", "action", "role"), FORBIDDEN_BY_STATUS)
def test_action_not_allowed_in_status(world: TownWorld, status: Status, action: Action, role: Role) -> None:
    case = world.bring_to(status)
    with pytest.raises(NotAllowed) as error:
        apply_action(
            case_id=case.pk, actor=world.persona(role), action=action, note="x", photos=photo(), department=world.dept_a
        )
    assert f"当前状态为“{status.label}”" in error.value.message
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version, CaseAction.objects.filter(case=case).count()) == (
        status,
        case.version,
        case.action_count,
    )


FORBIDDEN_BY_ROLE = [
    (Status.REPORTED, Action.REGISTER, Role.GRID_WORKER),
    (Status.REPORTED, Action.REGISTER, Role.LEADER),
    (Status.REPORTED, Action.REJECT, Role.VILLAGE_STAFF),
    (Status.REGISTERED, Action.DISPATCH, Role.GRID_WORKER),
    (Status.DISPATCHED, Action.SIGN, Role.OPERATOR),
    (Status.DISPATCHED, Action.SIGN, Role.GRID_WORKER),
    (Status.HANDLING, Action.RESOLVE, Role.OPERATOR),
    (Status.HANDLING, Action.APPROVE_EXTENSION, Role.HANDLER),
    (Status.RESOLVED, Action.VERIFY_PASS, Role.HANDLER),
    (Status.RESOLVED, Action.VERIFY_PASS, Role.RESIDENT),
    (Status.RESOLVED, Action.VERIFY_PASS, Role.LEADER),
    (Status.CLOSED, Action.REOPEN, Role.GRID_WORKER),
    (Status.SUSPENDED, Action.RESUME, Role.GRID_WORKER),
]


@pytest.mark.parametrize(("status", "action", "role"), FORBIDDEN_BY_ROLE)
def test_role_not_allowed(world: TownWorld, status: Status, action: Action, role: Role) -> None:
    reporter = world.resident if role == Role.RESIDENT else None
    case = world.bring_to(status, reporter=reporter)
    with pytest.raises(NotAllowed) as error:
        apply_action(
            case_id=case.pk, actor=world.persona(role), action=action, note="x", photos=photo(), department=world.dept_a
        )
    assert f"不能执行“{action.label}”" in error.value.message
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (status, case.version)


def test_every_status_has_a_way_out_or_is_terminal() -> None:
    sources = {t.source for t in TRANSITIONS.values() if t.target not in (t.source,)}
    assert sources == {
        Status.REPORTED,
        Status.REGISTERED,
        Status.DISPATCHED,
        Status.HANDLING,
        Status.RESOLVED,
        Status.SUSPENDED,
        Status.CLOSED,
        Status.REJECTED,
    }


@pytest.mark.parametrize("status", sorted(NOT_WITH_A_DEPARTMENT))
@pytest.mark.parametrize("action", [Action.SIGN, Action.DISPATCH, Action.COMMENT, Action.RESUME])
def test_handler_has_no_capacity_on_a_case_not_with_their_department(
    world: TownWorld, status: Status, action: Action
) -> None:
    case = world.bring_to(status)
    with pytest.raises(OutOfScope):
        apply_action(case_id=case.pk, actor=world.handler_a, action=action, note="x", department=world.dept_a)
    assert Case.objects.get(pk=case.pk).version == case.version
