"""Template filters for how Chinese users read time and deadlines."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.html import format_html

from gridgov.data.access.permissions import memberships_of
from gridgov.data.cases.domain.deadlines import (
    DeadlineView,
    limit_unit,
    pending_extension_text,
    time_left_text,
)
from gridgov.data.cases.domain.notification_inbox import unread_count
from gridgov.data.cases.models import Case
from gridgov.data.dates import written_datetime
from gridgov.data.notify.channels.registry import ChannelName
from gridgov.data.org.enums import Role
from gridgov.data.org.models import User
from gridgov.ui.web import menu, once

register = template.Library()


@register.filter
def time_left(view: DeadlineView) -> str:
    """``{{ deadline|time_left }}``: 剩余1个工作日3小时 / 已超期2个工作日, in the unit of the phase's limit
    (``deadlines.time_left_text``); empty when no clock runs."""
    return time_left_text(view)


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
    return written_datetime(value)


@register.filter
def extension_asked(case: Case) -> str:
    """``{{ case|extension_asked }}``: the extension waiting for a decision in the unit it was asked in (30天,
    3个工作日; ``deadlines.pending_extension_text``); empty when none waits."""
    return pending_extension_text(case)


@register.filter
def channel_label(name: str) -> str:
    """``{{ cell.channel|channel_label }}``: a notification channel as users call it (电子邮件, 短信)."""
    return str(ChannelName(name).label) if name in ChannelName.values else name


@register.filter
def handle_unit(case: Case) -> str:
    """``{{ case|handle_unit }}``: the unit of the case's handling limit (自然日, 工作日, 工作时), in which an
    extension is asked (``deadlines.limit_unit``)."""
    unit = limit_unit(case, "handle")
    return str(unit.label) if unit is not None else ""


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
