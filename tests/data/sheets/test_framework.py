from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from gridgov.data.errors import InvalidInput
from gridgov.data.org.models import Department
from gridgov.data.sheets import cells
from gridgov.data.sheets.framework import ImportContext, RowError, RowInvalid, dry_run, import_sheet
from gridgov.data.sheets.workbooks import template_workbook, workbook
from tests.data.sheets.importers import DEPARTMENTS
from tests.factories import MONDAY_0900, TownWorld


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = ["编码", "名称", "类型", "所属村", "预算", "成立日期"]


def ctx(world: TownWorld) -> ImportContext:
    return ImportContext(town=world.town, user=world.admin, now=MONDAY_0900)


def codes(world: TownWorld) -> set[str]:
    return set(Department.objects.filter(town=world.town).values_list("code", flat=True))


def test_good_file_imports_every_row_and_reimport_creates_nothing(world: TownWorld) -> None:
    before = codes(world)
    content = xlsx(
        [
            ["部门导入表"],  # a title row above the header is tolerated
            HEADER,
            ["T1", "测试站", "站所", None, "1,200.5", "2026-01-05"],
            [None, None, None, None, None, None],  # blank rows are ignored
            ["T2", "测试村委", "村（社区）委员会", world.village_a.name, "3万元", datetime(2025, 3, 1)],
        ]
    )
    steps: list[tuple[int, int]] = []
    report = import_sheet(
        importer=DEPARTMENTS, content=content, ctx=ctx(world), progress=lambda d, t, m: steps.append((d, t))
    )
    assert (report.total, report.valid, report.skipped, report.imported, report.errors) == (2, 2, 0, 2, [])
    assert codes(world) - before == {"T1", "T2"}
    assert Department.objects.get(town=world.town, code="T2").area == world.village_a
    assert steps[-1] == (2, 2)

    again = import_sheet(importer=DEPARTMENTS, content=content, ctx=ctx(world))
    assert (again.total, again.valid, again.skipped, again.imported, again.errors) == (2, 2, 2, 0, [])
    assert codes(world) - before == {"T1", "T2"}


def test_bad_rows_are_all_reported_and_nothing_is_written(world: TownWorld) -> None:
    before = codes(world)
    content = xlsx(
        [
            HEADER,
            ["G1", "好的一行", "站所", None, None, None],
            ["B1", "负预算", "站所", None, "-5", None],
            ["B2", "无此村", "村（社区）委员会", "火星村", None, None],
            ["B3", "坏日期", "站所", None, None, "2026-02-30"],
            [None, "缺编码", "站所", None, None, None],
            ["G1", "重复", "站所", None, None, None],
            ["B4", "类型错", "银行", None, None, None],
        ]
    )
    checked = dry_run(importer=DEPARTMENTS, content=content, ctx=ctx(world))
    assert checked.errors == [
        RowError(3, "预算", "金额不能为负数"),
        RowError(4, "所属村", "找不到村“火星村”"),
        RowError(5, "成立日期", "“2026-02-30”不是有效日期，请写成2026-11-25或2026年11月25日"),
        RowError(6, "编码", "必填项为空"),
        RowError(7, "", "与第2行重复"),
        RowError(
            8, "类型", "“银行”不是可选值（可选：综合信息指挥室、镇机关科室、站所、村（社区）委员会、县级条线部门）"
        ),
    ]
    report = import_sheet(importer=DEPARTMENTS, content=content, ctx=ctx(world))
    assert (report.imported, len(report.errors)) == (0, 6)
    assert codes(world) == before


