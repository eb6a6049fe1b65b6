"""Whether the signed-in user sees the people register's link (实有人口) among the civic ledgers."""

from __future__ import annotations

from django import template

from gridgov.data.access import permissions
from gridgov.data.org.models import User

register = template.Library()


@register.filter
def sees_people(user: User) -> bool:
    return isinstance(user, User) and permissions.may_see_people(user)
