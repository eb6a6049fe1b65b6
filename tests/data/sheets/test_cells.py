"""The shared cell readers of the ledger importers: later dates, optional choices, domain checks."""

from __future__ import annotations

from datetime import date

import pytest

from gridgov.data.cases.enums import Satisfaction
from gridgov.data.errors import InvalidInput
from gridgov.data.people.enums import ResidentKind
from gridgov.data.sheets import cells
from gridgov.data.sheets.cells import LaterDate
from gridgov.data.sheets.framework import RowInvalid
from gridgov.types import SheetRow
from tests.factories import TownWorld

FOUND = date(2026, 5, 1)
TODAY = date(2026, 5, 20)
RECTIFIED = LaterDate("rectified_on", "整改完成日期早于发现日期", "整改完成日期晚于今天")
CLOSED = LaterDate("closed_on", "销号日期早于发现日期", "销号日期晚于今天")


def _dates(row: SheetRow) -> tuple[date | None, date | None]:
    return cells.later_dates(
        row, opened_on=FOUND, today=TODAY, resolved=RECTIFIED, closed=CLOSED, closed_before_resolved="销号早于整改"
    )


def test_later_dates_read_both_and_may_be_blank() -> None:
    assert _dates({"rectified_on": "2026-05-03", "closed_on": "2026年5月4日"}) == (date(2026, 5, 3), date(2026, 5, 4))
    assert _dates({"rectified_on": "", "closed_on": None}) == (None, None)
    assert _dates({}) == (None, None)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"rectified_on": "2026-04-30"}, "rectified_on", "整改完成日期早于发现日期"),
        ({"closed_on": "2026-04-30"}, "closed_on", "销号日期早于发现日期"),
        ({"rectified_on": "2026-05-05", "closed_on": "2026-05-04"}, "closed_on", "销号早于整改"),
        ({"rectified_on": "2026-05-21"}, "rectified_on", "整改完成日期晚于今天"),
        ({"closed_on": "2026-05-21"}, "closed_on", "销号日期晚于今天"),
        # the order of the dates is checked before today: a rectification after today is not named first
        ({"rectified_on": "2026-05-21", "closed_on": "2026-04-30"}, "closed_on", "销号日期早于发现日期"),
    ],
)
def test_later_dates_name_the_first_fault(row: SheetRow, column: str, message: str) -> None:
    with pytest.raises(RowInvalid) as caught:
        _dates(row)
    assert (caught.value.column, caught.value.message) == (column, message)


def test_one_later_date() -> None:
    assert cells.later_date({"closed_on": "2026-05-02"}, CLOSED, opened_on=FOUND, today=TODAY) == date(2026, 5, 2)
    assert cells.later_date({}, CLOSED, opened_on=FOUND, today=TODAY) is None
    with pytest.raises(RowInvalid, match="销号日期晚于今天"):
        cells.later_date({"closed_on": "2026-06-01"}, CLOSED, opened_on=FOUND, today=TODAY)


def test_not_after() -> None:
    cells.not_after(None, TODAY, column="found_on", message="晚")
    cells.not_after(TODAY, TODAY, column="found_on", message="晚")
    with pytest.raises(RowInvalid, match="晚"):
        cells.not_after(date(2026, 5, 21), TODAY, column="found_on", message="晚")


def test_optional_choice() -> None:
    assert cells.optional_choice("", Satisfaction, column="satisfaction") is None
    assert cells.optional_choice(None, Satisfaction, column="satisfaction") is None
    assert cells.optional_choice("满意", Satisfaction, column="satisfaction") == Satisfaction.SATISFIED
    with pytest.raises(RowInvalid):
        cells.optional_choice("很好", Satisfaction, column="satisfaction")


def test_choice_by_a_ledgers_own_word() -> None:
    words = {"流动": ResidentKind.FLOATING, "外籍": ResidentKind.FOREIGN}
    assert cells.choice("流动", ResidentKind, column="kind", words=words) == ResidentKind.FLOATING
    assert cells.choice("户籍人口", ResidentKind, column="kind", words=words) == ResidentKind.REGISTERED
    assert cells.choice("foreign", ResidentKind, column="kind", words=words) == ResidentKind.FOREIGN
    default = ResidentKind.REGISTERED
    assert cells.choice(None, ResidentKind, column="kind", default=default, words=words) == default
    with pytest.raises(RowInvalid) as refused:
        cells.choice("常住", ResidentKind, column="kind", words=words)
    assert (refused.value.column, refused.value.message) == (
        "kind",
        "“常住”不是可选值（可选：户籍人口、流动人口、境外人员）",
    )


def test_checked_names_the_column() -> None:
    def check(value: str) -> str:
        if not value.isdigit():
            raise InvalidInput("不是数字")
        return value

    assert cells.checked(check, "12", column="phone") == "12"
    with pytest.raises(RowInvalid) as caught:
        cells.checked(check, "x", column="phone")
    assert (caught.value.column, caught.value.message) == ("phone", "不是数字")


@pytest.mark.parametrize("typed", ["双合村第1网格", "双合村第一网格", "双合村 第１网格", "33092110220101"])
def test_a_grid_is_found_however_its_number_is_written(world: TownWorld, typed: str) -> None:
    grids = [world.grid_a, world.grid_b]
    assert cells.area_by_name(typed, candidates=grids, column="grid", what="网格") == world.grid_a


def test_a_grid_of_another_number_is_not_found(world: TownWorld) -> None:
    with pytest.raises(RowInvalid) as caught:
        cells.area_by_name("双合村第十一网格", candidates=[world.grid_a, world.grid_b], column="grid", what="网格")
    assert (caught.value.column, caught.value.message) == ("grid", "找不到网格“双合村第十一网格”")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("3", 3), (3, 3), (3.0, 3), ("３", 3), ("1,200", 1200), ("3间", 3), ("12 户", 12), ("2023年", 2023), ("", 0)],
)
def test_counts_are_read_as_clerks_write_them(typed: object, expected: int) -> None:
    assert cells.count(typed, column="rooms") == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("三间", "“三间”不是整数"),
        ("3间房屋", "“3间房屋”不是整数"),
        ("2.5间", "“2.5间”不是非负整数"),
        ("-1", "“-1”不是非负整数"),
    ],
)
def test_counts_that_are_no_whole_number_are_refused(typed: str, message: str) -> None:
    with pytest.raises(RowInvalid) as refused:
        cells.count(typed, column="rooms")
    assert (refused.value.column, refused.value.message) == ("rooms", message)
