"""Who sees and records the village collective economy (村级集体经济): the rule, stated once (the UI and the API ask
it through ``access.permissions``, which re-exports ``__all__``; ``collective.domain`` enforces it here).

- **Seeing**: the town's command room (operators), leaders and admins see the incomes of every village of the
  town; village staff those of their own village; handlers, grid workers, enterprises and residents none.
- **Recording**: the town's operators and admins for any village of the town; village staff for their own village.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q, QuerySet

from gridgov.data.cases.scope import is_global_admin, memberships_of, town_roles
from gridgov.data.collective.models import VillageIncome, VillageSupport
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, User

__all__ = ["INCOME_RECORDERS", "INCOME_VIEWERS", "may_record_income", "visible_incomes", "visible_supports"]

# Who sees the incomes of the villages in their area (a town's: all of its villages; village staff: their own).
INCOME_VIEWERS = frozenset({Role.OPERATOR, Role.LEADER, Role.ADMIN, Role.VILLAGE_STAFF})
# Who records for every village of their town (village staff record for their own village).
INCOME_RECORDERS = frozenset({Role.OPERATOR, Role.ADMIN})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def visible_incomes(user: User, queryset: QuerySet[VillageIncome] | None = None) -> QuerySet[VillageIncome]:
    """The village incomes ``user`` may see: those of the villages in the area of one of their viewing roles."""
    return _of_villages_seen(user, VillageIncome.objects.all() if queryset is None else queryset)


def visible_supports(user: User, queryset: QuerySet[VillageSupport] | None = None) -> QuerySet[VillageSupport]:
    """The enterprises' help to villages (村企结对, 共富工坊) ``user`` may see: the same villages as the incomes."""
    return _of_villages_seen(user, VillageSupport.objects.all() if queryset is None else queryset)


def _of_villages_seen[R: (VillageIncome, VillageSupport)](user: User, qs: QuerySet[R]) -> QuerySet[R]:
    if not _active(user):
        return qs.none()
    if is_global_admin(user):
        return qs
    conditions = [
        Q(village__path__startswith=m.area.path)
        for m in memberships_of(user)
        if m.role in INCOME_VIEWERS and m.area is not None
    ]
    return qs.filter(reduce(operator.or_, conditions)) if conditions else qs.none()


def may_record_income(user: User, village: Area) -> bool:
    """Whether ``user`` may record an income of ``village``: the town's operators and admins, or the village's
    own staff."""
    if not _active(user) or village.level != AreaLevel.VILLAGE or village.town_id is None:
        return False
    town = Area.objects.filter(pk=village.town_id).first()
    if town is not None and town_roles(user, town) & INCOME_RECORDERS:
        return True
    return any(
        m.role == Role.VILLAGE_STAFF and m.area is not None and village.path.startswith(m.area.path)
        for m in memberships_of(user)
    )
