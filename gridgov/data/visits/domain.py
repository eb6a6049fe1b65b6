"""Grid visits (走访): a grid worker's due list with lamps, the visit record, a finding made a case, coverage.

What a grid worker may visit (``scope_of``): the residents and houses of the people register's scope rule
(``people/scope.py``, the rule ``access.permissions`` answers with) that lie in the grids they patrol, and the
groups that rule lets them see (a sensitive group is not a grid worker's). Every read of people here goes through
that scope; every write checks the visited resident or house against it.

The due date of a member is their last visit's date plus the group's frequency (never visited: the membership's
start); a person in several groups is visited at the shortest frequency. A group-rental house (群租房) of the
worker's grids is due every ``GRIDGOV_GROUP_RENTAL_VISIT_DAYS`` days from its last visit (never: its registration).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.attachments import Upload, check_image
from gridgov.data.cases.domain.engine import report_case
from gridgov.data.cases.enums import AttachmentKind, Channel
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import memberships_of
from gridgov.data.errors import Conflict, InvalidInput, NotFound, OutOfScope
from gridgov.data.org.domain import boundary_covers
from gridgov.data.org.english import local_name
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, User
from gridgov.data.people import scope as people_scope
from gridgov.data.people.enums import HouseUse
from gridgov.data.people.models import GroupMembership, House, PersonGroup, Resident
from gridgov.data.privacy import mask_name
from gridgov.data.taxonomy.domain import resolve_category
from gridgov.data.taxonomy.models import Category
from gridgov.data.visits.models import Visit

YELLOW_DAYS = 3  # due within this many days: yellow
MAX_TEXT = 2000


class Lamp(StrEnum):
    RED = "red"  # overdue: the due date has passed
    YELLOW = "yellow"  # due within YELLOW_DAYS days (today included)
    GREEN = "green"


@dataclass(frozen=True, slots=True)
class VisitScope:
    """What a grid worker may visit: their grids, and the residents, houses and groups they may see there
    (querysets, not yet read)."""

    worker: User
    town_id: int
    grids: tuple[Area, ...]
    residents: QuerySet[Resident]
    houses: QuerySet[House]
    groups: QuerySet[PersonGroup]


def scope_of(worker: User) -> VisitScope | None:
    """The grid worker's visiting scope; None for a user who patrols no grid (no query: memberships are read
    once per request)."""
    grids = tuple(
        m.area for m in memberships_of(worker) if m.role == Role.GRID_WORKER and m.area is not None and m.area.town_id
    )
    if not grids:
        return None
    town_id = grids[0].town_id
    assert town_id is not None
    grid_ids = [g.pk for g in grids]
    return VisitScope(
        worker=worker,
        town_id=town_id,
        grids=grids,
        residents=people_scope.visible_residents(worker).filter(household__house__grid_id__in=grid_ids),
        houses=people_scope.visible_houses(worker).filter(grid_id__in=grid_ids),
        groups=people_scope.visible_groups(worker),
    )


def _scope(worker: User) -> VisitScope:
    scope = scope_of(worker)
    if scope is None:
        raise OutOfScope(_("只有网格员可以登记走访"))
    return scope


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
    if due_on < today:
        return Lamp.RED
    if due_on <= today + timedelta(days=YELLOW_DAYS):
        return Lamp.YELLOW
    return Lamp.GREEN


def _open_on(today: date) -> Q:
    return Q(until__isnull=True) | Q(until__gt=today)


def _memberships(scope: VisitScope, today: date) -> QuerySet[GroupMembership]:
    """The open memberships, in groups with a visit frequency the worker may see, of residents they may see."""
    return (
        GroupMembership.objects.filter(
            _open_on(today),
            resident__in=scope.residents.filter(moved_out_on__isnull=True, erased_at__isnull=True),
            group__in=scope.groups.filter(active=True, visit_every_days__isnull=False),
            since__lte=today,
        )
        .select_related("resident", "group")
        .order_by("resident_id", "id")
    )


def _local_date(moment: datetime) -> date:
    return timezone.localdate(moment)


def _last_visits(*, residents: Iterable[int] = (), houses: Iterable[int] = ()) -> dict[tuple[str, int], date]:
    """The date of the last visit of each resident and house (one query each kind)."""
    found: dict[tuple[str, int], date] = {}
    resident_ids, house_ids = list(residents), list(houses)
    if resident_ids:
        rows = (
            Visit.objects.filter(resident_id__in=resident_ids)
            .values("resident_id")
            .annotate(last=Max("visited_at"))
            .values_list("resident_id", "last")
        )
        found.update({("r", pk): _local_date(last) for pk, last in rows if pk is not None})
    if house_ids:
        rows = (
            Visit.objects.filter(house_id__in=house_ids)
            .values("house_id")
            .annotate(last=Max("visited_at"))
            .values_list("house_id", "last")
        )
        found.update({("h", pk): _local_date(last) for pk, last in rows if pk is not None})
    return found


@dataclass
class _Member:
    resident: Resident
    since: date
    every_days: int
    reasons: list[str] = field(default_factory=list)


def _strictest(memberships: Iterable[GroupMembership]) -> dict[int, _Member]:
    """One entry per resident: the shortest frequency of their groups, and their earliest membership's start."""
    members: dict[int, _Member] = {}
    for m in memberships:
        every = m.group.visit_every_days
        assert every is not None  # filtered
        member = members.get(m.resident_id)
        if member is None:
            members[m.resident_id] = _Member(resident=m.resident, since=m.since, every_days=every, reasons=[])
            member = members[m.resident_id]
        else:
            member.every_days, member.since = min(member.every_days, every), min(member.since, m.since)
        member.reasons.append(local_name(m.group.name, m.group.name_en))
    return members


