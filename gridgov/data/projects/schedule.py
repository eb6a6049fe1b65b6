"""A project's schedule (超时序 / 按序 / 滞后) and lamps, from its milestones and the working calendar.

The rule, stated once:

- A milestone is **due** on its planned date, or — when that date is a day off by the working calendar (a weekend,
  a 法定节假日) — on the next working day; a 调休 working Saturday is a working day, so a milestone planned on it is
  due that very Saturday (``due_day``).
- Its **warning** day is the cases' yellow mark (``cases.domain.deadlines.WARN_FRACTION``, 75 %) of the working days
  from the previous milestone's planned date (the first milestone: the project's registration day) to its due day
  (``warn_day``).
- An open milestone's lamp (``cases.enums.Lamp``): red (超期) once its due day has passed, yellow (临期) from its
  warning day, green before; a done milestone has none.
- A project is **滞后** (behind) when one of its milestones is open past its due day; **超时序** (ahead) when it is not
  behind, one milestone was done before its planned date and none was done after its due day; **按序** otherwise.
  Its lamp is its milestones' worst (none once all are done).

``due_on``/``warn_on`` are stored on the milestone when it is written, so the lists and the supervision check
filter with a query (``behind_q`` …); ``schedule_of``/``lamp_of_project`` read the same rule from loaded rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q

from gridgov.data.cases.domain.deadlines import WARN_FRACTION
from gridgov.data.cases.enums import Lamp
from gridgov.data.projects.enums import Schedule
from gridgov.data.projects.models import Milestone
from gridgov.data.worktime.calendar import WorkCalendar

_LONGEST_BREAK = 60  # days: no run of days off is longer


def due_day(planned: date, *, calendar: WorkCalendar) -> date:
    """The planned date, or the next working day when the planned date is a day off."""
    day = planned
    for _step in range(_LONGEST_BREAK):
        if calendar.is_workday(day):
            return day
        day += timedelta(days=1)
    return planned


def warn_day(start: date, due: date, *, calendar: WorkCalendar) -> date:
    """The working day at which 75 % of the working days from ``start`` (excluded) to ``due`` are used up."""
    days = [start + timedelta(days=n) for n in range(1, (due - start).days + 1)]
    working = [d for d in days if calendar.is_workday(d)]
    if not working:
        return due
    return working[max(0, math.ceil(len(working) * WARN_FRACTION) - 1)]


def milestone_lamp(milestone: Milestone, *, today: date) -> Lamp:
    if milestone.done_on is not None:
        return Lamp.NONE
    if today > milestone.due_on:
        return Lamp.RED
    if today >= milestone.warn_on:
        return Lamp.YELLOW
    return Lamp.GREEN


def schedule_of(milestones: Iterable[Milestone], *, today: date) -> Schedule:
    rows = list(milestones)
    if any(m.done_on is None and today > m.due_on for m in rows):
        return Schedule.BEHIND
    done = [m for m in rows if m.done_on is not None]
    if any(m.done_on < m.planned_on for m in done if m.done_on) and not any(
        m.done_on > m.due_on for m in done if m.done_on
    ):
        return Schedule.AHEAD
    return Schedule.ON_TIME


_SEVERITY = (Lamp.RED, Lamp.YELLOW, Lamp.GREEN)


def lamp_of_project(milestones: Iterable[Milestone], *, today: date) -> Lamp:
    lamps = {milestone_lamp(m, today=today) for m in milestones}
    return next((lamp for lamp in _SEVERITY if lamp in lamps), Lamp.NONE)


# --- the same rule as filters on projects -----------------------------------------------------------------------


def _milestones(condition: Q) -> Exists:
    return Exists(Milestone.objects.filter(condition, project=OuterRef("pk")))


def lagging_milestones_q(*, today: date) -> Q:
    """Milestones open past their due day."""
    return Q(done_on__isnull=True, due_on__lt=today)


def behind_q(*, today: date) -> Q:
    return Q(_milestones(lagging_milestones_q(today=today)))


def ahead_q(*, today: date) -> Q:
    early = _milestones(Q(done_on__isnull=False, done_on__lt=F("planned_on")))
    late = _milestones(Q(done_on__isnull=False, done_on__gt=F("due_on")))
    return Q(early) & ~Q(late) & ~behind_q(today=today)


def schedule_q(schedule: Schedule, *, today: date) -> Q:
    if schedule == Schedule.BEHIND:
        return behind_q(today=today)
    if schedule == Schedule.AHEAD:
        return ahead_q(today=today)
    return ~behind_q(today=today) & ~ahead_q(today=today)


def lamp_q(lamp: Lamp, *, today: date) -> Q:
    """Projects whose worst lamp is ``lamp``."""
    red = _milestones(lagging_milestones_q(today=today))
    yellow = _milestones(Q(done_on__isnull=True, warn_on__lte=today, due_on__gte=today))
    open_ = _milestones(Q(done_on__isnull=True))
    if lamp == Lamp.RED:
        return Q(red)
    if lamp == Lamp.YELLOW:
        return Q(yellow) & ~Q(red)
    if lamp == Lamp.GREEN:
        return Q(open_) & ~Q(yellow) & ~Q(red)
    return ~Q(open_)
