"""Economic and social indicators: targets, actuals, year to date, completion and year-on-year change."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gridgov.data.errors import InvalidInput
from gridgov.data.reports.domain.economy import (
    ActualEntry,
    define_indicator,
    indicator_table,
    parse_value,
    record_actual,
    record_actuals,
    set_target,
)
from gridgov.data.reports.enums import Accumulation, Frequency, IndicatorKind
from gridgov.data.reports.models import IndicatorActual
from tests.factories import MONDAY_0900, TownWorld


@pytest.fixture
def output(world: TownWorld):
    return define_indicator(town=world.town, code="GYZCZ", name="工业总产值", unit="万元", kind=IndicatorKind.INDUSTRY)


def test_period_values_sum_to_date_and_compare_with_the_same_months_last_year(world: TownWorld, output) -> None:
    set_target(indicator=output, year=2026, value="30000")
    for month, value in ((1, "1000"), (2, "1200"), (3, "1300")):
        record_actual(indicator=output, year=2025, period=month, value=value, user=world.leader, now=MONDAY_0900)
    record_actual(indicator=output, year=2025, period=4, value="9999", user=world.leader, now=MONDAY_0900)
    for month, value in ((1, "1500"), (2, "1600"), (3, "1900")):
        record_actual(indicator=output, year=2026, period=month, value=value, user=world.leader, now=MONDAY_0900)
    [row] = indicator_table(town=world.town, year=2026)
    assert (row.through, row.through_label) == (3, "3月")
    assert (row.to_date, row.last_year_to_date, row.target) == (Decimal(5000), Decimal(3500), Decimal(30000))
    assert row.change == Decimal(1500) / Decimal(3500)
    assert row.completion == Decimal(5000) / Decimal(30000)


def test_cumulative_values_take_the_latest_period(world: TownWorld) -> None:
    revenue = define_indicator(
        town=world.town,
        code="CZSR",
        name="财政总收入",
        unit="万元",
        frequency=Frequency.QUARTERLY,
        accumulation=Accumulation.CUMULATIVE,
    )
    record_actual(indicator=revenue, year=2025, period=1, value="800", user=None, now=MONDAY_0900)
    record_actual(indicator=revenue, year=2025, period=2, value="1600", user=None, now=MONDAY_0900)
    record_actual(indicator=revenue, year=2026, period=1, value="1000", user=None, now=MONDAY_0900)
    record_actual(indicator=revenue, year=2026, period=2, value="2000", user=None, now=MONDAY_0900)
    [row] = indicator_table(town=world.town, year=2026)
    assert (row.through_label, row.to_date, row.last_year_to_date, row.change) == (
        "第二季度",
        Decimal(2000),
        Decimal(1600),
        Decimal("0.25"),
    )
    assert row.completion is None  # no target


def test_no_actuals_and_no_last_year_give_no_change(world: TownWorld, output) -> None:
    [row] = indicator_table(town=world.town, year=2026)
    assert (row.through, row.to_date, row.change, row.completion) == (None, None, None, None)
    record_actual(indicator=output, year=2026, period=1, value="10", user=None, now=MONDAY_0900)
    [row] = indicator_table(town=world.town, year=2026)
    assert (row.to_date, row.change) == (Decimal(10), None)


def test_correcting_an_actual_replaces_it(world: TownWorld, output) -> None:
    record_actual(indicator=output, year=2026, period=1, value="10", user=None, now=MONDAY_0900)
    record_actual(indicator=output, year=2026, period=1, value="12.5", user=world.leader, now=MONDAY_0900)
    assert list(IndicatorActual.objects.values_list("value", "entered_by")) == [(Decimal("12.5"), world.leader.pk)]


@pytest.mark.parametrize(
    ("raw", "expected"), [("27.8", Decimal("27.8")), ("1,234.5", Decimal("1234.5")), ("１２３", Decimal(123))]
)
def test_values_as_people_type_them(raw, expected) -> None:
    assert parse_value(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"), [("", "请填写数值"), ("abc", "“abc”不是有效的数字"), ("1e20", "数值超出范围")]
)
def test_bad_values_are_refused_with_a_chinese_message(raw, message) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_value(raw)
    assert (error.value.message, error.value.field) == (message, "value")


def test_month_13_and_quarter_5_are_refused(world: TownWorld, output) -> None:
    with pytest.raises(InvalidInput, match="月份必须在 1 至 12 之间"):
        record_actual(indicator=output, year=2026, period=13, value="1", user=None)
    quarterly = define_indicator(town=world.town, code="Q", name="季度指标", unit="个", frequency=Frequency.QUARTERLY)
    with pytest.raises(InvalidInput, match="季度必须在 1 至 4 之间"):
        record_actual(indicator=quarterly, year=2026, period=5, value="1", user=None)


def test_duplicate_code_or_name_is_refused(world: TownWorld, output) -> None:
    with pytest.raises(InvalidInput, match="指标编码 GYZCZ 已存在"):
        define_indicator(town=world.town, code="GYZCZ", name="另一个", unit="万元")
    with pytest.raises(InvalidInput, match="指标“工业总产值”已存在"):
        define_indicator(town=world.town, code="X", name="工业总产值", unit="万元")


def test_a_batch_of_actuals_is_all_or_nothing(world: TownWorld, output) -> None:
    entries = [ActualEntry("GYZCZ", 2026, 1, "10"), ActualEntry("GYZCZ", 2026, 2, "bad")]
    with pytest.raises(InvalidInput):
        record_actuals(town=world.town, entries=entries, user=None, now=MONDAY_0900)
    assert IndicatorActual.objects.count() == 0


def test_indicator_table_query_count_does_not_grow(world: TownWorld, django_assert_num_queries) -> None:
    for n in range(5):
        d = define_indicator(town=world.town, code=f"I{n}", name=f"指标{n}", unit="个")
        record_actual(indicator=d, year=2026, period=1, value=n, user=None, now=MONDAY_0900)
    with django_assert_num_queries(3):
        indicator_table(town=world.town, year=2026)