def due_list(*, worker: User, today: date) -> list[DueItem]:
    """Every member the worker may visit, and every group-rental house of their grids, with its due date and lamp;
    overdue first, then by due date. Four queries however many people (none for a user with no grid)."""
    scope = scope_of(worker)
    if scope is None:
        return []
    members = _strictest(_memberships(scope, today))
    houses = list(scope.houses.filter(use=HouseUse.GROUP_RENTAL).order_by("address", "id"))
    last = _last_visits(residents=members.keys(), houses=[h.pk for h in houses])
    items: list[DueItem] = []
    for pk, member in members.items():
        visited = last.get(("r", pk))
        due_on = visited + timedelta(days=member.every_days) if visited else member.since
        items.append(
            DueItem(
                resident=member.resident,
                house=None,
                label=mask_name(member.resident.name),
                reasons=tuple(member.reasons),
                every_days=member.every_days,
                last_visited=visited,
                due_on=due_on,
                lamp=lamp_for(due_on, today=today),
            )
        )
    every_house = int(settings.GRIDGOV_GROUP_RENTAL_VISIT_DAYS)
    for house in houses:
        visited = last.get(("h", house.pk))
        due_on = visited + timedelta(days=every_house) if visited else _local_date(house.created_at)
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


# ---------------------------------------------------------------------------------------------------
# Recording a visit


@dataclass(frozen=True, slots=True)
class VisitInput:
    """A visit as the phone sends it: whom (a resident or a house), when, where, what was seen."""

    visited_at: datetime
    resident_id: int | None = None
    house_id: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    photo: Upload | None = None
    note: str = ""
    findings: str = ""


