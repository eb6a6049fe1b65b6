"""Open problem-list items imported in bulk are added exactly as ``add_item`` adds them (registered and
dispatched to the responsible unit), their write does not grow with the rows, and a failing row writes nothing."""

from __future__ import annotations

from datetime import date

from gridgov.data.cases.models import Case
from gridgov.data.problemlists.domain import add_item, create_list
from gridgov.data.problemlists.importers import PROBLEM_ITEMS
from gridgov.data.problemlists.models import ProblemItem
from gridgov.data.sheets.framework import ImportContext, import_sheet, read_sheet
from gridgov.data.sheets.workbooks import workbook
from tests.data.ledger_bulk import assert_filed_as_engine, assert_write_flat
from tests.data.problemlists.test_import_finished import HEADERS, LIST
from tests.factories import MONDAY_0900, TownWorld


def row(n: int, *, department: str = "ZFZ", closed: object = "") -> list[object]:
    return [LIST, f"JC-{n:03d}", f"问题{n}", "上级交办" if n % 2 else "群众反映", department, "钱建设", "补齐资料",
            date(2026, 11, 2), date(2026, 12, 31), "", closed]  # fmt: skip


def items_file(first: int, n: int) -> bytes:
    return workbook("问题清单", HEADERS, [row(i) for i in range(first, first + n)])


def test_open_items_imported_in_bulk_are_added_as_add_item_adds_them(world: TownWorld) -> None:
    create_list(town=world.town, actor=world.operator, name=LIST)
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    content = workbook("问题清单", HEADERS, [row(1), row(2, department="JSB")])
    report = import_sheet(importer=PROBLEM_ITEMS, content=content, ctx=ctx)
    assert (report.ok, report.imported) == (True, 2)
    imported = list(ProblemItem.objects.order_by("id"))
    parsed = [PROBLEM_ITEMS.parse_row(values, ctx=ctx) for _number, values in read_sheet(PROBLEM_ITEMS, content).rows]
    by_engine = [
        add_item(actor=world.operator, data=p, now=MONDAY_0900, import_key=p.import_key + "-engine")
        for p in parsed
    ]  # fmt: skip
    assert_filed_as_engine(town=world.town, imported=[i.case for i in imported], by_engine=[i.case for i in by_engine])

    def detail(item: ProblemItem) -> tuple[object, ...]:
        return (item.problem_list_id, item.source, item.department_id, item.responsible_person, item.plan,
                item.deadline, item.found_on)  # fmt: skip

    assert [detail(i) for i in imported] == [detail(i) for i in by_engine]


def test_open_items_write_flat_and_a_failing_row_writes_nothing(world: TownWorld) -> None:
    create_list(town=world.town, actor=world.operator, name=LIST)
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    assert_write_flat(importer=PROBLEM_ITEMS, ctx=ctx, file_of=items_file)
    before = (ProblemItem.objects.count(), Case.objects.count())
    # a finished row and an open one, imported by someone who may not add items: nothing at all is written
    content = workbook("问题清单", HEADERS, [row(301, closed=date(2026, 11, 20)), row(302)])
    report = import_sheet(importer=PROBLEM_ITEMS, content=content, ctx=ImportContext(
        town=world.town, user=world.grid_worker_a, now=MONDAY_0900))  # fmt: skip
    assert [(e.row, e.column, e.message) for e in report.errors] == [(0, "", "只有镇指挥室或管理员可以管理问题清单")]
    assert (report.imported, ProblemItem.objects.count(), Case.objects.count()) == (0, *before)
