"""Excel exports of the people-related lists added with the register's import: the idle farmhouses (闲置农房盘活),
as the list shows them to each role, in a number of queries that does not grow with the rows."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
from django.urls import reverse

from gridgov.data.people.enums import HouseUse
from gridgov.data.people.revitalisation import revitalise_house
from tests.data.rentals.builders import make_house
from tests.factories import MONDAY_0900, TownWorld, signed_in


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_the_farmhouses_export_lists_what_the_page_lists(world: TownWorld, django_assert_num_queries) -> None:
    mine = make_house(world, "双合村5组1号", use=HouseUse.IDLE, rooms=3)
    make_house(world, "火箭村6组2号", use=HouseUse.IDLE, rooms=3, village=world.village_b)
    make_house(world, "双合村5组2号", use=HouseUse.GROUP_RENTAL)  # not idle: not listed
    revitalise_house(actor=world.operator, house=mine, on=date(2026, 11, 20), added_income="35000", now=MONDAY_0900)
    header = ("村/社区", "地址", "盘活状态", "盘活日期", "农户增收（元/年）")

    staff = signed_in(world.village_staff_a)
    page = staff.get(reverse("ledgers:farmhouses"))
    assert reverse("ledgers:farmhouses_export") in page.text
    answer = staff.get(reverse("ledgers:farmhouses_export"))
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _rows(answer.content) == [header, ("双合村", "双合村5组1号", "已盘活", datetime(2026, 11, 20), 35000)]

    operator = signed_in(world.operator)
    operator.get(reverse("ledgers:farmhouses_export"))
    with django_assert_num_queries(5):
        everything = operator.get(reverse("ledgers:farmhouses_export"))
    assert [row[1] for row in _rows(everything.content)] == ["地址", "双合村5组1号", "火箭村6组2号"]
    for n in range(3, 7):
        make_house(world, f"双合村5组{n}号", use=HouseUse.IDLE)
    with django_assert_num_queries(5):  # as many for six houses as for two
        operator.get(reverse("ledgers:farmhouses_export"))
    assert _rows(signed_in(world.handler_b).get(reverse("ledgers:farmhouses_export")).content) == [header]
