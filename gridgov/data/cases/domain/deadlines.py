"""Case deadlines: each phase's deadline is derived from its clock, start, limit and paused time.

- Dispatch phase (立案派遣): from report (or from a return) until the case is dispatched.
- Handling phase (处置): from each dispatch until the handler reports a result.
Extensions add to the limit; a suspension (缓办) adds the suspended time to the phase that was running,
measured on that phase's clock — so the clock stops while a case is suspended.
Yellow when 75% of the limit is used up; red when the deadline has passed. The time left (or past the deadline)
reads in the unit the limit is set in (``time_left_text``: 剩余1个工作日3小时, 已超期2个工作日): every page, list,
export and the phone say it through that one function.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gridgov.data.cases.enums import DISPATCH_PHASE_STATUSES, HANDLE_PHASE_STATUSES, Lamp, Status
from gridgov.data.cases.models import Case
from gridgov.data.taxonomy.domain import Limit
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import Clock, TimeUnit

WARN_FRACTION = 0.75
# A ledger row (a hazard, a problem item) has a rectification date besides the case's clocks: it is overdue
# (超期) when that date has passed and its case is not finished.
FINISHED = (Status.CLOSED, Status.REJECTED)


def ledger_overdue(*, status: str, deadline: date | None, today: date) -> bool:
    """Whether a ledger row whose case is in ``status`` is past its rectification ``deadline`` on ``today``."""
    return deadline is not None and deadline < today and status not in FINISHED


def ledger_overdue_q(deadline_field: str, *, today: date, status_field: str = "status") -> Q:
    """``ledger_overdue`` as a filter on the rows' ``deadline_field`` and their case's ``status_field``."""
    return Q(**{f"{deadline_field}__lt": today}) & ~Q(**{f"{status_field}__in": FINISHED})


def _warn_minutes(limit_minutes: int) -> int:
    return math.ceil(limit_minutes * WARN_FRACTION)


def start_dispatch_clock(case: Case, *, calendar: WorkCalendar, limit: Limit, start: datetime) -> None:
    clock, minutes = calendar.to_minutes(limit.value, limit.unit)
    case.dispatch_clock = clock
    case.dispatch_limit_unit = limit.unit
    case.dispatch_started_at = start
    case.dispatch_limit_minutes = minutes
    case.dispatch_paused_minutes = 0
    recompute_dispatch_deadline(case, calendar=calendar)


def recompute_dispatch_deadline(case: Case, *, calendar: WorkCalendar) -> None:
    assert case.dispatch_started_at is not None
    case.dispatch_deadline, case.dispatch_warn_at, case.dispatch_provisional = _clock_deadline(
        calendar,
        start=case.dispatch_started_at,
        limit_minutes=case.dispatch_limit_minutes,
        paused=case.dispatch_paused_minutes,
        clock=Clock(case.dispatch_clock),
    )


def _clock_deadline(
    calendar: WorkCalendar, *, start: datetime, limit_minutes: int, paused: int, clock: Clock
) -> tuple[datetime, datetime, bool]:
    """A clock's deadline, its warning moment and whether the deadline is provisional (working time over days
    the calendar has not confirmed): the limit and its warning fraction from ``start``, plus the paused time."""
    deadline = calendar.add(start, limit_minutes + paused, clock)
    warn_at = calendar.add(start, _warn_minutes(limit_minutes) + paused, clock)
    return deadline, warn_at, clock == Clock.WORKING and calendar.provisional_between(start, deadline)


def start_handle_clock(case: Case, *, calendar: WorkCalendar, limit: Limit, start: datetime) -> None:
    clock, minutes = calendar.to_minutes(limit.value, limit.unit)
    case.handle_clock = clock
    case.handle_limit_value = limit.value
    case.handle_limit_unit = limit.unit
    case.handle_started_at = start
    case.handle_limit_minutes = minutes
    case.handle_paused_minutes = 0
    case.pending_extension_value = None
    recompute_handle_deadline(case, calendar=calendar)


def recompute_handle_deadline(case: Case, *, calendar: WorkCalendar) -> None:
    assert case.handle_started_at is not None
    case.handle_deadline, case.handle_warn_at, case.handle_provisional = _clock_deadline(
        calendar,
        start=case.handle_started_at,
        limit_minutes=case.handle_limit_minutes,
        paused=case.handle_paused_minutes,
        clock=Clock(case.handle_clock),
    )


def extend_handle_limit(case: Case, *, calendar: WorkCalendar, value: int) -> None:
    """Approve an extension of ``value`` units of the handling limit's own unit."""
    _clock, minutes = calendar.to_minutes(value, case.handle_limit_unit)
    case.handle_limit_minutes += minutes
    case.extension_count += 1
    case.pending_extension_value = None
    recompute_handle_deadline(case, calendar=calendar)