def test_a_row_failing_while_writing_rolls_back_the_rows_before_it(world: TownWorld) -> None:
    before = codes(world)
    # Both rows pass the check; the second fails only while being written, after the first was written.
    content = xlsx([HEADER, ["W1", "写入一", "站所"], ["W2", "写入二", "村（社区）委员会", world.village_b.name]])

    class Failing(type(DEPARTMENTS)):  # type: ignore[misc]
        def apply(self, parsed, *, ctx):
            if parsed.code == "W2":
                raise RowInvalid("name", "写入时发现冲突")
            super().apply(parsed, ctx=ctx)

    report = import_sheet(importer=Failing(), content=content, ctx=ctx(world))
    assert report.errors == [RowError(3, "名称", "写入时发现冲突")]
    assert report.imported == 0
    assert codes(world) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a spreadsheet", "这不是Excel工作簿（.xlsx）文件。请在Excel或WPS中“另存为”.xlsx格式后再上传。"),
        (b"PK\x03\x04broken zip", "这不是Excel工作簿（.xlsx）文件。请在Excel或WPS中“另存为”.xlsx格式后再上传。"),
        (xlsx([["甲", "乙"], [1, 2]]), "没有找到表头。请使用本台账的导入模板，第一行为列名（如“编码”）。"),
        (xlsx([["编码", "类型"], ["X", "站所"]]), "缺少必填列：名称"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(world: TownWorld, content: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        dry_run(importer=DEPARTMENTS, content=content, ctx=ctx(world))
    assert raised.value.message == message


def test_rows_on_a_later_sheet_are_found(world: TownWorld) -> None:
    book = Workbook()
    choices = book.active
    assert choices is not None
    choices.title = "下拉选项"
    choices.append(["站所", "镇机关科室"])
    choices.sheet_state = "hidden"
    cover = book.create_sheet("封面")
    cover.append(["岱西镇部门登记表"])
    cover.append(["编码", "填表人：张三"])  # names a column, but not every required one
    rows = book.create_sheet("部门")
    for row in [HEADER, ["S1", "第二张表", "站所"], ["S2", "也在第二张表", "站所"]]:
        rows.append(row)
    notes = book.create_sheet("填写说明")
    notes.append(["编码", "名称", "类型"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_sheet(importer=DEPARTMENTS, content=buffer.getvalue(), ctx=ctx(world))
    assert (report.total, report.imported, report.errors) == (2, 2, [])
    assert {"S1", "S2"} <= codes(world)


def test_merged_cells_give_their_value_to_every_row_they_cover(world: TownWorld) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["部门导入表"])
    sheet.merge_cells("A1:F1")  # a title across the columns
    sheet.append(HEADER)
    village = world.village_a.name
    for row in [
        ["M1", "甲站", "村（社区）委员会", village, None, None],
        ["M2", "乙站", None, None, "1万", None],
        ["M3", "丙站", None, None, None, None],
        ["M4", "丁站", "站所", None, None, "2026-01-05"],
    ]:
        sheet.append(row)
    sheet.merge_cells("C3:C5")  # 类型 of M1–M3
    sheet.merge_cells("D3:D9")  # 所属村, reaching past the data (rows 7–9 are empty and stay so)
    sheet.merge_cells("E4:F4")  # 预算 and 成立日期 of M2 as one cell: 1万 in both, and 1万 is no date
    buffer = io.BytesIO()
    book.save(buffer)
    report = dry_run(importer=DEPARTMENTS, content=buffer.getvalue(), ctx=ctx(world))
    assert (report.total, report.valid, report.errors) == (
        4,
        3,
        [RowError(4, "成立日期", "“1万”不是有效日期，请写成2026-11-25或2026年11月25日")],
    )
    sheet.unmerge_cells("E4:F4")
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_sheet(importer=DEPARTMENTS, content=buffer.getvalue(), ctx=ctx(world))
    assert (report.imported, report.errors) == (4, [])
    departments = Department.objects.filter(town=world.town, code__startswith="M").order_by("code")
    assert [(d.code, d.area_id) for d in departments] == [
        ("M1", world.village_a.pk),
        ("M2", world.village_a.pk),
        ("M3", world.village_a.pk),
        ("M4", world.village_a.pk),
    ]


def test_no_sheet_with_the_header_reports_the_first_sheet(world: TownWorld) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.append(["编码", "类型"])
    book.create_sheet("其他").append(["甲", "乙"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(InvalidInput) as raised:
        dry_run(importer=DEPARTMENTS, content=buffer.getvalue(), ctx=ctx(world))
    assert (raised.value.field, raised.value.message) == ("file", "缺少必填列：名称")


def test_corrupt_xlsx_is_refused(world: TownWorld) -> None:
    good = xlsx([HEADER, ["C1", "名称", "站所"]])
    corrupt = good[: len(good) // 2]
    with pytest.raises(InvalidInput) as raised:
        dry_run(importer=DEPARTMENTS, content=corrupt, ctx=ctx(world))
    assert raised.value.field == "file"


def test_template_has_marked_headers_and_notes() -> None:
    book = load_workbook(io.BytesIO(template_workbook(DEPARTMENTS)))
    header = [c.value for c in book.worksheets[0][1]]
    assert header == ["*编码", "*名称", "*类型", "所属村", "预算", "成立日期"]
    assert book.worksheets[1].title == "填写说明"
    assert [r[0].value for r in book.worksheets[1].iter_rows(min_row=2, max_row=3)] == ["编码", "名称"]


def test_template_header_is_accepted_back(world: TownWorld) -> None:
    book = load_workbook(io.BytesIO(template_workbook(DEPARTMENTS)))
    sheet = book.worksheets[0]
    sheet.delete_rows(2)
    sheet.append(["TT", "模板回填", "站所"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_sheet(importer=DEPARTMENTS, content=buffer.getvalue(), ctx=ctx(world))
    assert (report.imported, report.errors) == (1, [])


def test_workbook_writes_rows() -> None:
    content = workbook("清单", ["甲", "乙"], [[1, date(2026, 11, 25)], ["x", None]])
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert rows == [("甲", "乙"), (1, datetime(2026, 11, 25)), ("x", None)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1600万元", Decimal("16000000.00")), ("1.89亿", Decimal("189000000.00")), (12, Decimal("12.00")), (None, None)],
)
def test_amounts(value: object, expected: Decimal | None) -> None:
    assert cells.amount(value, column="x") == expected


@pytest.mark.parametrize(
    "value",
    [
        "2026年11月25日",
        "2026-11-25",
        "2026/11/25",
        "20261125",
        date(2026, 11, 25),
        # as clerks type them and other systems export them
        "2026.11.25",
        "２０２６年１１月２５日",
        "２０２６／１１／２５",
        "2026 年 11 月 25 日",
        "\u30002026-11-25\u3000",
        "2026-11-25 00:00:00",
        "2026/11/25 10:30",
        "2026-11-25T08:00:00",
        "2026年11月25日 9时30分",
        46351,  # an Excel date cell formatted as 常规 (General)
        46351.75,
    ],
)
def test_dates(value: object) -> None:
    assert cells.optional_date(value, column="x") == date(2026, 11, 25)


@pytest.mark.parametrize("value", ["2026-11-25 25:00", "2026-11-25 上午", "2026-11-31", "2026年11月", 2026, 123456])
def test_not_dates(value: str | int) -> None:
    with pytest.raises(RowInvalid) as raised:
        cells.optional_date(value, column="x")
    message = f"“{value}”不是有效日期，请写成2026-11-25或2026年11月25日"
    assert (raised.value.column, raised.value.message) == ("x", message)


def test_datetime_from_an_excel_serial_is_beijing_time() -> None:
    moment = cells.optional_datetime(46351.375, column="x")
    assert moment is not None
    assert moment.isoformat() == "2026-11-25T09:00:00+08:00"


def test_datetime_typed_with_spaces_and_full_width() -> None:
    moment = cells.optional_datetime("２０２６ 年 11 月 25 日  09:30", column="x")
    assert moment is not None
    assert moment.isoformat() == "2026-11-25T09:30:00+08:00"


def test_datetime_without_zone_is_beijing_time() -> None:
    moment = cells.optional_datetime("2026-11-25 09:30", column="x")
    assert moment is not None
    assert moment.isoformat() == "2026-11-25T09:30:00+08:00"


def test_dates_out_of_order() -> None:
    with pytest.raises(RowInvalid) as raised:
        cells.dates_in_order(date(2026, 5, 2), date(2026, 5, 1), column="done", message="验收日期早于发现日期")
    assert (raised.value.column, raised.value.message) == ("done", "验收日期早于发现日期")


def test_command_line_import(world: TownWorld, tmp_path, capsys) -> None:
    from django.core.management import call_command

    path = tmp_path / "部门.xlsx"
    path.write_bytes(xlsx([HEADER, ["CLI1", "命令行导入", "站所"]]))
    call_command("import_sheet", DEPARTMENTS.name, str(path), "--town", world.town.code)
    captured = capsys.readouterr()
    assert "rows=1 valid=1 skipped=0 imported=1 errors=0" in captured.out
    assert "1/1 导入完成" in captured.err
    assert Department.objects.filter(town=world.town, code="CLI1").exists()


def test_choices_accept_the_chinese_label_whatever_the_language() -> None:
    from django.utils import translation

    from gridgov.data.org.enums import DepartmentKind

    with translation.override("en"):
        assert cells.choice("站所", DepartmentKind, column="kind") == DepartmentKind.STATION
        assert cells.choice("station", DepartmentKind, column="kind") == DepartmentKind.STATION
