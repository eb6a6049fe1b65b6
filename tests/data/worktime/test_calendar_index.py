"""``add`` and ``minutes_between`` from the calendar's index of working days give what walking day by day gave.

``walked_add`` and ``walked_minutes_between`` below are the day-by-day walk the calendar used before it kept an
index, restated with the calendar's public interface only (``periods``, ``tz``, ``is_workday``). Spans are
drawn from fixed seeds over 2002–2031: years the package knows, provisional years before and after them (no
official schedule: statutory holidays only), a confirmed year, administrators' overrides, make-up Saturdays,
moments inside, outside and exactly on the edges of working periods, and both clocks.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from gridgov.data.errors import InvalidInput
from gridgov.data.worktime.calendar import MAX_WALK_DAYS, WorkCalendar
from gridgov.data.worktime.enums import Clock
from gridgov.data.worktime.schedule import package_knows

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")  # a zone with daylight saving time: working time is read on the wall clock
W = Clock.WORKING
C = Clock.CALENDAR
PERIODS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
FIRST_YEAR, LAST_YEAR = 2002, 2031

CALENDARS = {
    "default": WorkCalendar(PERIODS, {}, set(), SH),
    "overrides and a confirmed year": WorkCalendar(
        PERIODS,
        {
            date(2026, 3, 14): True,  # a Saturday made a working day
            date(2026, 3, 11): False,  # a Wednesday made a day off
            date(2026, 10, 10): False,  # the official make-up Saturday cancelled
            date(2028, 1, 1): True,  # a provisional year's holiday worked
            date(2003, 6, 2): False,  # in a provisional year before the package's years
        },
        {2027},
        SH,
    ),
    "touching periods, one period a day": WorkCalendar(
        ((time(0, 0), time(9, 0)), (time(9, 0), time(9, 1)), (time(22, 0), time(23, 59))), {}, {2029}, SH
    ),
    "daylight saving time": WorkCalendar(((time(1, 30), time(2, 45)), (time(9, 0), time(17, 0))), {}, set(), BERLIN),
}


def test_the_years_drawn_include_known_provisional_and_confirmed_years() -> None:
    default = CALENDARS["default"]
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    assert [year for year in years if package_knows(year)] == list(range(2004, 2027))
    assert [year for year in years if default.is_provisional_year(year)] == [2002, 2003, *range(2027, 2032)]
    assert not CALENDARS["overrides and a confirmed year"].is_provisional_year(2027)
    assert default.is_workday(date(2026, 10, 10))  # make-up Saturday (调休)
    assert not default.is_workday(date(2026, 10, 5))


# --- the walk the calendar used to do ----------------------------------------------------------------------------


def _at(calendar: WorkCalendar, day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=calendar.tz)


def _daily(calendar: WorkCalendar) -> timedelta:
    return timedelta(minutes=calendar.daily_minutes)


def _overlap(calendar: WorkCalendar, day: date, lo: datetime, hi: datetime) -> timedelta:
    overlap = timedelta()
    for begin, end in calendar.periods:
        start, stop = max(lo, _at(calendar, day, begin)), min(hi, _at(calendar, day, end))
        if stop > start:
            overlap += stop - start
    return overlap if overlap and calendar.is_workday(day) else timedelta()


def walked_minutes_between(calendar: WorkCalendar, a: datetime, b: datetime, clock: Clock) -> int:
    lo, hi = a.astimezone(calendar.tz), b.astimezone(calendar.tz)
    if hi.astimezone(UTC) <= lo.astimezone(UTC):
        return 0
    if clock == C:
        return (hi.astimezone(UTC) - lo.astimezone(UTC)) // timedelta(minutes=1)
    total = _overlap(calendar, lo.date(), lo, hi)
    if hi.date() > lo.date():
        day = lo.date() + timedelta(days=1)
        while day < hi.date():
            if calendar.is_workday(day):
                total += _daily(calendar)
            day += timedelta(days=1)
        total += _overlap(calendar, hi.date(), lo, hi)
    return total // timedelta(minutes=1)


def walked_add(calendar: WorkCalendar, start: datetime, minutes: int, clock: Clock) -> datetime | None:
    """The walk's result, or None where it refused the span (longer than ``MAX_WALK_DAYS``)."""
    local = start.astimezone(calendar.tz)
    if clock == C:
        return (local.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(calendar.tz)
    remaining = timedelta(minutes=minutes)
    if not remaining:
        return local
    day = local.date()
    if local < _at(calendar, day, calendar.periods[-1][1]) and calendar.is_workday(day):
        for begin, end in calendar.periods:
            if local >= _at(calendar, day, end):
                continue
            counted_from = max(local, _at(calendar, day, begin))
            available = _at(calendar, day, end) - counted_from
            if remaining <= available:
                return counted_from + remaining
            remaining -= available
    last_day = day + timedelta(days=MAX_WALK_DAYS)
    while True:
        day += timedelta(days=1)
        if day > last_day:
            return None
        if not calendar.is_workday(day):
            continue
        if remaining > _daily(calendar):
            remaining -= _daily(calendar)
            continue
        for begin, end in calendar.periods:
            available = _at(calendar, day, end) - _at(calendar, day, begin)
            if remaining <= available:
                return _at(calendar, day, begin) + remaining
            remaining -= available


# --- drawing spans -------------------------------------------------------------------------------------------------


def _moment(rng: random.Random, calendar: WorkCalendar, day: date) -> datetime:
    """A moment of ``day``: on a period's edge, a minute from one, anywhere, or with seconds; sometimes in UTC."""
    kind = rng.randrange(4)
    if kind == 0:
        begin, end = rng.choice(calendar.periods)
        local = _at(calendar, day, rng.choice((begin, end)))
    elif kind == 1:
        begin, end = rng.choice(calendar.periods)
        local = _at(calendar, day, rng.choice((begin, end))) + timedelta(minutes=rng.choice((-1, 1)))
    elif kind == 2:
        local = _at(calendar, day, time(0)) + timedelta(minutes=rng.randrange(24 * 60))
    else:
        local = _at(calendar, day, time(0)) + timedelta(
            seconds=rng.randrange(24 * 3600), microseconds=rng.randrange(10**6)
        )
    return local.astimezone(UTC) if rng.random() < 0.25 else local


def _day(rng: random.Random) -> date:
    if rng.random() < 0.2:  # around a National Day, a Spring Festival or a year end, where the make-up days are
        year = rng.randrange(FIRST_YEAR, LAST_YEAR)
        anchor = rng.choice((date(year, 10, 1), date(year, 2, 1), date(year, 12, 31)))
        return anchor + timedelta(days=rng.randrange(-20, 21))
    return date(FIRST_YEAR, 1, 1) + timedelta(days=rng.randrange((date(LAST_YEAR, 1, 1) - date(FIRST_YEAR, 1, 1)).days))


SPAN_DAYS = (0, 1, 2, 3, 7, 30, 31, 92, 365, 366, 3 * 365, 4 * 365 + 1)


def _spans(seed: int, count: int) -> list[tuple[WorkCalendar, datetime, datetime]]:
    rng = random.Random(seed)
    spans = []
    for _index in range(count):
        calendar = rng.choice(list(CALENDARS.values()))
        first = _day(rng)
        last = first + timedelta(days=rng.choice(SPAN_DAYS) + rng.randrange(-1, 2) * rng.randrange(3))
        spans.append((calendar, _moment(rng, calendar, first), _moment(rng, calendar, last)))
    return spans


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_minutes_between_is_the_walk(seed: int) -> None:
    for calendar, a, b in _spans(seed, 600):
        for clock in (W, C):
            assert (calendar.minutes_between(a, b, clock), a, b, clock) == (
                walked_minutes_between(calendar, a, b, clock),
                a,
                b,
                clock,
            )


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_add_is_the_walk(seed: int) -> None:
    rng = random.Random(seed)
    for calendar, start, end in _spans(seed, 600):
        for clock in (W, C):
            kind = rng.randrange(3)
            if kind == 0:  # the working minutes of a drawn span, so that the result lands where spans end
                minutes = walked_minutes_between(calendar, start, end, clock)
            elif kind == 1:  # whole working days, ending exactly at a period's end
                minutes = calendar.daily_minutes * rng.choice((1, 2, 5, 20, 250, 1000))
            else:
                minutes = rng.randrange(calendar.daily_minutes * 1300)
            expected = walked_add(calendar, start, minutes, clock)
            if expected is None:
                with pytest.raises(InvalidInput):
                    calendar.add(start, minutes, clock)
            else:
                got = calendar.add(start, minutes, clock)
                assert (got, got.tzinfo, got.fold, start, minutes) == (
                    expected,
                    expected.tzinfo,
                    expected.fold,
                    start,
                    minutes,
                )


def test_add_stops_at_the_same_day_as_the_walk() -> None:
    """Past ``MAX_WALK_DAYS`` the walk refused; the index refuses the same spans and accepts the last one."""
    calendar = WorkCalendar(PERIODS, {}, set(range(2027, 2040)), SH)
    start = datetime(2026, 3, 13, 9, tzinfo=SH)  # a Friday; the last day allowed, 2031-03-17, a Monday
    last_day = start.date() + timedelta(days=MAX_WALK_DAYS)
    workdays = sum(calendar.is_workday(start.date() + timedelta(days=offset)) for offset in range(1, MAX_WALK_DAYS + 1))
    first_day_minutes = calendar.minutes_between(start, _at(calendar, start.date(), time(17, 30)), W)
    longest = first_day_minutes + workdays * calendar.daily_minutes
    assert calendar.is_workday(last_day)
    assert (
        calendar.add(start, longest, W)
        == walked_add(calendar, start, longest, W)
        == _at(calendar, last_day, time(17, 30))
    )
    assert walked_add(calendar, start, longest + 1, W) is None
    with pytest.raises(InvalidInput):
        calendar.add(start, longest + 1, W)


def test_a_span_of_years_reads_each_year_once() -> None:
    """The index counts a year's working days the first time the year is asked about, then keeps them."""
    calendar = WorkCalendar(PERIODS, {}, set(), SH)
    a, b = datetime(2023, 5, 6, 10, tzinfo=SH), datetime(2026, 5, 6, 10, tzinfo=SH)
    first = calendar.minutes_between(a, b, W)
    assert sorted(calendar._index) == [2023, 2024, 2025, 2026]
    counted = dict(calendar._index)
    assert calendar.minutes_between(a, b, W) == first == walked_minutes_between(calendar, a, b, W)
    assert all(calendar._index[year] is counted[year] for year in counted)
