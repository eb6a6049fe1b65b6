"""Who sees and records investment attraction: the town's command room, leaders and admins, and the handlers
of the town's 经济发展办 (JFB) — every lead of their town
and its arrivals; everyone else nothing, and nobody another town's."""

from __future__ import annotations

from datetime import date

import pytest

from gridgov.data.access import permissions
from gridgov.data.investment.domain import ArrivalInput, LeadInput, record_arrival, record_lead
from gridgov.data.investment.enums import Industry, Source
from gridgov.data.investment.models import FundArrival, Lead
from gridgov.data.org.domain import create_area, create_department, grant_role
from gridgov.data.org.enums import AreaLevel, DepartmentKind, Role
from gridgov.data.org.models import Area, User
from tests.factories import WORLD_NOW, TownWorld

pytestmark = pytest.mark.django_db


def _lead(town: Area, actor: User) -> Lead:
    data = LeadInput(
        town=town,
        name=f"{town.name}项目",
        source=Source.NATIVE,
        industry=Industry.AQUATIC,
        lead_on=date(2026, 1, 5),
        talks_on=date(2026, 2, 5),
        signed_on=date(2026, 3, 5),
        signed_amount="2000万",
    )
    lead = record_lead(actor=actor, data=data, now=WORLD_NOW)
    record_arrival(actor=actor, data=ArrivalInput(lead=lead, year=2026, month=4, amount="500万"), now=WORLD_NOW)
    return lead


@pytest.fixture
def other_town(world: TownWorld) -> tuple[Area, User]:
    """衢山镇 with its own operator, and one lead with an arrival."""
    town = create_area(code="330921103", name="衢山镇", level=AreaLevel.TOWN, parent=world.county)
    operator = User.objects.create_user(username="qs_op", password="x")
    grant_role(user=operator, role=Role.OPERATOR, area=town)
    _lead(town, operator)
    return town, operator


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("operator", True),
        ("leader", True),
        ("admin", True),
        ("investor", True),
        ("handler_a", False),
        ("handler_b", False),
        ("village_staff_a", False),
        ("grid_worker_a", False),
        ("resident", False),
        ("enterprise", False),
    ],
)
def test_each_role_sees_and_keeps_the_towns_leads_or_nothing(
    world: TownWorld, investor: User, other_town: tuple[Area, User], persona: str, sees: bool
):
    lead = _lead(world.town, world.operator)
    user = investor if persona == "investor" else getattr(world, persona)
    assert list(permissions.visible_leads(user).values_list("pk", flat=True)) == ([lead.pk] if sees else [])
    arrivals = permissions.visible_arrivals(user).values_list("lead", flat=True)
    assert list(arrivals) == ([lead.pk] if sees else [])
    assert permissions.may_keep_investment(user, world.town) is sees
    assert permissions.may_keep_investment(user, other_town[0]) is False


def test_a_handler_of_another_towns_investment_department_sees_only_that_town(
    world: TownWorld, other_town: tuple[Area, User]
):
    town, _operator = other_town
    department = create_department(town=town, code="JFB", name="经济发展办", kind=DepartmentKind.TOWN_OFFICE)
    handler = User.objects.create_user(username="qs_jfb", password="x")
    grant_role(user=handler, role=Role.HANDLER, department=department)
    _lead(world.town, world.operator)
    assert list(permissions.visible_leads(handler).values_list("name", flat=True)) == ["衢山镇项目"]
    assert permissions.may_keep_investment(handler, world.town) is False


def test_a_village_leader_does_not_see_the_towns_leads(world: TownWorld):
    village_leader = User.objects.create_user(username="village_leader", password="x")
    grant_role(user=village_leader, role=Role.LEADER, area=world.village_a)
    _lead(world.town, world.operator)
    assert (permissions.visible_leads(village_leader).count(), FundArrival.objects.count()) == (0, 1)
    assert permissions.may_keep_investment(village_leader, world.town) is False


def test_a_global_admin_sees_every_town(world: TownWorld, other_town: tuple[Area, User]):
    root = User.objects.create_superuser(username="root", password="x")
    _lead(world.town, world.operator)
    assert sorted(permissions.visible_leads(root).values_list("name", flat=True)) == ["岱西镇项目", "衢山镇项目"]
