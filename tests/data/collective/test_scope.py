"""Who sees and records the villages' collective incomes: the town's command room, leaders and admins see every
village's, village staff their own village's; operators and admins record for any village of the town, village
staff for their own; handlers, grid workers, enterprises and residents neither."""

from __future__ import annotations

import pytest

from gridgov.data.access import permissions
from gridgov.data.collective.domain import IncomeInput, record_income
from gridgov.data.collective.enums import IncomeKind
from gridgov.data.org.domain import create_area, grant_role
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import User
from tests.factories import WORLD_NOW, TownWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def incomes(world: TownWorld) -> dict[str, int]:
    def record(village_name: str) -> int:
        village = world.village_a if village_name == "a" else world.village_b
        data = IncomeInput(village=village, year=2026, month=5, kind=IncomeKind.SUBSIDY, amount="8000")
        return record_income(actor=world.operator, data=data, now=WORLD_NOW).pk

    return {"a": record("a"), "b": record("b")}


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("operator", {"a", "b"}),
        ("leader", {"a", "b"}),
        ("admin", {"a", "b"}),
        ("village_staff_a", {"a"}),
        ("village_staff_b", {"b"}),
        ("handler_a", set()),
        ("grid_worker_a", set()),
        ("resident", set()),
        ("enterprise", set()),
    ],
)
def test_each_role_sees_its_part(world: TownWorld, incomes: dict[str, int], persona: str, seen: set[str]):
    names = {pk: name for name, pk in incomes.items()}
    visible = permissions.visible_incomes(getattr(world, persona)).values_list("pk", flat=True)
    assert {names[pk] for pk in visible} == seen


def test_another_towns_staff_see_nothing_of_this_town(world: TownWorld, incomes: dict[str, int]):
    other_town = create_area(code="330921103", name="衢山镇", level=AreaLevel.TOWN, parent=world.county)
    stranger = User.objects.create_user(username="qs_op", password="x")
    grant_role(user=stranger, role=Role.OPERATOR, area=other_town)
    assert list(permissions.visible_incomes(stranger)) == []
    assert permissions.may_record_income(stranger, world.village_a) is False


@pytest.mark.parametrize(
    ("persona", "may_a", "may_b"),
    [
        ("operator", True, True),
        ("admin", True, True),
        ("village_staff_a", True, False),
        ("village_staff_b", False, True),
        ("leader", False, False),
        ("handler_a", False, False),
        ("grid_worker_a", False, False),
        ("resident", False, False),
        ("enterprise", False, False),
    ],
)
def test_who_may_record_for_which_village(world: TownWorld, persona: str, may_a: bool, may_b: bool):
    user = getattr(world, persona)
    answers = [permissions.may_record_income(user, village) for village in (world.village_a, world.village_b)]
    assert answers == [may_a, may_b]
    assert permissions.may_record_income(user, world.grid_a) is False  # only a village has a collective income
