"""Who sees and records investment attraction (招商引资): the rule, stated once (the UI and the API ask it through
``access.permissions``, which re-exports ``__all__``; ``investment.domain`` enforces it here).

- **Seeing and recording** the same people: the town's command room (operators), leaders and admins, and the
  handlers of the town's economic department (经济发展办: ``enterprises.scope.is_economic_department``, the one
  rule for it) — every lead of the town, its stages, arrivals and new enterprise.
- Everyone else (other departments' handlers, village staff, grid workers, enterprises, residents): nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet

from gridgov.data.cases.scope import is_global_admin, memberships_of
from gridgov.data.enterprises.scope import is_economic_department
from gridgov.data.investment.models import FundArrival, Lead
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, User

__all__ = [
    "INVESTMENT_TOWN_ROLES",
    "investment_towns",
    "may_keep_investment",
    "may_see_investment",
    "visible_arrivals",
    "visible_leads",
]

#: Town roles that see and record the town's leads (their area must cover the whole town).
INVESTMENT_TOWN_ROLES = frozenset({Role.OPERATOR, Role.LEADER, Role.ADMIN})


def investment_towns(user: User) -> set[int] | None:
    """The towns whose leads ``user`` sees and records (None: every town, for a global admin)."""
    if not (user.is_authenticated and user.is_active):
        return set()
    memberships = memberships_of(user)
    if is_global_admin(user, memberships):
        return None
    towns: set[int] = set()
    for m in memberships:
        if m.role in INVESTMENT_TOWN_ROLES and m.area is not None and m.area.level == AreaLevel.TOWN:
            towns.add(m.area.pk)  # a town-wide membership (a village's does not cover the town's leads)
        elif m.role == Role.HANDLER and m.department is not None and is_economic_department(m.department):
            towns.add(m.department.town_id)
    return towns


def may_see_investment(user: User) -> bool:
    """Whether ``user`` sees the leads of any town (the pages and the menu ask this)."""
    towns = investment_towns(user)
    return towns is None or bool(towns)


def visible_leads(user: User, queryset: QuerySet[Lead] | None = None) -> QuerySet[Lead]:
    """The leads ``user`` may see: those of the towns in ``investment_towns``."""
    qs = Lead.objects.all() if queryset is None else queryset
    towns = investment_towns(user)
    return qs if towns is None else qs.filter(town_id__in=towns)


def visible_arrivals(user: User, queryset: QuerySet[FundArrival] | None = None) -> QuerySet[FundArrival]:
    """The arrivals ``user`` may see: those of the leads they see."""
    qs = FundArrival.objects.all() if queryset is None else queryset
    towns = investment_towns(user)
    return qs if towns is None else qs.filter(town_id__in=towns)


def may_keep_investment(user: User, town: Area) -> bool:
    """Whether ``user`` may record leads, stages, arrivals and new enterprises of ``town``."""
    towns = investment_towns(user)
    return towns is None or town.pk in towns
