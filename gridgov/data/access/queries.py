"""Filtering a scoped list of cases: the filters of the case lists, as one function.

The caller passes a queryset that already went through ``cases.scope.visible_cases``; this only narrows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.enums import DISPATCH_PHASE_STATUSES, HANDLE_PHASE_STATUSES, Channel, Kind, Lamp, Status
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput
from gridgov.data.org.models import Area

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True, slots=True)
class CaseFilters:
    status: tuple[Status, ...] = ()
    category_id: int | None = None  # a sub-category, or a major category with all its sub-categories
    area_id: int | None = None  # any area: the case lies in its subtree
    village_id: int | None = None
    department_id: int | None = None
    channel: tuple[Channel, ...] = ()
    kind: tuple[Kind, ...] = ()
    lamp: tuple[Lamp, ...] = ()
    q: str = ""  # a case number, or words of the description / address / title
    reported_from: date | None = None  # inclusive, local date
    reported_to: date | None = None  # inclusive, local date


def filter_cases(cases: QuerySet[Case], filters: CaseFilters, *, now: datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    if filters.status:
        cases = cases.filter(status__in=filters.status)
    if filters.category_id is not None:
        cases = cases.filter(Q(category_id=filters.category_id) | Q(major_category_id=filters.category_id))
    if filters.area_id is not None:
        area = Area.objects.filter(pk=filters.area_id).first()
        if area is None:
            raise InvalidInput(_("区域 %(id)s 不存在") % {"id": filters.area_id}, field="area")
        cases = cases.filter(area_path__startswith=area.path)
    if filters.village_id is not None:
        cases = cases.filter(village_id=filters.village_id)
    if filters.department_id is not None:
        cases = cases.filter(department_id=filters.department_id)
    if filters.channel:
        cases = cases.filter(channel__in=filters.channel)
    if filters.kind:
        cases = cases.filter(kind__in=filters.kind)
    if filters.lamp:
        condition = Q()
        for lamp in filters.lamp:
            condition |= lamp_condition(lamp, now=now)
        cases = cases.filter(condition)
    q = filters.q.strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidInput(_("搜索词不能超过 %(n)s 字") % {"n": MAX_QUERY_LENGTH}, field="q")
    if q:
        cases = cases.filter(
            Q(number__iexact=q)
            | Q(number__icontains=q)
            | Q(description__icontains=q)
            | Q(address__icontains=q)
            | Q(title__icontains=q)
        )
    if filters.reported_from and filters.reported_to and filters.reported_from > filters.reported_to:
        raise InvalidInput(_("开始日期不能晚于结束日期"), field="reported_from")
    if filters.reported_from is not None:
        cases = cases.filter(reported_at__gte=_start_of(filters.reported_from))
    if filters.reported_to is not None:
        cases = cases.filter(reported_at__lt=_start_of(filters.reported_to + timedelta(days=1)))
    return cases


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def lamp_condition(lamp: Lamp, *, now: datetime) -> Q:
    """The SQL form of ``deadlines.lamp_of`` (same thresholds), so lists can filter by lamp."""
    dispatching = Q(status__in=DISPATCH_PHASE_STATUSES)
    handling = Q(status__in=HANDLE_PHASE_STATUSES)
    if lamp == Lamp.PAUSED:
        return Q(status=Status.SUSPENDED)
    if lamp == Lamp.NONE:
        return (
            Q(status__in=(Status.RESOLVED, Status.CLOSED, Status.REJECTED))
            | (dispatching & Q(dispatch_deadline__isnull=True))
            | (handling & Q(handle_deadline__isnull=True))
        )
    if lamp == Lamp.RED:
        return (dispatching & Q(dispatch_deadline__lt=now)) | (handling & Q(handle_deadline__lt=now))
    if lamp == Lamp.YELLOW:
        return (dispatching & Q(dispatch_deadline__gte=now, dispatch_warn_at__lte=now)) | (
            handling & Q(handle_deadline__gte=now, handle_warn_at__lte=now)
        )
    return (
        dispatching & Q(dispatch_deadline__gte=now) & (Q(dispatch_warn_at__isnull=True) | Q(dispatch_warn_at__gt=now))
    ) | (handling & Q(handle_deadline__gte=now) & (Q(handle_warn_at__isnull=True) | Q(handle_warn_at__gt=now)))
