"""Numbers as the work report writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from gridgov.data.reports import phrasing


@pytest.mark.parametrize(
    ("value", "approximate", "expected"),
    [
        (3124, False, "3124件"),
        (1467, True, "1460余件"),
        (1460, True, "1460件"),
        (2034, True, "2030余件"),
        (17, True, "17件"),
        (0, True, "0件"),
        (None, True, "—"),
    ],
)
def test_count(value, approximate, expected) -> None:
    assert phrasing.count(value, "件", approximate=approximate) == expected


@pytest.mark.parametrize(
    ("yuan", "approximate", "expected"),
    [
        (Decimal("16234567"), True, "1600余万元"),
        (Decimal("16000000"), True, "1600万元"),
        (Decimal("189000000"), False, "1.89亿元"),
        (Decimal("188960000"), False, "1.89亿元"),
        (Decimal("2780000000"), False, "27.8亿元"),
        (Decimal("2783400000"), False, "27.8亿元"),
        (Decimal("3560000"), False, "356万元"),
        (Decimal("12345678"), False, "1235万元"),
        (Decimal("8500"), False, "8500元"),
        (Decimal("250000"), True, "25万元"),
        (Decimal("253000"), True, "25余万元"),
        (Decimal("123000000"), True, "1.2余亿元"),
        (Decimal("0"), False, "0元"),
        (None, False, "—"),
    ],
)
def test_money(yuan, approximate, expected) -> None:
    assert phrasing.money(yuan, approximate=approximate) == expected


@pytest.mark.parametrize(
    ("rate", "prose", "expected"),
    [
        (Decimal("0.98"), False, "98.0%"),
        (Decimal("0.98"), True, "98%"),
        (Decimal(1), True, "100%"),
        (Decimal("0.9876"), True, "98.8%"),
        (Decimal("0.00049"), False, "0.0%"),
        (None, False, "—"),
    ],
)
def test_percent(rate, prose, expected) -> None:
    assert phrasing.percent(rate, prose=prose) == expected


@pytest.mark.parametrize(
    ("rate", "expected"),
    [(Decimal("0.6617"), "增长66.17%"), (Decimal("-0.032"), "下降3.20%"), (Decimal(0), "持平"), (None, "—")],
)
def test_change(rate, expected) -> None:
    assert phrasing.change(rate) == expected


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (Decimal(184) / Decimal(188), "98%"),
        (Decimal(1), "100%"),
        (Decimal(3123) / Decimal(3124), "99.9%"),
        (Decimal("0.004"), "0.4%"),
        (Decimal("0.0004"), "0.1%"),
        (Decimal(0), "0%"),
        (Decimal("0.665"), "67%"),
        (None, "—"),
    ],
)
def test_percent_whole_as_the_work_report_writes_it(rate: Decimal | None, expected: str) -> None:
    assert phrasing.percent_whole(rate) == expected


@pytest.mark.parametrize(
    ("value", "unit", "approximate", "expected"),
    [
        (3124, "件", False, "3,124"),
        (698, "cases", False, "698 cases"),
        (1467, "", True, "over 1,460"),
        (2034, "items", True, "over 2,030 items"),
        (1460, "", True, "1,460"),
        (17, "", True, "17"),
        (1, "villages", False, "1 village"),
        (1, "households", False, "1 household"),
        (6, "villages", False, "6 villages"),
        (1, "enterprises", False, "1 enterprise"),
        (1, "major categories", False, "1 major category"),
        (1, "projects", False, "1 project"),
        (1, "mu", False, "1 mu"),
    ],
)
def test_count_in_english(value, unit, approximate, expected) -> None:
    with translation.override("en"):
        assert phrasing.count(value, unit, approximate=approximate) == expected


@pytest.mark.parametrize(
    ("yuan", "approximate", "expected"),
    [
        (Decimal("189000000"), False, "189 million yuan"),
        (Decimal("2780000000"), False, "2.78 billion yuan"),
        (Decimal("8600000"), False, "8.6 million yuan"),
        (Decimal("16234567"), True, "over 16 million yuan"),
        (Decimal("16000000"), True, "16 million yuan"),
        (Decimal("8500"), False, "8,500 yuan"),
        (Decimal("-3560000"), False, "-3.56 million yuan"),
        (0, False, "0 yuan"),
    ],
)
def test_money_in_english(yuan, approximate, expected) -> None:
    with translation.override("en"):
        assert phrasing.money(yuan, approximate=approximate) == expected


def test_chinese_stays_chinese_when_the_language_is_chinese() -> None:
    with translation.override("zh-hans"):
        assert phrasing.money(Decimal("16234567"), approximate=True) == "1600余万元"
        assert phrasing.count(1467, "条", approximate=True) == "1460余条"
