"""Template filters that write numbers as the work report does (see gridgov.data.reports.phrasing)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from gridgov.data.access.permissions import memberships_of
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import User
from gridgov.data.reports import phrasing
from gridgov.data.reports.domain.viewers import TOWN_WIDE_ROLES

register = template.Library()


@register.filter
def rate(value: Decimal | None) -> str:
    """A fraction as a percentage with one decimal: 0.98 → 98.0%; None → —."""
    return phrasing.percent(value)


@register.filter
def yoy(value: Decimal | None) -> str:
    """Year-on-year change: 增长66.17% / 下降3.20% / 持平 / —."""
    return phrasing.change(value)


@register.filter
def amount(value: Decimal | None) -> str:
    """A decimal without trailing zeros (27.8000 → 27.8); None → —."""
    if value is None:
        return phrasing.DASH
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.simple_tag(takes_context=True)
def figure_access(context: template.Context) -> str:
    """ "town" for leaders, the command room and admins; "village" for village staff; "" for others.

    Uses the memberships already loaded for the request (no extra query after the first)."""
    user = context.get("user")
    if not isinstance(user, User) or not user.is_authenticated:
        return ""
    if user.is_superuser:
        return "town"
    access = ""
    for m in memberships_of(user):
        if m.role == Role.ADMIN and m.area is None:
            return "town"
        if m.area is None:
            continue
        if m.role in TOWN_WIDE_ROLES and m.area.level in (AreaLevel.TOWN, AreaLevel.COUNTY):
            return "town"
        if m.role in (Role.VILLAGE_STAFF, Role.LEADER) and m.area.level == AreaLevel.VILLAGE:
            access = "village"
    return access
