"""Template filters for how Chinese users read time and deadlines."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from gridgov.data.access.permissions import memberships_of
from gridgov.data.cases.domain.deadlines import DeadlineView
from gridgov.data.cases.domain.notification_inbox import unread_count
from gridgov.data.org.enums import Role
from gridgov.data.org.models import User
from gridgov.data.worktime.enums import Clock, TimeUnit
from gridgov.ui.web import menu, once

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


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    """The signed-in user's unread messages (one query, for the header)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user_id=user.pk)


@register.simple_tag(takes_context=True)
def user_roles(context: template.Context) -> set[str]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    roles = {str(m.role) for m in memberships_of(user)}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


@register.simple_tag(takes_context=True)
def once_field(context: template.Context) -> str:
    """A hidden one-time token for a form that creates something (see gridgov.ui.web.once)."""
    token = once.issue(context["request"])
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, token)


@register.filter
def cn_datetime(value: datetime | None) -> str:
    """2026年11月25日 09:00 in local time (Nov. 25, 2026 09:00 in English)."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATE_FORMAT')} {local.strftime('%H:%M')}"


@register.filter
def time_unit(value: str) -> str:
    return str(TimeUnit(value).label) if value in TimeUnit.values else value


@register.filter
def may_open(user: User, key: str) -> bool:
    """``{% if request.user|may_open:"residents" %}``: the header menu's answer for entry ``key``."""
    return menu.allows(user, key)


@register.simple_tag(takes_context=True)
def header_menu(context: template.Context) -> list[menu.Item]:
    """The header's menu for the signed-in user (see gridgov.ui.web.menu)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    return menu.header_items(user, path=request.path if request is not None else "")
