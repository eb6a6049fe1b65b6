"""The API's case list: the web's ``cases.domain.queries.list_cases``, plus the few narrowings the web lists
do not offer (an area subtree, the kind, a report-date window, several values of one filter).

Every filter the web has is applied by ``list_cases`` itself (one implementation, shared with the pages);
this module only adds what the API has on top, and never widens the scoped list.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.queries import LIST_RELATIONS, CaseFilter, CaseList, list_cases
from gridgov.data.cases.enums import Channel, Kind, Lamp, Status
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput
from gridgov.data.org.models import Area, User

API_RELATIONS = (*LIST_RELATIONS, "area")


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


def api_cases(*, user: User, filters: CaseFilters, now: datetime) -> CaseList:
    """The cases ``user`` may see that match ``filters``, newest first (reported_at, then id)."""
    if filters.reported_from and filters.reported_to and filters.reported_from > filters.reported_to:
        raise InvalidInput(_("开始日期不能晚于结束日期"), field="reported_from")
    base = CaseFilter(
        statuses=tuple(str(s) for s in filters.status),
        category_id=filters.category_id,
        village_id=filters.village_id,
        department_id=filters.department_id,
        search=filters.q,
    )
    # The web filters take one lamp; several lamps are the union of those lists (each lamp once, however often a
    # client repeats it: at most five variants). Channels, like kinds, narrow every part (channel IN …).
    lamps: tuple[str, ...] = tuple(dict.fromkeys(str(lamp) for lamp in filters.lamp)) or ("",)
    first, *others = (replace(base, lamp=lamp) for lamp in lamps)
    area_path = None
    if filters.area_id is not None:
        area = Area.objects.filter(pk=filters.area_id).first()
        if area is None:
            raise InvalidInput(_("区域 %(id)s 不存在") % {"id": filters.area_id}, field="area")
        area_path = area.path

    def narrow(cases: QuerySet[Case]) -> QuerySet[Case]:
        if area_path is not None:
            cases = cases.filter(area_path__startswith=area_path)
        if filters.kind:
            cases = cases.filter(kind__in=filters.kind)
        if filters.channel:
            cases = cases.filter(channel__in=filters.channel)
        if filters.reported_from is not None:
            cases = cases.filter(reported_at__gte=_start_of(filters.reported_from))
        if filters.reported_to is not None:
            cases = cases.filter(reported_at__lt=_start_of(filters.reported_to + timedelta(days=1)))
        return cases

    return list_cases(
        user=user, case_filter=first, alternatives=others, now=now, narrow=narrow, relations=API_RELATIONS
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())
