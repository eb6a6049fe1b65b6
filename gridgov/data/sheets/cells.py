"""Reading typed values out of ledger cells, the way people fill Excel in a Chinese town office.

Every parser raises :class:`RowInvalid` naming the column, with a Chinese reason that says what was found
and what was expected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import partial
from zoneinfo import ZoneInfo

from django.db.models import Q, TextChoices
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from gridgov.data.amounts import NotAnAmount, yuan
from gridgov.data.errors import InvalidInput
from gridgov.data.org.credit_code import enterprise_by_credit_code
from gridgov.data.org.models import Area, Department, Enterprise
from gridgov.data.org.places import areas_named, village_named
from gridgov.data.sheets.importer import RowInvalid
from gridgov.types import CellValue, SheetRow

SHANGHAI = ZoneInfo("Asia/Shanghai")

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TIME_PATTERN = re.compile(r"^(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})秒?)?分?$")
# The Excel date serials read as dates: 1927-05-18 to 2173-10-14 (smaller numbers are more likely a year or a typo).
_SERIALS = (10_000, 100_000)
_AROUND_SEPARATORS = re.compile(r"\s*([-/.年月])\s*")
_BEFORE_DAY = re.compile(r"\s*日")


def text(value: CellValue, *, column: str, max_length: int | None = None) -> str:
    result = "" if value is None else str(value).strip()
    if max_length is not None and len(result) > max_length:
        raise RowInvalid(column, _("内容过长：最多%(max)s个字，现有%(n)s个字") % {"max": max_length, "n": len(result)})
    return result


def required_text(value: CellValue, *, column: str, max_length: int | None = None) -> str:
    result = text(value, column=column, max_length=max_length)
    if not result:
        raise RowInvalid(column, _("必填项为空"))
    return result


def _date_text(value: CellValue) -> str:
    """A date (and time) typed as text, as it is matched: full width halved (NFKC: ２０２３／３／５), no spaces around
    the separators and 年/月 or before 日 (2023 年 3 月 5 日), one space before a time, "T" of ISO read as a space."""
    raw = " ".join(unicodedata.normalize("NFKC", str(value)).replace("T", " ").split())
    return _AROUND_SEPARATORS.sub(r"\1", _BEFORE_DAY.sub("日", raw))


def _excel_serial(value: CellValue) -> datetime | None:
    """A number in a date column that is an Excel date serial (a date cell formatted as 常规/General shows 45000 for
    2023-03-15): the moment it stands for; None for other numbers (20261125 is read as digits)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not _SERIALS[0] <= value < _SERIALS[1]:
        return None
    moment = from_excel(value)
    return moment if isinstance(moment, datetime) else None


def _clock(text: str) -> time | None:
    """A time of day typed as text (09:30, 9:30:00, 9时30分), or None."""
    match = _TIME_PATTERN.match(text)
    if not match:
        return None
    try:
        return time(int(match[1]), int(match[2]), int(match[3] or 0))
    except ValueError:
        return None


def optional_date(value: CellValue, *, column: str) -> date | None:
    """A date as typed (2026-11-25, 2026/11/25, 2026.11.25, 2026年11月25日, 20261125, full width, with spaces), an
    Excel date cell, or the day of a date and time typed as text (2026-11-25 00:00:00, as other systems export it)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    serial = _excel_serial(value)
    if serial is not None:
        return serial.date()
    raw = str(value).strip()
    day_part, _sep, time_part = _date_text(value).partition(" ")
    if not time_part or _clock(time_part) is not None:
        for pattern in _DATE_PATTERNS:
            match = pattern.match(day_part)
            if match:
                try:
                    return date(int(match[1]), int(match[2]), int(match[3]))
                except ValueError:
                    break
    raise RowInvalid(column, _("“%(value)s”不是有效日期，请写成2026-11-25或2026年11月25日") % {"value": raw})


def required_date(value: CellValue, *, column: str) -> date:
    result = optional_date(value, column=column)
    if result is None:
        raise RowInvalid(column, _("必填项为空"))
    return result


def optional_datetime(value: CellValue, *, column: str) -> datetime | None:
    """A date with an optional time, in Beijing time when the cell carries no zone."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=SHANGHAI)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=SHANGHAI)
    serial = _excel_serial(value)
    if serial is not None:
        return serial.replace(tzinfo=SHANGHAI)
    raw = " ".join(str(value).strip().split())
    day_part, _sep, time_part = _date_text(value).partition(" ")
    day = optional_date(day_part, column=column)
    assert day is not None
    moment = _clock(time_part) if time_part else time(0, 0)
    if moment is None:
        raise RowInvalid(column, _("“%(value)s”不是有效时间，请写成2026-11-25 09:30") % {"value": raw})
    return datetime.combine(day, moment, tzinfo=SHANGHAI)


