"""Excel import of indicator actuals: dry run with row errors, all or nothing, re-import without duplicates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gridgov.data.reports.domain.economy import define_indicator, record_actual
from gridgov.data.reports.enums import Frequency
from gridgov.data.reports.importers import INDICATOR_ACTUALS
from gridgov.data.reports.models import IndicatorActual
from gridgov.data.sheets.framework import ImportContext, dry_run, get_importer, import_sheet
from gridgov.data.sheets.workbooks import workbook
from tests.factories import MONDAY_0900, TownWorld

HEADERS = ["指标编码", "指标名称", "年度", "月份/季度", "实际值", "备注"]


@pytest.fixture
def ctx(world: TownWorld) -> ImportContext:
    define_indicator(town=world.town, code="GYZCZ", name="工业总产值", unit="万元")
    define_indicator(town=world.town, code="CZSR", name="财政总收入", unit="万元", frequency=Frequency.QUARTERLY)
    return ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)


def _file(rows: list[list[object]]) -> bytes:
    return workbook("实际值", HEADERS, rows)


def test_registered_and_allowed_for_town_wide_roles(world: TownWorld) -> None:
    assert get_importer("indicator-actuals") is INDICATOR_ACTUALS
    assert INDICATOR_ACTUALS.allowed(world.operator)
    assert not INDICATOR_ACTUALS.allowed(world.village_staff_a)
    assert not INDICATOR_ACTUALS.allowed(world.grid_worker_a)


def test_import_by_code_or_name_with_quarters_written_in_chinese(ctx: ImportContext) -> None:
    content = _file(
        [
            ["GYZCZ", "", 2026, 1, "23,166.5", "统计局快报"],
            ["", "工业总产值", 2026, "2月", 20000, ""],
            ["CZSR", "", 2026, "第一季度", "4500", ""],
        ]
    )
    report = import_sheet(importer=INDICATOR_ACTUALS, content=content, ctx=ctx)
    assert (report.errors, report.imported) == ([], 3)
    assert sorted(IndicatorActual.objects.values_list("indicator__code", "period", "value", "note")) == [
        ("CZSR", 1, Decimal(4500), ""),
        ("GYZCZ", 1, Decimal("23166.5"), "统计局快报"),
        ("GYZCZ", 2, Decimal(20000), ""),
    ]


def test_dry_run_reports_every_bad_row_and_writes_nothing(ctx: ImportContext) -> None:
    content = _file(
        [
            ["NOPE", "", 2026, 1, 1, ""],
            ["CZSR", "", 2026, 5, 1, ""],
            ["GYZCZ", "", 2026, 13, 1, ""],
            ["GYZCZ", "", 2026, 3, "很多", ""],
            ["", "", 2026, 3, 1, ""],
            ["GYZCZ", "", 2026, 4, 1, ""],
            ["GYZCZ", "", 2026, 4, 2, ""],
        ]
    )
    report = dry_run(importer=INDICATOR_ACTUALS, content=content, ctx=ctx)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "指标编码", "本镇没有指标“NOPE”，请先在经济社会指标页面新增"),
        (3, "月份/季度", "季度必须在 1 至 4 之间"),
        (4, "月份/季度", "月份必须在 1 至 12 之间"),
        (5, "实际值", "“很多”不是有效的数字"),
        (6, "指标编码", "请填写指标编码或指标名称"),
        (8, "", "与第7行重复"),
    ]
    assert import_sheet(importer=INDICATOR_ACTUALS, content=content, ctx=ctx).imported == 0
    assert IndicatorActual.objects.count() == 0


def test_reimport_skips_identical_rows_and_applies_corrections(ctx: ImportContext) -> None:
    first = _file([["GYZCZ", "", 2026, 1, 100, ""], ["GYZCZ", "", 2026, 2, 200, ""]])
    assert import_sheet(importer=INDICATOR_ACTUALS, content=first, ctx=ctx).imported == 2
    again = import_sheet(importer=INDICATOR_ACTUALS, content=first, ctx=ctx)
    assert (again.imported, again.skipped) == (0, 2)
    corrected = _file([["GYZCZ", "", 2026, 1, 100, ""], ["GYZCZ", "", 2026, 2, 250, "更正"]])
    report = import_sheet(importer=INDICATOR_ACTUALS, content=corrected, ctx=ctx)
    assert (report.imported, report.skipped) == (1, 1)
    assert sorted(IndicatorActual.objects.values_list("period", "value")) == [(1, Decimal(100)), (2, Decimal(250))]


def test_actuals_of_another_town_are_not_found(ctx: ImportContext, world: TownWorld) -> None:
    from gridgov.data.org.domain import create_area
    from gridgov.data.org.enums import AreaLevel

    other = create_area(code="330921103", name="高亭镇", level=AreaLevel.TOWN, parent=world.county)
    record_actual(
        indicator=define_indicator(town=other, code="X", name="其他镇指标", unit="个"),
        year=2026,
        period=1,
        value=1,
        user=None,
        now=MONDAY_0900,
    )
    report = dry_run(importer=INDICATOR_ACTUALS, content=_file([["X", "", 2026, 1, 1, ""]]), ctx=ctx)
    assert [e.message for e in report.errors] == ["本镇没有指标“X”，请先在经济社会指标页面新增"]
