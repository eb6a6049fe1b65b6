"""The people register's scope per role: houses, households, residents, groups (the sensitive ones too),
memberships, unmasking and writing — through the permission module, as pages and other apps ask it."""

from __future__ import annotations

import pytest

from gridgov.data.access import permissions
from gridgov.data.cases.scope import memberships_of
from gridgov.data.errors import NotFound
from gridgov.data.org.domain import grant_role
from gridgov.data.org.enums import Role
from gridgov.data.org.models import User
from tests.data.people.factories import PeopleWorld, build_people
from tests.factories import TownWorld


@pytest.fixture
def people(world: TownWorld) -> PeopleWorld:
    return build_people(world)


def _user(world: TownWorld, name: str) -> User:
    user: User = getattr(world, name)
    return user


# persona → (houses, residents) by their letter
SEES = {
    "operator": "ab",
    "leader": "ab",
    "admin": "ab",
    "village_staff_a": "a",
    "village_staff_b": "b",
    "grid_worker_a": "a",
    "grid_worker_b": "b",
    "handler_a": "a",  # 社区矫正 (dept A): resident A's open membership; B's ended one does not count
    "handler_b": "b",  # 困难家庭 (dept B)
    "resident": "",
    "enterprise": "",
}


@pytest.mark.parametrize(("persona", "letters"), SEES.items())
def test_houses_households_residents_per_role(world: TownWorld, people: PeopleWorld, persona: str, letters: str):
    user = _user(world, persona)
    houses = {"a": people.house_a.pk, "b": people.house_b.pk}
    households = {"a": people.household_a.pk, "b": people.household_b.pk}
    residents = {"a": people.resident_a.pk, "b": people.resident_b.pk}
    assert set(permissions.visible_houses(user).values_list("pk", flat=True)) == {houses[x] for x in letters}
    assert set(permissions.visible_households(user).values_list("pk", flat=True)) == {households[x] for x in letters}
    assert set(permissions.visible_residents(user).values_list("pk", flat=True)) == {residents[x] for x in letters}


# persona → the groups they see: c = 困难家庭 (care), k = 社区矫正 (sensitive)
GROUPS = {
    "operator": "c",  # the command room does not see the sensitive groups
    "leader": "ck",
    "admin": "ck",
    "village_staff_a": "c",
    "grid_worker_a": "c",
    "handler_a": "ck",  # their own department's group, and the town's non-sensitive ones
    "handler_b": "c",
    "resident": "",
    "enterprise": "",
}


@pytest.mark.parametrize(("persona", "letters"), GROUPS.items())
def test_groups_per_role(world: TownWorld, people: PeopleWorld, persona: str, letters: str):
    groups = {"c": people.care.pk, "k": people.corrections.pk}
    found = set(permissions.visible_groups(_user(world, persona)).values_list("pk", flat=True))
    assert found == {groups[x] for x in letters}


# persona → the memberships they see: ka = resident A in 社区矫正, cb = B in 困难家庭, kb = B's ended 社区矫正
MEMBERSHIPS = {
    "operator": {"cb"},
    "leader": {"ka", "cb", "kb"},
    "admin": {"ka", "cb", "kb"},
    "village_staff_a": set(),  # resident A's only tag is sensitive
    "grid_worker_a": set(),
    "grid_worker_b": {"cb"},
    "handler_a": {"ka"},  # resident B is not theirs (the membership ended)
    "handler_b": {"cb"},
    "resident": set(),
    "enterprise": set(),
}


@pytest.mark.parametrize(("persona", "names"), MEMBERSHIPS.items())
def test_memberships_per_role(world: TownWorld, people: PeopleWorld, persona: str, names: set[str]):
    by_name = {"ka": people.corrections_a.pk, "cb": people.care_b.pk, "kb": people.corrections_b_ended.pk}
    found = set(permissions.visible_memberships(_user(world, persona)).values_list("pk", flat=True))
    assert found == {by_name[n] for n in names}


UNMASK = {
    "operator": "ab",
    "leader": "ab",
    "admin": "ab",
    "village_staff_a": "",
    "grid_worker_a": "",
    "handler_a": "a",
    "handler_b": "b",
    "resident": "",
    "enterprise": "",
}


@pytest.mark.parametrize(("persona", "letters"), UNMASK.items())
def test_may_unmask_person(world: TownWorld, people: PeopleWorld, persona: str, letters: str):
    user = _user(world, persona)
    found = {
        letter
        for letter, resident in (("a", people.resident_a), ("b", people.resident_b))
        if permissions.may_unmask_person(user=user, resident=resident)
    }
    assert found == set(letters)


