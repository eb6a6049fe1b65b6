"""Units of time limits and the clocks that measure them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    """The unit in which a time limit is written."""

    WORK_HOURS = "work_hours", _("工作时")
    WORK_DAYS = "work_days", _("工作日")
    CALENDAR_DAYS = "calendar_days", _("自然日")


class Clock(models.TextChoices):
    """How elapsed time is measured: only working time, or all time."""

    WORKING = "working", _("工作时间")
    CALENDAR = "calendar", _("自然时间")


def clock_of(unit: TimeUnit | str) -> Clock:
    """The clock that measures a limit written in ``unit``."""
    if TimeUnit(unit) == TimeUnit.CALENDAR_DAYS:
        return Clock.CALENDAR
    return Clock.WORKING
