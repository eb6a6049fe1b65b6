"""The 群租房整改台账 import: accepted rows become closed historical cases counted in their year, rectified
rows wait for acceptance, open rows are filed exactly as ``record_rectification`` files them; the dry run
names each bad row and column, and a file with one bad row writes nothing."""

from __future__ import annotations

from datetime import date, datetime

from gridgov.data.cases.enums import Kind, Status
from gridgov.data.cases.models import Case
from gridgov.data.org.enums import Role
from gridgov.data.people.enums import HouseUse
from gridgov.data.rentals.domain import record_rectification
from gridgov.data.rentals.figures import rectified_rooms
from gridgov.data.rentals.importers import RECTIFICATIONS
from gridgov.data.rentals.models import Rectification
from gridgov.data.sheets.framework import ImportContext, dry_run, import_sheet, read_sheet
from gridgov.data.sheets.workbooks import workbook
from tests.data.ledger_bulk import assert_filed_as_engine, assert_write_flat
from tests.data.rentals.builders import fire_safety_by, make_house
from tests.factories import MONDAY_0900, SHANGHAI, TownWorld

HEADERS = ["地址", "间数", "问题", "措施", "发现日期", "整改完成日期", "验收日期"]


def ctx_of(world: TownWorld) -> ImportContext:
    return ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)


def test_finished_and_open_rows(world: TownWorld) -> None:
    fire_safety_by(world)
    for address in ("双合村1组1号", "双合村1组2号", "双合村1组3号"):
        make_house(world, address, rooms=6)
    content = workbook("群租房整改台账", HEADERS, [
        ["双合村1组1号", 4, "消防通道堵塞、电动车室内充电", "清理通道", "2025年3月1日", "2025-03-10", "2025-03-12"],
        ["双合村1组2号", "2", "无烟感报警器", "加装烟感", date(2026, 11, 20), date(2026, 11, 21), ""],
        ["双合村1组3号", 3, "电线私拉乱接", "", date(2026, 11, 22), "", ""],
    ])  # fmt: skip
    report = import_sheet(importer=RECTIFICATIONS, content=content, ctx=ctx_of(world))
    assert (report.ok, report.imported) == (True, 3)
    rows = list(Rectification.objects.select_related("case", "house").order_by("house__address"))
    assert [(r.house.address, r.rooms, r.problems, r.case.kind, r.case.status) for r in rows] == [
        ("双合村1组1号", 4, "blocked_exit,indoor_charging", Kind.HAZARD, Status.CLOSED),
        ("双合村1组2号", 2, "no_smoke_alarm", Kind.HAZARD, Status.RESOLVED),
        ("双合村1组3号", 3, "wiring", Kind.HAZARD, Status.DISPATCHED),
    ]
    assert (rows[0].rectified_on, rows[0].case.closed_at) == (
        date(2025, 3, 10),
        datetime(2025, 3, 12, 17, 30, tzinfo=SHANGHAI),
    )
    assert rectified_rooms(town=world.town, year=2025).value == 4
    assert rectified_rooms(town=world.town, year=2026).value == 0
    # the open row is filed exactly as the engine files it
    parsed = RECTIFICATIONS.parse_row(read_sheet(RECTIFICATIONS, content).rows[2][1], ctx=ctx_of(world))
    by_engine = record_rectification(actor=world.operator, data=parsed.data, now=MONDAY_0900, import_key="engine")
    assert_filed_as_engine(town=world.town, imported=[rows[2].case], by_engine=[by_engine.case])
    # imported again: every row is known and skipped
    again = import_sheet(importer=RECTIFICATIONS, content=content, ctx=ctx_of(world))
    assert (again.ok, again.skipped, Rectification.objects.count()) == (True, 3, 4)


def test_dry_run_names_each_bad_row_and_nothing_is_written(world: TownWorld) -> None:
    fire_safety_by(world)
    make_house(world, "双合村1组1号", rooms=4)
    make_house(world, "双合村1组9号", rooms=4, use=HouseUse.OWN)
    content = workbook("群租房整改台账", HEADERS, [
        ["双合村1组1号", 2, "消防通道堵塞", "", date(2026, 11, 2), "", ""],
        ["双合村9组9号", 2, "消防通道堵塞", "", date(2026, 11, 2), "", ""],
        ["双合村1组9号", 2, "消防通道堵塞", "", date(2026, 11, 2), "", ""],
        ["双合村1组1号", 5, "消防通道堵塞", "", date(2026, 11, 3), "", ""],
        ["双合村1组1号", 1, "乱堆乱放", "", date(2026, 11, 4), "", ""],
        ["双合村1组1号", 1, "无烟感报警器", "", date(2026, 11, 1), "2026-11-06", "2026-11-04"],
        ["双合村1组1号", 1, "无烟感报警器", "", date(2026, 11, 30), "", ""],
    ])  # fmt: skip
    report = dry_run(importer=RECTIFICATIONS, content=content, ctx=ctx_of(world))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "地址", "找不到房屋“双合村9组9号”，请先在实有房屋中登记"),
        (4, "地址", "房屋“双合村1组9号”不是群租房"),
        (5, "间数", "涉及间数不能超过该房屋的间数（4间）"),
        (6, "问题", "“乱堆乱放”不是可选的问题（可选：消防通道堵塞、电动车室内充电、无烟感报警器、未配灭火器、"
                    "电线私拉乱接、易燃材料隔断、防盗窗封闭无逃生口、其他）"),
        (7, "验收日期", "验收日期早于整改完成日期"),
        (8, "发现日期", "发现日期不能晚于今天"),
    ]  # fmt: skip
    assert report.valid == 1
    written = import_sheet(importer=RECTIFICATIONS, content=content, ctx=ctx_of(world))
    assert (written.ok, written.imported, Case.objects.count(), Rectification.objects.count()) == (False, 0, 0, 0)


def test_open_rows_write_flat(world: TownWorld) -> None:
    fire_safety_by(world)

    def file_of(first: int, n: int) -> bytes:
        rows = []
        for i in range(first, first + n):
            make_house(world, f"双合村2组{i}号", rooms=3)
            rows.append([f"双合村2组{i}号", 2, "消防通道堵塞", "", date(2026, 11, 2), "", ""])
        return workbook("群租房整改台账", HEADERS, rows)

    assert_write_flat(importer=RECTIFICATIONS, ctx=ctx_of(world), file_of=file_of)


def test_only_the_command_room_imports(world: TownWorld) -> None:
    roles = (Role.OPERATOR, Role.ADMIN, Role.LEADER, Role.HANDLER)
    assert [RECTIFICATIONS.allowed(world.persona(role)) for role in roles] == [True, True, False, False]
