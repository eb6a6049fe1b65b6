"""Amounts of money as people in a town office type them, read once for every form, sheet and API.

``yuan`` reads 12000, "12,000", "1,600.5元", "¥1,200.00", "人民币3,500万", "1.2亿", "２．１亿元" (full width)
into 元 with two decimals;
``parse_amount`` is the domain's check around it: a Chinese message that names the field (its label), the
field's own lower bound (≥ 0, or > 0 where a zero amount means nothing was paid) and upper bound, and what a
blank means (0, or a refusal). The sheets' ``cells.amount`` reports the same reasons against a column.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput

#: The widest amount column (max_digits=14, decimal_places=2).
MAX_AMOUNT = Decimal("999999999999.99")
_UNITS = (("亿元", 100_000_000), ("万元", 10_000), ("亿", 100_000_000), ("万", 10_000), ("元", 1))
# What may stand before the number: the yuan sign (￥ is ¥ once NFKC-normalised) or the currency's name.
_PREFIXES = ("¥", "人民币", "RMB")


class NotAnAmount(ValueError):
    """Why a value is not an amount, in Chinese, without naming the field."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def yuan(value: Decimal | int | float | str) -> Decimal:
    """``value`` in 元, two decimals, not negative; NotAnAmount with the reason otherwise."""
    if isinstance(value, bool):
        raise NotAnAmount(_("“%(value)s”不是金额") % {"value": value})
    raw = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace(" ", "")
    for prefix in _PREFIXES:
        if raw.upper().startswith(prefix):
            raw = raw[len(prefix) :]
            break
    factor = Decimal(1)
    for suffix, multiplier in _UNITS:
        if raw.endswith(suffix):
            raw, factor = raw[: -len(suffix)], Decimal(multiplier)
            break
    try:
        number = Decimal(raw) * factor
    except InvalidOperation:
        raise NotAnAmount(_("“%(value)s”不是金额") % {"value": value}) from None
    if not number.is_finite():
        raise NotAnAmount(_("“%(value)s”不是金额") % {"value": value})
    if number < 0:
        raise NotAnAmount(_("金额不能为负数"))
    return number.quantize(Decimal("0.01"))


def parse_amount(
    value: Decimal | int | float | str | None,
    *,
    field: str = "amount",
    label: str | Promise | None = None,
    positive: bool = False,
    required: bool = False,
    maximum: Decimal = MAX_AMOUNT,
) -> Decimal:
    """The amount in 元 a form, sheet or API client gave for ``field``; InvalidInput naming it (``label``) when it
    is not an amount, negative, zero where ``positive``, above ``maximum``, or blank where ``required`` (a blank
    is 0 otherwise)."""
    name = str(label) if label is not None else _("金额")
    if value is None or is_blank(value):
        if required or positive:
            raise InvalidInput(_("%(label)s：必填项为空") % {"label": name}, field=field)
        return Decimal("0.00")
    try:
        amount = yuan(value)
    except NotAnAmount as error:
        if error.reason == _("金额不能为负数"):
            raise InvalidInput(_("%(label)s不能为负数") % {"label": name}, field=field) from None
        raise InvalidInput(_("%(label)s：%(reason)s") % {"label": name, "reason": error.reason}, field=field) from None
    if positive and amount == 0:
        raise InvalidInput(_("%(label)s必须大于0") % {"label": name}, field=field)
    if amount > maximum:
        raise InvalidInput(_("%(label)s过大，请核对（单位：元）") % {"label": name}, field=field)
    return amount
