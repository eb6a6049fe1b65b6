"""Numbers written the way a Chinese work report writes them.

- counts: exact ("3124件") or approximate, floored to tens with 余 ("1460余条" for 1467);
- money in 元: 万元 / 亿元 with three significant figures ("1.89亿元", "27.8亿元", "356万元"), or
  approximate, floored to two significant figures with 余 ("1600余万元" for 16,234,567 元);
- rates (Decimal fractions): "98.0%" on screens, "98%" / "100%" in prose; None (zero denominator) is "—".

In English (the active language is en) the same numbers read as English does: "3,124 cases", "over 1,460",
"189 million yuan", "2.78 billion yuan", "over 16 million yuan"; a Chinese classifier unit (件, 条, 个) is
left out, a translated unit follows after a space.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

DASH = "—"
WAN = Decimal(10_000)
YI = Decimal(100_000_000)
MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)
CJK = re.compile(r"[\u3400-\u9fff]")


def english() -> bool:
    return (get_language() or "").startswith("en")


# The translated units the figures use, in the singular ("1 issue", "2 issues").
def _singular(unit: str) -> str:
    """The English unit of one: cases → case, major categories → major category, enterprises → enterprise."""
    if unit.endswith("ies"):
        return unit[:-3] + "y"
    if unit.endswith("s") and not unit.endswith("ss"):
        return unit[:-1]
    return unit


def _english_count(value: int, unit: str, approximate: bool) -> str:
    if value == 1:
        unit = _singular(unit)
    unit = f" {unit}" if unit and not CJK.search(unit) else ""
    floored = value - value % 10
    if not approximate or value < 100 or floored == value:
        return f"{value:,}{unit}"
    return f"over {floored:,}{unit}"


def count(value: int | None, unit: str = "", *, approximate: bool = False) -> str:
    """3124件; approximate: 1467 → 1460余条, 1460 → 1460条, 17 → 17条 (numbers under 100 stay exact)."""
    if value is None:
        return DASH
    if english():
        return _english_count(value, unit, approximate)
    if not approximate or value < 100:
        return f"{value}{unit}"
    floored = value - value % 10
    if floored == value:
        return f"{value}{unit}"
    return _("%(n)s余%(unit)s") % {"n": floored, "unit": unit}


def _significant(value: Decimal, digits: int, rounding: str) -> Decimal:
    """``value`` (> 0) kept to ``digits`` significant figures."""
    exponent = value.adjusted() - digits + 1
    return value.quantize(Decimal(1).scaleb(exponent), rounding=rounding)


def _plain(value: Decimal) -> str:
    """A Decimal without exponent and without trailing zeros after the point: 27.80 → 27.8, 1.6E+3 → 1600."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def money(yuan: Decimal | int | None, *, approximate: bool = False) -> str:
    """Yuan as 元 / 万元 / 亿元: 1.89亿元, 27.8亿元, 356万元, 8500元; approximate: 1600余万元."""
    if yuan is None:
        return DASH
    amount = Decimal(yuan)
    if amount < 0:
        return "-" + money(-amount, approximate=approximate)
    if english():
        return _english_money(amount, approximate)
    if amount >= YI:
        scaled, unit = amount / YI, _("亿元")
    elif amount >= WAN:
        scaled, unit = amount / WAN, _("万元")
    else:
        scaled, unit = amount, _("元")
    if scaled == 0:
        return f"0{unit}"
    if approximate:
        floored = _significant(scaled, 2, ROUND_DOWN)
        # "1600余万元": never fewer digits than the integer part has (no 1.6E+3).
        if floored.adjusted() >= 1:
            floored = floored.quantize(Decimal(1), rounding=ROUND_DOWN)
        if floored != scaled:
            return _("%(n)s余%(unit)s") % {"n": _plain(floored), "unit": unit}
        return f"{_plain(floored)}{unit}"
    rounded = _significant(scaled, 3, ROUND_HALF_UP)
    if rounded.adjusted() >= 2:  # 1234万 keeps all its integer digits
        rounded = scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{_plain(rounded)}{unit}"


def _english_money(amount: Decimal, approximate: bool) -> str:
    """189 million yuan, 2.78 billion yuan, 8,500 yuan; approximate: over 16 million yuan."""
    if amount >= BILLION:
        scaled, unit = amount / BILLION, " billion yuan"
    elif amount >= MILLION:
        scaled, unit = amount / MILLION, " million yuan"
    else:
        scaled, unit = amount, " yuan"
    if scaled == 0:
        return "0 yuan"
    if approximate:
        floored = _significant(scaled, 2, ROUND_DOWN)
        if floored.adjusted() >= 1:
            floored = floored.quantize(Decimal(1), rounding=ROUND_DOWN)
        prefix = "over " if floored != scaled else ""
        return f"{prefix}{_grouped(floored)}{unit}"
    rounded = _significant(scaled, 3, ROUND_HALF_UP)
    if rounded.adjusted() >= 2:
        rounded = scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{_grouped(rounded)}{unit}"


def _grouped(value: Decimal) -> str:
    """1600 → 1,600; 2.78 → 2.78."""
    whole, _point, fraction = _plain(value).partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def percent(rate: Decimal | float | None, *, prose: bool = False) -> str:
    """A fraction as a percentage with one decimal (0.98 → 98.0%); prose drops a trailing .0 (98%)."""
    if rate is None:
        return DASH
    value = (Decimal(str(rate)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = format(value, "f")
    if prose and text.endswith(".0"):
        text = text[:-2]
    return f"{text}%"


def percent_whole(rate: Decimal | float | None) -> str:
    """A rate as the work report writes it: whole percent (0.9787 → 98%, 1 → 100%), but never a rounded-up
    100% or a rounded-down 0%: those keep one decimal, rounded away from the claim (0.9996 → 99.9%)."""
    if rate is None:
        return DASH
    exact = Decimal(str(rate)) * 100
    whole = exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if (whole == 100 and exact != 100) or (whole == 0 and exact != 0):
        one = exact.quantize(Decimal("0.1"), rounding=ROUND_DOWN if whole == 100 else ROUND_UP)
        return f"{format(one, 'f')}%"
    return f"{format(whole, 'f')}%"


def change(rate: Decimal | None) -> str:
    """Year-on-year change as the report writes it: 增长66.17% / 下降3.20% / 持平; None → —."""
    if rate is None:
        return DASH
    value = (rate * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value > 0:
        return _("增长%(v)s%%") % {"v": value}
    if value < 0:
        return _("下降%(v)s%%") % {"v": -value}
    return _("持平")
