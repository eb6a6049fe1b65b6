"""``town_roles``: the roles a user holds over a whole town (creating rounds and lists is town business).

What else the civic ledgers shared lives where it belongs: ``closed_by`` and ``local_bounds`` in
``cases.figures``; this last helper goes to the permission module.
"""

from __future__ import annotations

from gridgov.data.cases.scope import memberships_of
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, User


def town_roles(user: User, town: Area) -> set[Role]:
    """Roles ``user`` holds whose area covers all of ``town`` (a global admin counts as ADMIN)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    roles: set[Role] = set()
    for m in memberships_of(user):
        if m.role == Role.ADMIN and m.area_id is None:
            roles.add(Role.ADMIN)
        elif m.area is not None and town.path.startswith(m.area.path):
            roles.add(Role(m.role))
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles
