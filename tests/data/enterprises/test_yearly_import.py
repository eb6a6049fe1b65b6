"""Excel import of the enterprises' yearly figures: a good file (dry run writes nothing; the import writes every
row, 规上 since carried on inside the file), the same file again (skipped), a corrected row, and a bad file (every
error reported in Chinese with its row and column, nothing written)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.enterprises.enums import Measure, Rectification
from gridgov.data.enterprises.importers_yearly import ENTERPRISE_YEARS
from gridgov.data.enterprises.models_yearly import EnterpriseYear
from gridgov.data.sheets.framework import ImportContext, RowError, dry_run, import_sheet
from gridgov.data.sheets.workbooks import workbook
from tests.data.enterprises.conftest import EnterpriseWorld
from tests.factories import MONDAY_0900

pytestmark = pytest.mark.django_db
HEADERS = ["企业名称", "统一社会信用代码", "年度", "规上", "重点", "固定资产投资", "用地面积（亩）", "税收", "产值",
           "低效", "整治状态", "整治日期", "整治措施"]  # fmt: skip


BAD_CHECK_CHARACTER = "统一社会信用代码“91330100799655058A”校验位错误（应为 B），请核对"
UNKNOWN_CODE = "统一社会信用代码“91330100799655058B”不在本镇企业名录中，请先在企业名录中登记该企业"


def _ctx(ew: EnterpriseWorld) -> ImportContext:
    return ImportContext(town=ew.w.town, user=ew.w.operator, now=MONDAY_0900)


def test_a_good_file_dry_run_then_import_then_again(ew: EnterpriseWorld) -> None:
    code = ew.chemical.credit_code
    first: list[object] = [
        "岱西船舶修造有限公司",
        "",
        "2025",
        "是",
        "是",
        "3,500万",
        "40",
        "480万",
        "2.4亿",
        "否",
        "",
        "",
        "",
    ]
    rows: list[list[object]] = [
        first,
        ["岱西船舶修造有限公司", "", "2024年", "是", "否", "", "40", "400万", "2亿", "否", "", "", ""],
        ["", code.lower(), 2025, "否", "否", "", "12.5", "3.5万", "1200万", "是", "已整治", "2025-10-08", "腾退"],
    ]
    content = workbook("企业年度数据", HEADERS, rows)
    checked = dry_run(importer=ENTERPRISE_YEARS, content=content, ctx=_ctx(ew))
    assert (checked.ok, checked.valid, checked.imported, EnterpriseYear.objects.count()) == (True, 3, 0, 0)
    report = import_sheet(importer=ENTERPRISE_YEARS, content=content, ctx=_ctx(ew))
    assert (report.ok, report.imported) == (True, 3)
    ship = {r.year: r for r in EnterpriseYear.objects.filter(enterprise=ew.shipyard)}
    assert (ship[2024].above_scale_since, ship[2025].above_scale_since) == (2024, 2024)
    assert ship[2025].fixed_investment == Decimal("35000000.00")
    chem = EnterpriseYear.objects.get(enterprise=ew.chemical)
    assert (chem.tax_per_mu, chem.rectification, chem.rectified_on, chem.measure) == (
        Decimal("2800.00"),
        Rectification.DONE,
        date(2025, 10, 8),
        Measure.VACATE,
    )
    again = import_sheet(importer=ENTERPRISE_YEARS, content=content, ctx=_ctx(ew))
    assert (again.imported, again.skipped, EnterpriseYear.objects.count()) == (0, 3, 3)
    corrected = workbook("企业年度数据", HEADERS, [[*first[:5], "4,000万", *first[6:]]])
    assert import_sheet(importer=ENTERPRISE_YEARS, content=corrected, ctx=_ctx(ew)).imported == 1
    assert EnterpriseYear.objects.get(enterprise=ew.shipyard, year=2025).fixed_investment == Decimal("40000000.00")


def test_a_bad_file_reports_every_row_and_writes_nothing(ew: EnterpriseWorld) -> None:
    rows = [
        ["岱西船舶修造有限公司", "", "2025", "是", "是", "3,500万", "40", "480万", "2.4亿", "否", "", "", ""],
        ["月亮公司", "", "2025", "", "", "", "", "", "", "", "", "", ""],
        ["岱西石化储运有限公司", "", "2025", "也许", "", "", "", "", "", "", "", "", ""],
        ["岱西石化储运有限公司", "", "2024", "", "", "", "0", "", "", "", "", "", ""],
        ["岱西石化储运有限公司", "", "2023", "", "", "", "", "三万", "", "", "", "", ""],
        ["岱西石化储运有限公司", "", "2022", "", "", "", "", "", "", "是", "已整治", "2099-01-01", "腾退"],
        ["岱西船舶修造有限公司", "", "2025", "", "", "", "", "", "", "", "", "", ""],
    ]
    report = import_sheet(importer=ENTERPRISE_YEARS, content=workbook("企业年度数据", HEADERS, rows), ctx=_ctx(ew))
    assert report.errors == [
        RowError(3, "企业名称", "企业名录中没有名为“月亮公司”的企业"),
        RowError(4, "规上", "“也许”请填“是”或“否”"),
        RowError(5, "用地面积（亩）", "用地面积（亩）应大于0"),
        RowError(6, "税收", "税收：“三万”不是金额"),
        RowError(7, "整治日期", "整治日期：2099年1月1日尚未到来"),
        RowError(8, "", "与第2行重复"),
    ]
    assert (report.imported, EnterpriseYear.objects.count()) == (0, 0)


def test_the_rows_are_written_through_the_bulk_path(ew: EnterpriseWorld) -> None:
    # New rows are one insert and corrected rows one update, however many rows the file has.
    def statements(rows: list[list[object]]) -> dict[str, int]:
        with CaptureQueriesContext(connection) as seen:
            report = import_sheet(
                importer=ENTERPRISE_YEARS, content=workbook("企业年度数据", HEADERS, rows), ctx=_ctx(ew)
            )
        assert (report.errors, report.imported) == ([], len(rows))
        written = [q["sql"].lstrip().split()[0].upper() for q in seen.captured_queries if "enterpriseyear" in q["sql"]]
        return {verb: written.count(verb) for verb in ("INSERT", "UPDATE")}

    def row(name: str, year: int, tax: str) -> list[object]:
        return [name, "", str(year), "是", "否", "", "10", tax, "1亿", "否", "", "", ""]

    names = ["岱西船舶修造有限公司", ew.chemical.name]
    assert statements([row(n, y, "100万") for n in names for y in (2021, 2022)]) == {"INSERT": 1, "UPDATE": 0}
    again = [row(n, y, "120万") for n in names for y in (2021, 2022)] + [row(n, 2023, "90万") for n in names]
    assert statements(again) == {"INSERT": 1, "UPDATE": 1}
    since = dict(EnterpriseYear.objects.filter(enterprise=ew.shipyard).values_list("year", "above_scale_since"))
    assert since == {2021: 2021, 2022: 2021, 2023: 2021}


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


def test_a_credit_code_is_checked_then_looked_up_in_the_register(ew: EnterpriseWorld) -> None:
    blank = ["", "", "", "", "", "", "", "", "", ""]
    rows = [
        ["", "91330100799655058A", "2025", *blank],
        ["", "91330100799655058B", "2025", *blank],
        ["", full_width(ew.chemical.credit_code), "2025", *blank],  # typed in full width: found all the same
    ]
    report = dry_run(importer=ENTERPRISE_YEARS, content=workbook("企业年度数据", HEADERS, rows), ctx=_ctx(ew))
    assert (report.errors, report.valid) == (
        [
            RowError(2, "统一社会信用代码", BAD_CHECK_CHARACTER),
            RowError(
                3,
                "统一社会信用代码",
                UNKNOWN_CODE,
            ),
        ],
        1,
    )
