"""Template filters for how Chinese users read time and deadlines."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.deadlines import DeadlineView
from gridgov.data.worktime.enums import Clock

register = template.Library()


@register.filter
def duration(minutes: int, clock: str = Clock.WORKING) -> str:
    """3小时20分钟 on the working clock; 2天3小时 on the calendar clock."""
    minutes = abs(int(minutes))
    if clock == Clock.CALENDAR and minutes >= 1440:
        days, rest = divmod(minutes, 1440)
        hours = rest // 60
        return _("%(d)s天%(h)s小时") % {"d": days, "h": hours} if hours else _("%(d)s天") % {"d": days}
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return _("%(h)s小时%(m)s分钟") % {"h": hours, "m": mins}
    if hours:
        return _("%(h)s小时") % {"h": hours}
    return _("%(m)s分钟") % {"m": mins}


@register.filter
def deadline_phrase(view: DeadlineView) -> str:
    """剩余 3小时20分钟（工作时间） / 已超期 30分钟（工作时间）."""
    if view.remaining_minutes is None or view.clock is None:
        return ""
    amount = duration(view.remaining_minutes, view.clock)
    if view.clock == Clock.WORKING:
        if view.remaining_minutes >= 0:
            return _("剩余 %(t)s（按工作时间）") % {"t": amount}
        return _("已超期 %(t)s（按工作时间）") % {"t": amount}
    if view.remaining_minutes >= 0:
        return _("剩余 %(t)s") % {"t": amount}
    return _("已超期 %(t)s") % {"t": amount}
