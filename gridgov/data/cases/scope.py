"""The one scope check. Every read and write of a case — pages, API, exports, search — goes through here.

A user's memberships give them *capacities* on a case:
- an area role (grid worker, village staff, operator, leader, admin) when the case lies in the area subtree;
- handler when the case is currently with the user's department (village staff act as handlers for cases
  dispatched to their village committee);
- resident when they reported the case themselves (any role): they may follow and comment on it;
- enterprise when the case belongs to the user's company (``Case.enterprise``): enterprise users see
  and act on their own company's hazards and service requests, nothing else.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gridgov.data.cases.enums import Channel
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput, NotFound
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, Membership, User
from gridgov.db import prepared

AREA_SCOPED = (Role.GRID_WORKER, Role.VILLAGE_STAFF, Role.OPERATOR, Role.LEADER, Role.ADMIN)
# Village staff act as handlers for the cases dispatched to their village committee.
HANDLING_ROLES = (Role.HANDLER, Role.VILLAGE_STAFF)


MEMBERSHIP_RELATED = ("area", "department")
# An area's boundary (a village's or a grid's polygon) is not needed for a scope check: read it when used.
MEMBERSHIP_DEFER = ("area.boundary",)


def memberships_of(user: User) -> list[Membership]:
    """The user's active memberships, loaded once per user object (one query per request)."""
    cached: list[Membership] | None = getattr(user, "_gridgov_memberships", None)
    if cached is None:
        cached = prepared.select(
            Membership,
            where="t0.user_id = %s AND t0.active = %s",
            params=[user.pk, True],
            related=MEMBERSHIP_RELATED,
            defer=MEMBERSHIP_DEFER,
        )
        user._gridgov_memberships = cached
    return cached


def memberships_query(*, user_id_sql: str, params: list[object]) -> prepared.Query:
    """The read of ``memberships_of`` for the user that ``user_id_sql`` (a scalar subquery with ``params``)
    finds — so that it can go to the database together with the read that finds the user."""
    return prepared.Query(
        Membership,
        f"t0.active = %s AND t0.user_id = ({user_id_sql})",
        [True, *params],
        MEMBERSHIP_RELATED,
        MEMBERSHIP_DEFER,
    )


def remember_memberships(user: User, memberships: list[Membership]) -> None:
    """What ``memberships_query`` read for ``user``: ``memberships_of`` answers from it."""
    assert all(m.user_id == user.pk for m in memberships)
    user._gridgov_memberships = memberships


def is_global_admin(user: User, memberships: list[Membership] | None = None) -> bool:
    """A superuser, or an admin membership without an area: every town, every case, every figure."""
    if not user.is_authenticated or not user.is_active:
        return False
    found = memberships_of(user) if memberships is None else memberships
    return user.is_superuser or any(m.role == Role.ADMIN and m.area_id is None for m in found)


@dataclass(frozen=True, slots=True)
class Grant:
    """One reason to see a case: ``role`` on the cases in an area subtree (``area``) or on those whose
    ``field`` equals ``value`` (reporter, department, enterprise). The rule is the list of a user's grants:
    ``capacities`` asks each of one case, ``visible_cases`` turns the list into one filter."""

    role: Role
    area: Area | None = None
    field: str = ""
    value: int = 0

    def holds_for(self, case: Case) -> bool:
        if self.area is not None:  # the subtree, in the area's town (as ``_in_subtree``)
            in_town = self.area.town_id is None or case.town_id == self.area.town_id
            return in_town and case.area_path.startswith(self.area.path)
        return bool(getattr(case, self.field) == self.value)

    def condition(self) -> Q:
        if self.area is not None:
            return _in_subtree(self.area)
        return Q(**{self.field: self.value})


def grants_of(user: User, memberships: list[Membership]) -> list[Grant]:
    """The scope rule, stated once: which cases each of ``user``'s memberships opens, and in which capacity."""
    found = [Grant(Role.RESIDENT, field="reporter_id", value=user.pk)]
    for m in memberships:
        if m.role in AREA_SCOPED and m.area is not None:
            found.append(Grant(Role(m.role), area=m.area))
        if m.department_id is not None and m.role in HANDLING_ROLES:
            found.append(Grant(Role.HANDLER, field="department_id", value=m.department_id))
        if m.role == Role.ENTERPRISE and m.enterprise_id is not None:
            found.append(Grant(Role.ENTERPRISE, field="enterprise_id", value=m.enterprise_id))
    return found


