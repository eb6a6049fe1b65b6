"""Open inspection problems imported in bulk are recorded exactly as ``record_problem`` records them
(registered and dispatched to the village's committee), their write does not grow with the rows, and a
failing row writes nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from gridgov.data.cases.models import Case
from gridgov.data.inspections.domain import ItemSpec, create_round, record_problem
from gridgov.data.inspections.importers import INSPECTION_PROBLEMS
from gridgov.data.inspections.models import InspectionProblem, InspectionRound
from gridgov.data.org.enums import DepartmentKind
from gridgov.data.org.models import Department
from gridgov.data.sheets.framework import ImportContext, dry_run, import_sheet, read_sheet
from tests.data.ledger_bulk import assert_filed_as_engine, assert_write_flat
from tests.factories import TownWorld, at
from tests.sheets import workbook

HEADERS = ["督查名称", "检查项目", "村（社区）", "点位", "问题描述", "发现时间", "督查人员", "销号日期"]
ROUND = "11月创城督查"


def make_round(world: TownWorld) -> InspectionRound:
    return create_round(
        town=world.town,
        actor=world.operator,
        name=ROUND,
        start_date=date(2026, 11, 23),
        end_date=date(2026, 11, 27),
        organizer=world.operator,
        inspectors=[world.grid_worker_a],
        items=[ItemSpec("A01", "暴露垃圾", Decimal(2)), ItemSpec("B01", "乱堆乱放", Decimal(1))],
    )


def ctx(world: TownWorld) -> ImportContext:
    return ImportContext(town=world.town, user=world.operator, now=at(2026, 11, 28))


def problems_file(first: int, n: int) -> bytes:
    rows = [
        [ROUND, "A01" if i % 2 else "乱堆乱放", "双合村" if i % 3 else "火箭", f"点位{i}", f"问题{i}",
         datetime(2026, 11, 23 + i % 4, 10, i % 60), "孙网格" if i % 2 else "", ""]
        for i in range(first, first + n)
    ]  # fmt: skip
    return workbook(HEADERS, rows)


def test_open_problems_imported_in_bulk_are_recorded_as_record_problem_records_them(world: TownWorld) -> None:
    make_round(world)
    content = problems_file(1, 3)
    report = import_sheet(importer=INSPECTION_PROBLEMS, content=content, ctx=ctx(world))
    assert (report.ok, report.imported) == (True, 3)
    imported = list(InspectionProblem.objects.order_by("id"))
    rows = read_sheet(INSPECTION_PROBLEMS, content).rows
    parsed = [INSPECTION_PROBLEMS.parse_row(values, ctx=ctx(world)) for _number, values in rows]
    by_engine = [
        record_problem(
            round=p.round, inspector=p.inspector, item=p.item, description=p.description, spot=p.spot,
            area=p.village, now=p.found_at, import_key=p.import_key[:57] + "-engine", require_photo=False,
        )
        for p in parsed
    ]  # fmt: skip
    assert_filed_as_engine(town=world.town, imported=[p.case for p in imported], by_engine=[p.case for p in by_engine])

    def detail(problem: InspectionProblem) -> tuple[object, ...]:
        return (problem.round_id, problem.item_id, problem.village_id, problem.department_id, problem.deduction,
                problem.spot, problem.found_at)  # fmt: skip

    assert [detail(p) for p in imported] == [detail(p) for p in by_engine]


def test_open_problems_write_flat_and_a_failing_row_writes_nothing(world: TownWorld) -> None:
    make_round(world)
    assert_write_flat(importer=INSPECTION_PROBLEMS, ctx=ctx(world), file_of=problems_file)
    before = (InspectionProblem.objects.count(), Case.objects.count())
    # a finished problem in 双合村 and an open one in a village without its committee: nothing is written, and
    # the report names the open row as Excel shows it (row 3: the header is row 1), though it failed in planning
    Department.objects.filter(area=world.village_b, kind=DepartmentKind.VILLAGE_COMMITTEE).update(active=False)
    rows = [
        [ROUND, "A01", "双合村", "村口", "垃圾", "2026-11-24 10:00", "", date(2026, 11, 25)],
        [ROUND, "A01", "火箭", "礼堂", "垃圾", "2026-11-24 11:00", "", ""],
    ]
    refused = [(3, "", "火箭村没有启用的村（社区）委员会，无法派遣")]
    # the dry run finds it too (it plans the rows as the import would), so a clean dry run means a clean import
    checked = dry_run(importer=INSPECTION_PROBLEMS, content=workbook(HEADERS, rows), ctx=ctx(world))
    assert [(e.row, e.column, e.message) for e in checked.errors] == refused
    assert (InspectionProblem.objects.count(), Case.objects.count()) == before
    report = import_sheet(importer=INSPECTION_PROBLEMS, content=workbook(HEADERS, rows), ctx=ctx(world))
    assert [(e.row, e.column, e.message) for e in report.errors] == refused
    assert (report.imported, InspectionProblem.objects.count(), Case.objects.count()) == (0, *before)


def _without_village_b_committee(world: TownWorld) -> None:
    """A round to import into, and 火箭村's committee no longer active: its open rows cannot be dispatched."""
    make_round(world)
    Department.objects.filter(area=world.village_b, kind=DepartmentKind.VILLAGE_COMMITTEE).update(active=False)


