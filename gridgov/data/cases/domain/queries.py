"""Case lists for pages and the API: one filter, one search, one whitelist of sort orders.

Every list starts from the scope rule — ``scope.visible_cases``, or the same rule as disjoint parts
(``scope.visible_parts``) for the pages' windows — so a list never shows what its user may not see.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import reduce
from typing import Any, overload

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.enums import Channel, Lamp, Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import capacities, handling_departments, memberships_of, visible_cases, visible_parts
from gridgov.data.cases.transitions import Need, Transition, actions_from
from gridgov.data.errors import InvalidInput
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, User

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


LIST_RELATIONS = ("category", "major_category", "village", "grid", "department", "handler")
# The sorts an index serves part by part (see ``scope.visible_parts`` and the Case indexes ending in reported_at, id).
MERGED_SORTS = frozenset({"-reported_at", "reported_at"})
TRIAGE_SPLIT = (
    Q(status=Status.REPORTED),
    Q(status=Status.REGISTERED),
    Q(status=Status.RESOLVED),
    Q(status=Status.HANDLING, pending_extension_value__isnull=False),
)
INBOX_SPLIT = (Q(status=Status.DISPATCHED), Q(status=Status.HANDLING))


def _filtered(user: User, case_filter: CaseFilter, now: datetime, qs: QuerySet[Case]) -> QuerySet[Case]:
    """``qs`` narrowed to ``case_filter``'s queue and filters (not ordered)."""
    qs = _queue(user, case_filter.queue, qs)
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
    return qs


def search_cases(*, user: User, case_filter: CaseFilter, now: datetime) -> QuerySet[Case]:
    """The cases ``user`` may see that match ``case_filter``, in its sort order, with list relations joined.

    One query with the whole scope rule: for counts and exports. Pages read ``list_cases`` (the same rows)."""
    qs = _filtered(user, case_filter, now, visible_cases(user))
    order = SORTS.get(case_filter.sort, SORTS[DEFAULT_SORT])
    return qs.select_related(*LIST_RELATIONS).order_by(*order)


Narrow = Callable[[QuerySet[Case]], QuerySet[Case]]