def capacities(user: User, case: Case) -> set[Role]:
    """The roles in which ``user`` may act on ``case`` (empty: the case is out of the user's scope)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    memberships = memberships_of(user)
    found = {grant.role for grant in grants_of(user, memberships) if grant.holds_for(case)}
    if is_global_admin(user, memberships):
        found.add(Role.ADMIN)
    return found


def who_sees(case: Case, *, user_ids: Iterable[int]) -> set[int]:
    """Those of ``user_ids`` who may see ``case`` (``capacities``), everyone's memberships read in one query."""
    ids = set(user_ids)
    if not ids:
        return set()
    held: dict[int, list[Membership]] = {uid: [] for uid in ids}
    found = Membership.objects.filter(user_id__in=ids, active=True).select_related(*MEMBERSHIP_RELATED)
    for membership in found.defer(*(name.replace(".", "__") for name in MEMBERSHIP_DEFER)):
        held[membership.user_id].append(membership)
    seeing: set[int] = set()
    for user in User.objects.filter(pk__in=ids):
        remember_memberships(user, held[user.pk])
        if capacities(user, case):
            seeing.add(user.pk)
    return seeing


def town_roles(user: User, town: Area) -> set[Role]:
    """Roles ``user`` holds whose area covers all of ``town`` (a global admin counts as ADMIN): creating
    rounds, lists and petitions is town business."""
    if not user.is_authenticated or not user.is_active:
        return set()
    memberships = memberships_of(user)
    roles = {Role(m.role) for m in memberships if m.area is not None and town.path.startswith(m.area.path)}
    if is_global_admin(user, memberships):
        roles.add(Role.ADMIN)
    return roles


def may_import_town_ledgers(user: User) -> bool:
    """The command room's ledgers (problem lists, petitions and disputes, inspection problems) are imported by
    operators and administrators; their rows are then checked against the town one by one."""
    return user.is_superuser or any(m.role in (Role.OPERATOR, Role.ADMIN) for m in memberships_of(user))


def may_report_into(user: User, area: Area) -> bool:
    """Whether ``user`` may file a case into ``area``: a grid worker only into their own grids (or below),
    unless another role of theirs covers the area; everyone else (command room, residents, companies) anywhere."""
    memberships = memberships_of(user)
    if not any(m.role == Role.GRID_WORKER for m in memberships) or is_global_admin(user, memberships):
        return True
    return any(m.role in AREA_SCOPED and m.area is not None and area.path.startswith(m.area.path) for m in memberships)


def check_may_report_into(user: User, area: Area, *, field: str = "area") -> None:
    """InvalidInput (on ``field``) when ``user`` may not file a case into ``area`` (``may_report_into``)."""
    if not may_report_into(user, area):
        raise InvalidInput(
            _("网格员只能在自己负责的网格内上报事件：区域“%(area)s”不在您的网格内") % {"area": area.name}, field=field
        )


FIELD_ROLES = (Role.GRID_WORKER, Role.VILLAGE_STAFF)


def home_area(user: User) -> Area | None:
    """Where a field worker's report is placed when it names no area and no point: their first grid (or village);
    None for everyone else (the town)."""
    for m in memberships_of(user):
        if m.role in FIELD_ROLES and m.area is not None:
            return m.area
    return None


def own_channel(user: User) -> Channel:
    """The channel a user's own report comes through: a grid worker's, a company's, a resident's; other staff's
    reports are 其他."""
    memberships = memberships_of(user)
    roles = {m.role for m in memberships}
    if Role.GRID_WORKER in roles:
        return Channel.GRID_WORKER
    if Role.ENTERPRISE in roles:
        return Channel.ENTERPRISE
    if not roles - {Role.RESIDENT} and not is_global_admin(user, memberships):
        return Channel.RESIDENT
    return Channel.OTHER


