"""Excel import of 户籍/流动人口台账: households by 户号 with their head, houses by address, every bad row named in
Chinese by row and column, all or nothing, the same file twice writes nothing twice, scope per role, and the
personal data encrypted at rest and masked in the report."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import SecurityEvent
from gridgov.data.people.enums import GroupKind, Relation, ResidentKind, Sex
from gridgov.data.people.importers import RESIDENTS, ResidentRow
from gridgov.data.people.models import GroupMembership, House, Household, Resident
from gridgov.data.privacy import blind_index
from gridgov.data.sheets.framework import FailedAt, ImportReport, RowError, dry_run, import_sheet
from gridgov.data.sheets.models import ImportJob
from gridgov.types import CellValue
from tests.data.people.factories import make_group, make_house, make_household, make_resident, valid_id
from tests.factories import WORLD_TODAY, TownWorld, signed_in
from tests.sheets import import_context, workbook

HEADERS = ["户号", "与户主关系", "姓名", "身份证号", "联系电话", "人口类型", "村(社区)", "网格", "地址", "标签"]
HEAD_ID = valid_id("33092119800101123")
WIFE_ID = valid_id("33092119820304124")
TENANT_ID = valid_id("33092119950607135")
OTHER_ID = valid_id("33092119700809146")


def xlsx(rows: Sequence[Sequence[object]], headers: Sequence[object] = HEADERS) -> bytes:
    return workbook(headers, rows)


def masked(number: str) -> str:
    return number[:6] + "********" + number[-4:]


def _counts() -> tuple[int, int, int, int]:
    return (House.objects.count(), Household.objects.count(), Resident.objects.count(), GroupMembership.objects.count())


GOOD = [
    ["SH-001", "户主", "张大山", HEAD_ID, "138 0013 8000", "户籍", "双合村", "双合村第1网格", "双合村1组1号", ""],
    ["SH-001", "妻", "王小梅", WIFE_ID, "", "户籍人口", "双合村", "双合村第1网格", "双合村1组1号", ""],
    ["HJ-007", "租住人员", "陈流动", TENANT_ID, "13900001111", "流动", "火箭村", "", "火箭村2组7号", ""],
    ["HJ-008", "户主", "John Smith", "E12345678", "", "境外", "火箭村", "火箭村第1网格", "火箭村2组8号", ""],
]


def test_a_good_register_is_checked_then_imported_once(world: TownWorld):
    alone = make_group(world, code="alone", name="独居老人")
    content = xlsx([[*GOOD[0][:-1], "独居老人"], *GOOD[1:]])

    checked = dry_run(importer=RESIDENTS, content=content, ctx=import_context(world))
    assert (checked.errors, checked.valid, checked.skipped) == ([], 4, 0)
    assert _counts() == (0, 0, 0, 0)

    report = import_sheet(importer=RESIDENTS, content=content, ctx=import_context(world))
    assert (report.errors, report.imported) == ([], 4)
    assert set(House.objects.values_list("address", "village", "grid")) == {
        ("双合村1组1号", world.village_a.pk, world.grid_a.pk),
        ("火箭村2组7号", world.village_b.pk, None),
        ("火箭村2组8号", world.village_b.pk, world.grid_b.pk),
    }
    family = Household.objects.get(number="SH-001")
    assert family.house.address == "双合村1组1号"
    people = {r.name: r for r in Resident.objects.all()}
    assert {name: (r.household.number, r.relation, r.kind) for name, r in people.items()} == {
        "张大山": ("SH-001", Relation.HEAD, ResidentKind.REGISTERED),
        "王小梅": ("SH-001", Relation.SPOUSE, ResidentKind.REGISTERED),
        "陈流动": ("HJ-007", Relation.TENANT, ResidentKind.FLOATING),
        "John Smith": ("HJ-008", Relation.HEAD, ResidentKind.FOREIGN),
    }
    head = people["张大山"]
    assert (head.id_number, head.id_digest, head.phone) == (HEAD_ID, blind_index(HEAD_ID), "13800138000")
    assert (head.birth_date.isoformat(), head.sex) == ("1980-01-01", Sex.MALE)
    assert people["John Smith"].id_number == "E12345678"
    assert list(GroupMembership.objects.values_list("resident", "group", "since")) == [(head.pk, alone.pk, WORLD_TODAY)]

    again = import_sheet(importer=RESIDENTS, content=content, ctx=import_context(world))
    assert (again.errors, again.skipped, again.imported) == ([], 4, 0)
    assert _counts() == (3, 3, 4, 1)


def test_names_padded_to_line_up_are_kept_as_written_once(world: TownWorld):
    padded = [list(GOOD[0]), list(GOOD[1]), list(GOOD[3])]
    padded[0][2], padded[1][2], padded[2][2] = "张　大山", "　王 小 梅　", "John  Smith"
    report = import_sheet(importer=RESIDENTS, content=xlsx(padded), ctx=import_context(world))
    assert (report.errors, report.imported) == ([], 3)
    assert sorted(Resident.objects.values_list("name", flat=True)) == ["John Smith", "张大山", "王小梅"]
    again = import_sheet(importer=RESIDENTS, content=xlsx([GOOD[0], GOOD[1], GOOD[3]]), ctx=import_context(world))
    assert (again.errors, again.skipped, again.imported) == ([], 3, 0)


def test_rows_join_a_household_and_house_registered_before(world: TownWorld):
    house = make_house(world, village=world.village_a, grid=world.grid_a, address="双合村1组1号")
    household = make_household(world, house, number="SH-001")
    make_resident(world, household, name="张大山", id_number=HEAD_ID)
    report = import_sheet(importer=RESIDENTS, content=xlsx(GOOD[:2]), ctx=import_context(world))
    assert (report.errors, report.skipped, report.imported) == ([], 1, 1)
    assert Resident.objects.get(id_digest=blind_index(WIFE_ID)).household == household
    assert _counts() == (1, 1, 2, 0)


def _row(number: str, name: str, id_number: str, **changes: str) -> list[CellValue]:
    values = {
        "relation": "户主",
        "phone": "",
        "kind": "户籍",
        "village": "双合村",
        "grid": "双合村第1网格",
        "address": f"双合村{number}号",
        "tags": "",
        **changes,
    }
    return [
        number,
        values["relation"],
        name,
        id_number,
        values["phone"],
        values["kind"],
        values["village"],
        values["grid"],
        values["address"],
        values["tags"],
    ]


def test_each_bad_row_is_named_and_nothing_is_written(world: TownWorld):
    house = make_house(world, village=world.village_b, grid=None, address="火箭村1号")
    home = make_household(world, house, number="X1")
    make_resident(world, home, name="李已有", id_number=OTHER_ID)
    make_group(world, code="jiaozheng", name="社区矫正", kind=GroupKind.KEY, sensitive=True, department=world.dept_a)
    bad_check = HEAD_ID[:17] + ("0" if HEAD_ID[17] != "0" else "1")
    born = WORLD_TODAY + timedelta(days=30)
    unborn = valid_id(f"330921{born:%Y%m%d}123")
    rows = [
        _row("1", "好人", WIFE_ID),
        _row("2", "校验错", bad_check),
        _row("3", "未出生", unborn),
        _row("4", "无村", TENANT_ID, village="不存在村"),
        _row("5", "无网格", TENANT_ID, grid="第9网格"),
        _row("6", "串网格", TENANT_ID, grid="火箭村第1网格"),
        _row("7", "已登记", OTHER_ID),
        _row("8", "坏电话", TENANT_ID, phone="12-ab"),
        _row("9", "敏感", TENANT_ID, tags="社区矫正"),
    ]
    before = _counts()
    expected = [
        RowError(3, "身份证号", f"身份证号 {masked(bad_check)} 校验位不正确"),
        RowError(4, "身份证号", f"身份证号 {masked(unborn)} 中的出生日期晚于今天"),
        RowError(5, "村(社区)", "村社“不存在村”不存在，本镇的村社有：双合村、火箭村"),
        RowError(6, "网格", "找不到网格“第9网格”"),
        RowError(7, "网格", "网格“火箭村第1网格”不属于双合村"),
        RowError(8, "身份证号", f"证件号码 {masked(OTHER_ID)} 已在本镇其他户登记，同一人不能在两户"),
        RowError(9, "联系电话", "联系电话格式不正确"),
        RowError(10, "标签", "人员类别“社区矫正”不存在或您无权标注"),
    ]
    checked = dry_run(importer=RESIDENTS, content=xlsx(rows), ctx=import_context(world))
    assert (checked.errors, checked.valid) == (expected, 1)
    report = import_sheet(importer=RESIDENTS, content=xlsx(rows), ctx=import_context(world))
    assert (report.errors, report.imported) == (expected, 0)
    assert _counts() == before


def test_rows_checked_together_one_person_one_household_one_head(world: TownWorld):
    rows = [
        _row("1", "甲", HEAD_ID),
        _row("1", "甲的别名", HEAD_ID, relation="子女"),
        _row("2", "乙", WIFE_ID),
        _row("3", "乙在别户", WIFE_ID),
        _row("4", "丙", TENANT_ID),
        _row("4", "丁", OTHER_ID),
    ]
    two_homes = f"证件号码 {masked(WIFE_ID)} 在本表中登记在两户（户号 2、3），同一人只能在一户"
    expected = [
        RowError(2, "身份证号", f"证件号码 {masked(HEAD_ID)} 在本表中重复出现"),
        RowError(3, "身份证号", f"证件号码 {masked(HEAD_ID)} 在本表中重复出现"),
        RowError(4, "身份证号", two_homes),
        RowError(5, "身份证号", two_homes),
        RowError(6, "与户主关系", "户号 4 在本表中有多个户主"),
        RowError(7, "与户主关系", "户号 4 在本表中有多个户主"),
    ]
    checked = dry_run(importer=RESIDENTS, content=xlsx(rows), ctx=import_context(world))
    assert checked.errors == expected
    report = import_sheet(importer=RESIDENTS, content=xlsx(rows), ctx=import_context(world))
    assert (report.errors, report.imported, _counts()) == (expected, 0, (0, 0, 0, 0))


def test_the_same_row_twice_is_a_duplicate(world: TownWorld):
    report = import_sheet(importer=RESIDENTS, content=xlsx([GOOD[0], GOOD[0]]), ctx=import_context(world))
    assert (report.errors, _counts()) == ([RowError(3, "", "与第2行重复")], (0, 0, 0, 0))


def test_a_village_s_staff_import_into_their_village_only(world: TownWorld):
    assert RESIDENTS.allowed(world.village_staff_a)
    assert not RESIDENTS.allowed(world.handler_a)
    assert not RESIDENTS.allowed(world.grid_worker_a)
    assert RESIDENTS.allowed(world.operator)
    assert RESIDENTS.allowed(world.admin)
    assert not RESIDENTS.allowed(world.resident)
    ctx = import_context(world, world.village_staff_a)
    report = import_sheet(importer=RESIDENTS, content=xlsx(GOOD[:3]), ctx=ctx)
    assert (report.errors, _counts()) == ([RowError(4, "村(社区)", "您无权在火箭村登记人员")], (0, 0, 0, 0))
    own = import_sheet(importer=RESIDENTS, content=xlsx(GOOD[:2]), ctx=ctx)
    assert (own.errors, own.imported) == ([], 2)


def test_a_village_s_staff_are_not_told_where_a_number_of_another_village_is_and_the_attempt_is_logged(
    world: TownWorld,
):
    house = make_house(world, village=world.village_b, grid=None, address="火箭村1号")
    holder = make_resident(world, make_household(world, house, number="X1"), name="李已有", id_number=OTHER_ID)
    ctx = import_context(world, world.village_staff_a)
    checked = dry_run(importer=RESIDENTS, content=xlsx([_row("1", "李已有", OTHER_ID)]), ctx=ctx)
    refusal = (
        f"证件号码 {masked(OTHER_ID)} 不能在此登记：同一人在本镇只能登记一次。如此人确住在这里，请联系镇综合信息指挥室"
        "或其所在村（社区）核实后办理迁入；本次登记已记录备查。"
    )
    assert checked.errors == [RowError(2, "身份证号", refusal)]
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user, event.detail) == (
        SecurityEventKind.PERSON_REGISTERED_ELSEWHERE,
        world.village_staff_a,
        {"holder": holder.pk, "town": world.town.pk, "via": "import", "number": masked(OTHER_ID)},
    )
    # The command room, who sees every household, is told as before, and nothing is logged for it.
    operator = dry_run(importer=RESIDENTS, content=xlsx([_row("1", "李已有", OTHER_ID)]), ctx=import_context(world))
    taken = f"证件号码 {masked(OTHER_ID)} 已在本镇其他户登记，同一人不能在两户"
    assert (operator.errors, SecurityEvent.objects.count()) == ([RowError(2, "身份证号", taken)], 1)


def test_a_sensitive_tag_is_imported_by_who_sees_the_group(world: TownWorld):
    corrections = make_group(
        world, code="jiaozheng", name="社区矫正", kind=GroupKind.KEY, sensitive=True, department=world.dept_a
    )
    row = _row("1", "矫正对象", HEAD_ID, tags="社区矫正")
    refused = import_sheet(importer=RESIDENTS, content=xlsx([row]), ctx=import_context(world, world.grid_worker_a))
    assert refused.errors == [RowError(2, "标签", "人员类别“社区矫正”不存在或您无权标注")]
    report = import_sheet(importer=RESIDENTS, content=xlsx([row]), ctx=import_context(world, world.admin))
    assert (report.errors, list(GroupMembership.objects.values_list("group", flat=True))) == ([], [corrections.pk])


def test_personal_data_is_encrypted_at_rest(world: TownWorld):
    report = import_sheet(importer=RESIDENTS, content=xlsx(GOOD[:1]), ctx=import_context(world))
    assert report.imported == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, id_number, phone FROM people_resident")
        stored = cursor.fetchall()
    assert len(stored) == 1
    name, id_number, phone = stored[0]
    assert "张大山" not in name
    assert HEAD_ID not in id_number
    assert "13800138000" not in phone
    assert Resident.objects.get().name == "张大山"


def test_the_report_page_masks_the_id_number(world: TownWorld, django_capture_on_commit_callbacks):
    make_resident(
        world,
        make_household(world, make_house(world, village=world.village_b, grid=None, address="火箭村1号"), number="X1"),
        name="李已有",
        id_number=HEAD_ID,
    )
    client = signed_in(world.operator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:upload", args=[RESIDENTS.name]),
            {"file": SimpleUploadedFile("人口.xlsx", xlsx(GOOD[:1]))},
        )
    job = ImportJob.objects.get()
    report = ImportReport.from_dict(job.report or {})
    taken = f"证件号码 {masked(HEAD_ID)} 已在本镇其他户登记，同一人不能在两户"
    assert report.errors == [RowError(2, "身份证号", taken)]
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert masked(HEAD_ID) in html
    assert HEAD_ID not in html


def test_the_template_workbook_names_the_columns(world: TownWorld):
    from openpyxl import load_workbook

    response = signed_in(world.operator).get(reverse("imports:template", args=[RESIDENTS.name]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [str(cell).replace("*", "") for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    for header in ("户号", "姓名", "身份证号", "村(社区)", "地址", "标签"):
        assert header in headers


def test_a_village_s_staff_check_their_register_through_the_import_pages(
    world: TownWorld, django_capture_on_commit_callbacks
):
    client = signed_in(world.village_staff_a)
    assert "户籍/流动人口台账（实有人口）" in client.get(reverse("imports:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:upload", args=[RESIDENTS.name]),
            {"file": SimpleUploadedFile("人口.xlsx", xlsx(GOOD[:2]))},
        )
    job = ImportJob.objects.get()
    report = ImportReport.from_dict(job.report or {})
    assert (job.town, report.errors, report.valid, _counts()) == (world.town, [], 2, (0, 0, 0, 0))


def _parsed(world: TownWorld, rows: list[list[CellValue]]) -> list[ResidentRow]:
    """The rows as the dry run checked them (``parse_row`` by column key)."""
    keys = [column.key for column in RESIDENTS.columns if column.key != "is_head"]
    ctx = import_context(world)
    return [RESIDENTS.parse_row(dict(zip(keys, row, strict=True)), ctx=ctx) for row in rows]


def test_the_write_is_a_few_bulk_inserts_whatever_the_number_of_rows(world: TownWorld, django_assert_num_queries):
    few = _parsed(world, [_row(str(n), f"人{n}", valid_id(f"33092119800101{n:03d}")) for n in range(3)])
    many = _parsed(world, [_row(str(n), f"人{n}", valid_id(f"33092119800101{n:03d}")) for n in range(3, 12)])
    with django_assert_num_queries(5):  # savepoint, houses, households, residents, release
        assert RESIDENTS.apply_all(few, ctx=import_context(world)) is True
    with django_assert_num_queries(5):
        assert RESIDENTS.apply_all(many, ctx=import_context(world)) is True
    assert _counts() == (12, 12, 12, 0)


def test_a_number_registered_at_another_desk_meanwhile_fails_its_row_and_writes_nothing(world: TownWorld):
    checked = _parsed(world, [_row("1", "甲", WIFE_ID), _row("2", "乙", HEAD_ID)])
    house = make_house(world, village=world.village_b, grid=None, address="火箭村1号")
    make_resident(world, make_household(world, house, number="X1"), name="李已有", id_number=HEAD_ID)
    with pytest.raises(FailedAt) as failed:
        RESIDENTS.apply_all(checked, ctx=import_context(world))
    taken = f"证件号码 {masked(HEAD_ID)} 已在本镇其他户登记，同一人不能在两户"
    assert [(index, error.column, error.message) for index, error in failed.value.failures] == [(1, "id_number", taken)]
    assert _counts() == (1, 1, 1, 0)
