"""The one scope check: who sees which case, for lists (visible_cases) and single cases (capacities)."""

from __future__ import annotations

import pytest

from gridgov.data.cases.enums import Channel, Status
from gridgov.data.cases.scope import capacities, get_case_for_user, visible_cases
from gridgov.data.errors import NotFound
from gridgov.data.org.domain import grant_role
from gridgov.data.org.enums import Role
from gridgov.data.org.models import User
from tests.factories import TownWorld


@pytest.fixture
def two_cases(world: TownWorld):
    in_a = world.report(reporter=world.grid_worker_a, area=world.grid_a)
    in_b = world.report(reporter=world.grid_worker_b, area=world.grid_b)
    return in_a, in_b


def numbers(user: User) -> set[str]:
    return set(visible_cases(user).values_list("number", flat=True))


def test_grid_worker_sees_own_grid_only(world: TownWorld, two_cases) -> None:
    in_a, in_b = two_cases
    assert numbers(world.grid_worker_a) == {in_a.number}
    assert numbers(world.grid_worker_b) == {in_b.number}
    assert capacities(world.grid_worker_a, in_b) == set()
    with pytest.raises(NotFound):
        get_case_for_user(world.grid_worker_a, case_id=in_b.pk)


def test_village_staff_see_their_village(world: TownWorld, two_cases) -> None:
    in_a, _in_b = two_cases
    assert numbers(world.village_staff_a) == {in_a.number}
    assert capacities(world.village_staff_a, in_a) == {Role.VILLAGE_STAFF}


def test_operator_leader_admin_see_the_whole_town(world: TownWorld, two_cases) -> None:
    expected = {c.number for c in two_cases}
    for user in (world.operator, world.leader, world.admin):
        assert numbers(user) == expected


def test_handler_sees_only_what_is_with_their_department(world: TownWorld, two_cases) -> None:
    assert numbers(world.handler_a) == set()
    dispatched = world.bring_to(Status.DISPATCHED, department=world.dept_a)
    assert numbers(world.handler_a) == {dispatched.number}
    assert numbers(world.handler_b) == set()
    assert capacities(world.handler_a, dispatched) == {Role.HANDLER}


def test_village_committee_cases_make_village_staff_handlers(world: TownWorld) -> None:
    case = world.bring_to(Status.DISPATCHED, department=world.committee_a)
    assert capacities(world.village_staff_a, case) == {Role.VILLAGE_STAFF, Role.HANDLER}
    assert capacities(world.village_staff_b, case) == set()


def test_resident_sees_only_what_they_reported(world: TownWorld, two_cases) -> None:
    own = world.report(reporter=world.resident, channel=Channel.RESIDENT)
    assert numbers(world.resident) == {own.number}
    assert capacities(world.resident, own) == {Role.RESIDENT}


def test_enterprise_sees_only_own_reports(world: TownWorld, two_cases) -> None:
    assert numbers(world.enterprise) == set()


def test_user_without_membership_or_inactive_sees_nothing(world: TownWorld, two_cases) -> None:
    stranger = User.objects.create_user(username="stranger", password="x-x-x-x-1")
    assert numbers(stranger) == set()
    world.operator.is_active = False
    world.operator.save()
    fresh = User.objects.get(pk=world.operator.pk)
    assert numbers(fresh) == set()


def test_list_and_single_checks_agree_for_every_persona(world: TownWorld, two_cases) -> None:
    world.bring_to(Status.HANDLING, department=world.dept_b)
    world.bring_to(Status.DISPATCHED, department=world.committee_a)
    from gridgov.data.cases.models import Case

    everything = list(Case.objects.all())
    for role in Role:
        user = world.persona(role)
        listed = set(visible_cases(user).values_list("pk", flat=True))
        single = {c.pk for c in everything if capacities(user, c)}
        assert listed == single, role


def test_visible_cases_costs_one_query_for_memberships(world: TownWorld, two_cases, django_assert_num_queries) -> None:
    user = User.objects.get(pk=world.grid_worker_a.pk)
    with django_assert_num_queries(3):  # memberships once, then one query per list
        list(visible_cases(user))
        list(visible_cases(user)[:10])  # memberships are cached on the user


def test_county_leader_sees_every_town(world: TownWorld, two_cases) -> None:
    county_leader = User.objects.create_user(username="county", password="x-x-x-x-1")
    grant_role(user=county_leader, role=Role.LEADER, area=world.county)
    assert numbers(county_leader) == {c.number for c in two_cases}