def amount(value: CellValue, *, column: str, allow_empty: bool = True) -> Decimal | None:
    """A non-negative amount in 元 as people type it (``amounts.yuan``: 1,600.5 / 3,500万 / 1.2亿 / full width)."""
    if value in (None, ""):
        if allow_empty:
            return None
        raise RowInvalid(column, _("必填项为空"))
    try:
        return yuan(value)
    except NotAnAmount as error:
        raise RowInvalid(column, error.reason) from None


# A count written with its unit (3间, 12户, 2023年), as a clerk fills a column: the unit is dropped.
_COUNT_WITH_UNIT = re.compile(r"([+-]?[0-9]+(?:\.[0-9]+)?)\s*[\u4e00-\u9fff]{1,2}")


def count(value: CellValue, *, column: str, default: int = 0) -> int:
    """A whole number ≥ 0: typed in full width, with thousands separators (1,200) or with its unit (3间)."""
    if value in (None, ""):
        return default
    raw = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    with_unit = _COUNT_WITH_UNIT.fullmatch(raw)
    try:
        number = Decimal(with_unit[1] if with_unit else raw)
    except InvalidOperation:
        raise RowInvalid(column, _("“%(value)s”不是整数") % {"value": value}) from None
    if number != number.to_integral_value() or number < 0:
        raise RowInvalid(column, _("“%(value)s”不是非负整数") % {"value": value})
    return int(number)


def choice[C: TextChoices](
    value: CellValue,
    choices: type[C],
    *,
    column: str,
    default: C | None = None,
    words: Mapping[str, C] | None = None,
) -> C:
    """A choice by its Chinese label or its stored value (case-insensitive), or by one of ``words``: how a ledger
    writes it besides (``{"流动": ResidentKind.FLOATING}``), matched as written."""
    if value in (None, ""):
        if default is not None:
            return default
        raise RowInvalid(column, _("必填项为空"))
    if words and (word := words.get(str(value).strip())) is not None:
        return word
    raw = str(value).strip().lower()
    for member in choices:
        # The stored value, the Chinese label (the sheets are Chinese) or the label in the user's language.
        with translation.override("zh-hans"):
            chinese = str(member.label).lower()
        if raw in (str(member.value).lower(), chinese, str(member.label).lower()):
            return member
    raw = str(value).strip()
    allowed = "、".join(str(m.label) for m in choices)
    raise RowInvalid(column, _("“%(value)s”不是可选值（可选：%(allowed)s）") % {"value": raw, "allowed": allowed})


def optional_choice[C: TextChoices](value: CellValue, choices: type[C], *, column: str) -> C | None:
    """A choice that may be left blank (None), as ``choice`` reads it."""
    if value in (None, ""):
        return None
    return choice(value, choices, column=column)


def checked[T](check: Callable[[str], T], value: str, *, column: str) -> T:
    """``value`` through a domain check (a phone number, an ID number …): its ``InvalidInput`` names ``column``."""
    try:
        return check(value)
    except InvalidInput as error:
        raise RowInvalid(column, error.message) from None


def yes_no(value: CellValue, *, column: str, default: bool = False) -> bool:
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        return value
    raw = str(value).strip().lower()
    if raw in ("是", "y", "yes", "true", "1", "√", "✓"):
        return True
    if raw in ("否", "n", "no", "false", "0", "×", "✗"):
        return False
    raise RowInvalid(column, _("“%(value)s”请填“是”或“否”") % {"value": value})


def area_by_name(value: CellValue, *, candidates: Iterable[Area], column: str, what: str) -> Area:
    """Find an area (a grid) among ``candidates`` by name, short name or code (``org.places.areas_named``)."""
    raw = required_text(value, column=column)
    matches = areas_named(raw, candidates)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise RowInvalid(column, _("找不到%(what)s“%(value)s”") % {"what": what, "value": raw})
    raise RowInvalid(column, _("%(what)s“%(value)s”不唯一，请填写区划代码") % {"what": what, "value": raw})


