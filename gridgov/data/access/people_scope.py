"""The people register's scope, as the permission module answers it: which houses, households, residents, key
and care groups (and memberships) a user may see, whether they may unmask a person, and where they may write.

The rule lives once in ``people/scope.py`` (the register's domain functions enforce it there, below this
module); every page, export, API endpoint and other app asks here, through ``access.permissions``.
"""

from __future__ import annotations

from gridgov.data.people.scope import (
    ERASE_ROLES,
    SENSITIVE_ROLES,
    UNMASK_ROLES,
    WRITE_ROLES,
    handler_departments,
    house_for,
    household_for,
    may_erase_person,
    may_revitalise,
    may_see_people,
    may_unmask_person,
    may_write_area,
    may_write_people,
    resident_for,
    revitalisable_houses,
    visible_groups,
    visible_households,
    visible_houses,
    visible_memberships,
    visible_residents,
    writable_households,
    writable_houses,
    writable_residents,
)

__all__ = [
    "ERASE_ROLES",
    "SENSITIVE_ROLES",
    "UNMASK_ROLES",
    "WRITE_ROLES",
    "handler_departments",
    "house_for",
    "household_for",
    "may_erase_person",
    "may_revitalise",
    "may_see_people",
    "may_unmask_person",
    "may_write_area",
    "may_write_people",
    "resident_for",
    "revitalisable_houses",
    "visible_groups",
    "visible_households",
    "visible_houses",
    "visible_memberships",
    "visible_residents",
    "writable_households",
    "writable_houses",
    "writable_residents",
]
