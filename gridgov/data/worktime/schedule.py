"""The State Council's holiday schedule (放假安排): which years the ``chinese_calendar`` package knows, each day's
official status in them, the statutory holidays of a year it does not know yet (a provisional year), and what to
remind administrators of while a year's schedule is still to be entered. ``calendar.WorkCalendar`` reads it."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING

import chinese_calendar
from django.utils.translation import gettext as _
from lunar_python import Lunar, Solar

if TYPE_CHECKING:
    from gridgov.data.worktime.calendar import WorkCalendar


@functools.cache
def package_knows(year: int) -> bool:
    """Whether the holiday package installed (``chinese_calendar``) carries the official schedule of ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@functools.cache
def official_workday(day: date) -> bool | None:
    """The official status of ``day`` (cached: the package lookup is slow), None if unknown."""
    if not package_knows(day.year):
        return None
    return bool(chinese_calendar.is_workday(day))


@functools.cache
def statutory_holidays(year: int) -> Mapping[date, str]:
    """The statutory public holidays of ``year`` under the current national rules (《全国年节及纪念日放假办法》,
    as revised in 2024 and in force from 2025): 元旦; 春节 (除夕 and 正月初一至初三); 清明节 (the solar term's day);
    劳动节 (5月1日、2日); 端午节 (五月初五); 中秋节 (八月十五); 国庆节 (10月1日至3日).

    Lunar dates and the solar term come from ``lunar_python``. Only the days themselves: the State Council
    publishes each year's 调休 (bridged days and make-up working days) separately, and they are not guessed.
    """
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    new_year = _solar_date(Lunar.fromYmd(year, 1, 1).getSolar())
    for offset in range(-1, 3):  # 除夕, 正月初一, 初二, 初三
        days[new_year + timedelta(days=offset)] = "春节"
    qingming = _solar_date(Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"])
    days[qingming] = "清明节"
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = "劳动节"
    days[_solar_date(Lunar.fromYmd(year, 5, 5).getSolar())] = "端午节"
    days[_solar_date(Lunar.fromYmd(year, 8, 15).getSolar())] = "中秋节"
    for day in (1, 2, 3):
        days[date(year, 10, day)] = "国庆节"
    return MappingProxyType(dict(sorted(days.items())))


def _solar_date(solar: Solar) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


#: From this month on, administrators are reminded to enter next year's schedule (the State Council usually
#: publishes it in November or December).
REMINDER_MONTH = 11


def years_awaiting_schedule(*, today: date, calendar: WorkCalendar) -> list[int]:
    """The years whose official schedule an administrator should enter now.

    The current year while it is provisional; from 1 November, also the next year while it is provisional.
    """
    years = [today.year]
    if today.month >= REMINDER_MONTH:
        years.append(today.year + 1)
    return [year for year in years if calendar.is_provisional_year(year)]


def schedule_reminders(*, today: date, calendar: WorkCalendar) -> list[str]:
    """What to tell administrators about the years awaiting their official schedule (empty: nothing)."""
    return [
        _(
            "%(year)s年的节假日与调休安排尚未录入：跨入%(year)s年的期限暂按法定节假日计算（不含调休），"
            "在事件页面和接口中标注“暂定”。国务院办公厅发布通知后，请在“工作日历调整”中录入放假与补班日期，"
            "再在“日历年度”中确认%(year)s年，暂定期限将自动重新计算。"
        )
        % {"year": year}
        for year in years_awaiting_schedule(today=today, calendar=calendar)
    ]