def stop_clock_for_suspension(case: Case, *, calendar: WorkCalendar, resumed_at: datetime) -> None:
    """Add the suspended span to the phase that was running when the case was suspended."""
    assert case.suspended_at is not None
    previous = Status(case.status_before_suspend)
    if previous in DISPATCH_PHASE_STATUSES and case.dispatch_started_at is not None:
        case.dispatch_paused_minutes += calendar.minutes_between(
            case.suspended_at, resumed_at, Clock(case.dispatch_clock)
        )
        recompute_dispatch_deadline(case, calendar=calendar)
    elif previous in HANDLE_PHASE_STATUSES and case.handle_started_at is not None:
        case.handle_paused_minutes += calendar.minutes_between(case.suspended_at, resumed_at, Clock(case.handle_clock))
        recompute_handle_deadline(case, calendar=calendar)


@dataclass(frozen=True, slots=True)
class DeadlineView:
    """What a page shows about the running deadline of a case."""

    lamp: Lamp
    deadline: datetime | None
    phase: str  # "dispatch", "handle" or ""
    remaining_minutes: int | None  # on the phase's clock; negative when overdue
    clock: Clock | None
    provisional: bool = False  # 暂定: counted on a year whose official holiday schedule is not yet known
    unit: TimeUnit | None = None  # the unit the running phase's limit is set in: the time left reads in it
    day_minutes: int = 0  # working minutes in a working day of the calendar that measured it


def current_phase(case: Case) -> tuple[str, datetime | None, datetime | None, Clock | None]:
    status = Status(case.status)
    if status in DISPATCH_PHASE_STATUSES:
        return "dispatch", case.dispatch_deadline, case.dispatch_warn_at, Clock(case.dispatch_clock)
    if status in HANDLE_PHASE_STATUSES:
        return "handle", case.handle_deadline, case.handle_warn_at, Clock(case.handle_clock)
    return "", None, None, None


def limit_unit(case: Case, phase: str) -> TimeUnit | None:
    """The unit the limit of ``phase`` was set in, kept with its clock (None: that clock has not run). The cases
    started before the dispatch unit was kept have it since migration cases.0020."""
    stored = {"dispatch": case.dispatch_limit_unit, "handle": case.handle_limit_unit}.get(phase, "")
    return TimeUnit(stored) if stored in TimeUnit.values else None


def lamp_of(case: Case, *, now: datetime) -> Lamp:
    """The lamp without calendar arithmetic (cheap enough for every row of a list)."""
    if case.status == Status.SUSPENDED:
        return Lamp.PAUSED
    _phase, deadline, warn_at, _clock = current_phase(case)
    if deadline is None:
        return Lamp.NONE
    if now > deadline:
        return Lamp.RED
    if warn_at is not None and now >= warn_at:
        return Lamp.YELLOW
    return Lamp.GREEN


def is_provisional(case: Case) -> bool:
    """Whether the running phase's deadline is provisional (暂定)."""
    phase = current_phase(case)[0]
    if phase == "dispatch":
        return case.dispatch_provisional
    if phase == "handle":
        return case.handle_provisional
    return False


def deadline_view(case: Case, *, now: datetime, calendar: WorkCalendar) -> DeadlineView:
    phase, deadline, _warn, clock = current_phase(case)
    lamp = lamp_of(case, now=now)
    provisional = is_provisional(case)
    unit = limit_unit(case, phase)
    if deadline is None or clock is None or lamp == Lamp.PAUSED:
        return DeadlineView(lamp, deadline, phase, None, clock, provisional, unit, calendar.daily_minutes)
    if now <= deadline:
        remaining = calendar.minutes_between(now, deadline, clock)
    else:
        remaining = -calendar.minutes_between(deadline, now, clock)
    return DeadlineView(lamp, deadline, phase, remaining, clock, provisional, unit, calendar.daily_minutes)


