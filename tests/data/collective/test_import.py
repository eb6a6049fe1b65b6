"""Excel import of the villages' collective incomes: a dry run naming each bad row and column in Chinese (an
unknown village, a village out of the importer's scope, a month not yet come, a bad amount, a row repeated in the
file), all or nothing, the same file twice writes nothing twice, and a re-import of a month corrects it."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook

from gridgov.data.collective.domain import IncomeInput, record_income
from gridgov.data.collective.enums import IncomeKind
from gridgov.data.collective.importers import INCOMES
from gridgov.data.collective.models import VillageIncome
from gridgov.data.org.models import User
from gridgov.data.sheets.framework import ImportContext, RowError, dry_run, import_sheet, importers
from gridgov.types import CellValue
from tests.factories import WORLD_TODAY, TownWorld

HEADERS = ["村", "年度", "月份", "收入类型", "金额", "备注"]
YEAR = WORLD_TODAY.year
MONTH = WORLD_TODAY.month
# A month of the world's year that has come, and the next one (not yet, except in December).
PAST = MONTH - 1 if MONTH > 1 else 1


def xlsx(rows: list[list[CellValue]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ctx(user: User, world: TownWorld) -> ImportContext:
    return ImportContext(town=world.town, user=user, now=timezone.now())


def _stored() -> set[tuple[str, int, int, str, Decimal]]:
    return set(VillageIncome.objects.values_list("village__name", "year", "month", "kind", "amount"))


def test_a_good_sheet_is_checked_then_imported_once(world: TownWorld):
    content = xlsx(
        [
            ["双合村", YEAR, PAST, "经营性收入", "12万", "三月报表"],
            ["火箭", f"{YEAR}年", f"{PAST}月", "补助", 8000, None],
            ["火箭村", YEAR - 1, 12, "non_operating", "１,５００", None],
        ]
    )
    checked = dry_run(importer=INCOMES, content=content, ctx=_ctx(world.operator, world))
    assert (checked.errors, checked.valid, VillageIncome.objects.count()) == ([], 3, 0)

    report = import_sheet(importer=INCOMES, content=content, ctx=_ctx(world.operator, world))
    assert (report.errors, report.imported) == ([], 3)
    assert _stored() == {
        ("双合村", YEAR, PAST, IncomeKind.OPERATING, Decimal("120000.00")),
        ("火箭村", YEAR, PAST, IncomeKind.SUBSIDY, Decimal("8000.00")),
        ("火箭村", YEAR - 1, 12, IncomeKind.NON_OPERATING, Decimal("1500.00")),
    }
    assert VillageIncome.objects.get(kind=IncomeKind.OPERATING).created_by == world.operator

    again = import_sheet(importer=INCOMES, content=content, ctx=_ctx(world.operator, world))
    assert (again.errors, again.skipped, again.imported, VillageIncome.objects.count()) == ([], 3, 0, 3)


def test_a_reimported_month_corrects_the_entry(world: TownWorld):
    data = IncomeInput(village=world.village_a, year=YEAR, month=PAST, kind=IncomeKind.OPERATING, amount="10万")
    first = record_income(actor=world.village_staff_a, data=data, now=timezone.now() - timedelta(days=3))
    content = xlsx([["双合村", YEAR, PAST, "经营性", "11万", "复核后"]])
    report = import_sheet(importer=INCOMES, content=content, ctx=_ctx(world.operator, world))
    assert (report.errors, report.skipped, report.imported) == ([], 0, 1)
    stored = VillageIncome.objects.get()
    assert (stored.pk, stored.amount, stored.note, stored.created_by, stored.updated_by) == (
        first.pk, Decimal("110000.00"), "复核后", world.village_staff_a, world.operator,
    )  # fmt: skip
    assert stored.updated_at is not None


def test_bad_rows_are_each_named_and_nothing_is_written(world: TownWorld):
    future = [["双合村", YEAR, MONTH + 1, "经营性收入", "1万", None]] if MONTH < 12 else []
    content = xlsx(
        [
            ["双合村", YEAR, PAST, "经营性收入", "12万", None],
            ["长涂村", YEAR, PAST, "经营性收入", "1万", None],
            ["火箭村", YEAR, PAST, "经营性收入", "一万", None],
            ["火箭村", YEAR, 13, "补助收入", "1万", None],
            ["火箭村", YEAR, PAST, "分红", "1万", None],
            ["双合村", YEAR, PAST, "经营性收入", "13万", None],
            *future,
        ]
    )
    report = dry_run(importer=INCOMES, content=content, ctx=_ctx(world.operator, world))
    expected = [
        RowError(3, "村", "村社“长涂村”不存在，本镇的村社有：双合村、火箭村"),
        RowError(4, "金额", "金额：“一万”不是金额"),
        RowError(5, "月份", "月份：应为1至12，而不是13"),
        RowError(6, "收入类型", "“分红”不是可选值（可选：经营性收入、非经营性收入、补助收入）"),
        RowError(7, "", "与第2行重复"),
    ]
    if future:
        expected.append(RowError(8, "月份", f"月份：{YEAR}年{MONTH + 1}月尚未到来"))
    assert report.errors == expected
    assert report.valid == 1
    written = import_sheet(importer=INCOMES, content=content, ctx=_ctx(world.operator, world))
    assert (written.imported, VillageIncome.objects.count()) == (0, 0)


def test_village_staff_import_their_own_village_only(world: TownWorld):
    content = xlsx(
        [["双合村", YEAR, PAST, "经营性收入", "1万", None], ["火箭村", YEAR, PAST, "经营性收入", "2万", None]]
    )
    report = import_sheet(importer=INCOMES, content=content, ctx=_ctx(world.village_staff_a, world))
    assert report.errors == [RowError(3, "村", "您无权导入火箭村的集体经济收入")]
    assert VillageIncome.objects.count() == 0
    own = xlsx([["双合村", YEAR, PAST, "经营性收入", "1万", None]])
    written = import_sheet(importer=INCOMES, content=own, ctx=_ctx(world.village_staff_a, world))
    assert (written.errors, written.imported, _stored()) == (
        [], 1, {("双合村", YEAR, PAST, IncomeKind.OPERATING, Decimal("10000.00"))},
    )  # fmt: skip


def test_who_may_use_the_importer(world: TownWorld):
    assert INCOMES in importers()
    answers = {
        p: INCOMES.allowed(getattr(world, p))
        for p in ("operator", "admin", "village_staff_a", "leader", "handler_a", "grid_worker_a", "resident")
    }
    assert answers == {
        "operator": True, "admin": True, "village_staff_a": True, "leader": False, "handler_a": False,
        "grid_worker_a": False, "resident": False,
    }  # fmt: skip