def _text(value: str, *, field_name: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise InvalidInput(_("%(label)s不能超过 %(n)s 字") % {"label": label, "n": MAX_TEXT}, field=field_name)
    return value


def _visited(scope: VisitScope, data: VisitInput) -> tuple[Resident | None, House]:
    """The resident (with their house) or the house visited, if the worker may visit them."""
    if (data.resident_id is None) == (data.house_id is None):
        raise InvalidInput(_("请选择走访对象（人员或房屋，二选一）"), field="resident")
    if data.resident_id is not None:
        resident = (
            scope.residents.filter(pk=data.resident_id, erased_at__isnull=True)
            .select_related("household__house")
            .first()
        )
        if resident is None:
            raise InvalidInput(_("该人员不在您的走访范围内"), field="resident")
        return resident, resident.household.house
    house = scope.houses.filter(pk=data.house_id or 0).first()
    if house is None:
        raise InvalidInput(_("该房屋不在您的走访范围内"), field="house")
    return None, house


def _check_point(scope: VisitScope, data: VisitInput) -> None:
    """Both coordinates or neither; a point inside one of the worker's grids. A grid without a drawn boundary
    cannot refuse a point: the check applies when every grid of the worker has one."""
    if data.latitude is None and data.longitude is None:
        return
    if data.latitude is None or data.longitude is None:
        raise InvalidInput(_("经纬度必须同时提供"), field="latitude")
    if not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180):
        raise InvalidInput(_("经纬度超出范围"), field="latitude")
    if not scope.grids or any(not grid.boundary for grid in scope.grids):
        return
    lat, lng = float(data.latitude), float(data.longitude)
    if not any(boundary_covers(grid, latitude=lat, longitude=lng) for grid in scope.grids):
        raise InvalidInput(_("位置不在您的网格内"), field="latitude")


def record_visit(*, worker: User, data: VisitInput, now: datetime) -> Visit:
    """Record a visit of the scope's worker; InvalidInput (naming the field) for a resident or house out of their
    scope, a point outside their grids, a time in the future, a text too long or a photo that is not one."""
    scope = _scope(worker)
    resident, house = _visited(scope, data)
    if data.visited_at > now:
        raise InvalidInput(_("走访时间不能晚于当前时间"), field="visited_at")
    _check_point(scope, data)
    note = _text(data.note, field_name="note", label=_("走访情况"))
    findings = _text(data.findings, field_name="findings", label=_("发现问题"))
    checked = check_image(data.photo) if data.photo is not None else None
    visit = Visit(
        town_id=scope.town_id,
        worker=scope.worker,
        resident=resident,
        house=None if resident is not None else house,
        village_id=house.village_id,
        grid_id=house.grid_id,
        visited_at=data.visited_at,
        latitude=data.latitude,
        longitude=data.longitude,
        note=note,
        findings=findings,
        created_at=now,
    )
    if checked is not None:  # the upright copy without metadata: no GPS tags kept beside the visit's own point
        visit.photo_sha256 = checked.sha256
        visit.photo.save("visit.jpg", ContentFile(checked.photo.display), save=False)
    with transaction.atomic():
        visit.save()
    return visit


def visit_of(*, worker: User, visit_id: int) -> Visit:
    """One of the worker's own visits (NotFound otherwise)."""
    visit = Visit.objects.filter(pk=visit_id, worker=worker).first()
    if visit is None:
        raise NotFound(_("走访记录不存在"))
    return visit


def finding_to_case(*, worker: User, visit: Visit, category: Category, description: str, now: datetime) -> Case:
    """Report the visit's finding as a case through the engine, at the visit's place, and link it to the visit;
    Conflict when the visit already became a case (one case per visit)."""
    description = (description or "").strip() or visit.findings
    with transaction.atomic():
        locked = (
            Visit.objects.select_for_update(of=("self",))
            .select_related("house", "resident__household__house")
            .filter(pk=visit.pk, worker=worker)
            .first()
        )
        if locked is None:
            raise NotFound(_("走访记录不存在"))
        if locked.case_id is not None:
            number = Case.objects.filter(pk=locked.case_id).values_list("number", flat=True).first()
            raise Conflict(_("该走访已转为事件 %(n)s，不能重复上报") % {"n": number or ""})
        house = locked.resident.household.house if locked.resident is not None else locked.house
        latitude = locked.latitude if locked.latitude is not None else (house.latitude if house else None)
        longitude = locked.longitude if locked.latitude is not None else (house.longitude if house else None)
        case = report_case(
            town=Area.objects.get(pk=locked.town_id),
            reporter=worker,
            channel=Channel.GRID_WORKER,
            category=category,
            description=description,
            area=locked.grid or locked.village,
            latitude=latitude,
            longitude=longitude,
            address=house.address if house else "",
            photos=_photos_of(locked),
            now=now,
        )
        Visit.objects.filter(pk=locked.pk).update(case=case)
    visit.case = case
    return case


