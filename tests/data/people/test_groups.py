"""Key and care groups: the town's defaults (idempotent, with their departments), joining and leaving — the
sensitive groups kept out of reach of those who may not see them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gridgov.data.errors import InvalidInput, NotAllowed, NotFound
from gridgov.data.org.domain import create_area, create_department
from gridgov.data.org.enums import AreaLevel, DepartmentKind
from gridgov.data.org.models import User
from gridgov.data.people.domain import install_default_groups, join_group, leave_group, move_out
from gridgov.data.people.enums import GroupKind
from gridgov.data.people.models import GroupMembership, PersonGroup
from tests.data.people.factories import PeopleWorld, build_people
from tests.factories import MONDAY_0900, WORLD_TODAY, TownWorld, signed_in


@pytest.fixture
def people(world: TownWorld) -> PeopleWorld:
    return build_people(world)


def test_the_default_groups_with_visit_frequency_and_department(world: TownWorld):
    justice = create_department(town=world.town, code="SFS", name="岱西司法所", kind=DepartmentKind.STATION)
    civil = create_department(town=world.town, code="SWB", name="社会事务办", kind=DepartmentKind.TOWN_OFFICE)
    groups = install_default_groups(town=world.town)
    table = [(g.name, g.kind, g.sensitive, g.visit_every_days, g.department) for g in groups]
    assert table == [
        ("社区矫正", GroupKind.KEY, True, 30, justice),
        ("刑满释放", GroupKind.KEY, False, 90, justice),
        ("严重精神障碍", GroupKind.KEY, True, 30, None),
        ("吸毒", GroupKind.KEY, True, 30, None),
        ("重点青少年", GroupKind.KEY, False, 90, None),
        ("困难家庭", GroupKind.CARE, False, 30, civil),
        ("低保/低边", GroupKind.CARE, False, 90, civil),
        ("残疾人", GroupKind.CARE, False, 90, civil),
        ("独居老人", GroupKind.CARE, False, 30, civil),
        ("退役军人", GroupKind.CARE, False, 182, None),
        ("留守儿童", GroupKind.CARE, False, 30, civil),
    ]
    assert [g.name for g in PersonGroup.objects.filter(town=world.town)] == [g.name for g in groups]


def test_installing_again_changes_nothing(world: TownWorld):
    first = install_default_groups(town=world.town)
    PersonGroup.objects.filter(code="veteran").update(visit_every_days=365)  # the town's own setting stays
    second = install_default_groups(town=world.town)
    assert [g.pk for g in second] == [g.pk for g in first]
    assert PersonGroup.objects.count() == 11
    assert PersonGroup.objects.get(code="veteran").visit_every_days == 365


def test_a_grid_worker_tags_their_residents_with_the_groups_they_see(world: TownWorld, people: PeopleWorld):
    membership = join_group(
        actor=world.grid_worker_a, resident=people.resident_a, group=people.care, since=WORLD_TODAY, now=MONDAY_0900
    )
    assert (membership.resident, membership.group, membership.since, membership.until) == (
        people.resident_a,
        people.care,
        WORLD_TODAY,
        None,
    )
    with pytest.raises(InvalidInput) as error:
        join_group(
            actor=world.grid_worker_a, resident=people.resident_a, group=people.care, since=WORLD_TODAY, now=MONDAY_0900
        )
    assert (error.value.message, error.value.field) == ("该人员已在“困难家庭”中", "group")
    with pytest.raises(NotAllowed):  # not their grid
        join_group(
            actor=world.grid_worker_a, resident=people.resident_b, group=people.care, since=WORLD_TODAY, now=MONDAY_0900
        )


@pytest.mark.parametrize("persona", ["operator", "grid_worker_b", "village_staff_b"])
def test_a_sensitive_group_is_out_of_reach_of_those_who_do_not_see_it(
    world: TownWorld, people: PeopleWorld, persona: str
):
    actor = getattr(world, persona)
    with pytest.raises(NotFound):
        join_group(
            actor=actor, resident=people.resident_b, group=people.corrections, since=WORLD_TODAY, now=MONDAY_0900
        )
    with pytest.raises(NotFound):
        leave_group(actor=actor, membership=people.corrections_b_ended, until=WORLD_TODAY, now=MONDAY_0900)
    assert GroupMembership.objects.filter(group=people.corrections).count() == 2


def test_leaving_a_group_keeps_the_record(world: TownWorld, people: PeopleWorld):
    with pytest.raises(InvalidInput) as error:
        leave_group(actor=world.grid_worker_b, membership=people.care_b, until=date(2026, 2, 1), now=MONDAY_0900)
    assert (error.value.message, error.value.field) == ("解除日期不能早于纳管日期", "until")
    with pytest.raises(InvalidInput) as error:
        leave_group(
            actor=world.grid_worker_b,
            membership=people.care_b,
            until=WORLD_TODAY + timedelta(days=1),
            now=MONDAY_0900,
        )
    assert (error.value.message, error.value.field) == ("解除日期不能晚于今天", "until")
    leave_group(actor=world.grid_worker_b, membership=people.care_b, until=WORLD_TODAY, now=MONDAY_0900)
    assert GroupMembership.objects.get(pk=people.care_b.pk).until == WORLD_TODAY
    again = join_group(
        actor=world.grid_worker_b, resident=people.resident_b, group=people.care, since=WORLD_TODAY, now=MONDAY_0900
    )
    assert GroupMembership.objects.filter(resident=people.resident_b, group=people.care).count() == 2
    assert again.until is None


def test_a_resident_who_moved_away_joins_no_group(world: TownWorld, people: PeopleWorld):
    move_out(actor=world.operator, resident=people.resident_b, on=WORLD_TODAY, now=MONDAY_0900)
    with pytest.raises(InvalidInput) as error:
        join_group(actor=world.admin, resident=people.resident_b, group=people.care, since=WORLD_TODAY, now=MONDAY_0900)
    assert error.value.message == "该人员已迁出，不能纳入人员类别"


def test_the_install_command_names_the_groups_without_a_department(world: TownWorld, capsys):
    create_department(town=world.town, code="SWB", name="社会事务办", kind=DepartmentKind.TOWN_OFFICE)
    call_command("install_person_groups", world.town.code)
    call_command("install_person_groups", world.town.code)
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "岱西镇：共 11 个人员类别",
        "未找到责任部门（请在管理后台指定）：社区矫正、刑满释放、严重精神障碍、吸毒、重点青少年、退役军人",
    ]
    assert PersonGroup.objects.filter(town=world.town).count() == 11
    with pytest.raises(CommandError):
        call_command("install_person_groups", "000000")


def test_an_admin_configures_a_group_in_the_admin(world: TownWorld, people: PeopleWorld) -> None:
    """Visit frequency, department and use of a group are set in the admin; another town's department is refused."""
    root = User.objects.create_superuser(username="root", password="pw-for-tests-1")
    client = signed_in(root)
    assert client.get("/admin/people/persongroup/").status_code == 200
    url = f"/admin/people/persongroup/{people.care.pk}/change/"
    form = {
        "town": world.town.pk,
        "code": people.care.code,
        "name": "困难家庭",
        "name_en": "",
        "kind": "care",
        "department": world.dept_a.pk,
        "visit_every_days": 14,
        "active": "on",
    }
    assert client.post(url, form).status_code == 302
    people.care.refresh_from_db()
    assert (people.care.visit_every_days, people.care.department_id) == (14, world.dept_a.pk)
    elsewhere = create_area(code="330921103", name="衢山镇", level=AreaLevel.TOWN, parent=world.county)
    other = create_department(town=elsewhere, code="QS01", name="衢山镇民政办", kind=DepartmentKind.TOWN_OFFICE)
    refused = client.post(url, {**form, "department": other.pk})
    assert "责任部门必须属于同一乡镇" in refused.text
    people.care.refresh_from_db()
    assert people.care.department_id == world.dept_a.pk
