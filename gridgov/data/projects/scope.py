"""Who sees and acts on the key projects (重点项目): the rule, stated once (the UI and the API ask it through
``access.permissions``, which re-exports ``__all__``; ``projects.domain`` enforces it here).

- **Seeing**: the town's command room (operators), leaders and admins see every project of the town; a department's
  handlers the projects their department owns; village staff the projects in their village; grid workers,
  enterprises and residents none.
- **Creating, editing milestones**: the town's operators and admins.
- **Reporting progress, marking a milestone done**: the owner department's handlers, and the town's operators and
  admins.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q, QuerySet

from gridgov.data.cases.scope import handling_departments, is_global_admin, memberships_of, town_roles
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, User
from gridgov.data.projects.models import Project

__all__ = [
    "PROJECT_MANAGERS",
    "PROJECT_TOWN_VIEWERS",
    "may_create_project",
    "may_manage_project",
    "may_report_progress",
    "may_see_projects",
    "visible_projects",
]

# Who sees every project of the town(s) their area covers.
PROJECT_TOWN_VIEWERS = frozenset({Role.OPERATOR, Role.LEADER, Role.ADMIN})
# Who creates projects and edits their milestones.
PROJECT_MANAGERS = frozenset({Role.OPERATOR, Role.ADMIN})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def visible_projects(user: User, queryset: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """The projects ``user`` may see (see the module)."""
    qs = Project.objects.all() if queryset is None else queryset
    if not _active(user):
        return qs.none()
    if is_global_admin(user):
        return qs
    conditions: list[Q] = []
    for m in memberships_of(user):
        if m.area is None:
            continue
        if m.role in PROJECT_TOWN_VIEWERS:
            conditions.append(Q(town__path__startswith=m.area.path))
        elif m.role == Role.VILLAGE_STAFF:
            conditions.append(Q(village__path__startswith=m.area.path))
    departments = handling_departments(user)
    if departments:
        conditions.append(Q(department_id__in=departments))
    return qs.filter(reduce(operator.or_, conditions)) if conditions else qs.none()


def may_see_projects(user: User) -> bool:
    """Whether ``user`` holds a role that sees some projects (the pages and the menu ask it)."""
    if not _active(user):
        return False
    if is_global_admin(user):
        return True
    seeing = PROJECT_TOWN_VIEWERS | {Role.VILLAGE_STAFF}
    return any(m.role in seeing for m in memberships_of(user)) or bool(handling_departments(user))


def may_create_project(user: User, town: Area) -> bool:
    """Whether ``user`` may create projects in ``town`` (and edit their milestones): its operators and admins."""
    return _active(user) and bool(town_roles(user, town) & PROJECT_MANAGERS)


def may_manage_project(user: User, project: Project) -> bool:
    """Whether ``user`` may edit ``project``'s milestones: the town's operators and admins."""
    return _active(user) and bool(town_roles(user, project.town) & PROJECT_MANAGERS)


def may_report_progress(user: User, project: Project) -> bool:
    """Whether ``user`` may report ``project``'s progress and mark its milestones done: the owner department's
    handlers, the town's operators and admins."""
    if not _active(user):
        return False
    return may_manage_project(user, project) or project.department_id in handling_departments(user)
