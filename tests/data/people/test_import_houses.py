"""Excel import of 出租房屋台账: houses by their standard address, every bad row named in Chinese, all or nothing,
the same file twice writes nothing twice, and a village's staff import into their own village only."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest

from gridgov.data.errors import InvalidInput
from gridgov.data.people.domain.houses import HouseInput, register_house
from gridgov.data.people.enums import HouseUse
from gridgov.data.people.importers import HOUSES
from gridgov.data.people.models import House
from gridgov.data.sheets.framework import FailedAt, RowError, dry_run, import_sheet
from gridgov.types import CellValue
from tests.data.people.factories import make_house
from tests.factories import MONDAY_0900, TownWorld
from tests.sheets import import_context, workbook

HEADERS = ["村(社区)", "网格", "地址", "房屋用途", "间数", "纬度", "经度", "备注"]
GOOD: list[list[CellValue]] = [
    ["双合村", "双合村第1网格", "双合村1组1号", "出租", 3, "30.245123", "122.201456", "沿街"],
    ["双合", "", "双合村1组2号", "群租房", "12", "", "", ""],
    ["火箭村", "火箭村第1网格", "火箭村2组8号", "闲置农房", "", "", "", ""],
]


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    return workbook(HEADERS, rows)


def test_a_good_house_register_is_checked_then_imported_once(world: TownWorld):
    content = xlsx(GOOD)
    checked = dry_run(importer=HOUSES, content=content, ctx=import_context(world))
    assert (checked.errors, checked.valid, House.objects.count()) == ([], 3, 0)

    report = import_sheet(importer=HOUSES, content=content, ctx=import_context(world))
    assert (report.errors, report.imported) == ([], 3)
    rows = set(House.objects.values_list("village", "grid", "address", "use", "rooms", "latitude", "longitude", "note"))
    assert rows == {
        (
            world.village_a.pk,
            world.grid_a.pk,
            "双合村1组1号",
            HouseUse.RENTED,
            3,
            Decimal("30.245123"),
            Decimal("122.201456"),
            "沿街",
        ),
        (world.village_a.pk, None, "双合村1组2号", HouseUse.GROUP_RENTAL, 12, None, None, ""),
        (world.village_b.pk, world.grid_b.pk, "火箭村2组8号", HouseUse.IDLE, 1, None, None, ""),
    }

    again = import_sheet(importer=HOUSES, content=content, ctx=import_context(world))
    assert (again.errors, again.skipped, again.imported, House.objects.count()) == ([], 3, 0, 3)


def test_each_bad_row_is_named_and_nothing_is_written(world: TownWorld):
    make_house(world, village=world.village_b, grid=world.grid_b, address="火箭村1号")
    rows: list[list[CellValue]] = [
        GOOD[0],
        ["不存在村", "", "某地1号", "出租", 1, "", "", ""],
        ["双合村", "第9网格", "双合村9号", "出租", 1, "", "", ""],
        ["双合村", "火箭村第1网格", "双合村10号", "出租", 1, "", "", ""],
        ["双合村", "", "火箭村1号", "出租", 1, "", "", ""],
        ["双合村", "", "双合村11号", "仓库", 1, "", "", ""],
        ["双合村", "", "双合村12号", "出租", 0, "", "", ""],
        ["双合村", "", "双合村13号", "出租", 1, "95", "122", ""],
        ["双合村", "", "双合村14号", "出租", 1, "30", "", ""],
        ["双合村", "", "双合村1组1号", "自住", 1, "", "", ""],
        ["双合村", "", "双合村15号", "出租", 1, "北纬30度", "122", ""],
    ]
    expected = [
        RowError(3, "村(社区)", "村社“不存在村”不存在，本镇的村社有：双合村、火箭村"),
        RowError(4, "网格", "找不到网格“第9网格”"),
        RowError(5, "网格", "网格“火箭村第1网格”不属于双合村"),
        RowError(6, "地址", "地址“火箭村1号”已登记在火箭村第1网格，与本行的村(社区)或网格不符"),
        RowError(7, "房屋用途", "“仓库”不是可选值（可选：自住、出租、群租房、闲置农房、经营）"),
        RowError(8, "间数", "间数应在 1 到 9999 之间"),
        RowError(9, "纬度", "纬度应在 -90 到 90 之间"),
        RowError(10, "纬度", "请同时填写经度和纬度"),
        RowError(11, "", "与第2行重复"),
        RowError(12, "纬度", "“北纬30度”不是数字，请填十进制度数（如 30.2458）"),
    ]
    checked = dry_run(importer=HOUSES, content=xlsx(rows), ctx=import_context(world))
    assert (checked.errors, checked.valid) == (expected, 1)
    report = import_sheet(importer=HOUSES, content=xlsx(rows), ctx=import_context(world))
    assert (report.errors, report.imported, House.objects.count()) == (expected, 0, 1)


def test_a_village_s_staff_import_into_their_village_only(world: TownWorld):
    assert HOUSES.allowed(world.village_staff_a)
    assert not HOUSES.allowed(world.leader)
    assert not HOUSES.allowed(world.grid_worker_a)
    ctx = import_context(world, world.village_staff_a)
    report = import_sheet(importer=HOUSES, content=xlsx(GOOD), ctx=ctx)
    assert (report.errors, House.objects.count()) == ([RowError(4, "村(社区)", "您无权在火箭村第1网格登记房屋")], 0)
    own = import_sheet(importer=HOUSES, content=xlsx(GOOD[:2]), ctx=ctx)
    assert (own.errors, own.imported) == ([], 2)
    worker = import_sheet(importer=HOUSES, content=xlsx(GOOD[1:2]), ctx=import_context(world, world.grid_worker_a))
    assert worker.errors == [RowError(2, "村(社区)", "您无权在双合村登记房屋")]


def test_an_address_registered_at_another_desk_meanwhile_fails_its_row_and_writes_nothing(world: TownWorld):
    keys = [column.key for column in HOUSES.columns]
    ctx = import_context(world)
    checked = [HOUSES.parse_row(dict(zip(keys, row, strict=True)), ctx=ctx) for row in GOOD]
    make_house(world, village=world.village_a, grid=None, address="双合村1组2号")
    with pytest.raises(FailedAt) as failed:
        HOUSES.apply_all(checked, ctx=ctx)
    assert [(index, error.message) for index, error in failed.value.failures] == [(1, "标准地址“双合村1组2号”已登记")]
    assert House.objects.count() == 1


@pytest.mark.parametrize(
    ("rooms", "latitude", "longitude"),
    [
        (0, "30.1", "122.1"),
        (10000, "", ""),
        (1, "95", ""),  # out of range and alone: the form says both are needed first
        (1, "", "200"),
        (1, "30.1", "181"),
        (1, "-91", "122.1"),
        (1, "NaN", "122.1"),
    ],
)
def test_a_house_imported_is_refused_as_the_form_refuses_it(
    world: TownWorld, rooms: int, latitude: str, longitude: str
) -> None:
    data = HouseInput(
        town=world.town,
        village=world.village_a,
        address="双合村16号",
        rooms=rooms,
        latitude=Decimal(latitude) if latitude else None,
        longitude=Decimal(longitude) if longitude else None,
    )
    with pytest.raises(InvalidInput) as typed:
        register_house(actor=world.operator, data=data, now=MONDAY_0900)
    column = {"rooms": "间数", "latitude": "纬度", "longitude": "经度"}[typed.value.field or ""]
    row = ["双合村", "", "双合村16号", "出租", rooms, latitude, longitude, ""]
    checked = dry_run(importer=HOUSES, content=xlsx([row]), ctx=import_context(world))
    assert checked.errors == [RowError(2, column, typed.value.message)]
