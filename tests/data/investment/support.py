"""Builders the investment tests share: the town's 经济发展办 handler and valid credit codes."""

from __future__ import annotations

from gridgov.data.org.credit_code import check_character
from gridgov.data.org.domain import create_department, grant_role
from gridgov.data.org.enums import DepartmentKind, Role
from gridgov.data.org.models import User
from tests.factories import TownWorld


def credit_code(serial: int) -> str:
    """A valid unified social credit code (GB 32100) of a company in 岱山县, numbered ``serial``."""
    first17 = f"91330921{serial:09d}"
    return first17 + check_character(first17)


def make_investor(world: TownWorld) -> User:
    """A handler of the town's 经济发展办 (code JFB), which attracts investment."""
    department = create_department(town=world.town, code="JFB", name="经济发展办", kind=DepartmentKind.TOWN_OFFICE)
    user = User(username="jingfaban", full_name="孙招商")
    user.set_password("pw-for-tests-1")
    user.save()
    grant_role(user=user, role=Role.HANDLER, department=department)
    return user
