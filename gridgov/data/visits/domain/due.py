"""A grid worker's due list: each member's due date (last visit + the shortest frequency of their groups;
never visited: from the membership) and group-rental houses', with a lamp."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from gridgov.data.cases.enums import Lamp
from gridgov.data.org.english import local_name
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.people.domain.display import person_view
from gridgov.data.people.enums import HouseUse
from gridgov.data.people.models import GroupMembership, House, Resident
from gridgov.data.visits.domain.scope import VisitScope, scope_of
from gridgov.data.visits.models import Visit

YELLOW_DAYS = 3  # due within this many days: yellow


@dataclass(frozen=True, slots=True)
class DueItem:
    """A resident or a house due for a visit."""

    resident: Resident | None
    house: House | None
    label: str  # the masked name (张*) or the house's address — never a plain name
    reasons: tuple[str, ...]  # the groups (or 群租房) that make the visit due
    every_days: int
    last_visited: date | None
    due_on: date
    lamp: Lamp


def lamp_for(due_on: date, *, today: date) -> Lamp:
    """The case's lamps (``cases.enums.Lamp``) for a visit: red overdue (the due date has passed), yellow due within
    YELLOW_DAYS days (today included), green."""
    if due_on < today:
        return Lamp.RED
    if due_on <= today + timedelta(days=YELLOW_DAYS):
        return Lamp.YELLOW
    return Lamp.GREEN


def open_on(today: date) -> Q:
    return Q(until__isnull=True) | Q(until__gt=today)


def _memberships(scope: VisitScope, today: date) -> QuerySet[GroupMembership]:
    """The open memberships, in groups with a visit frequency the worker may see, of residents they may see."""
    return (
        GroupMembership.objects.filter(
            open_on(today),
            resident__in=scope.residents.filter(moved_out_on__isnull=True, erased_at__isnull=True),
            group__in=scope.groups.filter(active=True, visit_every_days__isnull=False),
            since__lte=today,
        )
        .select_related("resident", "group")
        .order_by("resident_id", "id")
    )


def local_date(moment: datetime) -> date:
    return timezone.localdate(moment)


def _last_visits(
    *, residents: Iterable[int] = (), houses: Iterable[int] = (), through: date | None = None
) -> dict[tuple[str, int], date]:
    """The date of the last visit of each resident and house (one query each kind); of visits on or before
    ``through`` when given."""
    found: dict[tuple[str, int], date] = {}
    resident_ids, house_ids = list(residents), list(houses)
    if resident_ids:
        visits = Visit.objects.filter(resident_id__in=resident_ids)
        if through is not None:
            next_day = datetime.combine(through + timedelta(days=1), datetime.min.time())
            visits = visits.filter(visited_at__lt=timezone.make_aware(next_day))
        rows = visits.values("resident_id").annotate(last=Max("visited_at")).values_list("resident_id", "last")
        found.update({("r", pk): local_date(last) for pk, last in rows if pk is not None})
    if house_ids:
        rows = (
            Visit.objects.filter(house_id__in=house_ids)
            .values("house_id")
            .annotate(last=Max("visited_at"))
            .values_list("house_id", "last")
        )
        found.update({("h", pk): local_date(last) for pk, last in rows if pk is not None})
    return found


@dataclass
class Member:
    resident: Resident
    since: date
    every_days: int
    reasons: list[str] = field(default_factory=list)


def strictest(memberships: Iterable[GroupMembership]) -> dict[int, Member]:
    """One entry per resident: the shortest frequency of their groups, and their earliest membership's start."""
    members: dict[int, Member] = {}
    for m in memberships:
        every = m.group.visit_every_days
        assert every is not None  # filtered
        member = members.get(m.resident_id)
        if member is None:
            members[m.resident_id] = Member(resident=m.resident, since=m.since, every_days=every, reasons=[])
            member = members[m.resident_id]
        else:
            member.every_days, member.since = min(member.every_days, every), min(member.since, m.since)
        member.reasons.append(local_name(m.group.name, m.group.name_en))
    return members


def next_due(member: Member, last_visited: date | None) -> date:
    """The one rule of a member's due date: their last visit plus their frequency; never visited: their start."""
    return last_visited + timedelta(days=member.every_days) if last_visited else member.since