def may_report_through(user: User, channel: Channel) -> bool:
    """Whether ``user`` may file a case as come through ``channel``: the command room (operators, administrators)
    registers what reaches the town by any channel (a 12345 call, a petition, a task from above); everyone else
    files their own reports only (``own_channel``) — the channel counts in the indicators. Open311's own requests
    come through /open311/ alone."""
    if channel == Channel.OPEN311:
        return False
    if channel == own_channel(user):
        return True
    memberships = memberships_of(user)
    return is_global_admin(user, memberships) or any(m.role in (Role.OPERATOR, Role.ADMIN) for m in memberships)


def _in_subtree(area: Area) -> Q:
    """The cases in ``area``'s subtree; the town (every case's town is its area's) lets a (town, …) index serve it."""
    condition = Q(area_path__startswith=area.path)
    if area.town_id is not None:
        condition &= Q(town_id=area.town_id)
    return condition


def _conditions(user: User, memberships: list[Membership]) -> list[Q]:
    """The visibility rule (``grants_of``) as a list of conditions: a case is visible when any of them holds."""
    unique: list[Q] = []
    for grant in grants_of(user, memberships):
        condition = grant.condition()
        if condition not in unique:
            unique.append(condition)
    return unique


def visible_cases(user: User, queryset: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """All cases ``user`` may see, as a filter on ``queryset`` (the same rule as ``capacities``)."""
    qs = Case.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    memberships = memberships_of(user)
    if is_global_admin(user, memberships):
        return qs
    return qs.filter(reduce(operator.or_, _conditions(user, memberships)))


def visible_parts(user: User) -> list[Q] | None:
    """The rule of ``visible_cases`` as disjoint parts: every case ``user`` may see matches exactly one part,
    and no other case matches any. None: every case (a global admin); an empty list: no case.

    Each part starts with an equality on one indexed column (the reporter, the town of an area, a department,
    an enterprise), so a database can walk it in the order of a (column, reported_at, id) index; a list in
    that order is the ordered merge (UNION ALL) of its parts — no sort of every visible case.
    A part excludes the cases of the parts before it, so the merge never shows a case twice.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    memberships = memberships_of(user)
    if is_global_admin(user, memberships):
        return None
    conditions = _conditions(user, memberships)
    return [_without_earlier(conditions, index) for index in range(len(conditions))]


def area_parts(user: User, roles: tuple[Role, ...]) -> list[Q]:
    """The subtrees of ``user``'s memberships in ``roles`` as disjoint conditions, each the very condition by which
    ``visible_cases`` shows the cases of that subtree (so every case they match is visible to ``user``)."""
    if not user.is_authenticated or not user.is_active:
        return []
    conditions: list[Q] = []
    for m in memberships_of(user):
        if m.role in roles and m.role in AREA_SCOPED and m.area is not None:
            in_subtree = _in_subtree(m.area)
            if in_subtree not in conditions:
                conditions.append(in_subtree)
    return [_without_earlier(conditions, index) for index in range(len(conditions))]


def _without_earlier(conditions: list[Q], index: int) -> Q:
    part = conditions[index]
    for earlier in conditions[:index]:
        part &= ~earlier
    return part


def handling_departments(user: User) -> list[int]:
    """The departments whose cases ``user`` handles (each such case is visible to them, see ``capacities``)."""
    if not user.is_authenticated or not user.is_active:
        return []
    found: list[int] = []
    for m in memberships_of(user):
        department = m.department_id if m.role in HANDLING_ROLES else None
        if department is not None and department not in found:
            found.append(department)
    return found


def get_case_for_user(user: User, *, case_id: int | None = None, number: str | None = None) -> Case:
    """Fetch one case if ``user`` may see it; otherwise NotFound (never reveal that it exists)."""
    qs = Case.objects.select_related(
        "category", "major_category", "area", "village", "grid", "department", "handler", "reporter", "town"
    )
    if case_id is not None:
        case = qs.filter(pk=case_id).first()
    elif number is not None:
        case = qs.filter(number=number).first()
    else:
        case = None
    if case is None or not capacities(user, case):
        raise NotFound(_("事件不存在或您无权查看"))
    return case
