"""The people register's pages (实有人口、实有房屋): who sees which list and page, masking everywhere (list, page,
Excel), the logged reveal, sensitive groups kept from the command room, forms keeping what was typed, groups and
moving out, the person's export and erasure, and query counts that do not grow with the rows."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import SecurityEvent, User
from gridgov.data.people.enums import Relation
from gridgov.data.people.models import House, Household, Resident
from gridgov.data.privacy import mask_id_number
from tests.data.people.factories import PeopleWorld, build_people, make_house, make_household, make_resident, valid_id
from tests.factories import TownWorld, signed_in
from tests.ui.test_english_pages import _data_names, chinese_left

ID_A = valid_id("33092119800101123")
ID_B = valid_id("33092119900202234")
PLAIN = ("张三", "李四", ID_A, ID_B, "13800138000")


@pytest.fixture
def people(world: TownWorld) -> PeopleWorld:
    return build_people(world)


def _user(world: TownWorld, name: str) -> User:
    user: User = getattr(world, name)
    return user


def _sheet(content: bytes) -> list[tuple[object, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


# persona → the houses and residents they see, by letter (as people.scope says)
SEES = {
    "operator": "ab",
    "leader": "ab",
    "admin": "ab",
    "village_staff_a": "a",
    "village_staff_b": "b",
    "grid_worker_a": "a",
    "grid_worker_b": "b",
    "handler_a": "a",
    "handler_b": "b",
}


@pytest.mark.parametrize(("persona", "letters"), SEES.items())
def test_lists_and_pages_per_role(world: TownWorld, people: PeopleWorld, persona: str, letters: str) -> None:
    client = signed_in(_user(world, persona))
    residents = client.get(reverse("ledgers:residents")).text
    houses = client.get(reverse("ledgers:houses")).text
    assert ("张*" in residents, "李*" in residents) == ("a" in letters, "b" in letters)
    assert ("双合村1组1号" in houses, "火箭村2组5号" in houses) == ("a" in letters, "b" in letters)
    pages = {
        "a": (people.house_a.pk, people.household_a.pk, people.resident_a.pk),
        "b": (people.house_b.pk, people.household_b.pk, people.resident_b.pk),
    }
    for letter, (house, household, resident) in pages.items():
        codes = [
            client.get(reverse("ledgers:house", args=[house])).status_code,
            client.get(reverse("ledgers:household", args=[household])).status_code,
            client.get(reverse("ledgers:resident", args=[resident])).status_code,
        ]
        assert codes == ([200] * 3 if letter in letters else [404] * 3)


@pytest.mark.parametrize("persona", ["enterprise", "resident"])
def test_enterprise_and_resident_users_are_refused(world: TownWorld, people: PeopleWorld, persona: str) -> None:
    client = signed_in(_user(world, persona))
    codes = [
        client.get(reverse("ledgers:residents")).status_code,
        client.get(reverse("ledgers:houses")).status_code,
        client.get(reverse("ledgers:residents_export")).status_code,
        client.get(reverse("ledgers:resident", args=[people.resident_a.pk])).status_code,
        client.get(reverse("ledgers:house", args=[people.house_a.pk])).status_code,
    ]
    assert codes == [403] * 5


@pytest.mark.parametrize(
    ("persona", "linked"), [("grid_worker_a", True), ("handler_b", True), ("leader", True), ("enterprise", False)]
)
def test_civic_ledgers_link_the_register_for_staff(world: TownWorld, persona: str, linked: bool) -> None:
    page = signed_in(_user(world, persona)).get(reverse("ledgers:index")).text
    assert (f'href="{reverse("ledgers:residents")}"' in page) == linked


def test_names_ids_phones_masked_on_list_page_and_exports(world: TownWorld, people: PeopleWorld) -> None:
    client = signed_in(world.leader)
    listing = client.get(reverse("ledgers:residents")).text
    page = client.get(reverse("ledgers:resident", args=[people.resident_a.pk])).text
    house = client.get(reverse("ledgers:house", args=[people.house_a.pk])).text
    household = client.get(reverse("ledgers:household", args=[people.household_a.pk])).text
    for text in (listing, page, house, household):
        assert [p for p in PLAIN if p in text] == []
    assert ("张*" in listing, "330921********" + ID_A[-4:] in listing, "138****8000" in listing) == (True, True, True)
    assert ("330921********" + ID_A[-4:] in page, "138****8000" in page, "1980年" in page) == (True, True, True)
    rows = _sheet(client.get(reverse("ledgers:residents_export")).content)
    assert [r[:3] for r in rows[1:]] == [
        ("张*", "330921********" + ID_A[-4:], "138****8000"),
        ("李*", "330921********" + ID_B[-4:], None),
    ]
    assert [p for p in PLAIN if p in repr(rows)] == []
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_REVEALED).exists()


def test_reveal_shows_plain_values_once_and_is_logged(world: TownWorld, people: PeopleWorld) -> None:
    client = signed_in(world.operator)
    url = reverse("ledgers:resident", args=[people.resident_a.pk])
    assert 'id="reveal"' in client.get(url).text
    revealed = client.post(reverse("ledgers:resident_reveal", args=[people.resident_a.pk])).text
    assert ("张三" in revealed, ID_A in revealed, "13800138000" in revealed, "1980年1月1日" in revealed) == (
        True,
        True,
        True,
        True,
    )
    events = SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_REVEALED)
    assert [(e.user_id, e.detail["resident"]) for e in events] == [(world.operator.pk, people.resident_a.pk)]
    assert "张三" not in client.get(url).text  # once: the next visit is masked again


def test_reveal_refused_for_grid_worker(world: TownWorld, people: PeopleWorld) -> None:
    client = signed_in(world.grid_worker_a)
    page = client.get(reverse("ledgers:resident", args=[people.resident_a.pk])).text
    answer = client.post(reverse("ledgers:resident_reveal", args=[people.resident_a.pk]))
    assert ('id="reveal"' in page, answer.status_code, "张三" in answer.text) == (False, 403, False)
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_REVEALED).exists()


def test_sensitive_groups_hidden_from_command_room(world: TownWorld, people: PeopleWorld) -> None:
    operator = signed_in(world.operator)
    listing = operator.get(reverse("ledgers:residents")).text
    page = operator.get(reverse("ledgers:resident", args=[people.resident_a.pk])).text
    export = repr(_sheet(operator.get(reverse("ledgers:residents_export")).content))
    assert ["社区矫正" in t for t in (listing, page, export)] == [False, False, False]
    assert "困难家庭" in listing
    # the sensitive group's id typed into the filter is no choice: it narrows nothing down to its members
    filtered = operator.get(reverse("ledgers:residents"), {"group": people.corrections.pk}).text
    assert ("张*" in filtered, "李*" in filtered) == (True, True)
    leader = signed_in(world.leader).get(reverse("ledgers:residents"), {"group": people.corrections.pk}).text
    assert ("社区矫正" in leader, "张*" in leader, "李*" in leader) == (True, True, False)
    page = signed_in(world.leader).get(reverse("ledgers:resident", args=[people.resident_b.pk])).text
    table = page[page.index('id="memberships"') :]
    assert table.index("困难家庭") < table.index("社区矫正")  # the open membership first, the ended one after


def test_filters_and_find_by_id_number(world: TownWorld, people: PeopleWorld) -> None:
    client = signed_in(world.operator)
    url = reverse("ledgers:residents")
    spaced = f"{ID_B[:6]} {ID_B[6:14]} {ID_B[14:].lower()}"
    found = client.post(url, {"id_number": spaced}).text
    assert ("张*" in found, "李*" in found, 'id="searched"' in found, ID_B[6:14] in found) == (False, True, True, False)
    assert "李*" not in client.post(url, {"id_number": ID_A}).text
    by_village = client.get(url, {"village": world.village_a.pk}, headers={"HX-Request": "true"}).text
    assert ("张*" in by_village, "李*" in by_village, "<h1>" in by_village) == (True, False, False)
    by_group = client.get(url, {"group": people.care.pk}).text
    assert ("张*" in by_group, "李*" in by_group) == (False, True)
    houses = _sheet(client.get(reverse("ledgers:houses_export"), {"village": world.village_b.pk}).content)
    assert [r[:7] for r in houses[1:]] == [("火箭村2组5号", world.village_b.name, world.grid_b.name, "自住", 1, 1, 1)]


def test_house_form_keeps_input_and_names_the_field(world: TownWorld, people: PeopleWorld) -> None:
    client = signed_in(world.village_staff_a)
    form = {"village": world.village_a.pk, "grid": "", "address": "双合村1组1号", "use": "rented", "rooms": "3"}
    bad = client.post(reverse("ledgers:house_new"), form).text
    assert 'id="address-errors"><li>标准地址“双合村1组1号”已登记' in bad
    assert ('value="双合村1组1号"' in bad, '<option value="rented" selected>' in bad) == (True, True)
    elsewhere = client.post(reverse("ledgers:house_new"), {**form, "village": world.village_b.pk, "address": "x"})
    assert ('id="village-errors"' in elsewhere.text, House.objects.filter(address="x").exists()) == (True, False)
    # Too few or too many rooms: the domain's words, the same as an import's, whichever end is crossed.
    rooms = [
        client.post(reverse("ledgers:house_new"), {**form, "address": "双合村1组8号", "rooms": n}).text
        for n in (0, 10000)
    ]
    assert ['id="rooms-errors"><li>间数应在 1 到 9999 之间' in page for page in rooms] == [True, True]
    good = client.post(reverse("ledgers:house_new"), {**form, "address": "双合村1组9号"})
    house = House.objects.get(address="双合村1组9号")
    assert (good["Location"], house.use, house.rooms) == (reverse("ledgers:house", args=[house.pk]), "rented", 3)
    edit = client.post(reverse("ledgers:house_edit", args=[house.pk]), {**form, "address": "双合村1组10号"})
    house.refresh_from_db()
    assert (edit.status_code, house.address) == (302, "双合村1组10号")
    assert signed_in(world.grid_worker_b).get(reverse("ledgers:house_edit", args=[house.pk])).status_code == 404


def _offered(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, name
    return re.findall(r'<option value="(\d+)"', select.group(1))


@pytest.mark.parametrize(
    ("persona", "villages", "grids", "preset"),
    [
        ("operator", ["village_a", "village_b"], ["grid_a", "grid_b"], []),
        ("village_staff_a", ["village_a"], ["grid_a"], ["village_a"]),  # the village itself, or one of its grids
        ("grid_worker_b", ["village_b"], ["grid_b"], ["village_b", "grid_b"]),
    ],
)
def test_house_form_offers_only_the_places_the_user_may_register_in(
    world: TownWorld, people: PeopleWorld, persona: str, villages: list[str], grids: list[str], preset: list[str]
) -> None:
    page = signed_in(_user(world, persona)).get(reverse("ledgers:house_new")).text
    pk = {name: str(getattr(world, name).pk) for name in ("village_a", "village_b", "grid_a", "grid_b")}
    assert (_offered(page, "village"), _offered(page, "grid")) == ([pk[v] for v in villages], [pk[g] for g in grids])
    selected = re.findall(r'<option value="(\d+)" selected>', page)
    assert selected == [pk[p] for p in preset]  # a single place is chosen already


def test_household_from_house_page_then_resident_form_errors(world: TownWorld, people: PeopleWorld) -> None:
    client = signed_in(world.grid_worker_a)
    duplicate = client.post(reverse("ledgers:house", args=[people.house_a.pk]), {"number": "A001", "note": ""})
    assert 'id="number-errors"><li>户号 A001 已存在' in duplicate.text
    made = client.post(reverse("ledgers:house", args=[people.house_a.pk]), {"number": "A002", "note": "租户"})
    household = Household.objects.get(number="A002")
    assert made["Location"] == reverse("ledgers:household", args=[household.pk])

    url = reverse("ledgers:household", args=[household.pk])
    wrong = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")  # a check digit that does not match
    form = {"name": "王五", "id_number": wrong, "phone": "13900001111"}
    form |= {"kind": "floating", "relation": "tenant", "birth_date": "", "sex": ""}
    bad = client.post(url, form).text
    assert f'id="id_number-errors"><li>身份证号 {mask_id_number(wrong)} 校验位不正确' in bad
    assert ('value="王五"' in bad, '<option value="floating" selected>' in bad) == (True, True)
    taken = client.post(url, {**form, "id_number": ID_A}).text
    assert f"证件号码 330921********{ID_A[-4:]} 已登记在户 A001（双合村1组1号），同一人不能登记两次" in taken
    assert Resident.objects.filter(household=household).count() == 0
    new_id = valid_id("33092120000303345")
    good = client.post(url, {**form, "id_number": new_id})
    resident = Resident.objects.get(household=household)
    assert (good["Location"], resident.name, resident.kind) == (
        reverse("ledgers:resident", args=[resident.pk]),
        "王五",
        "floating",
    )
    page = client.get(url).text
    assert ("王*" in page, "王五" not in page) == (True, True)
    edit = reverse("ledgers:household_edit", args=[household.pk])
    taken = client.post(edit, {"number": "A001", "note": "租户"}).text
    assert ('id="number-errors"><li>户号 A001 已存在' in taken, 'value="租户"' in taken) == (True, True)
    assert client.post(edit, {"number": "A003", "note": ""}).status_code == 302
    assert Household.objects.get(pk=household.pk).number == "A003"


def test_household_page_lists_the_head_first(world: TownWorld, people: PeopleWorld) -> None:
    make_resident(world, people.household_a, name="张小三", relation=Relation.CHILD)
    page = signed_in(world.village_staff_a).get(reverse("ledgers:household", args=[people.household_a.pk])).text
    assert page.index("张*") < page.index("张**")
    assert signed_in(world.handler_b).get(reverse("ledgers:household", args=[people.household_a.pk])).status_code == 404


def test_join_and_end_group_and_move_out(world: TownWorld, people: PeopleWorld) -> None:
    client = signed_in(world.grid_worker_b)
    today = timezone.localdate()
    resident = people.resident_b
    form = client.get(reverse("ledgers:resident", args=[resident.pk])).text
    dated = [f'value="{today.isoformat()}" required id="id_{name}"' in form for name in ("since", "day")]
    assert dated == [True, True]  # today, as <input type="date"> reads it
    joined = client.post(
        reverse("ledgers:resident_join", args=[resident.pk]), {"group": people.care.pk, "since": today.isoformat()}
    )
    assert "该人员已在“困难家庭”中" in joined.text
    ended = client.post(
        reverse("ledgers:membership_end", args=[resident.pk, people.care_b.pk]), {"day": today.isoformat()}
    )
    people.care_b.refresh_from_db()
    assert (ended.status_code, people.care_b.until) == (302, today)
    moved = client.post(reverse("ledgers:resident_move_out", args=[resident.pk]), {"day": today.isoformat()})
    resident.refresh_from_db()
    assert (moved.status_code, resident.moved_out_on) == (302, today)
    assert "李*" not in client.get(reverse("ledgers:residents")).text
    assert "李*" in client.get(reverse("ledgers:residents"), {"living": "all"}).text
    day = f"{today.year}年{today.month}月{today.day}日"
    assert day in client.get(reverse("ledgers:resident", args=[resident.pk])).text


def test_personal_data_export_logged_and_refused_for_grid_worker(world: TownWorld, people: PeopleWorld) -> None:
    url = reverse("ledgers:resident_export", args=[people.resident_a.pk])
    assert signed_in(world.grid_worker_a).post(url).status_code == 403
    leader = signed_in(world.leader)
    record = json.loads(leader.post(url, {"format": "json"}).content)
    assert (record["resident"]["name"], record["resident"]["id_number"], record["house"]["address"]) == (
        "张三",
        ID_A,
        "双合村1组1号",
    )
    assert [m["group"] for m in record["memberships"]] == ["社区矫正"]
    rows = _sheet(leader.post(url, {"format": "xlsx"}).content)
    assert (rows[:4], ("人员类别 1", "社区矫正") in rows) == (
        [("项目", "内容"), ("人员编号", str(people.resident_a.pk)), ("姓名", "张三"), ("证件号码", ID_A)],
        True,
    )
    events = SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_EXPORTED)
    assert [e.user_id for e in events] == [world.leader.pk, world.leader.pk]


def test_erase_flow(world: TownWorld, people: PeopleWorld) -> None:
    url = reverse("ledgers:resident_erase", args=[people.resident_a.pk])
    assert signed_in(world.grid_worker_a).get(url).status_code == 403
    client = signed_in(world.operator)
    confirm = client.get(url)
    assert ('id="erase-form"' in confirm.text, Resident.objects.get(pk=people.resident_a.pk).erased_at) == (
        True,
        None,
    )
    done = client.post(url, {"confirm": "yes"})
    assert done["Location"] == reverse("ledgers:resident", args=[people.resident_a.pk])
    page = client.get(reverse("ledgers:resident", args=[people.resident_a.pk])).text
    assert ("已删除" in page, 'id="erased"' in page, 'id="reveal"' in page) == (True, True, False)
    resident = Resident.objects.get(pk=people.resident_a.pk)
    assert (resident.name, resident.id_number, resident.phone, resident.id_digest) == ("已删除", "", "", "")
    events = SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_ERASED)
    assert [(e.user_id, e.detail["resident"]) for e in events] == [(world.operator.pk, people.resident_a.pk)]
    edit = reverse("ledgers:resident_edit", args=[people.resident_a.pk])
    refused = [client.get(edit), client.post(edit, {"kind": "registered", "relation": "head"})]
    reasons = [re.search(r'id="forbidden-reason">([^<]*)<', r.text) for r in refused]
    assert [(r.status_code, m.group(1) if m else "") for r, m in zip(refused, reasons, strict=True)] == [
        (403, "该人员的个人信息已删除，不能修改"),
        (403, "该人员的个人信息已删除，不能修改"),
    ]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["operator", "grid_worker_a", "handler_b"])
def test_list_query_counts_do_not_grow_with_rows(
    world: TownWorld, people: PeopleWorld, persona: str, django_assert_num_queries
) -> None:
    client = signed_in(_user(world, persona))
    residents, houses = reverse("ledgers:residents"), reverse("ledgers:houses")
    before = (_count(client, residents), _count(client, houses))
    for n in range(6):
        house = make_house(world, village=world.village_a, grid=world.grid_a, address=f"双合村3组{n}号")
        household = make_household(world, house)
        make_resident(world, household, name=f"赵{n}", phone="13700000000")
        make_resident(world, household, name=f"钱{n}", relation=Relation.SPOUSE)
    with django_assert_num_queries(before[0]):
        client.get(residents)
    with django_assert_num_queries(before[1]):
        client.get(houses)


@pytest.mark.parametrize("persona", ["leader", "handler_a"])
def test_readers_who_do_not_write_get_no_forms(world: TownWorld, people: PeopleWorld, persona: str) -> None:
    client = signed_in(_user(world, persona))
    house = client.get(reverse("ledgers:house", args=[people.house_a.pk])).text
    household = client.get(reverse("ledgers:household", args=[people.household_a.pk])).text
    resident = client.get(reverse("ledgers:resident", args=[people.resident_a.pk])).text
    shown = [
        'id="house-edit"' in house,
        'id="household-form"' in house,
        'id="resident-form"' in household,
        'id="household-edit"' in household,
        'id="resident-edit"' in resident,
        'id="join-form"' in resident,
        'id="move-out-form"' in resident,
        'id="reveal"' in resident,
    ]
    assert shown == [False, False, False, False, False, False, False, True]
    codes = [
        client.get(reverse("ledgers:house_new")).status_code,
        client.post(reverse("ledgers:house", args=[people.house_a.pk]), {"number": "A009"}).status_code,
        client.post(reverse("ledgers:household", args=[people.household_a.pk]), {"name": "王五"}).status_code,
        client.get(reverse("ledgers:house_edit", args=[people.house_a.pk])).status_code,
    ]
    assert codes == [403, 403, 403, 403]
    assert Household.objects.filter(number="A009").exists() is False


def test_house_counts_are_what_the_reader_sees(world: TownWorld, people: PeopleWorld) -> None:
    make_resident(world, people.household_b, name="李小四", relation=Relation.CHILD)
    make_resident(world, make_household(world, people.house_b), name="周五")
    counts = {}
    for persona in ("operator", "handler_b"):
        client = signed_in(_user(world, persona))
        rows = _sheet(client.get(reverse("ledgers:houses_export"), {"village": world.village_b.pk}).content)
        counts[persona] = [(r[0], r[5], r[6]) for r in rows[1:]]
    assert counts == {"operator": [("火箭村2组5号", 2, 3)], "handler_b": [("火箭村2组5号", 1, 1)]}


def test_pages_read_in_english(world: TownWorld, people: PeopleWorld) -> None:
    client = signed_in(world.admin)
    client.cookies["django_language"] = "en"
    addresses = House.objects.values_list("address", flat=True)
    names = sorted([*_data_names(), *addresses, "困难家庭", "社区矫正"], key=len, reverse=True)
    urls = [
        reverse("ledgers:residents"),
        reverse("ledgers:houses"),
        reverse("ledgers:house_new"),
        reverse("ledgers:house", args=[people.house_a.pk]),
        reverse("ledgers:house_edit", args=[people.house_a.pk]),
        reverse("ledgers:household", args=[people.household_a.pk]),
        reverse("ledgers:resident", args=[people.resident_b.pk]),
        reverse("ledgers:resident_erase", args=[people.resident_b.pk]),
        reverse("ledgers:resident_edit", args=[people.resident_b.pk]),
        reverse("ledgers:household_edit", args=[people.household_a.pk]),
    ]
    left = {url: chinese_left(client.get(url).text, names) for url in urls}
    assert {url: found for url, found in left.items() if found} == {}


def test_resident_edit_never_shows_stored_values_and_blank_keeps_them(world: TownWorld, people: PeopleWorld) -> None:
    client = signed_in(world.grid_worker_a)
    url = reverse("ledgers:resident_edit", args=[people.resident_a.pk])
    page = client.get(url).text
    assert [p for p in PLAIN if p in page] == []
    assert ('placeholder="张*"' in page, 'placeholder="138****8000"' in page) == (True, True)
    form = {"name": "", "id_number": "", "phone": "12", "kind": "registered", "relation": "head"}
    bad = client.post(url, form).text
    assert 'id="phone-errors"><li>联系电话格式不正确' in bad
    good = client.post(url, {**form, "phone": "139 0000 2222"})
    resident = Resident.objects.get(pk=people.resident_a.pk)
    assert (good.status_code, resident.name, resident.id_number, resident.phone) == (302, "张三", ID_A, "13900002222")
    assert signed_in(world.grid_worker_b).get(url).status_code == 404
    assert signed_in(world.leader).get(url).status_code == 403


def test_a_reader_is_refused_the_edit_pages_with_the_domain_reason(world: TownWorld, people: PeopleWorld) -> None:
    """A leader reads the register but does not write it: the edit pages and a posted household or resident are
    the 403 page with the register's own reason."""
    leader = signed_in(world.leader)
    house, household = people.house_a.pk, people.household_a.pk
    refused = [
        leader.get(reverse("ledgers:house_edit", args=[house])),
        leader.post(reverse("ledgers:house", args=[house]), {"number": "A009", "note": ""}),
        leader.get(reverse("ledgers:household_edit", args=[household])),
        leader.post(reverse("ledgers:household", args=[household]), {"name": "李四"}),
        leader.get(reverse("ledgers:resident_edit", args=[people.resident_a.pk])),
    ]
    reasons = [re.search(r'id="forbidden-reason">([^<]*)<', r.text) for r in refused]
    assert [(r.status_code, m.group(1) if m else "") for r, m in zip(refused, reasons, strict=True)] == [
        (403, "您无权修改该房屋的信息"),
        (403, "您无权修改该房屋的信息"),
        (403, "您无权修改该户的信息"),
        (403, "您无权修改该户的信息"),
        (403, "您无权修改该人员的信息"),
    ]
