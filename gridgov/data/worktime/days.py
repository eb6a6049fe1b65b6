"""Days, months and years as the ledgers write and check them: a day in Chinese (2026年11月5日), a day that
has come, the year of a yearly figure (come, and not before 2000) and the month of a monthly figure (1 to 12,
not yet to come). Shared by the ledger apps, which may not import one another."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput

FIRST_YEAR = 2000  # a ledger's year before it is a typing error


def chinese_day(day: date) -> str:
    """2026年11月5日."""
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def check_day(value: date | None, *, today: date, field: str, label: str) -> date:
    """A day given and come (not after ``today``); InvalidInput on ``field`` otherwise."""
    if value is None:
        raise InvalidInput(_("请填写%(label)s") % {"label": label}, field=field)
    if value > today:
        raise InvalidInput(_("%(label)s不能晚于今天") % {"label": label}, field=field)
    return value


def check_year(year: int, *, today: date, field: str, label: str) -> int:
    """``year``, not after ``today``'s and not before ``FIRST_YEAR``; InvalidInput on ``field`` otherwise."""
    if year > today.year:
        raise InvalidInput(_("%(label)s：%(year)s年尚未到来") % {"label": label, "year": year}, field=field)
    if year < FIRST_YEAR:
        raise InvalidInput(_("%(label)s：%(year)s年过早，请核对") % {"label": label, "year": year}, field=field)
    return year


def check_month(month: int, *, year: int, today: date) -> int:
    """``month`` of ``year``, 1 to 12 and not after ``today``'s month; InvalidInput on the field ``month``."""
    if not 1 <= month <= 12:
        raise InvalidInput(_("月份：应为1至12，而不是%(month)s") % {"month": month}, field="month")
    if (year, month) > (today.year, today.month):
        raise InvalidInput(_("月份：%(year)s年%(month)s月尚未到来") % {"year": year, "month": month}, field="month")
    return month