def _photos_of(visit: Visit) -> list[Upload]:
    if not visit.photo:
        return []
    with visit.photo.open("rb") as stored:
        return [Upload(name="visit.jpg", data=stored.read(), kind=AttachmentKind.BEFORE)]


# ---------------------------------------------------------------------------------------------------
# Coverage: members due in a period, visited on time, overdue — per grid or per village


@dataclass(frozen=True, slots=True)
class CoverageRow:
    area: Area
    due: int  # members whose visit fell due in the period
    on_time: int  # of them, visited on or before their due date
    overdue: int  # of them, not visited by their due date (visited late, or not yet)

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def coverage(*, town: Area, start: date, end: date, by: Literal["grid", "village"]) -> list[CoverageRow]:
    """Per grid (``by="grid"``) or village (``"village"``) of ``town``: the members of groups with a visit
    frequency whose visit fell due between ``start`` and ``end`` (both included), how many were visited by their
    due date, how many not. A member's due date is their last visit before ``start`` plus the shortest frequency
    of their groups (never visited: their earliest membership's start); a member already overdue when the period
    starts counts as overdue. Four queries."""
    if by not in ("grid", "village"):  # callers from pages and the API pass what they were given
        raise InvalidInput(_("统计维度只能是网格或村"), field="by")
    if end < start:
        raise InvalidInput(_("结束日期不能早于开始日期"), field="end")
    memberships = GroupMembership.objects.filter(
        _open_on(start),
        town=town,
        resident__moved_out_on__isnull=True,
        resident__erased_at__isnull=True,
        group__active=True,
        group__visit_every_days__isnull=False,
        since__lte=end,
    ).select_related("resident__household__house", "group")
    members = _strictest(memberships)
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
        due_on = _local_date(last) + timedelta(days=member.every_days) if last else member.since
        if due_on > end:
            continue
        house = member.resident.household.house
        area_id = house.grid_id if by == "grid" else house.village_id
        if area_id is None:
            continue
        first = within.get(pk)
        counts[area_id][0] += 1
        if first is not None and _local_date(first) <= due_on:
            counts[area_id][1] += 1
    areas = Area.objects.filter(town=town, level=by).order_by("path")
    return [
        CoverageRow(area=a, due=counts[a.pk][0], on_time=counts[a.pk][1], overdue=counts[a.pk][0] - counts[a.pk][1])
        for a in areas
    ]


def record_visit_and_case(
    *, worker: User, data: VisitInput, category_id: int | None, description: str, now: datetime
) -> tuple[Visit, Case]:
    """A visit and its finding made a case in one step (the phone's 转为事件): both written, or neither."""
    if not data.findings.strip():
        raise InvalidInput(_("转为事件需要填写发现问题"), field="findings")
    town = Area.objects.get(pk=_scope(worker).town_id)
    category = resolve_category(town=town, category_id=category_id)
    with transaction.atomic():
        visit = record_visit(worker=worker, data=data, now=now)
        case = finding_to_case(worker=worker, visit=visit, category=category, description=description, now=now)
    return visit, case


def visit_target(*, worker: User, resident_id: int | None, house_id: int | None) -> str:
    """The label of a resident (masked) or house the worker may visit, for the visit form; NotFound otherwise."""
    scope = _scope(worker)
    if resident_id is not None and house_id is None:
        resident = scope.residents.filter(pk=resident_id, erased_at__isnull=True).first()
        if resident is not None:
            return mask_name(resident.name)
    if house_id is not None and resident_id is None:
        house = scope.houses.filter(pk=house_id).first()
        if house is not None:
            return house.address
    raise NotFound(_("走访对象不存在或不在您的网格内"))
