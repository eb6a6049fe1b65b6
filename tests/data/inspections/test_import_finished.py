"""Importing an inspection round's problems that were already rectified and 销号: they become imported
closed cases with the same deduction, so the round's and the year's 已整改 figures are right; re-import
creates nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.enums import Kind, Status
from gridgov.data.cases.models import Case
from gridgov.data.inspections.domain import ItemSpec, create_round
from gridgov.data.inspections.figures import year_figures
from gridgov.data.inspections.importers import INSPECTION_PROBLEMS
from gridgov.data.inspections.models import InspectionProblem, InspectionRound
from gridgov.data.inspections.scoring import village_scores
from gridgov.data.sheets.framework import ImportContext, import_sheet
from gridgov.data.sheets.workbooks import workbook
from tests.factories import MONDAY_0900, SHANGHAI, TownWorld

HEADERS = ["督查名称", "检查项目", "村（社区）", "点位", "问题描述", "发现时间", "整改完成日期", "销号日期"]
ROUND = "2025年3月创城督查"


def make_round(world: TownWorld) -> InspectionRound:
    return create_round(
        town=world.town,
        actor=world.operator,
        name=ROUND,
        start_date=date(2025, 3, 3),
        end_date=date(2025, 3, 7),
        organizer=world.operator,
        inspectors=[world.grid_worker_a],
        items=[ItemSpec("A01", "暴露垃圾", Decimal(2))],
        now=datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI),
    )


def good_file() -> bytes:
    return workbook(
        "督查问题",
        HEADERS,
        [
            [ROUND, "A01", "双合村", "村口", "垃圾未清运", "2025-03-03 10:00", date(2025, 3, 4), date(2025, 3, 5)],
            [ROUND, "A01", "火箭村", "礼堂", "垃圾桶满溢", "2025-03-04 18:30", "", date(2025, 3, 4)],
            [ROUND, "A01", "火箭村", "码头", "垃圾堆放", "2025-03-05 09:00", date(2025, 3, 6), ""],
            [ROUND, "A01", "双合村", "菜场", "垃圾未清运", "2025-03-06 09:00", "", ""],
        ],
    )


def test_rectified_problems_count_and_reimport_creates_nothing(world: TownWorld) -> None:
    round_ = make_round(world)
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    report = import_sheet(importer=INSPECTION_PROBLEMS, content=good_file(), ctx=ctx)
    assert (report.ok, report.imported) == (True, 4)

    figures = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=MONDAY_0900)
    assert (figures["inspection_problems"].value, figures["inspection_rectified"].value) == (4, 2)
    scores = {s.village.name: (s.problems, s.rectified, s.deduction) for s in village_scores(round_)}
    assert scores["双合村"] == (2, 1, Decimal("4.0"))
    assert scores["火箭村"] == (2, 1, Decimal("4.0"))

    late = InspectionProblem.objects.select_related("case").get(spot="礼堂")
    case = late.case
    assert (case.kind, case.status, case.imported) == (Kind.INSPECTION, Status.CLOSED, True)
    assert case.reported_at == datetime(2025, 3, 4, 18, 30, tzinfo=SHANGHAI)
    # found after working hours and closed the same day: no milestone before the finding
    assert case.resolved_at == case.closed_at == datetime(2025, 3, 4, 18, 30, tzinfo=SHANGHAI)
    assert InspectionProblem.objects.get(spot="码头").case.status == Status.RESOLVED
    assert InspectionProblem.objects.get(spot="菜场").case.status == Status.DISPATCHED
    assert all(broken is None for _c, broken in verify_chains(Case.objects.all()))

    again = import_sheet(importer=INSPECTION_PROBLEMS, content=good_file(), ctx=ctx)
    assert (again.ok, again.imported, again.skipped) == (True, 0, 4)
    assert (InspectionProblem.objects.count(), Case.objects.count()) == (4, 4)


def test_closing_before_finding_is_a_row_error(world: TownWorld) -> None:
    make_round(world)
    bad = workbook(
        "督查问题",
        HEADERS,
        [
            [ROUND, "A01", "双合村", "村口", "垃圾未清运", "2025-03-05 10:00", "", date(2025, 3, 4)],
            [ROUND, "A01", "双合村", "菜场", "垃圾未清运", "2025-03-05 10:00", date(2025, 3, 7), date(2025, 3, 6)],
        ],
    )
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    report = import_sheet(importer=INSPECTION_PROBLEMS, content=bad, ctx=ctx)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "销号日期", "销号日期早于发现时间"),
        (3, "销号日期", "销号日期早于整改完成日期"),
    ]
    assert (report.imported, InspectionProblem.objects.count(), Case.objects.count()) == (0, 0, 0)