def _unchanged(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs


class CaseList:
    """A sorted list of cases that reads a window without sorting every matching case.

    ``queryset`` is the whole list as one query (counts, exports, sorts no index serves). For a sort by
    report time the rows of a window come from ``parts``: disjoint querysets whose union is the list, each
    of which a database walks in index order; their ordered merge (UNION ALL … ORDER BY … LIMIT) stops
    after the window. Django's Paginator takes it like a queryset (``count()`` and slices).
    """

    def __init__(self, *, queryset: QuerySet[Case], parts: list[QuerySet[Case]] | None, order: tuple[str, ...]):
        self.queryset = queryset
        self.parts = parts
        self.order = order

    def count(self) -> int:
        """The number of cases in the list: counted part by part (disjoint), which lets each part be counted
        from an index alone (the area part from (town, area_path, reporter))."""
        if self.parts is None or len(self.parts) < 2:
            return self.queryset.count() if self.parts is None else (self.parts[0].count() if self.parts else 0)
        first, *rest = (part.select_related(None).order_by().values_list("id") for part in self.parts)
        return first.union(*rest, all=True).count()

    def __len__(self) -> int:
        return self.count()

    def window(
        self, start: int, stop: int
    ) -> QuerySet[Any]:  # Any: a page of values() rows or of cases, as the list asked
        """The query that finds rows ``start``…``stop`` of the list: the rows themselves (one part, or no parts),
        or the ids and sort keys of the window merged from the parts (``__getitem__`` then reads those rows)."""
        if self.parts is None:
            return self.queryset[start:stop]
        if not self.parts or stop <= start:  # an empty list's first page asks for [0:0]
            return self.queryset.none()
        if len(self.parts) == 1:
            return self.parts[0].order_by(*self.order)[start:stop]
        keys = [*(field.lstrip("-") for field in self.order if field.lstrip("-") != "id"), "id"]
        bare = [part.select_related(None).values_list(*keys) for part in self.parts]
        if connection.features.supports_slicing_ordering_in_compound:
            # PostgreSQL: each part reads at most ``stop`` rows in its index order; the window is sorted from
            # those (a window's worth per part, never the whole list).
            bare = [part.order_by(*self.order)[:stop] for part in bare]
        else:
            # SQLite: the parts are merged in order as they are read (MERGE (UNION ALL)), stopping at ``stop``.
            bare = [part.order_by() for part in bare]
        first, *rest = bare
        return first.union(*rest, all=True).order_by(*self.order)[start:stop]

    def __iter__(self) -> Iterator[Case]:
        return iter(self.queryset)

    @overload
    def __getitem__(self, index: int, /) -> Case: ...
    @overload
    def __getitem__(self, index: slice, /) -> list[Case]: ...
    def __getitem__(self, index: int | slice, /) -> Case | list[Case]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        if index.step is not None or index.stop is None:
            raise TypeError("CaseList takes windows [start:stop]")
        window = self.window(index.start or 0, index.stop)
        if self.parts is None or len(self.parts) < 2:
            return list(window)
        # The window's rows by primary key, through the whole list's query (its scope rule checks them again);
        # the joins are planned once for a few ids rather than once per part.
        ids = [row[-1] for row in window]  # the id is the last key (see ``window``)
        rows = {case.pk: case for case in self.queryset.filter(pk__in=ids).order_by()}
        return [rows[pk] for pk in ids if pk in rows]

    def after(self, *, reported_at: datetime, case_id: int) -> CaseList:
        """The rest of a newest-first list after the case (reported_at, case_id): a keyset page, read from the
        index wherever the previous page ended (no offset to skip)."""
        later = _older_than(reported_at, case_id)
        return CaseList(
            queryset=self.queryset.filter(later),
            parts=None if self.parts is None else [part.filter(later) for part in self.parts],
            order=self.order,
        )


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def keyset_of(case: Case) -> str:
    """The keyset of a newest-first list after ``case``: its report time (µs since 1970) and id."""
    micros = (case.reported_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{case.pk}"


def parse_keyset(text: str) -> tuple[datetime, int]:
    """The (reported_at, id) of a ``keyset_of`` string; InvalidInput if it is not one."""
    micros, dot, case_id = text.partition(".")
    if not dot or not micros.lstrip("-").isdigit() or not case_id.isdigit() or len(text) > 40:
        raise InvalidInput(_("分页游标无效"), field="after")
    return EPOCH + timedelta(microseconds=int(micros)), int(case_id)


def older_than(qs: QuerySet[Case], keyset: str) -> QuerySet[Case]:
    """``qs`` (newest first) from after the case of ``keyset`` on (``keyset_of``); InvalidInput if not a keyset."""
    reported_at, case_id = parse_keyset(keyset)
    return qs.filter(_older_than(reported_at, case_id))


def _older_than(reported_at: datetime, case_id: int) -> Q:
    # A range on reported_at (an index serves it) minus the ties at or after the case.
    return Q(reported_at__lte=reported_at) & ~Q(reported_at=reported_at, id__gte=case_id)


def list_cases(
    *,
    user: User,
    case_filter: CaseFilter,
    now: datetime,
    alternatives: Sequence[CaseFilter] = (),
    narrow: Narrow = _unchanged,
    relations: tuple[str, ...] = LIST_RELATIONS,
) -> CaseList:
    """``search_cases`` as a ``CaseList``: the same cases in the same order.

    ``alternatives`` (same queue, statuses and sort) are or-ed with ``case_filter``; ``narrow`` applies
    further conditions to every part (the API's area, kind and dates)."""
    variants = (case_filter, *alternatives)
    order = SORTS.get(case_filter.sort, SORTS[DEFAULT_SORT])
    whole = reduce(operator.or_, (search_cases(user=user, case_filter=v, now=now) for v in variants))
    queryset = narrow(whole).select_related(*relations).order_by(*order)
    if case_filter.sort not in MERGED_SORTS:
        return CaseList(queryset=queryset, parts=None, order=order)
    parts: list[Q]
    if case_filter.queue == Queue.INBOX:
        # The inbox is the cases with the user's departments; every one of them is visible to the user
        # (``scope.capacities``: handler), so the department parts alone are the list.
        parts = [Q(department_id=d) for d in handling_departments(user)]
    else:
        scoped = visible_parts(user)
        parts = [Q()] if scoped is None else scoped
    statuses = tuple(dict.fromkeys(s for s in case_filter.statuses if s in Status.values))
    if case_filter.statuses:
        split: tuple[Q, ...] = tuple(Q(status=s) for s in statuses) or (Q(),)
    elif case_filter.queue == Queue.TRIAGE:
        split = TRIAGE_SPLIT
    elif case_filter.queue == Queue.INBOX:
        split = INBOX_SPLIT
    else:
        split = (Q(),)
    arms = [
        narrow(
            reduce(
                operator.or_,
                (_filtered(user, v, now, Case.objects.filter(part & piece)) for v in variants),
            )
        ).select_related(*relations)
        for part in parts
        for piece in split
    ]
    return CaseList(queryset=queryset, parts=arms, order=order)


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


def filter_villages(user: User) -> QuerySet[Area]:
    """The villages a user's case lists offer as a filter, in tree order: a user who works within a village (its
    staff, its grids' workers) has theirs; everyone else (the command room, leaders, departments) every village of
    their towns; a superuser every village."""
    villages = Area.objects.filter(level=AreaLevel.VILLAGE).order_by("path")
    if user.is_superuser:
        return villages
    memberships = memberships_of(user)
    areas = [m.area for m in memberships]
    if not areas or any(area is None or area.level not in _IN_A_VILLAGE for area in areas):
        return villages.filter(town_id__in=towns_of(user))
    # the village each area lies in (or is): the one among its path's prefixes ("county/town/village/…")
    prefixes = {
        area.path[: end + 1] for area in areas if area is not None for end, c in enumerate(area.path) if c == "/"
    }
    return villages.filter(path__in=sorted(prefixes))


_IN_A_VILLAGE = (AreaLevel.VILLAGE, AreaLevel.GRID, AreaLevel.MICROGRID)
