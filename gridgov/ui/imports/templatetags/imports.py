from __future__ import annotations

from django import template

from gridgov.data.org.models import User
from gridgov.data.sheets.framework import importers

register = template.Library()


@register.simple_tag
def can_import(user: User) -> bool:
    """Whether the user may use at least one importer (to show the 导入 link)."""
    return user.is_authenticated and any(i.allowed(user) for i in importers())
