"""One reading of amounts for every form, sheet and API (gridgov.data.amounts)."""

from decimal import Decimal

import pytest

from gridgov.data.amounts import parse_amount
from gridgov.data.errors import InvalidInput
from gridgov.data.sheets import cells
from gridgov.data.sheets.framework import RowInvalid


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1200", Decimal("1200.00")),
        ("1,200", Decimal("1200.00")),
        ("1,200.50元", Decimal("1200.50")),
        ("1.2万", Decimal("12000.00")),
        ("0.35万元", Decimal("3500.00")),
        ("3,500万", Decimal("35000000.00")),
        ("1.2亿", Decimal("120000000.00")),
        ("2.1亿元", Decimal("210000000.00")),
        ("１２００", Decimal("1200.00")),
        ("１，２００．５", Decimal("1200.50")),
        ("２．１亿元", Decimal("210000000.00")),
        (" 35 000 元 ", Decimal("35000.00")),
        ("¥1,200.00", Decimal("1200.00")),
        ("￥1,200", Decimal("1200.00")),
        ("人民币3,500万元", Decimal("35000000.00")),
        ("RMB 100", Decimal("100.00")),
        (800, Decimal("800.00")),
        (Decimal("99.9"), Decimal("99.90")),
        (12.5, Decimal("12.50")),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, expected):
    assert (parse_amount(typed), cells.amount(typed, column="金额")) == (expected, expected)


@pytest.mark.parametrize(
    ("typed", "kwargs", "message"),
    [
        ("-50", {}, "金额不能为负数"),
        ("一千", {}, "金额：“一千”不是金额"),
        ("1.2.3万", {"label": "到位资金"}, "到位资金：“1.2.3万”不是金额"),
        ("Infinity", {}, "金额：“Infinity”不是金额"),
        ("¥", {}, "金额：“¥”不是金额"),
        ("¥-5", {}, "金额不能为负数"),
        (True, {}, "金额：“True”不是金额"),
        ("0", {"positive": True}, "金额必须大于0"),
        ("", {"positive": True}, "金额：必填项为空"),
        (None, {"required": True, "label": "签约金额"}, "签约金额：必填项为空"),
        ("2亿", {"maximum": Decimal("100000000"), "label": "整改资金"}, "整改资金过大，请核对（单位：元）"),
    ],
)
def test_bad_amounts_are_refused_naming_the_field(typed, kwargs, message):
    with pytest.raises(InvalidInput) as refused:
        parse_amount(typed, field="money", **kwargs)
    assert (refused.value.field, refused.value.message) == ("money", message)


def test_a_blank_amount_is_zero_unless_required():
    assert (parse_amount(None), parse_amount("  "), cells.amount("", column="金额")) == (
        Decimal("0.00"),
        Decimal("0.00"),
        None,
    )


def test_a_sheet_names_the_column_with_the_same_reason():
    with pytest.raises(RowInvalid) as refused:
        cells.amount("-3万", column="到位资金")
    assert (refused.value.column, refused.value.message) == ("到位资金", "金额不能为负数")
