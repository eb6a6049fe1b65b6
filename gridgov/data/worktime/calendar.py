"""Working-time arithmetic for deadlines.

A ``WorkCalendar`` knows the daily working periods (e.g. 08:30–12:00 and 13:30–17:30), which
days are working days and the local time zone. It adds working minutes to a moment and measures
the working minutes between two moments.

Which days are working days, in order of precedence:

1. an administrator's ``CalendarDay`` override;
2. the official schedule in the ``chinese_calendar`` package, for the years it knows;
3. for a year an administrator has confirmed (``CalendarYear.confirmed``): Monday to Friday;
4. otherwise the year is *provisional* (暂定): Monday to Friday less the statutory holidays of the
   current national rules (``schedule.statutory_holidays``), without the 调休 swaps nobody knows yet. Work
   never stops at a year end; a deadline that reaches into a provisional year says so
   (``provisional_between``) and is recomputed once the official schedule is entered.

Working time is measured on the local wall clock of the calendar's time zone. Calendar time
(自然时间) is measured as elapsed time.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput
from gridgov.data.worktime.enums import Clock, TimeUnit, clock_of
from gridgov.data.worktime.schedule import official_workday, package_knows, statutory_holidays

type Period = tuple[time, time]

#: One year of a calendar's working-day index: the ordinal of 1 January, and for each ``i`` from 0 to the
#: number of days in the year, how many of the year's first ``i`` days are working days.
type _YearIndex = tuple[int, tuple[int, ...]]

#: ``add`` gives up (``InvalidInput``) after walking this many days past the start day.
MAX_WALK_DAYS = 5 * 366

_MINUTE = timedelta(minutes=1)
_ONE_DAY = timedelta(days=1)
_PERIOD_RE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


def _period_error(periods: Sequence[Period]) -> str | None:
    """Why ``periods`` is not a valid working day, or None if it is."""
    if not periods:
        return "at least one working period is required"
    previous_end: time | None = None
    for start, end in periods:
        for moment in (start, end):
            if moment.tzinfo is not None:
                return f"{moment} must be a naive local time"
            if moment.second or moment.microsecond:
                return f"{moment} must be a whole minute"
        if start >= end:
            return f"period {start:%H:%M}-{end:%H:%M} does not end after it starts"
        if previous_end is not None and start < previous_end:
            return f"period {start:%H:%M}-{end:%H:%M} overlaps or precedes the previous one"
        previous_end = end
    return None


def parse_periods(text: str) -> tuple[Period, ...]:
    """Parse ``"08:30-12:00,13:30-17:30"``; raise ImproperlyConfigured unless sorted and disjoint.

    Periods may touch (``"08:00-12:00,12:00-13:00"``) but not overlap.
    """

    def fail(reason: str) -> NoReturn:
        raise ImproperlyConfigured(f"GRIDGOV_WORKING_PERIODS={text!r} is invalid: {reason}")

    periods: list[Period] = []
    for part in text.split(","):
        match = _PERIOD_RE.fullmatch(part.strip())
        if match is None:
            fail(f"{part.strip()!r} is not of the form HH:MM-HH:MM")
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        try:
            periods.append((time(h1, m1), time(h2, m2)))
        except ValueError as exc:
            fail(str(exc))
    error = _period_error(periods)
    if error is not None:
        fail(error)
    return tuple(periods)


def _span(start: time, end: time) -> timedelta:
    """The length of a period within one day."""
    return datetime.combine(date.min, end) - datetime.combine(date.min, start)


class WorkCalendar:
    """Working periods, working days and time zone; immutable once built.

    The working days of each year asked about are counted once per calendar object (``_year_index``), so that
    ``add`` and ``minutes_between`` find the working days of a span by subtraction and bisection instead of
    walking it day by day: their cost no longer grows with the span's length.
    """

    __slots__ = ("_confirmed_years", "_daily", "_index", "_overrides", "_periods", "_tz")

    _periods: tuple[Period, ...]
    _overrides: Mapping[date, bool]
    _confirmed_years: frozenset[int]
    _tz: ZoneInfo
    _daily: timedelta
    _index: dict[int, _YearIndex]

    def __init__(
        self,
        periods: Sequence[Period],
        overrides: Mapping[date, bool],
        confirmed_years: Collection[int],
        tz: ZoneInfo,
    ) -> None:
        periods = tuple((start, end) for start, end in periods)
        error = _period_error(periods)
        if error is not None:
            raise ValueError(f"Invalid working periods: {error}")
        for day in overrides:
            if isinstance(day, datetime) or not isinstance(day, date):
                raise TypeError(f"Override keys must be dates, not {type(day).__name__}")
        object.__setattr__(self, "_periods", periods)
        object.__setattr__(self, "_overrides", MappingProxyType({day: bool(v) for day, v in overrides.items()}))
        object.__setattr__(self, "_confirmed_years", frozenset(confirmed_years))
        object.__setattr__(self, "_tz", tz)
        object.__setattr__(self, "_daily", sum((_span(s, e) for s, e in periods), timedelta()))
        object.__setattr__(self, "_index", {})

    def __setattr__(self, name: str, value: Any) -> None:  # Any: object.__setattr__'s own signature
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        periods = ",".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in self._periods)
        return (
            f"<WorkCalendar {periods} {self._tz.key} overrides={len(self._overrides)}"
            f" confirmed={sorted(self._confirmed_years)}>"
        )

    @classmethod
    def load(cls) -> WorkCalendar:
        """Build the calendar from settings and the database (two small queries)."""
        from gridgov.data.worktime.models import CalendarDay, CalendarYear

        periods = parse_periods(settings.GRIDGOV_WORKING_PERIODS)
        overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        years = CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)
        return cls(periods, overrides, set(years), ZoneInfo(settings.TIME_ZONE))

    # --- read-only views -------------------------------------------------------------------

    @property
    def periods(self) -> tuple[Period, ...]:
        """The working periods of a working day, sorted and disjoint."""
        return self._periods

    @property
    def overrides(self) -> Mapping[date, bool]:
        """Per-day overrides (True: working day, False: day off)."""
        return self._overrides

    @property
    def confirmed_years(self) -> frozenset[int]:
        """Years unknown to the package that administrators have confirmed."""
        return self._confirmed_years

    @property
    def tz(self) -> ZoneInfo:
        """The local time zone in which working periods are read."""
        return self._tz

    @property
    def daily_minutes(self) -> int:
        """Working minutes in one working day."""
        return self._daily // _MINUTE

    # --- days ------------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (in a provisional year: by the statutory holidays alone)."""
        if isinstance(day, datetime):
            raise TypeError("is_workday() takes a date, not a datetime")
        override = self._overrides.get(day)
        if override is not None:
            return override
        official = official_workday(day)
        if official is not None:
            return official
        if day.year in self._confirmed_years:
            return day.weekday() < 5
        return day.weekday() < 5 and day not in statutory_holidays(day.year)

    def is_provisional_year(self, year: int) -> bool:
        """Whether ``year``'s days are provisional: neither in the package nor confirmed by an administrator."""
        return year not in self._confirmed_years and not package_knows(year)

    def provisional_between(self, start: datetime, end: datetime) -> bool:
        """Whether a working-time span from ``start`` to ``end`` crosses a provisional year (暂定)."""
        first = self._local(start, "start").year
        last = self._local(end, "end").year
        return any(self.is_provisional_year(year) for year in range(min(first, last), max(first, last) + 1))

    # --- arithmetic ------------------------------------------------------------------------

    def to_minutes(self, value: int, unit: TimeUnit | str) -> tuple[Clock, int]:
        """Convert a limit to minutes on its clock (a work day is ``daily_minutes``)."""
        unit = TimeUnit(unit)
        if value < 0:
            raise InvalidInput(_("时限不能为负数。"), field="value")
        if unit == TimeUnit.WORK_HOURS:
            minutes = value * 60
        elif unit == TimeUnit.WORK_DAYS:
            minutes = value * self.daily_minutes
        else:
            minutes = value * 24 * 60
        return clock_of(unit), minutes

    def add(self, start: datetime, minutes: int, clock: Clock | str) -> datetime:
        """The moment ``minutes`` after ``start`` on ``clock``, as an aware local datetime.

        On the working clock, counting begins at ``start`` if it is within working time,
        otherwise at the next working period's start; a deadline that falls exactly at the end
        of a period is that period's end (17:30, not 08:30 next day). ``add(start, 0, clock)``
        is ``start`` itself (converted to local time), even outside working time.
        """
        local = self._local(start, "start")
        if minutes < 0:
            raise InvalidInput(_("期限的分钟数不能为负数。"), field="minutes")
        if Clock(clock) == Clock.CALENDAR:
            return (local.astimezone(UTC) + minutes * _MINUTE).astimezone(self._tz)
        remaining = minutes * _MINUTE
        if not remaining:
            return local

        day = local.date()
        if local < self._at(day, self._periods[-1][1]) and self.is_workday(day):
            for begin, end in self._periods:
                period_end = self._at(day, end)
                if local >= period_end:
                    continue
                counted_from = max(local, self._at(day, begin))
                available = period_end - counted_from
                if remaining <= available:
                    return counted_from + remaining
                remaining -= available

        # The rest takes whole working days and part (or all) of one more: it ends on the ``days``-th working
        # day after ``day``, with ``remaining`` left for that day once the days before it are taken.
        last_day = day + timedelta(days=MAX_WALK_DAYS)
        days = -(-remaining // self._daily)
        found = self._nth_workday_after(day, days, last=last_day)
        if found is None:
            raise InvalidInput(_("期限过长，超出了可计算的范围（五年）。"), field="minutes")
        remaining -= (days - 1) * self._daily
        for begin, end in self._periods:
            available = _span(begin, end)
            if remaining <= available:
                return self._at(found, begin) + remaining
            remaining -= available
        raise AssertionError("remaining time exceeded a working day")  # pragma: no cover

    def minutes_between(self, a: datetime, b: datetime, clock: Clock | str) -> int:
        """Whole minutes on ``clock`` in ``[a, b)``; 0 if ``b <= a``.

        The first and last days count only their working time within ``[a, b)``; the days between count
        ``daily_minutes`` each if they are working days (from the calendar's index of working days).
        """
        local_a = self._local(a, "a")
        local_b = self._local(b, "b")
        if local_b.astimezone(UTC) <= local_a.astimezone(UTC):
            return 0
        if Clock(clock) == Clock.CALENDAR:
            return (local_b.astimezone(UTC) - local_a.astimezone(UTC)) // _MINUTE

        first_day, last_day = local_a.date(), local_b.date()
        total = self._overlap(first_day, local_a, local_b)
        if last_day > first_day:
            total += self._workdays_between(first_day + _ONE_DAY, last_day) * self._daily
            total += self._overlap(last_day, local_a, local_b)
        return total // _MINUTE

    def add_limit(self, start: datetime, value: int, unit: TimeUnit | str) -> datetime:
        """The deadline of a limit of ``value`` ``unit`` starting at ``start``."""
        clock, minutes = self.to_minutes(value, unit)
        return self.add(start, minutes, clock)

    # --- helpers ---------------------------------------------------------------------------

    def _local(self, moment: datetime, name: str) -> datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{name} must be an aware datetime, got naive {moment!r}")
        return moment.astimezone(self._tz)

    def _overlap(self, day: date, lo: datetime, hi: datetime) -> timedelta:
        """Working time of ``day`` within ``[lo, hi)``; the day is looked up only if it overlaps."""
        overlap = timedelta()
        for begin, end in self._periods:
            start = max(lo, self._at(day, begin))
            stop = min(hi, self._at(day, end))
            if stop > start:
                overlap += stop - start
        if overlap and self.is_workday(day):
            return overlap
        return timedelta()

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self._tz)

    def _year_index(self, year: int) -> _YearIndex:
        """The working days of ``year`` counted from 1 January (see ``_YearIndex``), counted on first use.

        ``is_workday`` depends only on what the calendar was built with, so a year's count never goes stale;
        two threads counting the same year at once keep whichever finished first (both are equal).
        """
        found = self._index.get(year)
        if found is None:
            first = date(year, 1, 1).toordinal()
            counts = [0]
            for ordinal in range(first, date(year, 12, 31).toordinal() + 1):
                counts.append(counts[-1] + self.is_workday(date.fromordinal(ordinal)))
            found = self._index.setdefault(year, (first, tuple(counts)))
        return found

    def _workdays_between(self, first: date, stop: date) -> int:
        """How many working days there are from ``first`` up to ``stop`` (exclusive); ``first <= stop``."""
        start_of_year, counts = self._year_index(first.year)
        total = -counts[first.toordinal() - start_of_year]
        for year in range(first.year, stop.year):
            total += self._year_index(year)[1][-1]
        start_of_year, counts = self._year_index(stop.year)
        return total + counts[stop.toordinal() - start_of_year]

    def _nth_workday_after(self, day: date, n: int, *, last: date) -> date | None:
        """The ``n``-th working day after ``day`` (``n >= 1``), or None if it would fall after ``last``."""
        start_of_year, counts = self._year_index(day.year)
        wanted = counts[day.toordinal() - start_of_year + 1] + n  # working days from 1 January to the one sought
        year = day.year
        while True:
            position = bisect.bisect_left(counts, wanted)
            if position < len(counts):
                found = date.fromordinal(start_of_year + position - 1)
                return found if found <= last else None
            wanted -= counts[-1]
            year += 1
            if year > last.year:
                return None
            start_of_year, counts = self._year_index(year)