def test_the_dry_run_lists_a_village_without_its_committee_beside_the_rows_own_errors(world: TownWorld) -> None:
    """Every bad row in one dry run: the rows checked together are checked even when other rows are bad, so
    the user does not fix the file only to be refused again for a row that was reported as passing."""
    _without_village_b_committee(world)
    rows = [
        [ROUND, "A01", "双合村", "村口", "垃圾", "2026-11-24 10:00", "", ""],
        [ROUND, "A01", "火箭", "礼堂", "垃圾", "2026-11-24 11:00", "", ""],
        [ROUND, "A01", "双合村", "桥头", "垃圾", "2026-11-31 10:00", "", ""],
    ]
    checked = dry_run(importer=INSPECTION_PROBLEMS, content=workbook(HEADERS, rows), ctx=ctx(world))
    assert [(e.row, e.column, e.message) for e in checked.errors] == [
        (4, "发现时间", "“2026-11-31”不是有效日期，请写成2026-11-25或2026年11月25日"),
        (3, "", "火箭村没有启用的村（社区）委员会，无法派遣"),
    ]
    assert (checked.total, checked.valid) == (3, 1)
    assert InspectionProblem.objects.count() == 0


def test_every_row_for_a_village_without_its_committee_is_listed_in_one_upload(world: TownWorld) -> None:
    """Two open rows that cannot be dispatched: both are named in one dry run and in one refused import, so
    the user fixes the file once."""
    _without_village_b_committee(world)
    rows = [
        [ROUND, "A01", "火箭", "礼堂", "垃圾", "2026-11-24 11:00", "", ""],
        [ROUND, "A01", "双合村", "村口", "垃圾", "2026-11-24 10:00", "", ""],
        [ROUND, "A01", "火箭", "码头", "垃圾", "2026-11-24 12:00", "", ""],
    ]
    refused = [
        (2, "", "火箭村没有启用的村（社区）委员会，无法派遣"),
        (4, "", "火箭村没有启用的村（社区）委员会，无法派遣"),
    ]
    checked = dry_run(importer=INSPECTION_PROBLEMS, content=workbook(HEADERS, rows), ctx=ctx(world))
    assert ([(e.row, e.column, e.message) for e in checked.errors], checked.valid) == (refused, 1)
    imported = import_sheet(importer=INSPECTION_PROBLEMS, content=workbook(HEADERS, rows), ctx=ctx(world))
    assert [(e.row, e.column, e.message) for e in imported.errors] == refused
    assert (imported.imported, InspectionProblem.objects.count()) == (0, 0)


def test_a_village_the_town_does_not_have_is_refused_with_the_towns_villages(world: TownWorld) -> None:
    make_round(world)
    rows = [[ROUND, "A01", "双河村", "村口", "垃圾", "2026-11-24 10:00", "", ""]]
    checked = dry_run(importer=INSPECTION_PROBLEMS, content=workbook(HEADERS, rows), ctx=ctx(world))
    assert [(e.row, e.column, e.message) for e in checked.errors] == [
        (2, "村（社区）", "村社“双河村”不存在，本镇的村社有：双合村、火箭村")
    ]
