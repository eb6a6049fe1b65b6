"""Who sees and records the enterprises' yearly figures, per role (through ``access.permissions``)."""

from __future__ import annotations

import pytest

from gridgov.data.access import permissions
from gridgov.data.enterprises.domain.yearly import YearInput, record_year
from gridgov.data.errors import NotAllowed
from gridgov.data.org.domain import create_department, grant_role
from gridgov.data.org.enums import DepartmentKind, Role
from gridgov.data.org.models import User
from tests.data.enterprises.conftest import EnterpriseWorld
from tests.factories import MONDAY_0900, _user

pytestmark = pytest.mark.django_db


def test_each_role_sees_what_the_rule_says(ew: EnterpriseWorld) -> None:
    w = ew.w
    mine = record_year(actor=w.operator, data=YearInput(enterprise=ew.shipyard, year=2025), now=MONDAY_0900)
    theirs = record_year(actor=w.operator, data=YearInput(enterprise=ew.chemical, year=2025), now=MONDAY_0900)
    economic = create_department(town=w.town, code="JFB", name="经济发展办", kind=DepartmentKind.TOWN_OFFICE)
    officer = _user("jfb", "经发办干部")
    grant_role(user=officer, role=Role.HANDLER, department=economic)

    def seen(user: User) -> set[int]:
        return set(permissions.visible_enterprise_years(user).values_list("pk", flat=True))

    both = {mine.pk, theirs.pk}
    assert {name: seen(u) for name, u in [("operator", w.operator), ("leader", w.leader), ("admin", w.admin)]} == {
        "operator": both,
        "leader": both,
        "admin": both,
    }
    assert seen(officer) == both
    assert seen(ew.shipyard_user) == {mine.pk}
    assert seen(ew.chemical_user) == {theirs.pk}
    for nobody in (w.grid_worker_a, w.village_staff_a, w.handler_a, w.resident):
        assert seen(nobody) == set()
    assert permissions.may_record_years(officer, ew.chemical) is True
    assert permissions.may_record_years(ew.shipyard_user, ew.shipyard) is False
    assert permissions.may_record_years(w.handler_a) is False
    record_year(actor=officer, data=YearInput(enterprise=ew.chemical, year=2024), now=MONDAY_0900)
    with pytest.raises(NotAllowed):
        record_year(actor=ew.shipyard_user, data=YearInput(enterprise=ew.shipyard, year=2024), now=MONDAY_0900)


def test_the_department_flag_not_its_name_says_who_keeps_the_figures(ew: EnterpriseWorld) -> None:
    w = ew.w
    row = record_year(actor=w.operator, data=YearInput(enterprise=ew.shipyard, year=2025), now=MONDAY_0900)
    named = create_department(town=w.town, code="JJB", name="经济服务中心", kind=DepartmentKind.STATION)
    flagged = create_department(
        town=w.town, code="SYB", name="招商与企业服务办", kind=DepartmentKind.TOWN_OFFICE, economic=True
    )
    seen = {}
    for department in (named, flagged):
        officer = _user(f"h-{department.code}", department.name)
        grant_role(user=officer, role=Role.HANDLER, department=department)
        seen[department.code] = set(permissions.visible_enterprise_years(officer).values_list("pk", flat=True))
    default = create_department(town=w.town, code="JFB", name="经发办", kind=DepartmentKind.TOWN_OFFICE)
    assert (seen, default.economic) == ({"JJB": set(), "SYB": {row.pk}}, True)
