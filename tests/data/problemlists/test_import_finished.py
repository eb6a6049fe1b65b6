"""Importing a problem list whose items are already 销号: they become imported closed cases on the row's
dates, so the year's completion rate counts them; open items stay open; re-import creates nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.enums import Action, Kind, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.problemlists.domain import create_list
from gridgov.data.problemlists.figures import year_figures
from gridgov.data.problemlists.importers import PROBLEM_ITEMS
from gridgov.data.problemlists.models import ProblemItem
from gridgov.data.sheets.framework import ImportContext, import_sheet
from gridgov.data.sheets.workbooks import workbook
from tests.factories import MONDAY_0900, SHANGHAI, TownWorld

HEADERS = ["清单名称", "问题编号", "问题描述", "问题来源", "责任单位", "责任人", "整改措施", "发现日期", "整改时限",
           "整改完成日期", "销号日期"]  # fmt: skip
LIST = "基层治理问题清单"


def row(n: int, *, completed: object = "", closed: object = "") -> list[object]:
    return [LIST, f"JC-2025-{n:03d}", f"问题{n}", "上级交办", "ZFZ", "钱建设", "补齐资料", date(2025, 4, 1),
            date(2025, 6, 30), completed, closed]  # fmt: skip


def good_file() -> bytes:
    return workbook(
        "问题清单",
        HEADERS,
        [
            row(1, completed=date(2025, 5, 10), closed=date(2025, 5, 20)),
            row(2, closed=date(2025, 6, 1)),
            row(3, completed=date(2025, 6, 5)),  # rectified, not yet 销号
            row(4),  # open
        ],
    )


def test_closed_items_count_in_the_rate_and_reimport_creates_nothing(world: TownWorld) -> None:
    create_list(town=world.town, actor=world.operator, name=LIST, now=MONDAY_0900)
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    report = import_sheet(importer=PROBLEM_ITEMS, content=good_file(), ctx=ctx)
    assert (report.ok, report.imported) == (True, 4)

    figures = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=MONDAY_0900)
    assert (figures["problem_items"].value, figures["problem_rectified"].value) == (4, 2)
    assert figures["problem_rate"].value == Decimal(2) / Decimal(4)

    first = ProblemItem.objects.select_related("case").get(import_key__endswith="JC-2025-001")
    case = first.case
    assert (case.kind, case.status, case.imported, case.department_id) == (
        Kind.PROBLEM_LIST,
        Status.CLOSED,
        True,
        world.dept_a.pk,
    )
    assert case.reported_at == datetime(2025, 4, 1, 9, 0, tzinfo=SHANGHAI)
    assert case.resolved_at == datetime(2025, 5, 10, 17, 0, tzinfo=SHANGHAI)
    assert case.closed_at == datetime(2025, 5, 20, 17, 30, tzinfo=SHANGHAI)
    assert case.handle_deadline == datetime(2025, 6, 30, 17, 30, tzinfo=SHANGHAI)
    assert set(CaseAction.objects.filter(case=case).values_list("action", flat=True)) == {Action.IMPORT}
    statuses = dict(ProblemItem.objects.values_list("import_key", "case__status"))
    assert sorted(statuses.values()) == sorted([Status.CLOSED, Status.CLOSED, Status.RESOLVED, Status.DISPATCHED])
    assert all(broken is None for _c, broken in verify_chains(Case.objects.all()))

    again = import_sheet(importer=PROBLEM_ITEMS, content=good_file(), ctx=ctx)
    assert (again.ok, again.imported, again.skipped) == (True, 0, 4)
    assert (ProblemItem.objects.count(), Case.objects.count()) == (4, 4)


def test_closing_dates_out_of_order_are_row_errors(world: TownWorld) -> None:
    create_list(town=world.town, actor=world.operator, name=LIST, now=MONDAY_0900)
    bad = workbook(
        "问题清单",
        HEADERS,
        [
            row(1, closed=date(2025, 3, 1)),
            row(2, completed=date(2025, 5, 10), closed=date(2025, 5, 1)),
            row(3, completed=date(2025, 3, 31)),
            row(4, closed=date(2026, 12, 1)),
        ],
    )
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    report = import_sheet(importer=PROBLEM_ITEMS, content=bad, ctx=ctx)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "销号日期", "销号日期早于发现日期"),
        (3, "销号日期", "销号日期早于整改完成日期"),
        (4, "整改完成日期", "整改完成日期早于发现日期"),
        (5, "销号日期", "销号日期晚于今天"),
    ]
    assert (report.imported, ProblemItem.objects.count(), Case.objects.count()) == (0, 0, 0)