def deadline_views[C: Case](
    cases: Iterable[C], *, now: datetime, calendar: WorkCalendar
) -> list[tuple[C, DeadlineView]]:
    """Each case of a list beside its ``deadline_view`` (no query: the calendar is passed in)."""
    return [(case, deadline_view(case, now=now, calendar=calendar)) for case in cases]


_MINUTES_PER_DAY = 24 * 60


def _hours_and_minutes(minutes: int, *, working_hours: bool) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return ngettext("%(n)s分钟", "%(n)s分钟", rest) % {"n": rest}
    if working_hours:
        text = ngettext("%(n)s个工作小时", "%(n)s个工作小时", hours) % {"n": hours}
    else:
        text = ngettext("%(n)s小时", "%(n)s小时", hours) % {"n": hours}
    if not rest:
        return text
    return _("%(larger)s%(smaller)s") % {
        "larger": text,
        "smaller": ngettext("%(n)s分钟", "%(n)s分钟", rest) % {"n": rest},
    }


def _amount(minutes: int, *, unit: TimeUnit, day_minutes: int) -> str:
    """``minutes`` on the unit's clock as a command room writes them: whole days of the unit and hours, or hours and
    minutes under a day (1个工作日3小时, 2天5小时, 3个工作小时20分钟)."""
    if unit == TimeUnit.WORK_HOURS or (unit == TimeUnit.WORK_DAYS and day_minutes <= 0):
        return _hours_and_minutes(minutes, working_hours=True)
    per_day = day_minutes if unit == TimeUnit.WORK_DAYS else _MINUTES_PER_DAY
    days, rest = divmod(minutes, per_day)
    if not days:
        return _hours_and_minutes(rest, working_hours=False)
    if unit == TimeUnit.WORK_DAYS:
        text = ngettext("%(n)s个工作日", "%(n)s个工作日", days) % {"n": days}
    else:
        text = ngettext("%(n)s天", "%(n)s天", days) % {"n": days}
    hours = rest // 60
    if not hours:
        return text
    return _("%(larger)s%(smaller)s") % {
        "larger": text,
        "smaller": ngettext("%(n)s小时", "%(n)s小时", hours) % {"n": hours},
    }


def limit_amount_text(value: int, unit: TimeUnit) -> str:
    """``value`` whole units of a time limit as a command room writes them: 30天, 3个工作日, 8个工作小时."""
    if unit == TimeUnit.WORK_HOURS:
        return ngettext("%(n)s个工作小时", "%(n)s个工作小时", value) % {"n": value}
    if unit == TimeUnit.WORK_DAYS:
        return ngettext("%(n)s个工作日", "%(n)s个工作日", value) % {"n": value}
    return ngettext("%(n)s天", "%(n)s天", value) % {"n": value}


def pending_extension_text(case: Case) -> str:
    """The extension a handler asked for and that waits for a decision, in the unit it was asked in — the handling
    limit's own (``limit_unit``), the unit its approval adds it in (``extend_handle_limit``) and the one the request
    records: 30天, 3个工作日, 8个工作小时. Empty when none waits."""
    value = case.pending_extension_value
    unit = limit_unit(case, "handle")
    if not value or unit is None:
        return ""
    return limit_amount_text(value, unit)


def time_left_text(view: DeadlineView) -> str:
    """The time left of the running phase, or how far past its deadline it is, in the unit its limit is set in:
    剩余1个工作日3小时, 已超期2个工作日, 剩余3个工作小时20分钟, 已超期5天 (English: "2 working days overdue").
    Empty when no clock runs (closed, suspended, no deadline). A case past its deadline by less than one minute
    of its clock (over a weekend, on the working clock) reads 已超期 alone."""
    if view.remaining_minutes is None or view.unit is None:
        return ""
    minutes = abs(view.remaining_minutes)
    if view.lamp == Lamp.RED:
        if not minutes:
            return _("已超期")
        return _("已超期%(amount)s") % {"amount": _amount(minutes, unit=view.unit, day_minutes=view.day_minutes)}
    if not minutes:
        return _("剩余不足1分钟")
    return _("剩余%(amount)s") % {"amount": _amount(minutes, unit=view.unit, day_minutes=view.day_minutes)}
