"""Whether the assistance pages (救助帮扶) answer a user: for the navigation link (``may_see_assistance``)."""

from __future__ import annotations

from django import template

from gridgov.data.access import permissions
from gridgov.data.org.models import User

register = template.Library()


@register.filter
def sees_assistance(user: User) -> bool:
    return isinstance(user, User) and permissions.may_see_assistance(user)
