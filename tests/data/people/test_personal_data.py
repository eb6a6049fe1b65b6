"""A person's data under PIPL: masked for display, revealed in full only to the roles that may (logged),
exported for an access request, erased on request or after the retention period (the logs kept, no plain
text left in the row), and its digest rewritten when the field key is replaced."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from gridgov.data.access import permissions
from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import SecurityEvent
from gridgov.data.people.domain import (
    ResidentInput,
    erase_person,
    export_person,
    move_out,
    person_view,
    purge_moved_out,
    register_resident,
    reveal_person,
)
from gridgov.data.people.enums import Relation, Sex
from gridgov.data.people.models import GroupMembership, Resident
from gridgov.data.privacy import blind_index, decrypt_text
from tests.data.people.factories import PeopleWorld, build_people
from tests.factories import MONDAY_0900, WORLD_NOW, WORLD_TODAY, TownWorld


@pytest.fixture
def people(world: TownWorld) -> PeopleWorld:
    return build_people(world)


def _events(kind: SecurityEventKind) -> list[tuple[str, object]]:
    return [(e.username, e.detail.get("resident")) for e in SecurityEvent.objects.filter(kind=kind).order_by("id")]


def test_everyone_sees_a_person_masked(people: PeopleWorld):
    view = person_view(people.resident_a)
    number = people.resident_a.id_number
    assert (view.name, view.id_number, view.phone, view.birth_year, view.birth_date, view.masked) == (
        "张*",
        f"330921********{number[-4:]}",
        "138****8000",
        1980,
        None,
        True,
    )


def test_the_command_room_reveals_a_person_and_it_is_logged(world: TownWorld, people: PeopleWorld):
    view = reveal_person(user=world.operator, resident=people.resident_a)
    assert (view.name, view.id_number, view.phone, view.masked) == (
        "张三",
        people.resident_a.id_number,
        "13800138000",
        False,
    )
    assert _events(SecurityEventKind.PERSONAL_DATA_REVEALED) == [("operator", people.resident_a.pk)]


@pytest.mark.parametrize("persona", ["grid_worker_a", "village_staff_a", "handler_b", "resident"])
def test_others_may_not_reveal(world: TownWorld, people: PeopleWorld, persona: str):
    with pytest.raises(NotAllowed):
        reveal_person(user=getattr(world, persona), resident=people.resident_a)
    assert _events(SecurityEventKind.PERSONAL_DATA_REVEALED) == []


def test_a_handler_reveals_the_members_of_their_groups(world: TownWorld, people: PeopleWorld):
    assert reveal_person(user=world.handler_a, resident=people.resident_a).name == "张三"
    with pytest.raises(NotAllowed):  # resident B left 社区矫正
        reveal_person(user=world.handler_a, resident=people.resident_b)


def test_an_access_request_export_holds_the_whole_record(world: TownWorld, people: PeopleWorld):
    record = json.loads(json.dumps(export_person(user=world.leader, resident=people.resident_b)))
    assert record == {
        "resident": {
            "id": people.resident_b.pk,
            "name": "李四",
            "id_number": people.resident_b.id_number,
            "phone": "",
            "birth_date": "1990-02-02",
            "sex": "女",
            "kind": "户籍人口",
            "relation": "户主",
            "moved_out_on": None,
            "registered_at": MONDAY_0900.isoformat(),
        },
        "household": {"id": people.household_b.pk, "number": "B001"},
        "house": {"id": people.house_b.pk, "address": "火箭村2组5号", "village": "火箭村", "grid": "火箭村第1网格"},
        "memberships": [
            {"group": "社区矫正", "since": "2024-01-01", "until": "2025-06-30", "note": ""},
            {"group": "困难家庭", "since": "2026-03-01", "until": None, "note": ""},
        ],
    }
    assert _events(SecurityEventKind.PERSONAL_DATA_EXPORTED) == [("leader", people.resident_b.pk)]


def test_the_command_rooms_export_leaves_out_the_sensitive_groups(world: TownWorld, people: PeopleWorld):
    record = export_person(user=world.operator, resident=people.resident_b)
    assert [m["group"] for m in record["memberships"]] == ["困难家庭"]
    with pytest.raises(NotAllowed):
        export_person(user=world.grid_worker_b, resident=people.resident_b)


def _raw(resident: Resident) -> tuple[str, str, str, str, object]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, id_number, id_digest, phone, birth_date FROM people_resident WHERE id = %s", [resident.pk]
        )
        name, number, digest, phone, born = cursor.fetchone()
    return decrypt_text(name), number, digest, phone, born


def test_erasing_a_person_blanks_the_row_and_keeps_the_logs(world: TownWorld, people: PeopleWorld):
    case = world.report()  # a case they might have reported keeps its own (masked) copy and its audit chain
    reveal_person(user=world.operator, resident=people.resident_a)
    number = people.resident_a.id_number
    erase_person(user=world.operator, resident=people.resident_a, now=WORLD_NOW)
    assert _raw(people.resident_a) == ("已删除", "", "", "", None)
    erased = Resident.objects.get(pk=people.resident_a.pk)
    assert (erased.sex, erased.erased_at, erased.household) == (Sex.UNKNOWN, WORLD_NOW, people.household_a)
    assert list(GroupMembership.objects.filter(resident=erased).values_list("until", flat=True)) == [WORLD_TODAY]
    assert _events(SecurityEventKind.PERSONAL_DATA_REVEALED) == [("operator", erased.pk)]
    assert _events(SecurityEventKind.PERSONAL_DATA_ERASED) == [("operator", erased.pk)]
    assert person_view(erased).name == "已删除"
    assert erased in permissions.visible_residents(world.grid_worker_a)  # a placeholder, still in its household
    assert [broken for _case, broken in verify_chains(Case.objects.filter(pk=case.pk), check_files=False)] == [None]
    with pytest.raises(InvalidInput):
        erase_person(user=world.operator, resident=erased, now=WORLD_NOW)
    # the number is free again: the person may come back
    again = ResidentInput(household=people.household_b, name="张三", id_number=number, relation=Relation.OTHER)
    assert register_resident(actor=world.operator, data=again, now=MONDAY_0900).id_digest == blind_index(number)


@pytest.mark.parametrize("persona", ["leader", "grid_worker_a", "village_staff_a", "handler_a"])
def test_only_the_command_room_and_admins_erase(world: TownWorld, people: PeopleWorld, persona: str):
    with pytest.raises(NotAllowed):
        erase_person(user=getattr(world, persona), resident=people.resident_a, now=WORLD_NOW)
    assert _raw(people.resident_a)[0] == "张三"


def test_the_retention_purge_erases_who_moved_away_long_enough_ago(world: TownWorld, people: PeopleWorld):
    long_ago = WORLD_TODAY - timedelta(days=1096)
    move_out(actor=world.operator, resident=people.resident_a, on=long_ago, now=MONDAY_0900)
    move_out(actor=world.operator, resident=people.resident_b, on=WORLD_TODAY - timedelta(days=1095), now=MONDAY_0900)
    assert purge_moved_out(town=world.town, now=WORLD_NOW, keep_days=1095) == 1
    assert (_raw(people.resident_a)[0], _raw(people.resident_b)[0]) == ("已删除", "李四")
    assert _events(SecurityEventKind.PERSONAL_DATA_ERASED) == [("people-retention", people.resident_a.pk)]
    assert purge_moved_out(town=world.town, now=WORLD_NOW, keep_days=1095) == 0


def test_the_purge_command_reads_the_retention_setting(world: TownWorld, people: PeopleWorld, settings, capsys):
    settings.GRIDGOV_PEOPLE_RETENTION_DAYS = 30
    move_out(actor=world.operator, resident=people.resident_b, on=WORLD_TODAY - timedelta(days=31), now=MONDAY_0900)
    call_command("purge_moved_out")
    assert capsys.readouterr().out == "岱西镇：删除 1 人的个人信息（迁出超过 30 天）\n"
    assert _raw(people.resident_b)[0] == "已删除"


KEY_A = base64.urlsafe_b64encode(b"a" * 32).decode()
KEY_B = base64.urlsafe_b64encode(b"b" * 32).decode()


def test_rotating_the_field_key_rewrites_the_digests(world: TownWorld, settings, tmp_path: Path):
    settings.FIELD_KEY_CANARY_FILE = tmp_path / "canary.txt"
    settings.FIELD_ENCRYPTION_KEY = KEY_A
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    people = build_people(world)
    number = people.resident_a.id_number
    under_a = blind_index(number)
    settings.FIELD_ENCRYPTION_KEY = KEY_B
    settings.FIELD_ENCRYPTION_OLD_KEYS = [KEY_A]
    call_command("rotate_field_key")
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    under_b = blind_index(number)
    assert under_b != under_a
    assert _raw(people.resident_a)[2] == under_b
    again = ResidentInput(household=people.household_b, name="张三", id_number=number, relation=Relation.OTHER)
    with pytest.raises(InvalidInput) as error:  # still refused twice, found by the new digest
        register_resident(actor=world.operator, data=again, now=MONDAY_0900)
    assert error.value.field == "id_number"
