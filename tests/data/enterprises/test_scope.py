"""Enterprise users see and act on their own company's cases only (the one rule in cases/scope.py)."""

from __future__ import annotations

import pytest

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action
from gridgov.data.cases.scope import capacities, get_case_for_user, visible_cases
from gridgov.data.errors import NotFound
from gridgov.data.org.enums import Role
from tests.data.enterprises.conftest import EnterpriseWorld


def test_enterprise_users_see_only_their_own_company(ew: EnterpriseWorld) -> None:
    own = ew.hazard()
    other = ew.hazard(enterprise=ew.chemical)
    event = ew.w.report()
    government = ew.hazard(book="government")
    assert set(visible_cases(ew.shipyard_user).values_list("pk", flat=True)) == {own.case_id, government.case_id}
    assert set(visible_cases(ew.chemical_user).values_list("pk", flat=True)) == {other.case_id}
    assert capacities(ew.shipyard_user, own.case) == {Role.ENTERPRISE, Role.RESIDENT}
    assert capacities(ew.shipyard_user, government.case) == {Role.ENTERPRISE}
    assert capacities(ew.shipyard_user, other.case) == set()
    with pytest.raises(NotFound):
        get_case_for_user(ew.shipyard_user, case_id=other.case_id)
    with pytest.raises(NotFound):
        get_case_for_user(ew.shipyard_user, case_id=event.pk)
    # town staff still see all of them
    assert visible_cases(ew.w.operator).count() == 4


def test_enterprise_may_comment_on_its_case_but_not_on_others(ew: EnterpriseWorld) -> None:
    own = ew.hazard(book="government")
    other = ew.hazard(enterprise=ew.chemical)
    row = apply_action(case_id=own.case_id, actor=ew.shipyard_user, action=Action.COMMENT, note="已安排整改")
    assert row.actor_role == Role.ENTERPRISE
    from gridgov.data.errors import OutOfScope

    with pytest.raises(OutOfScope):
        apply_action(case_id=other.case_id, actor=ew.shipyard_user, action=Action.COMMENT, note="看看")