def member_items(members: dict[int, Member], last: dict[tuple[str, int], date], *, today: date) -> list[DueItem]:
    """The members' due items (masked name, reasons, last visit from ``last``, due date and lamp on ``today``)."""
    items = []
    for pk, member in members.items():
        visited = last.get(("r", pk))
        due_on = next_due(member, visited)
        items.append(
            DueItem(
                resident=member.resident,
                house=None,
                label=person_view(member.resident).name,
                reasons=tuple(member.reasons),
                every_days=member.every_days,
                last_visited=visited,
                due_on=due_on,
                lamp=lamp_for(due_on, today=today),
            )
        )
    return items


def due_list(*, worker: User, today: date) -> list[DueItem]:
    """Every member the worker may visit, and every group-rental house of their grids, with its due date and lamp;
    overdue first, then by due date. Four queries however many people (none for a user with no grid)."""
    scope = scope_of(worker)
    if scope is None:
        return []
    members = strictest(_memberships(scope, today))
    houses = list(scope.houses.filter(use=HouseUse.GROUP_RENTAL).order_by("address", "id"))
    last = _last_visits(residents=members.keys(), houses=[h.pk for h in houses])
    items = member_items(members, last, today=today)
    every_house = int(settings.GRIDGOV_GROUP_RENTAL_VISIT_DAYS)
    for house in houses:
        visited = last.get(("h", house.pk))
        due_on = visited + timedelta(days=every_house) if visited else local_date(house.created_at)
        items.append(
            DueItem(
                resident=None,
                house=house,
                label=house.address,
                reasons=(str(HouseUse.GROUP_RENTAL.label),),
                every_days=every_house,
                last_visited=visited,
                due_on=due_on,
                lamp=lamp_for(due_on, today=today),
            )
        )
    order = {Lamp.RED: 0, Lamp.YELLOW: 1, Lamp.GREEN: 2}
    items.sort(key=lambda item: (order[item.lamp], item.due_on, item.house is not None, item.label))
    return items


def visited_memberships(
    *, town: Area, visible: QuerySet[GroupMembership] | None, open_on_day: date, since_by: date
) -> QuerySet[GroupMembership]:
    """The memberships visits are owed for: of the town's residents living there (not erased), in active groups
    with a visit frequency, open on ``open_on_day`` and begun by ``since_by``; only those of ``visible`` (a
    viewer's, from the people scope) when given."""
    qs = GroupMembership.objects.all() if visible is None else visible
    return qs.filter(
        open_on(open_on_day),
        town=town,
        resident__moved_out_on__isnull=True,
        resident__erased_at__isnull=True,
        group__active=True,
        group__visit_every_days__isnull=False,
        since__lte=since_by,
    )


def town_members(
    *, town: Area, today: date, visible: QuerySet[GroupMembership] | None = None, within: Area | None = None
) -> QuerySet[GroupMembership]:
    """The open memberships on ``today`` of the town's residents (living there, not erased) in active groups with
    a visit frequency; only those of ``visible`` (a viewer's, from the people scope) and of the houses in
    ``within`` (a village or grid) when given. The residents' houses come with them (one query)."""
    qs = visited_memberships(town=town, visible=visible, open_on_day=today, since_by=today)
    if within is not None:
        field = "grid" if within.level == AreaLevel.GRID else "village"
        qs = qs.filter(**{f"resident__household__house__{field}": within})
    return qs.select_related("resident__household__house", "group").order_by("resident_id", "id")


def overdue_members(
    *, town: Area, today: date, visible: QuerySet[GroupMembership] | None = None, within: Area | None = None
) -> list[DueItem]:
    """The town's members overdue on ``today`` (red lamp: due before today, by ``next_due``), earliest due first;
    of ``visible`` memberships and ``within`` an area when given. Two queries however many people."""
    members = strictest(town_members(town=town, today=today, visible=visible, within=within))
    last = _last_visits(residents=members.keys(), through=today)
    items = [item for item in member_items(members, last, today=today) if item.lamp == Lamp.RED]
    items.sort(key=lambda item: (item.due_on, item.label, item.resident.pk if item.resident else 0))
    return items
