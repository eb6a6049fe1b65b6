"""Excel import of the investment projects sheet (招商项目台账): a dry run naming each bad row and column in Chinese,
all or nothing, amounts as people type them, the same file twice writes nothing twice."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook

from gridgov.data.investment.enums import Industry, Source, Stage
from gridgov.data.investment.importers import LEADS
from gridgov.data.investment.models import Lead, StageChange
from gridgov.data.org.models import User
from gridgov.data.sheets.framework import ImportContext, RowError, dry_run, import_sheet
from gridgov.types import CellValue
from tests.factories import TownWorld

pytestmark = pytest.mark.django_db
HEADERS = [
    "项目名称",
    "招商方式",
    "产业类别",
    "线索日期",
    "洽谈日期",
    "签约日期",
    "签约金额",
    "落地日期",
    "重大产业项目",
    "飞地所在地",
    "责任部门",
    "所在村",
]


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


def _ctx(world: TownWorld, user: User) -> ImportContext:
    return ImportContext(town=world.town, user=user, now=timezone.now())


GOOD = [
    [
        "石化配套项目",
        "一把手招商",
        "石化配套",
        "2026-01-05",
        "2026年2月1日",
        "2026-03-01",
        "1.2亿",
        "2026-05-01",
        "是",
        "",
        "村镇建设办",
        "双合村",
    ],
    ["水产加工项目", "乡贤招商", "水产加工", "2026-02-05", "", "", "", "", "", "", "", ""],
    [
        "飞地项目",
        "以商招商",
        "船舶修造",
        "2025-11-05",
        "2025-12-01",
        "2026-01-10",
        "３，５００万",
        "",
        "否",
        "舟山高新区",
        "",
        "",
    ],
]


def test_a_good_sheet_is_checked_then_imported_once(world: TownWorld, investor: User):
    content = xlsx(GOOD)
    checked = dry_run(importer=LEADS, content=content, ctx=_ctx(world, investor))
    assert (checked.errors, checked.valid, Lead.objects.count()) == ([], 3, 0)
    report = import_sheet(importer=LEADS, content=content, ctx=_ctx(world, investor))
    assert (report.errors, report.imported) == ([], 3)
    rows = set(
        Lead.objects.values_list(
            "name", "stage", "source", "industry", "signed_amount", "major_industrial", "enclave_place", "village"
        )
    )
    assert rows == {
        (
            "石化配套项目",
            Stage.LANDED,
            Source.LEADER,
            Industry.PETROCHEMICAL,
            Decimal(120_000_000),
            True,
            "",
            world.village_a.pk,
        ),
        ("水产加工项目", Stage.LEAD, Source.NATIVE, Industry.AQUATIC, None, False, "", None),
        (
            "飞地项目",
            Stage.SIGNED,
            Source.BUSINESS,
            Industry.SHIPBUILDING,
            Decimal(35_000_000),
            False,
            "舟山高新区",
            None,
        ),
    }
    petro = Lead.objects.get(name="石化配套项目")
    expected = (date(2026, 2, 1), world.dept_b.pk, investor.pk)
    assert (petro.talks_on, petro.department_id, petro.created_by_id) == expected
    assert StageChange.objects.count() == 4 + 1 + 3
    again = import_sheet(importer=LEADS, content=content, ctx=_ctx(world, investor))
    assert (again.errors, again.imported, again.skipped, Lead.objects.count()) == ([], 0, 3, 3)


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(world: TownWorld, investor: User):
    bad = [
        GOOD[0],
        ["未签约金额", "一把手招商", "其他", "2026-01-05", "2026-02-01", "2026-03-01", "", "", "", "", "", ""],
        ["金额很多", "一把手招商", "其他", "2026-01-05", "2026-02-01", "2026-03-01", "很多", "", "", "", "", ""],
        ["跳过洽谈", "一把手招商", "其他", "2026-01-05", "", "2026-03-01", "100万", "", "", "", "", ""],
        ["方式不对", "朋友介绍", "其他", "2026-01-05", "", "", "", "", "", "", "", ""],
        ["", "一把手招商", "其他", "2026-01-05", "", "", "", "", "", "", "", ""],
        ["外村项目", "一把手招商", "其他", "2026-01-05", "", "", "", "", "", "", "", "不存在村"],
    ]
    content = xlsx(bad)
    checked = dry_run(importer=LEADS, content=content, ctx=_ctx(world, investor))
    assert [(e.row, e.column) for e in checked.errors] == [
        (3, "签约金额"),
        (4, "签约金额"),
        (5, "洽谈日期"),
        (6, "招商方式"),
        (7, "项目名称"),
        (8, "所在村"),
    ]
    assert checked.errors[:3] == [
        RowError(3, "签约金额", "签约须填写签约金额"),
        RowError(4, "签约金额", "签约金额：“很多”不是金额"),
        RowError(5, "洽谈日期", "洽谈日期：已填写签约日期，须先填写洽谈日期"),
    ]
    assert checked.errors[5] == RowError(8, "所在村", "村社“不存在村”不存在，本镇的村社有：双合村、火箭村")
    report = import_sheet(importer=LEADS, content=content, ctx=_ctx(world, investor))
    assert (report.imported, len(report.errors), Lead.objects.count(), StageChange.objects.count()) == (0, 6, 0, 0)


def test_only_those_who_keep_the_ledger_may_import(world: TownWorld):
    personas = ("operator", "leader", "admin", "handler_a", "grid_worker_a")
    assert [LEADS.allowed(getattr(world, p)) for p in personas] == [True, True, True, False, False]
    report = import_sheet(importer=LEADS, content=xlsx(GOOD[:1]), ctx=_ctx(world, world.handler_a))
    assert (report.imported, [e.message for e in report.errors], Lead.objects.count()) == (
        0,
        ["您无权登记岱西镇的招商引资信息"],
        0,
    )
