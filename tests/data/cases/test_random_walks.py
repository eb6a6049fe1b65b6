"""Random walks through the transition table: whatever order people act in, the case stays consistent
and its audit chain stays whole."""

from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Satisfaction, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.cases.transitions import Need, actions_from
from gridgov.data.errors import DomainError
from gridgov.data.org.enums import Role
from tests.factories import MONDAY_0900, TownWorld, photo

ACTING_ROLES = [Role.OPERATOR, Role.LEADER, Role.HANDLER, Role.GRID_WORKER, Role.VILLAGE_STAFF, Role.RESIDENT]


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choices=st.lists(st.tuples(st.integers(0, 50), st.sampled_from(ACTING_ROLES), st.integers(1, 300)), max_size=25))
def test_random_walk_keeps_the_case_consistent(world: TownWorld, choices) -> None:
    case = world.report(reporter=world.resident)
    now = MONDAY_0900
    errors = 0
    for pick, role, minutes in choices:
        case.refresh_from_db()
        options = [t for t in actions_from(case.status) if t.action != Action.SELF_RESOLVE]
        transition = options[pick % len(options)]
        now += timedelta(minutes=minutes)
        kwargs: dict[str, object] = {"note": "说明"}
        if Need.PHOTO in transition.needs:
            kwargs["photos"] = photo()
        if Need.DEPARTMENT in transition.needs:
            kwargs["department"] = world.dept_a if pick % 2 else world.dept_b
        if Need.EXTENSION in transition.needs:
            kwargs["extension"] = 1
        if Need.RATING in transition.needs:
            kwargs["rating"] = Satisfaction.BASICALLY
        if Need.RECLASSIFICATION in transition.needs:
            kwargs["priority"] = "urgent"
        actor = (
            world.handler_b if role == Role.HANDLER and case.department_id == world.dept_b.pk else world.persona(role)
        )
        before = (case.status, case.version)
        try:
            apply_action(case_id=case.pk, actor=actor, action=transition.action, now=now, **kwargs)
        except DomainError:
            errors += 1
            fresh = Case.objects.get(pk=case.pk)
            assert (fresh.status, fresh.version) == before  # a refused action changes nothing
    case.refresh_from_db()
    target(float(case.action_count))  # steer the search towards long walks
    actions = list(CaseAction.objects.filter(case=case).order_by("seq"))
    assert case.version == case.action_count == len(actions)
    assert [a.seq for a in actions] == list(range(1, len(actions) + 1))
    assert actions[-1].to_status == case.status
    assert all(earlier.to_status == later.from_status for earlier, later in itertools.pairwise(actions))
    assert case.rework_count == sum(a.action == Action.VERIFY_FAIL for a in actions)
    assert case.return_count == sum(a.action == Action.RETURN for a in actions)
    assert (case.closed_at is not None) == (case.status == Status.CLOSED)
    assert (case.suspended_at is not None) == (case.status == Status.SUSPENDED)
    if case.status in (Status.DISPATCHED, Status.HANDLING):
        assert case.department_id is not None
        assert case.handle_deadline is not None
    [(_case, broken)] = list(verify_chains([case]))
    assert broken is None
