"""Case lists for pages and the API: one filter, one search, one whitelist of sort orders.

Every list starts from ``scope.visible_cases`` so a list never shows what its user may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.enums import Channel, Lamp, Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import capacities, memberships_of, visible_cases
from gridgov.data.cases.transitions import Need, Transition, actions_from
from gridgov.data.org.enums import Role
from gridgov.data.org.models import User

MAX_SEARCH = 100

# Sort keys the pages offer, each a stable ordering (id breaks ties).
SORTS: dict[str, tuple[str, ...]] = {
    "-reported_at": ("-reported_at", "-id"),
    "reported_at": ("reported_at", "id"),
    "deadline": ("handle_deadline", "dispatch_deadline", "id"),
    "-deadline": ("-handle_deadline", "-dispatch_deadline", "-id"),
    "number": ("number",),
    "-number": ("-number",),
    "status": ("status", "-reported_at", "-id"),
}
SORT_LABELS = {
    "-reported_at": _("上报时间（新→旧）"),
    "reported_at": _("上报时间（旧→新）"),
    "deadline": _("期限（近→远）"),
    "-deadline": _("期限（远→近）"),
    "number": _("编号（小→大）"),
    "-number": _("编号（大→小）"),
    "status": _("状态"),
}
DEFAULT_SORT = "-reported_at"


class Queue:
    """The named lists of the web pages."""

    ALL = "all"
    TRIAGE = "triage"  # the command room's work: new, registered, returned, pending extensions, awaiting close
    INBOX = "inbox"  # a department's work: dispatched to it and being handled


@dataclass(frozen=True, slots=True)
class CaseFilter:
    statuses: tuple[str, ...] = ()
    category_id: int | None = None  # a sub-category or a major category
    village_id: int | None = None
    channel: str = ""
    lamp: str = ""
    department_id: int | None = None
    search: str = ""
    sort: str = DEFAULT_SORT
    queue: str = Queue.ALL
    pending_extension: bool = False

    def with_sort(self, sort: str) -> CaseFilter:
        return replace(self, sort=sort if sort in SORTS else DEFAULT_SORT)


def _queue(user: User, queue: str, qs: QuerySet[Case]) -> QuerySet[Case]:
    if queue == Queue.TRIAGE:
        return qs.filter(
            Q(status__in=[Status.REPORTED, Status.REGISTERED, Status.RESOLVED])
            | Q(status=Status.HANDLING, pending_extension_value__isnull=False)
        )
    if queue == Queue.INBOX:
        departments = [
            m.department_id
            for m in memberships_of(user)
            if m.department_id is not None and m.role in (Role.HANDLER, Role.VILLAGE_STAFF)
        ]
        return qs.filter(department_id__in=departments, status__in=[Status.DISPATCHED, Status.HANDLING])
    return qs


def _lamp(qs: QuerySet[Case], lamp: str, now: datetime) -> QuerySet[Case]:
    """The same rule as ``deadlines.lamp_of``, as SQL."""
    dispatch = Q(status__in=[Status.REPORTED, Status.REGISTERED])
    handle = Q(status__in=[Status.DISPATCHED, Status.HANDLING])
    if lamp == Lamp.PAUSED:
        return qs.filter(status=Status.SUSPENDED)
    if lamp == Lamp.RED:
        return qs.filter((dispatch & Q(dispatch_deadline__lt=now)) | (handle & Q(handle_deadline__lt=now)))
    if lamp == Lamp.YELLOW:
        return qs.filter(
            (dispatch & Q(dispatch_deadline__gte=now, dispatch_warn_at__lte=now))
            | (handle & Q(handle_deadline__gte=now, handle_warn_at__lte=now))
        )
    if lamp == Lamp.GREEN:
        return qs.filter(
            (dispatch & Q(dispatch_deadline__gte=now) & (Q(dispatch_warn_at__gt=now) | Q(dispatch_warn_at=None)))
            | (handle & Q(handle_deadline__gte=now) & (Q(handle_warn_at__gt=now) | Q(handle_warn_at=None)))
        )
    if lamp == Lamp.NONE:
        return qs.filter(
            ~Q(status=Status.SUSPENDED)
            & ~(dispatch & Q(dispatch_deadline__isnull=False))
            & ~(handle & Q(handle_deadline__isnull=False))
        )
    return qs


def search_cases(*, user: User, case_filter: CaseFilter, now: datetime) -> QuerySet[Case]:
    """The cases ``user`` may see that match ``case_filter``, in its sort order, with list relations joined."""
    qs = _queue(user, case_filter.queue, visible_cases(user))
    f = case_filter
    if f.statuses:
        qs = qs.filter(status__in=[s for s in f.statuses if s in Status.values])
    if f.category_id is not None:
        qs = qs.filter(Q(category_id=f.category_id) | Q(major_category_id=f.category_id))
    if f.village_id is not None:
        qs = qs.filter(village_id=f.village_id)
    if f.channel in Channel.values:
        qs = qs.filter(channel=f.channel)
    if f.department_id is not None:
        qs = qs.filter(department_id=f.department_id)
    if f.pending_extension:
        qs = qs.filter(pending_extension_value__isnull=False)
    if f.lamp in Lamp.values:
        qs = _lamp(qs, f.lamp, now)
    text = f.search.strip()[:MAX_SEARCH]
    if text:
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(description__icontains=text)
            | Q(title__icontains=text)
            | Q(address__icontains=text)
        )
    order = SORTS.get(f.sort, SORTS[DEFAULT_SORT])
    return qs.select_related("category", "major_category", "village", "grid", "department", "handler").order_by(*order)


def available_actions(*, user: User, case: Case) -> list[Transition]:
    """Exactly the actions ``user`` may take on ``case`` now: the transition table ∩ the user's capacities,
    and the extension rules the engine checks. Reporting itself is not a case action."""
    caps = capacities(user, case)
    found: list[Transition] = []
    for transition in actions_from(case.status):
        if not caps & transition.roles:
            continue
        if Need.PENDING_EXTENSION in transition.needs and not case.pending_extension_value:
            continue
        if Need.NO_PENDING_EXTENSION in transition.needs and case.pending_extension_value:
            continue
        found.append(transition)
    return found


@dataclass(frozen=True, slots=True)
class Overview:
    """A leader's overview of the cases in scope: counts by status and by deadline lamp (open cases)."""

    total: int
    by_status: dict[str, int]
    red: int
    yellow: int
    paused: int
    pending_extensions: int


def overview(*, user: User, now: datetime) -> Overview:
    from django.db.models import Count

    qs = visible_cases(user)
    by_status = {row["status"]: row["n"] for row in qs.values("status").annotate(n=Count("id")).order_by()}
    lamps = {lamp: _lamp(qs, lamp, now).count() for lamp in (Lamp.RED, Lamp.YELLOW)}
    return Overview(
        total=sum(by_status.values()),
        by_status={s: by_status.get(s, 0) for s in Status.values},
        red=lamps[Lamp.RED],
        yellow=lamps[Lamp.YELLOW],
        paused=by_status.get(Status.SUSPENDED, 0),
        pending_extensions=qs.filter(status=Status.HANDLING, pending_extension_value__isnull=False).count(),
    )


def towns_of(user: User) -> list[int]:
    """The towns a user works in (for the choices of list filters)."""
    return sorted({m.town_id for m in memberships_of(user) if m.town_id is not None})
