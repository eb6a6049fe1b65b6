"""Who sees and records the enterprises' yearly figures (规上, 重点企业投资, 亩均论英雄 and 低效企业整治): the rule,
stated once (the UI and the API ask it through ``access.permissions``, which re-exports ``__all__``; the domain
functions of ``enterprises.domain.yearly`` enforce it here).

- **Seeing and recording**: the town's command room (operators), leaders and admins, and the handlers of the town's
  economic department (a department whose code is ``JFB`` or whose name holds 经济/经发: 经济发展办) — every
  enterprise of their town.
- **Seeing only**: an enterprise user, the rows of their own enterprise.
- Grid workers, village staff, other handlers and residents: none.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gridgov.data.cases.scope import is_global_admin, memberships_of
from gridgov.data.enterprises.domain.enterprises import own_enterprise_ids, staff_town_ids
from gridgov.data.enterprises.models_yearly import EnterpriseYear
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Department, Enterprise, User

__all__ = ["YEAR_RECORDERS", "is_economic_department", "may_record_years", "visible_enterprise_years", "year_towns"]

# The town roles that see and record every enterprise's yearly figures.
YEAR_RECORDERS = (Role.OPERATOR, Role.LEADER, Role.ADMIN)


def is_economic_department(department: Department) -> bool:
    """The town's economic department (经济发展办), as its ``economic`` flag says (set in the admin; the default
    department JFB has it from its creation)."""
    return department.economic


def year_towns(user: User) -> set[int]:
    """The towns whose enterprises' yearly figures ``user`` sees and records."""
    if not user.is_authenticated or not user.is_active:
        return set()
    towns = staff_town_ids(user, YEAR_RECORDERS)
    for m in memberships_of(user):
        if m.role == Role.HANDLER and m.department is not None and is_economic_department(m.department):
            towns.add(m.department.town_id)
    return towns


def visible_enterprise_years(user: User, queryset: QuerySet[EnterpriseYear] | None = None) -> QuerySet[EnterpriseYear]:
    """The yearly rows ``user`` may see: their towns' (recorders) or their own enterprise's."""
    qs = EnterpriseYear.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if is_global_admin(user):
        return qs
    towns, own = year_towns(user), own_enterprise_ids(user)
    if not towns and not own:
        return qs.none()
    return qs.filter(Q(town_id__in=towns) | Q(enterprise_id__in=own))


def may_record_years(user: User, enterprise: Enterprise | None = None) -> bool:
    """Whether ``user`` records yearly figures (of ``enterprise``, or of any enterprise of some town)."""
    towns = year_towns(user)
    return bool(towns) if enterprise is None else enterprise.town_id in towns
