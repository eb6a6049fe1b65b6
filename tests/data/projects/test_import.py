"""Excel import of the key projects' spreadsheet: a dry run naming every bad row and column in Chinese, all or
nothing, groups found or created, re-imports skipped."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from gridgov.data.projects.importers import PROJECTS
from gridgov.data.projects.models import Milestone, Project, ProjectGroup
from gridgov.data.sheets.framework import ImportContext, RowError, dry_run, import_sheet
from gridgov.types import CellValue
from tests.data.projects.builders import today
from tests.factories import TownWorld

HEADERS = ["项目名称", "项目类型", "项目群", "责任部门", "责任人", "所在村", "年度", "计划总投资", "年度计划投资",
           "工程量", "单位", "立项", "开工", "主体完工", "竣工", "投用"]  # fmt: skip


def xlsx(rows: list[list[CellValue]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ctx(world: TownWorld) -> ImportContext:
    return ImportContext(town=world.town, user=world.operator, now=timezone.now())


def _days(*offsets: int) -> list[str]:
    return [(today() + timedelta(days=n)).isoformat() for n in offsets]


def test_a_good_sheet_is_checked_then_imported_once(world: TownWorld):
    year = today().year
    content = xlsx(
        [
            ["前岸智慧村社", "基础设施", "双合入岛门户", "村镇建设办", "王建国", "双合村", year, "300万", "1,200,000",
             "", "", *_days(-30, 10, 40, 70, 100)],
            ["抛荒地整治", "土地整治", "", "JSB", "", "", year, "８０万", "", "520", "亩", *_days(-10), "", "", "",
             *_days(90)],
        ]
    )  # fmt: skip
    checked = dry_run(importer=PROJECTS, content=content, ctx=_ctx(world))
    assert (checked.errors, checked.valid, Project.objects.count()) == ([], 2, 0)
    report = import_sheet(importer=PROJECTS, content=content, ctx=_ctx(world))
    assert (report.errors, report.imported) == ([], 2)
    rows = set(Project.objects.values_list("name", "group__name", "total_investment", "year_investment", "quantity"))
    assert rows == {
        ("前岸智慧村社", "双合入岛门户", Decimal("3000000.00"), Decimal("1200000.00"), None),
        ("抛荒地整治", None, Decimal("800000.00"), Decimal("800000.00"), Decimal("520.00")),
    }
    assert list(Milestone.objects.filter(project__name="抛荒地整治").values_list("name", flat=True)) == ["立项", "投用"]
    again = import_sheet(importer=PROJECTS, content=content, ctx=_ctx(world))
    assert (again.errors, again.skipped, again.imported, Project.objects.count()) == ([], 2, 0, 2)
    assert ProjectGroup.objects.count() == 1


def test_bad_rows_are_each_named_and_nothing_is_written(world: TownWorld):
    year = today().year
    good = ["智慧停车场", "基础设施", "双合入岛门户", "村镇建设办", "", "", year, "80万", "", "", "", *_days(0, 20)]
    content = xlsx(
        [
            [*good, "", "", ""],
            ["杆线序化", "基础设施", "", "村镇建设办", "", "", year, "80万", "", "", "", *_days(0, 20, 10), "", ""],
            ["风貌提升", "基础设施", "", "村镇建设办", "", "", year, "八十万", "", "", "", *_days(0), "", "", "", ""],
            ["口袋公园", "公园", "", "村镇建设办", "", "", year, "80万", "", "", "", *_days(0), "", "", "", ""],
            ["门户绿道", "基础设施", "", "宣传部", "", "", year, "80万", "", "", "", *_days(0), "", "", "", ""],
            ["滨海步道", "基础设施", "", "村镇建设办", "", "", year, "80万", "", "", "", "", "", "", "", ""],
            ["双河公园", "基础设施", "", "村镇建设办", "", "双河村", year, "80万", "", "", "",
             *_days(0), "", "", "", ""],
        ]
    )  # fmt: skip
    expected = [
        RowError(3, "", f"节点“主体完工”的计划日期（{_cn(10)}）早于上一节点“开工”（{_cn(20)}），请按时序排列"),
        RowError(4, "计划总投资", "计划总投资：“八十万”不是金额"),
        RowError(5, "项目类型", "“公园”不是可选值（可选：产业项目、基础设施、乡村振兴、乡村蝶变、土地整治、其他）"),
        RowError(6, "责任部门", "找不到本镇启用的单位“宣传部”（填写部门名称或编码）"),
        RowError(7, "", "请至少填写一个节点的计划日期（立项、开工、主体完工、竣工、投用）"),
        RowError(8, "所在村", "村社“双河村”不存在，本镇的村社有：双合村、火箭村"),
    ]
    checked = dry_run(importer=PROJECTS, content=content, ctx=_ctx(world))
    assert (checked.errors, checked.valid) == (expected, 1)
    report = import_sheet(importer=PROJECTS, content=content, ctx=_ctx(world))
    assert (report.errors, report.imported, Project.objects.count(), ProjectGroup.objects.count()) == (
        expected,
        0,
        0,
        0,
    )


def _cn(offset: int) -> str:
    day = today() + timedelta(days=offset)
    return f"{day.year}年{day.month}月{day.day}日"


def _inserts(world: TownWorld, rows: int, offset: int) -> tuple[int, int]:
    year = today().year
    content = xlsx(
        [
            [f"村道提升{offset + n}", "基础设施", "海岛公园提升", "村镇建设办", "", "", year, "50万", "", "", "",
             *_days(-5, 20, 40)]
            for n in range(rows)
        ]
    )  # fmt: skip
    with CaptureQueriesContext(connection) as seen:
        report = import_sheet(importer=PROJECTS, content=content, ctx=_ctx(world))
    assert (report.errors, report.imported) == ([], rows)
    inserts = [q["sql"] for q in seen.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    return len([q for q in inserts if "projects_" in q]), Milestone.objects.count()


def test_the_rows_are_written_through_the_bulk_path(world: TownWorld):
    # The group is created by the first import and found by the second; the projects and the milestones are one
    # insert each however many rows there are (bulk_create may split a large batch on SQLite; not at these sizes).
    assert _inserts(world, 3, 0) == (3, 9)  # the group, the projects, the milestones
    assert _inserts(world, 30, 100) == (2, 99)
