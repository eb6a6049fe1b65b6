"""Who may see and write the people register: the rule, stated once (the UI, the API and the other apps ask it
through ``access.permissions``, which re-exports ``__all__``; the register's own domain functions enforce it here).

A user's active memberships (``cases.scope.memberships_of``, read once per request) open:

- **area roles** (operator, leader, admin of a town; village staff of a village; a grid worker of a grid): the
  houses in that area subtree (a house lies in its village and grid), their households and residents;
- **handlers**: the residents with an open membership in a group of their department, and those residents'
  households and houses;
- enterprises and residents: nothing.

Groups (and so a resident's tags): a non-sensitive group is seen by anyone who sees residents of its town; a
sensitive one (社区矫正, 吸毒, 严重精神障碍) only by the town's leaders and admins and by the handlers of its
department — not by the command room, village staff or grid workers. Unmasking a person: the command room,
leaders and admins over the resident's area, and the handlers of a group the resident is an open member of.

Writing (registering, changing, moving out, tagging): operators and admins of the town, village staff in their
village, grid workers in their grid — and only what they may see.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gridgov.data.cases.scope import AREA_SCOPED, is_global_admin, memberships_of
from gridgov.data.errors import NotFound
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Membership, User
from gridgov.data.people.models import GroupMembership, House, Household, PersonGroup, Resident

# What the permission module (``access.permissions``) answers from here, for the UI, the API and other apps.
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

# Who sees every group of their town, the sensitive ones too.
SENSITIVE_ROLES = frozenset({Role.LEADER, Role.ADMIN})
# Who may see a resident's ID number and phone in full (over their area; handlers over their groups' members).
UNMASK_ROLES = frozenset({Role.OPERATOR, Role.LEADER, Role.ADMIN})
# Who may erase a person's data (an erasure request; the retention purge runs without a user).
ERASE_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})
# Who may register and change houses, households, residents and their memberships (over their area).
WRITE_ROLES = frozenset({Role.OPERATOR, Role.ADMIN, Role.VILLAGE_STAFF, Role.GRID_WORKER})
# Who may record an idle farmhouse's revitalisation (the village's decision under 三权分置, not a grid worker's).
REVITALISE_ROLES = frozenset({Role.OPERATOR, Role.ADMIN, Role.VILLAGE_STAFF})

_NOTHING = Q(pk__in=[])


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _area_memberships(user: User, roles: frozenset[Role] | tuple[Role, ...] = AREA_SCOPED) -> list[Membership]:
    return [m for m in memberships_of(user) if m.role in roles and m.role in AREA_SCOPED and m.area is not None]


def handler_departments(user: User) -> list[int]:
    """The departments ``user`` is a handler of (their groups' members are theirs to see)."""
    if not _active(user):
        return []
    found: list[int] = []
    for m in memberships_of(user):
        if m.role == Role.HANDLER and m.department_id is not None and m.department_id not in found:
            found.append(m.department_id)
    return found


def _house_in(area: Area, prefix: str) -> Q:
    """The rows whose house (``prefix``: the way from the row to its house) lies in ``area``'s subtree: each an
    equality on an indexed column. A house lies in its village and grid, which the domain keeps in its town; every
    row of the register carries its town, so a town's (or county's) rows need no join."""
    if area.level == AreaLevel.COUNTY:
        return Q(town__path__startswith=area.path)
    if area.level == AreaLevel.TOWN:
        return Q(town_id=area.pk)
    if area.level == AreaLevel.VILLAGE:
        return Q(**{f"{prefix}village_id": area.pk})
    if area.level == AreaLevel.GRID:
        return Q(**{f"{prefix}grid_id": area.pk})
    return _NOTHING  # a micro-grid holds no house of its own


def _any(conditions: list[Q]) -> Q:
    unique: list[Q] = []
    for condition in conditions:
        if condition not in unique:
            unique.append(condition)
    return reduce(operator.or_, unique) if unique else _NOTHING


def _handled_residents(departments: list[int]) -> QuerySet[GroupMembership]:
    return GroupMembership.objects.filter(until__isnull=True, group__department_id__in=departments)


def _condition(
    user: User, roles: frozenset[Role] | tuple[Role, ...], *, handlers: bool, house: str, of_resident: str
) -> Q | None:
    """The records ``user`` sees in ``roles`` (and as a handler): a condition on the model whose house is reached by
    the path ``house`` and which a resident names by ``of_resident`` ("pk", "household_id", "household__house_id");
    None: all of them."""
    if not _active(user):
        return _NOTHING
    if is_global_admin(user) and Role.ADMIN in roles:
        return None
    conditions = [_house_in(m.area, house) for m in _area_memberships(user, roles) if m.area]
    departments = handler_departments(user) if handlers else []
    if departments:
        handled = _handled_residents(departments).values("resident_id")
        if of_resident == "pk":
            conditions.append(Q(pk__in=handled))
        else:
            conditions.append(Q(pk__in=Resident.objects.filter(pk__in=handled).values(of_resident)))
    return _any(conditions)


def _resident_condition(user: User, roles: frozenset[Role] | tuple[Role, ...], *, handlers: bool) -> Q | None:
    return _condition(user, roles, handlers=handlers, house="household__house__", of_resident="pk")


def visible_residents(user: User, queryset: QuerySet[Resident] | None = None) -> QuerySet[Resident]:
    """The residents ``user`` may see (erased ones stay, as placeholders)."""
    qs = Resident.objects.all() if queryset is None else queryset
    condition = _resident_condition(user, AREA_SCOPED, handlers=True)
    return qs if condition is None else qs.filter(condition)


def _household_condition(user: User, roles: frozenset[Role] | tuple[Role, ...], *, handlers: bool) -> Q | None:
    return _condition(user, roles, handlers=handlers, house="house__", of_resident="household_id")


def visible_households(user: User, queryset: QuerySet[Household] | None = None) -> QuerySet[Household]:
    """The households ``user`` may see: those of the houses in their area, and a handler's residents' ones."""
    qs = Household.objects.all() if queryset is None else queryset
    condition = _household_condition(user, AREA_SCOPED, handlers=True)
    return qs if condition is None else qs.filter(condition)


def _house_condition(user: User, roles: frozenset[Role] | tuple[Role, ...], *, handlers: bool) -> Q | None:
    return _condition(user, roles, handlers=handlers, house="", of_resident="household__house_id")


def visible_houses(user: User, queryset: QuerySet[House] | None = None) -> QuerySet[House]:
    """The houses ``user`` may see: those in their area, and the houses a handler's residents live in."""
    qs = House.objects.all() if queryset is None else queryset
    condition = _house_condition(user, AREA_SCOPED, handlers=True)
    return qs if condition is None else qs.filter(condition)


def _town_of(area: Area, prefix: str) -> Q:
    if area.town_id is None:  # a county: its towns
        return Q(**{f"{prefix}town__path__startswith": area.path})
    return Q(**{f"{prefix}town_id": area.town_id})


def _group_condition(user: User, prefix: str = "") -> Q | None:
    if not _active(user):
        return _NOTHING
    if is_global_admin(user):
        return None
    conditions: list[Q] = []
    for m in _area_memberships(user):
        if m.area is None:
            continue
        if m.role in SENSITIVE_ROLES:
            conditions.append(_town_of(m.area, prefix))
        else:
            conditions.append(Q(**{f"{prefix}sensitive": False}) & _town_of(m.area, prefix))
    for m in memberships_of(user):
        if m.role == Role.HANDLER and m.department is not None:
            conditions.append(Q(**{f"{prefix}sensitive": False, f"{prefix}town_id": m.department.town_id}))
            conditions.append(Q(**{f"{prefix}department_id": m.department_id}))
    return _any(conditions)


def visible_groups(user: User, queryset: QuerySet[PersonGroup] | None = None) -> QuerySet[PersonGroup]:
    """The key and care groups ``user`` may see (and so the memberships, the tags, of the residents they see)."""
    qs = PersonGroup.objects.all() if queryset is None else queryset
    condition = _group_condition(user)
    return qs if condition is None else qs.filter(condition)


def visible_memberships(user: User, queryset: QuerySet[GroupMembership] | None = None) -> QuerySet[GroupMembership]:
    """The memberships ``user`` may see: of a visible group and a visible resident."""
    qs = GroupMembership.objects.all() if queryset is None else queryset
    group = _group_condition(user, "group__")
    resident = visible_residents(user).values("pk")
    qs = qs.filter(resident__in=resident)
    return qs if group is None else qs.filter(group)


def house_for(user: User, pk: int) -> House:
    """One house if ``user`` may see it; otherwise NotFound (never say it exists)."""
    found = visible_houses(user, House.objects.select_related("village", "grid")).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return found


def household_for(user: User, pk: int) -> Household:
    """One household (with its house) if ``user`` may see it; otherwise NotFound."""
    found = visible_households(user, Household.objects.select_related("house")).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return found


def resident_for(user: User, pk: int) -> Resident:
    """One resident (with household and house) if ``user`` may see them; otherwise NotFound."""
    found = visible_residents(user, Resident.objects.select_related("household__house")).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return found


def may_unmask_person(*, user: User, resident: Resident) -> bool:
    """Whether ``user`` may see ``resident``'s name, ID number and phone in full: the command room, leaders and
    admins over the resident's area; the handlers of a group the resident is an open member of."""
    condition = _resident_condition(user, tuple(UNMASK_ROLES), handlers=True)
    if condition is None:
        return True
    return Resident.objects.filter(condition, pk=resident.pk).exists()


def may_erase_person(*, user: User, resident: Resident) -> bool:
    """Whether ``user`` may erase ``resident``'s personal data: the command room and admins over their area."""
    condition = _resident_condition(user, tuple(ERASE_ROLES), handlers=False)
    if condition is None:
        return True
    return Resident.objects.filter(condition, pk=resident.pk).exists()


# ---------------------------------------------------------------------------------------------------
# Writing


def writable_residents(user: User, queryset: QuerySet[Resident] | None = None) -> QuerySet[Resident]:
    qs = Resident.objects.all() if queryset is None else queryset
    condition = _resident_condition(user, tuple(WRITE_ROLES), handlers=False)
    return qs if condition is None else qs.filter(condition)


def writable_households(user: User, queryset: QuerySet[Household] | None = None) -> QuerySet[Household]:
    qs = Household.objects.all() if queryset is None else queryset
    condition = _household_condition(user, tuple(WRITE_ROLES), handlers=False)
    return qs if condition is None else qs.filter(condition)


def writable_houses(user: User, queryset: QuerySet[House] | None = None) -> QuerySet[House]:
    qs = House.objects.all() if queryset is None else queryset
    condition = _house_condition(user, tuple(WRITE_ROLES), handlers=False)
    return qs if condition is None else qs.filter(condition)


def revitalisable_houses(user: User, queryset: QuerySet[House] | None = None) -> QuerySet[House]:
    """The houses whose revitalisation ``user`` may record: the command room and admins of the town, the staff of
    the house's village (``people.revitalisation`` enforces it)."""
    qs = House.objects.all() if queryset is None else queryset
    condition = _house_condition(user, tuple(REVITALISE_ROLES), handlers=False)
    return qs if condition is None else qs.filter(condition)


def may_revitalise(user: User, house: House) -> bool:
    return revitalisable_houses(user, House.objects.filter(pk=house.pk)).exists()


# Who works with the register's pages: the roles that see residents (area roles over their area, handlers over
# their groups' members); enterprises and residents do not.
PEOPLE_ROLES = frozenset({Role.OPERATOR, Role.LEADER, Role.ADMIN, Role.VILLAGE_STAFF, Role.GRID_WORKER, Role.HANDLER})


def may_see_people(user: User) -> bool:
    """Whether ``user`` uses the register's pages (and sees their link): memberships read once, no query."""
    return _active(user) and (is_global_admin(user) or any(m.role in PEOPLE_ROLES for m in memberships_of(user)))


def may_write_area(user: User, area: Area) -> bool:
    """Whether ``user`` may register a house in ``area`` (its grid, else its village): an area role that writes
    whose area contains it."""
    if not _active(user):
        return False
    if is_global_admin(user):
        return True
    return any(m.area is not None and m.area.contains(area.path) for m in _area_memberships(user, tuple(WRITE_ROLES)))


def may_write_people(user: User) -> bool:
    """Whether ``user`` writes the register anywhere (the 登记 button of the register's pages)."""
    return _active(user) and (is_global_admin(user) or bool(_area_memberships(user, tuple(WRITE_ROLES))))
