"""Who sees and records social assistance (救助帮扶): payments, veterans' preferential cards and day care — the
rule, stated once (the UI and the API ask it through ``access.permissions``, which re-exports ``__all__``; the
domain functions enforce it here).

- **Seeing**: the town's command room, leaders and admins see the town's records; village staff those of their
  village's households; a handler the records their department pays or serves (``department``); grid workers,
  enterprises and residents none. Which households an area role covers is the people register's rule
  (``people.scope.visible_households``), not restated here: it applies to the users who hold one of the
  area roles that see assistance (``AREA_ROLES``).
- **Recording**: operators and admins of the town; a handler for their own department; village staff for the
  households of their village. Imports: the command room (the importers' own ``allowed``).
"""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q, QuerySet

from gridgov.data.assistance.models import DayCareAttendance, Payment, VeteranCard
from gridgov.data.cases.scope import is_global_admin, may_import_town_ledgers, memberships_of, town_roles
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, Department, User
from gridgov.data.people.models import Household, Resident
from gridgov.data.people.scope import handler_departments, visible_households, visible_residents

# The area roles that see their area's assistance records (grid workers do not).
AREA_ROLES = frozenset({Role.OPERATOR, Role.LEADER, Role.ADMIN, Role.VILLAGE_STAFF})
# Who records for any household of their town.
TOWN_RECORDERS = frozenset({Role.OPERATOR, Role.ADMIN})
# Who sees the town's year figures of assistance.
TOWN_VIEWERS = frozenset({Role.OPERATOR, Role.LEADER, Role.ADMIN})

__all__ = [
    "assistance_actions",
    "household_to_record",
    "may_record_assistance",
    "may_see_assistance",
    "person_to_record",
    "visible_day_care",
    "visible_payments",
    "visible_veteran_cards",
]


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _holds(user: User, roles: frozenset[Role]) -> bool:
    return any(m.role in roles and m.area_id is not None for m in memberships_of(user))


def _conditions(user: User, household_path: str) -> list[Q]:
    if not _active(user):
        return []
    found: list[Q] = []
    if is_global_admin(user) or _holds(user, AREA_ROLES):
        found.append(Q(**{f"{household_path}__in": visible_households(user).values("pk")}))
    departments = handler_departments(user)
    if departments:
        found.append(Q(department_id__in=departments))
    return found


def _filtered[M: (Payment, VeteranCard, DayCareAttendance)](qs: QuerySet[M], conditions: list[Q]) -> QuerySet[M]:
    return qs.filter(reduce(operator.or_, conditions)) if conditions else qs.none()


def visible_payments(user: User, queryset: QuerySet[Payment] | None = None) -> QuerySet[Payment]:
    """The payments ``user`` may see: of the households their area role covers, or paid by their department."""
    qs = Payment.objects.all() if queryset is None else queryset
    return _filtered(qs, _conditions(user, "household"))


def visible_veteran_cards(user: User, queryset: QuerySet[VeteranCard] | None = None) -> QuerySet[VeteranCard]:
    """The preferential cards ``user`` may see: of the residents of the households they cover, or their department's."""
    qs = VeteranCard.objects.all() if queryset is None else queryset
    return _filtered(qs, _conditions(user, "resident__household"))


def visible_day_care(user: User, queryset: QuerySet[DayCareAttendance] | None = None) -> QuerySet[DayCareAttendance]:
    """The day-care attendances ``user`` may see, as ``visible_veteran_cards``."""
    qs = DayCareAttendance.objects.all() if queryset is None else queryset
    return _filtered(qs, _conditions(user, "resident__household"))


def may_see_assistance(user: User) -> bool:
    """Whether the assistance pages answer ``user`` at all (the navigation link)."""
    return bool(_conditions(user, "household"))


def may_record_assistance(*, user: User, household: Household, department: Department | None) -> bool:
    """Whether ``user`` may record a payment, card or day of care for ``household`` (paid or served by
    ``department``): the town's operators and admins; a handler for their department; village staff for the
    households of their village."""
    if not _active(user):
        return False
    town = Area.objects.filter(pk=household.town_id).first()
    if town is not None and town_roles(user, town) & TOWN_RECORDERS:
        return True
    if (
        department is not None
        and department.town_id == household.town_id
        and department.pk in handler_departments(user)
    ):
        return True
    if _holds(user, frozenset({Role.VILLAGE_STAFF})):
        return visible_households(user).filter(pk=household.pk).exists()
    return False


def assistance_actions(*, user: User, town: Area) -> frozenset[str]:
    """What ``user`` may do on the assistance pages of ``town``: ``add`` (record by hand), ``import`` (the
    sheets, the command room only) and ``figures`` (the town's year figures: the command room, leaders, admins)."""
    if not _active(user):
        return frozenset()
    roles = town_roles(user, town)
    found: set[str] = set()
    in_town = any(
        (m.role == Role.VILLAGE_STAFF and m.town_id == town.pk) or (m.role == Role.HANDLER and m.town_id == town.pk)
        for m in memberships_of(user)
    )
    if roles & TOWN_RECORDERS or in_town:
        found.add("add")
    if roles & TOWN_RECORDERS and may_import_town_ledgers(user):
        found.add("import")
    if roles & TOWN_VIEWERS:
        found.add("figures")
    return frozenset(found)


# ---------------------------------------------------------------------------------------------------
# What a form may name: a household or person typed by 户号 or ID number is found only when the user may
# see them or records for the whole town as a handler of a paying department; otherwise it is "not found", so
# that a number typed does not tell who lives in the town.


def household_to_record(user: User, household: Household | None) -> Household | None:
    """``household`` when ``user`` sees it or may record for it (a handler, for their department); None otherwise,
    so that a refusal says no more than "not found" (an ID number typed must not tell who lives in the town)."""
    if household is None or visible_households(user, Household.objects.filter(pk=household.pk)).exists():
        return household
    return household if handler_departments(user) else None


def person_to_record(user: User, person: Resident | None) -> Resident | None:
    """``person`` when ``user`` may see them (or is a handler, who records for anyone of the town); else None."""
    if person is None or visible_residents(user, Resident.objects.filter(pk=person.pk)).exists():
        return person
    return person if handler_departments(user) else None
