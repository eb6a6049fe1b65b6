"""Visit coverage per grid or village: members due in a period, visited on time, overdue."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from django.db.models import Max, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.enums import Lamp
from gridgov.data.errors import InvalidInput
from gridgov.data.org.models import Area
from gridgov.data.people.models import GroupMembership
from gridgov.data.visits.domain.due import local_date, next_due, overdue_members, strictest, visited_memberships
from gridgov.data.visits.models import Visit


@dataclass(frozen=True, slots=True)
class CoverageRow:
    area: Area
    due: int  # members whose visit fell due in the period
    on_time: int  # of them, visited on or before their due date
    overdue: int  # of them, not visited by their due date (visited late, or not yet)

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def coverage(
    *,
    town: Area,
    start: date,
    end: date,
    by: Literal["grid", "village"],
    visible: QuerySet[GroupMembership] | None = None,
) -> list[CoverageRow]:
    """Per grid (``by="grid"``) or village (``"village"``) of ``town``: the members of groups with a visit
    frequency whose visit fell due between ``start`` and ``end`` (both included), how many were visited by their
    due date, how many not. A member's due date is their last visit before ``start`` plus the shortest frequency
    of their groups (never visited: their earliest membership's start); a member already overdue when the period
    starts counts as overdue. Only the ``visible`` memberships (a viewer's, from the people scope) when given.
    Four queries."""
    if by not in ("grid", "village"):  # callers from pages and the API pass what they were given
        raise InvalidInput(_("统计维度只能是网格或村"), field="by")
    if end < start:
        raise InvalidInput(_("结束日期不能早于开始日期"), field="end")
    memberships = visited_memberships(town=town, visible=visible, open_on_day=start, since_by=end).select_related(
        "resident__household__house", "group"
    )
    members = strictest(memberships)
    tz = timezone.get_current_timezone()
    start_at = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    end_at = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    before = dict(
        Visit.objects.filter(resident_id__in=members.keys(), visited_at__lt=start_at)
        .values("resident_id")
        .annotate(last=Max("visited_at"))
        .values_list("resident_id", "last")
    )
    within = dict(
        Visit.objects.filter(resident_id__in=members.keys(), visited_at__gte=start_at, visited_at__lt=end_at)
        .values("resident_id")
        .annotate(first=Min("visited_at"))
        .values_list("resident_id", "first")
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for pk, member in members.items():
        last = before.get(pk)
        due_on = next_due(member, local_date(last) if last else None)
        if due_on > end:
            continue
        house = member.resident.household.house
        area_id = house.grid_id if by == "grid" else house.village_id
        if area_id is None:
            continue
        first = within.get(pk)
        counts[area_id][0] += 1
        if first is not None and local_date(first) <= due_on:
            counts[area_id][1] += 1
    areas = Area.objects.filter(town=town, level=by).order_by("path")
    return [
        CoverageRow(area=a, due=counts[a.pk][0], on_time=counts[a.pk][1], overdue=counts[a.pk][0] - counts[a.pk][1])
        for a in areas
    ]


@dataclass(frozen=True, slots=True)
class AreaRound:
    """A village's or grid's visit round: the period's coverage and the members overdue now."""

    area: Area
    due: int  # members whose visit fell due in the period
    on_time: int  # of them, visited by their due date
    late: int  # of them, not visited by their due date
    overdue_now: int  # members overdue on the day asked (red lamp), whenever their visit fell due

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def lamp(self) -> Lamp:
        return Lamp.RED if self.overdue_now else Lamp.GREEN


def rounds(
    *,
    town: Area,
    start: date,
    end: date,
    today: date,
    by: Literal["grid", "village"],
    visible: QuerySet[GroupMembership] | None = None,
    within: Area | None = None,
) -> list[AreaRound]:
    """Per grid or village of ``town`` (those in ``within`` when given): ``coverage`` between ``start`` and
    ``end`` and the members overdue on ``today`` (``overdue_members``), of the ``visible`` memberships when given.
    Six queries however many villages, grids and people."""
    rows = coverage(town=town, start=start, end=end, by=by, visible=visible)
    overdue = Counter(
        getattr(item.resident.household.house, f"{by}_id")
        for item in overdue_members(town=town, today=today, visible=visible)
        if item.resident is not None
    )
    return [
        AreaRound(area=r.area, due=r.due, on_time=r.on_time, late=r.overdue, overdue_now=overdue[r.area.pk])
        for r in rows
        if within is None or r.area.path.startswith(within.path)
    ]