def village_by_name(
    value: CellValue, *, town: Area, column: str = "village", villages: Sequence[Area] | None = None
) -> Area:
    """One of ``town``'s villages (communities), as ``org.places.village_named`` finds it; its refusal names the
    town's villages. ``villages``: the town's villages when the importer has loaded them once for every row."""
    raw = required_text(value, column=column)
    return checked(partial(village_named, town=town, villages=villages, field=column), raw, column=column)


def enterprise_by_code(value: CellValue, *, town: Area, column: str = "credit_code") -> Enterprise:
    """The enterprise of ``town``'s register that the column's 统一社会信用代码 names, as
    ``org.credit_code.enterprise_by_credit_code`` finds it (full-width or spaced codes read as typed)."""
    raw = required_text(value, column=column)
    return checked(partial(enterprise_by_credit_code, town=town, field=column), raw, column=column)


def department_by_name(value: CellValue, *, town: Area, column: str) -> Department:
    """Find one of ``town``'s active departments (units) by name or code."""
    raw = required_text(value, column=column)
    found = list(Department.objects.filter(Q(name=raw) | Q(code=raw), town=town, active=True)[:2])
    if len(found) != 1:
        raise RowInvalid(column, _("找不到本镇启用的单位“%(v)s”（填写部门名称或编码）") % {"v": raw})
    return found[0]


def optional_village(
    value: CellValue, *, town: Area, column: str = "village", villages: Sequence[Area] | None = None
) -> Area | None:
    """A village column that may be left blank (None), else as ``village_by_name`` finds it."""
    if value in (None, ""):
        return None
    return village_by_name(value, town=town, column=column, villages=villages)


def optional_department(value: CellValue, *, town: Area, column: str) -> Department | None:
    """A unit column that may be left blank (None), else as ``department_by_name`` finds it."""
    if value in (None, ""):
        return None
    return department_by_name(value, town=town, column=column)


def dates_in_order(
    earlier: date | datetime | None, later: date | datetime | None, *, column: str, message: str
) -> None:
    """Raise when both are known and ``later`` comes before ``earlier``."""
    if earlier is None or later is None:
        return
    a = earlier if isinstance(earlier, datetime) else datetime.combine(earlier, time(0, 0), tzinfo=SHANGHAI)
    b = later if isinstance(later, datetime) else datetime.combine(later, time(23, 59), tzinfo=SHANGHAI)
    if b < a:
        raise RowInvalid(column, message)


def not_after(day: date | None, today: date, *, column: str, message: str) -> None:
    """Raise when ``day`` is known and later than ``today``."""
    if day is not None and day > today:
        raise RowInvalid(column, message)


@dataclass(frozen=True, slots=True)
class LaterDate:
    """An optional date column of a ledger row that comes on or after the row's opening day and not after
    today (a rectification, acceptance or closing date), with what to say when it does not."""

    column: str
    before_opened: str
    after_today: str


def later_date(row: SheetRow, later: LaterDate, *, opened_on: date | datetime, today: date) -> date | None:
    """A ledger row's date in column ``later.column``: on or after ``opened_on``, not after ``today``."""
    day = optional_date(row.get(later.column), column=later.column)
    dates_in_order(opened_on, day, column=later.column, message=later.before_opened)
    not_after(day, today, column=later.column, message=later.after_today)
    return day


def later_dates(
    row: SheetRow,
    *,
    opened_on: date | datetime,
    today: date,
    resolved: LaterDate,
    closed: LaterDate,
    closed_before_resolved: str,
) -> tuple[date | None, date | None]:
    """A ledger row's resolving (rectification) and closing (acceptance, 销号) dates: each on or after
    ``opened_on``, the closing not before the resolving, neither after ``today``."""
    resolved_on = optional_date(row.get(resolved.column), column=resolved.column)
    closed_on = optional_date(row.get(closed.column), column=closed.column)
    dates_in_order(opened_on, resolved_on, column=resolved.column, message=resolved.before_opened)
    dates_in_order(opened_on, closed_on, column=closed.column, message=closed.before_opened)
    dates_in_order(resolved_on, closed_on, column=closed.column, message=closed_before_resolved)
    not_after(resolved_on, today, column=resolved.column, message=resolved.after_today)
    not_after(closed_on, today, column=closed.column, message=closed.after_today)
    return resolved_on, closed_on
