"""Periods: whole local days [start, end) with day/week/month/quarter/year/custom helpers and labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gridgov.data.errors import InvalidInput


def local_zone() -> tzinfo:
    return timezone.get_default_timezone()


def _cn_date(d: date) -> str:
    """2026年11月23日 in Chinese, Nov. 23, 2026 in English (the language's DATE_FORMAT)."""
    return formats.date_format(d, "DATE_FORMAT")


# 第三季度 in Chinese; the English catalogue makes them digits (Q3 2026)
QUARTER_NAMES = (
    pgettext_lazy("quarter", "一"),
    pgettext_lazy("quarter", "二"),
    pgettext_lazy("quarter", "三"),
    pgettext_lazy("quarter", "四"),
)


@dataclass(frozen=True, slots=True)
class Period:
    """Whole local days [start, end) — ``end`` is the first day after the period."""

    start: date
    end: date
    kind: Literal["day", "week", "month", "quarter", "year", "custom"] = "custom"

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidInput(_("结束日期必须不早于开始日期"), field="end")

    @classmethod
    def day(cls, d: date) -> Period:
        return cls(d, d + timedelta(days=1), "day")

    @classmethod
    def week(cls, d: date) -> Period:
        """The week (Monday to Sunday) containing ``d``."""
        monday = d - timedelta(days=d.weekday())
        return cls(monday, monday + timedelta(days=7), "week")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise InvalidInput(_("月份必须在1到12之间"), field="month")
        end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return cls(date(year, month, 1), end, "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise InvalidInput(_("季度必须在1到4之间"), field="quarter")
        first = date(year, 3 * quarter - 2, 1)
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return cls(first, end, "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year + 1, 1, 1), "year")

    @classmethod
    def custom(cls, first: date, last: date) -> Period:
        """From ``first`` to ``last``, both days included (as people write a date range)."""
        if last < first:
            raise InvalidInput(_("结束日期必须不早于开始日期"), field="end")
        return cls(first, last + timedelta(days=1), "custom")

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        s = self.start
        if self.kind == "day":
            return _cn_date(s)
        if self.kind == "week":
            iso_year, iso_week, _weekday = s.isocalendar()
            return _("%(y)d年第%(w)d周（%(a)s—%(b)s）") % {
                "y": iso_year,
                "w": iso_week,
                "a": _cn_date(s),
                "b": _cn_date(self.last),
            }
        if self.kind == "month":
            return formats.date_format(s, "YEAR_MONTH_FORMAT")  # 2026年11月 / November 2026
        if self.kind == "quarter":
            return _("%(y)d年第%(q)s季度") % {"y": s.year, "q": QUARTER_NAMES[(s.month - 1) // 3]}
        if self.kind == "year":
            return _("%(y)d年") % {"y": s.year}
        if self.start == self.last:
            return _cn_date(s)
        return _("%(a)s至%(b)s") % {"a": _cn_date(s), "b": _cn_date(self.last)}

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes: local midnight of ``start`` and of ``end``."""
        tz = local_zone()
        return (
            datetime(self.start.year, self.start.month, self.start.day, tzinfo=tz),
            datetime(self.end.year, self.end.month, self.end.day, tzinfo=tz),
        )