WRITES = {
    "operator": "ab",
    "admin": "ab",
    "leader": "",
    "village_staff_a": "a",
    "grid_worker_b": "b",
    "handler_a": "",
    "resident": "",
}


@pytest.mark.parametrize(("persona", "letters"), WRITES.items())
def test_writable_per_role(world: TownWorld, people: PeopleWorld, persona: str, letters: str):
    user = _user(world, persona)
    residents = {"a": people.resident_a.pk, "b": people.resident_b.pk}
    assert set(permissions.writable_residents(user).values_list("pk", flat=True)) == {residents[x] for x in letters}
    assert set(permissions.writable_houses(user).values_list("address", flat=True)) == {
        {"a": "双合村1组1号", "b": "火箭村2组5号"}[x] for x in letters
    }
    areas = {"a": world.grid_a, "b": world.grid_b}
    assert {x for x, area in areas.items() if permissions.may_write_area(user, area)} == set(letters)
    assert permissions.may_write_people(user) == bool(letters)


def test_superuser_sees_and_unmasks_everything(world: TownWorld, people: PeopleWorld):
    boss = User.objects.create(username="root", is_superuser=True)
    assert permissions.visible_residents(boss).count() == 2
    assert permissions.visible_groups(boss).count() == 2
    assert permissions.may_unmask_person(user=boss, resident=people.resident_b)


@pytest.mark.parametrize("persona", ["operator", "grid_worker_a", "handler_a", "leader"])
def test_visible_lists_cost_one_query(world: TownWorld, people: PeopleWorld, persona: str, django_assert_num_queries):
    user = _user(world, persona)
    memberships_of(user)  # read once per request
    with django_assert_num_queries(1):
        list(permissions.visible_residents(user).select_related("household__house"))
    with django_assert_num_queries(1):
        list(permissions.visible_houses(user))
    with django_assert_num_queries(1):
        list(permissions.visible_households(user).select_related("house"))
    with django_assert_num_queries(1):
        list(permissions.visible_memberships(user).select_related("group", "resident"))


def test_inactive_user_sees_nothing(world: TownWorld, people: PeopleWorld):
    world.operator.is_active = False
    assert list(permissions.visible_residents(world.operator)) == []
    assert list(permissions.visible_groups(world.operator)) == []
    assert not permissions.may_unmask_person(user=world.operator, resident=people.resident_a)


def test_one_record_for_a_user_who_may_see_it(world: TownWorld, people: PeopleWorld):
    user = world.grid_worker_a
    assert permissions.resident_for(user, people.resident_a.pk) == people.resident_a
    assert permissions.household_for(user, people.household_a.pk) == people.household_a
    assert permissions.house_for(user, people.house_a.pk) == people.house_a
    for lookup, pk in (
        (permissions.resident_for, people.resident_b.pk),
        (permissions.household_for, people.household_b.pk),
        (permissions.house_for, people.house_b.pk),
    ):
        with pytest.raises(NotFound) as error:
            lookup(user, pk)
        assert error.value.message == "记录不存在或您无权查看"


def test_memberships_of_other_levels(world: TownWorld, people: PeopleWorld):
    county_leader = User.objects.create(username="county_leader")
    grant_role(user=county_leader, role=Role.LEADER, area=world.county)
    village_leader = User.objects.create(username="village_leader")
    grant_role(user=village_leader, role=Role.LEADER, area=world.village_a)
    village_worker = User.objects.create(username="village_worker")
    grant_role(user=village_worker, role=Role.GRID_WORKER, area=world.village_b)

    def seen(user: User) -> tuple[set[int], set[int], set[int]]:
        return (
            set(permissions.visible_residents(user).values_list("pk", flat=True)),
            set(permissions.visible_groups(user).values_list("pk", flat=True)),
            set(permissions.visible_memberships(user).values_list("pk", flat=True)),
        )

    a, b = people.resident_a.pk, people.resident_b.pk
    care, corrections = people.care.pk, people.corrections.pk
    everyone = {people.corrections_a.pk, people.care_b.pk, people.corrections_b_ended.pk}
    assert seen(county_leader) == ({a, b}, {care, corrections}, everyone)
    assert seen(village_leader) == ({a}, {care, corrections}, {people.corrections_a.pk})
    assert seen(village_worker) == ({b}, {care}, {people.care_b.pk})
