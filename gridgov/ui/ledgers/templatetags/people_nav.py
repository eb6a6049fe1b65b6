"""Whether the signed-in user sees the people register's link (实有人口) among the civic ledgers."""

from __future__ import annotations

from django import template

from gridgov.data.org.models import User
from gridgov.ui.ledgers.views_houses import may_see_people

register = template.Library()


@register.filter
def sees_people(user: User) -> bool:
    return may_see_people(user)
