"""Working-time arithmetic: every expected deadline below is worked out by hand.

2026 facts used (from the official schedule, checked against ``chinese_calendar``):
- 2026-03-09 .. 03-13 (Mon–Fri) and 03-16 (Mon) are ordinary working days; 03-14/15 a weekend.
- National Day: 2026-10-01 .. 10-07 off; Saturday 2026-10-10 is a make-up working day (调休);
  2026-09-28 .. 09-30 and 10-08/09 are working days; Sunday 10-11 is off.
- 2026-12-31 (Thu) is a working day. The package knows no 2027 schedule: 2027 is provisional.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.data.errors import InvalidInput
from gridgov.data.worktime.calendar import WorkCalendar, parse_periods
from gridgov.data.worktime.enums import Clock, TimeUnit, clock_of
from gridgov.data.worktime.schedule import (
    package_knows,
    schedule_reminders,
    statutory_holidays,
    years_awaiting_schedule,
)

SH = ZoneInfo("Asia/Shanghai")
PERIODS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
W = Clock.WORKING
C = Clock.CALENDAR


def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


def make(overrides: dict[date, bool] | None = None, confirmed: set[int] | None = None) -> WorkCalendar:
    return WorkCalendar(PERIODS, overrides or {}, confirmed or set(), SH)


CAL = make()


# --- the facts the tests rely on -----------------------------------------------------------


def test_2026_facts() -> None:
    for d in (9, 10, 11, 12, 13, 16):
        assert CAL.is_workday(date(2026, 3, d))
    assert not CAL.is_workday(date(2026, 3, 14))
    assert not CAL.is_workday(date(2026, 3, 15))
    for d in range(1, 8):
        assert not CAL.is_workday(date(2026, 10, d))
    assert CAL.is_workday(date(2026, 9, 30))
    assert CAL.is_workday(date(2026, 10, 8))
    assert CAL.is_workday(date(2026, 10, 10))  # Saturday, 调休
    assert not CAL.is_workday(date(2026, 10, 11))
    assert CAL.is_workday(date(2026, 12, 31))


def test_daily_minutes_and_to_minutes() -> None:
    assert CAL.daily_minutes == 450
    assert CAL.to_minutes(2, TimeUnit.WORK_HOURS) == (Clock.WORKING, 120)
    assert CAL.to_minutes(3, TimeUnit.WORK_DAYS) == (Clock.WORKING, 1350)
    assert CAL.to_minutes(60, TimeUnit.CALENDAR_DAYS) == (Clock.CALENDAR, 86400)
    assert CAL.to_minutes(1, "work_days") == (Clock.WORKING, 450)
    assert clock_of(TimeUnit.CALENDAR_DAYS) == Clock.CALENDAR
    assert clock_of("work_hours") == Clock.WORKING
    with pytest.raises(InvalidInput):
        CAL.to_minutes(-1, TimeUnit.WORK_HOURS)


# --- add -----------------------------------------------------------------------------------


def test_within_morning() -> None:
    assert CAL.add(at(2026, 3, 11, 9), 60, W) == at(2026, 3, 11, 10)


def test_across_lunch() -> None:
    assert CAL.add(at(2026, 3, 11, 11), 120, W) == at(2026, 3, 11, 14, 30)


def test_across_weekend() -> None:
    # Friday 16:30 + 2 h: 1 h on Friday, 1 h on Monday.
    assert CAL.add(at(2026, 3, 13, 16, 30), 120, W) == at(2026, 3, 16, 9, 30)


def test_across_national_day() -> None:
    # 09-30 16:00 + 1 work day (450 min): 90 on 09-30; 10-01..07 off; 10-08 08:30 + 360 = 16:00.
    assert CAL.add_limit(at(2026, 9, 30, 16), 1, TimeUnit.WORK_DAYS) == at(2026, 10, 8, 16)


def test_make_up_saturday_counts() -> None:
    # Fri 10-09 16:00 + 3 h: 90 on Friday, then Saturday 10-10 (调休) 08:30 + 90 = 10:00.
    assert CAL.add(at(2026, 10, 9, 16), 180, W) == at(2026, 10, 10, 10)
    # Sat 10-10 17:00 + 1 h: 30 on Saturday, Sunday off, Monday 10-12 09:00.
    assert CAL.add(at(2026, 10, 10, 17), 60, W) == at(2026, 10, 12, 9)


def test_start_outside_working_time() -> None:
    assert CAL.add(at(2026, 3, 15, 22), 60, W) == at(2026, 3, 16, 9, 30)  # Sunday night
    assert CAL.add(at(2026, 3, 11, 7), 60, W) == at(2026, 3, 11, 9, 30)  # before work
    assert CAL.add(at(2026, 3, 11, 12, 30), 60, W) == at(2026, 3, 11, 14, 30)  # lunch
    assert CAL.add(at(2026, 3, 11, 18), 30, W) == at(2026, 3, 12, 9)  # after work
    assert CAL.add(at(2026, 10, 3, 10), 60, W) == at(2026, 10, 8, 9, 30)  # in the holiday


def test_add_zero_is_start() -> None:
    assert CAL.add(at(2026, 3, 15, 22), 0, W) == at(2026, 3, 15, 22)
    assert CAL.add(at(2026, 3, 11, 12, 30), 0, W) == at(2026, 3, 11, 12, 30)
    assert CAL.add(at(2026, 3, 11, 9), 0, W) == at(2026, 3, 11, 9)


def test_exact_period_end() -> None:
    assert CAL.add(at(2026, 3, 11, 16, 30), 60, W) == at(2026, 3, 11, 17, 30)
    assert CAL.add(at(2026, 3, 11, 11), 60, W) == at(2026, 3, 11, 12)
    assert CAL.add(at(2026, 3, 11, 8, 30), 450, W) == at(2026, 3, 11, 17, 30)
    assert CAL.add(at(2026, 3, 11, 17, 30), 1, W) == at(2026, 3, 12, 8, 31)
    # Ends exactly at the last period end of Friday: not Monday 08:30.
    assert CAL.add(at(2026, 3, 12, 8, 30), 900, W) == at(2026, 3, 13, 17, 30)


def test_work_days() -> None:
    # Wed 10:00 + 3 work days: 360 Wed, 450 Thu, 450 Fri, Mon 08:30 + 90.
    assert CAL.add_limit(at(2026, 3, 11, 10), 3, TimeUnit.WORK_DAYS) == at(2026, 3, 16, 10)


def test_calendar_days() -> None:
    result = CAL.add_limit(at(2026, 6, 1, 9, 15), 60, TimeUnit.CALENDAR_DAYS)
    assert result == at(2026, 7, 31, 9, 15)
    assert CAL.add(at(2026, 3, 14, 23), 90, C) == at(2026, 3, 15, 0, 30)


def test_other_time_zone_in_local_out() -> None:
    start = datetime(2026, 3, 11, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
    result = CAL.add(start, 120, W)
    assert result == at(2026, 3, 11, 14, 30)
    assert result == datetime(2026, 3, 11, 6, 30, tzinfo=UTC)
    assert result.tzinfo == SH


def test_naive_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        CAL.add(datetime(2026, 3, 11, 9), 60, W)
    with pytest.raises(ValueError, match="aware"):
        CAL.add(datetime(2026, 3, 11, 9), 60, C)
    with pytest.raises(ValueError, match="aware"):
        CAL.minutes_between(at(2026, 3, 11, 9), datetime(2026, 3, 11, 10), W)


def test_negative_minutes_rejected() -> None:
    with pytest.raises(InvalidInput):
        CAL.add(at(2026, 3, 11, 9), -1, W)


def test_walk_is_capped() -> None:
    cal = make(confirmed=set(range(2027, 2040)))
    with pytest.raises(InvalidInput):
        cal.add(at(2026, 3, 11, 9), 10**8, W)


def test_long_walk_is_fast_enough() -> None:
    # 200 work days from 2026-01-05 lands in 2026; the walk skips whole days.
    result = CAL.add_limit(at(2026, 1, 5, 8, 30), 200, TimeUnit.WORK_DAYS)
    assert CAL.minutes_between(at(2026, 1, 5, 8, 30), result, W) == 200 * 450


# --- minutes_between -----------------------------------------------------------------------


def test_minutes_between() -> None:
    assert CAL.minutes_between(at(2026, 3, 11, 11), at(2026, 3, 11, 14, 30), W) == 120
    assert CAL.minutes_between(at(2026, 3, 13, 16, 30), at(2026, 3, 16, 9, 30), W) == 120
    assert CAL.minutes_between(at(2026, 9, 30, 16), at(2026, 10, 8, 16), W) == 450
    assert CAL.minutes_between(at(2026, 3, 9, 0), at(2026, 3, 16, 0), W) == 5 * 450
    assert CAL.minutes_between(at(2026, 3, 11, 12), at(2026, 3, 11, 13, 30), W) == 0
    assert CAL.minutes_between(at(2026, 3, 11, 12), at(2026, 3, 11, 12), W) == 0
    assert CAL.minutes_between(at(2026, 3, 11, 14), at(2026, 3, 11, 10), W) == 0
    assert CAL.minutes_between(at(2026, 3, 11, 14), at(2026, 3, 11, 10), C) == 0
    assert CAL.minutes_between(at(2026, 3, 13, 16, 30), at(2026, 3, 16, 9, 30), C) == (2 * 1440 + 17 * 60)


# --- unknown years and administrator data --------------------------------------------------


def test_an_unknown_year_is_provisional_and_work_goes_on() -> None:
    # 2026-12-31 (Thu) 17:00 + 60 min: 30 min on 31 Dec; 2027-01-01 (Fri, 元旦) off, weekend; Mon 4 Jan 08:30 + 30.
    assert CAL.add(at(2026, 12, 31, 17), 60, W) == at(2027, 1, 4, 9)
    assert CAL.is_workday(date(2027, 1, 4))
    assert not CAL.is_workday(date(2027, 1, 1))  # 元旦
    assert not CAL.is_workday(date(2027, 2, 5))  # 除夕 (Friday)
    assert not CAL.is_workday(date(2027, 2, 8))  # 正月初三 (Monday)
    assert CAL.is_workday(date(2027, 2, 9))  # 初四: the 调休 that may extend it is not guessed
    assert CAL.minutes_between(at(2026, 12, 31, 17), at(2027, 1, 4, 10), W) == 30 + 90
    assert (CAL.is_provisional_year(2026), CAL.is_provisional_year(2027)) == (False, True)
    assert CAL.provisional_between(at(2026, 12, 31, 17), at(2027, 1, 4, 9))
    assert not CAL.provisional_between(at(2026, 12, 30, 9), at(2026, 12, 31, 17))


def test_the_provisional_calendar_holds_the_statutory_holidays_of_the_current_rules() -> None:
    assert dict(statutory_holidays(2027)) == {
        date(2027, 1, 1): "元旦",
        date(2027, 2, 5): "春节",  # 除夕
        date(2027, 2, 6): "春节",  # 正月初一
        date(2027, 2, 7): "春节",
        date(2027, 2, 8): "春节",
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节",
        date(2027, 10, 2): "国庆节",
        date(2027, 10, 3): "国庆节",
    }


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_computed_is_a_holiday_in_the_official_schedule(year: int) -> None:
    days = statutory_holidays(year)
    assert len(days) == 13
    assert [day for day in days if chinese_calendar.is_workday(day)] == []
    assert {day for day in days if chinese_calendar.is_holiday(day)} == set(days)


def test_years_the_package_knows_are_never_provisional() -> None:
    assert [year for year in range(2004, 2027) if CAL.is_provisional_year(year)] == []
    assert package_knows(2026)
    assert not package_knows(2027)


def test_reminders_from_november_for_a_provisional_next_year() -> None:
    assert years_awaiting_schedule(today=date(2026, 10, 31), calendar=CAL) == []
    assert years_awaiting_schedule(today=date(2026, 11, 1), calendar=CAL) == [2027]
    assert years_awaiting_schedule(today=date(2027, 1, 4), calendar=CAL) == [2027]
    assert years_awaiting_schedule(today=date(2026, 11, 1), calendar=make(confirmed={2027})) == []
    (text,) = schedule_reminders(today=date(2026, 12, 31), calendar=CAL)
    assert text.startswith("2027年的节假日与调休安排尚未录入：跨入2027年的期限暂按法定节假日计算（不含调休）")


def test_end_of_known_year_does_not_touch_next_year() -> None:
    assert CAL.add(at(2026, 12, 31, 17), 30, W) == at(2026, 12, 31, 17, 30)
    assert CAL.minutes_between(at(2026, 12, 31, 17), at(2027, 1, 1, 0, 30), W) == 30


def test_confirmed_year_without_db() -> None:
    cal = make(overrides={date(2027, 1, 1): False}, confirmed={2027})
    assert not cal.is_workday(date(2027, 1, 1))  # override
    assert not cal.is_workday(date(2027, 1, 2))  # Saturday
    assert cal.is_workday(date(2027, 1, 4))  # Monday
    assert cal.add(at(2026, 12, 31, 17), 60, W) == at(2027, 1, 4, 9)


def test_override_turns_workday_into_holiday() -> None:
    cal = make(overrides={date(2026, 3, 12): False})
    # Wed 16:30 + 2 h: 1 h Wednesday, Thursday off, Friday 08:30 + 60.
    assert cal.add(at(2026, 3, 11, 16, 30), 120, W) == at(2026, 3, 13, 9, 30)
    assert cal.minutes_between(at(2026, 3, 11, 0), at(2026, 3, 14, 0), W) == 900


def test_override_turns_weekend_into_workday() -> None:
    cal = make(overrides={date(2026, 3, 14): True})
    assert cal.add(at(2026, 3, 13, 17), 60, W) == at(2026, 3, 14, 9)


@pytest.mark.django_db
def test_load_with_confirmed_2027() -> None:
    from gridgov.data.worktime.models import CalendarDay, CalendarYear

    assert WorkCalendar.load().is_provisional_year(2027)
    CalendarYear.objects.create(year=2027, confirmed=False)
    assert WorkCalendar.load().is_provisional_year(2027)

    # The administrator enters a schedule in which 元旦 is bridged to Saturday's make-up day, and confirms it.
    CalendarYear.objects.filter(year=2027).update(confirmed=True)
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    cal = WorkCalendar.load()
    assert not cal.is_provisional_year(2027)
    assert cal.tz == SH
    assert cal.daily_minutes == 450
    # 30 min on 2026-12-31; Fri 2027-01-01 off (override); weekend; Mon 01-04 08:30 + 30.
    assert cal.add(at(2026, 12, 31, 17), 60, W) == at(2027, 1, 4, 9)
    assert cal.add_limit(at(2027, 1, 4, 9), 1, TimeUnit.WORK_DAYS) == at(2027, 1, 5, 9)
    # In a confirmed year the administrator's table is the whole truth: 除夕 is a working day unless entered.
    assert cal.is_workday(date(2027, 2, 5))


@pytest.mark.django_db
def test_load_override_in_known_year() -> None:
    from gridgov.data.worktime.models import CalendarDay

    CalendarDay.objects.create(date=date(2026, 3, 12), is_workday=False, name="防汛停工")
    cal = WorkCalendar.load()
    assert cal.add(at(2026, 3, 11, 16, 30), 120, W) == at(2026, 3, 13, 9, 30)


# --- configuration -------------------------------------------------------------------------


def test_parse_periods() -> None:
    assert parse_periods("08:30-12:00,13:30-17:30") == PERIODS
    assert parse_periods(" 9:00 - 12:00 , 12:00-13:00") == (
        (time(9), time(12)),
        (time(12), time(13)),
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "08:30-12:00,",
        "08:30-12:00,13:30",
        "0830-1200",
        "25:00-26:00",
        "08:60-09:00",
        "12:00-08:30",
        "09:00-09:00",
        "13:30-17:30,08:30-12:00",
        "08:30-12:00,11:00-17:30",
    ],
)
def test_malformed_periods(text: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_periods(text)
    with override_settings(GRIDGOV_WORKING_PERIODS=text), pytest.raises(ImproperlyConfigured):
        WorkCalendar.load()


def test_custom_periods() -> None:
    cal = WorkCalendar(((time(9), time(17)),), {}, set(), SH)
    assert cal.daily_minutes == 480
    assert cal.add(at(2026, 3, 11, 16), 120, W) == at(2026, 3, 12, 10)


def test_constructor_rejects_bad_periods() -> None:
    with pytest.raises(ValueError, match="does not end after it starts"):
        WorkCalendar(((time(13), time(12)),), {}, set(), SH)
    with pytest.raises(ValueError, match="at least one"):
        WorkCalendar((), {}, set(), SH)


def test_immutable() -> None:
    with pytest.raises(AttributeError):
        CAL._periods = ()
    with pytest.raises(AttributeError):
        CAL.extra = 1
    with pytest.raises(TypeError):
        CAL.overrides[date(2026, 3, 11)] = False  # type: ignore[index]


# --- properties ----------------------------------------------------------------------------

PROPERTY_CAL = make(confirmed={2027})  # results past 2026 stay computable


@st.composite
def working_moments(draw: st.DrawFn) -> datetime:
    day = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)).filter(PROPERTY_CAL.is_workday))
    begin, end = draw(st.sampled_from(PERIODS))
    span = (end.hour * 60 + end.minute) - (begin.hour * 60 + begin.minute)
    offset = draw(st.integers(min_value=0, max_value=span - 1))
    return datetime.combine(day, begin, tzinfo=SH) + timedelta(minutes=offset)


@settings(max_examples=300, deadline=None)
@given(start=working_moments(), minutes=st.integers(min_value=0, max_value=20000))
def test_minutes_between_inverts_add(start: datetime, minutes: int) -> None:
    end = PROPERTY_CAL.add(start, minutes, W)
    assert end >= start
    assert PROPERTY_CAL.minutes_between(start, end, W) == minutes


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31, 23, 59)).map(
        lambda naive: naive.replace(tzinfo=SH)
    ),
    minutes=st.integers(min_value=1, max_value=20000),
)
def test_add_lands_in_working_time(start: datetime, minutes: int) -> None:
    end = PROPERTY_CAL.add(start, minutes, W)
    assert PROPERTY_CAL.minutes_between(start, end, W) == minutes
    assert PROPERTY_CAL.is_workday(end.date())
    assert any(
        datetime.combine(end.date(), b, tzinfo=SH) < end <= datetime.combine(end.date(), e, tzinfo=SH)
        for b, e in PERIODS
    )
