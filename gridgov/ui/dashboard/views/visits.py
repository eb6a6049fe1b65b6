"""走访覆盖: per village (per grid on drill-down) the members due in the period, visited on time, the coverage and
the members overdue now with a lamp; and the list of the overdue members behind a count. Counts and lists are of
the memberships the viewer may see (the people register's scope), so a number equals its list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal
from urllib.parse import parse_qsl, urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.access.permissions import visible_memberships
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.data.visits.domain import AreaRound, overdue_members, rounds
from gridgov.ui.dashboard.filters import PERIOD_KINDS, Filters
from gridgov.ui.dashboard.views.board import figure_filters
from gridgov.ui.params import id_param
from gridgov.ui.signed_in import is_htmx, signed_in_user


def _counted_through(filters: Filters, today: date) -> date | None:
    """The period's last day, or today when the period runs on (later days have no visits yet); None: the
    period has not begun."""
    last = min(filters.period.end - timedelta(days=1), today)
    return None if last < filters.period.start else last


def _level(filters: Filters) -> tuple[Literal["grid", "village"], Area | None]:
    """Villages for the town (and for scopes that are not an area); the grids of a chosen village or grid."""
    area = filters.scope.area
    if area is None or area.level not in (AreaLevel.VILLAGE, AreaLevel.GRID):
        return "village", None
    return "grid", area


@login_required
def visits(request: HttpRequest) -> HttpResponse:
    viewer, filters = figure_filters(request, with_choices=True)
    today = timezone.localdate()
    by, within = _level(filters)
    through = _counted_through(filters, today)
    rows: list[AreaRound] = []
    if through is not None:
        rows = [
            row
            for row in rounds(
                town=filters.town,
                start=filters.period.start,
                end=through,
                today=today,
                by=by,
                visible=visible_memberships(signed_in_user(request)),
                within=within,
            )
            if viewer.sees_area(row.area)
        ]
    total = AreaRound(
        area=within or filters.town,
        due=sum(r.due for r in rows),
        on_time=sum(r.on_time for r in rows),
        late=sum(r.late for r in rows),
        overdue_now=sum(r.overdue_now for r in rows),
    )
    context = {
        "viewer": viewer,
        "filters": filters,
        "period_kinds": PERIOD_KINDS,
        "by": by,
        "rows": rows,
        "total": total,
        "today": today,
        "through": through,
        "query": filters.period_query(),
        "query_without_scope": urlencode(
            [(k, v) for k, v in parse_qsl(filters.period_query(), keep_blank_values=True) if k != "scope"]
        ),
    }
    template = "dashboard/visits.html#table" if is_htmx(request) else "dashboard/visits.html"
    return render(request, template, context)


@login_required
def visits_overdue(request: HttpRequest) -> HttpResponse:
    """The members of a village or grid (``?area=``) overdue today, as the viewer may see them."""
    viewer, filters = figure_filters(request)
    area_id = id_param(request.GET.get("area", ""))
    area = Area.objects.filter(pk=area_id, level__in=(AreaLevel.VILLAGE, AreaLevel.GRID)).first() if area_id else None
    if area is None:
        raise Http404(_("未找到该村（社区）或网格"))
    if area.town_id != filters.town.pk or not viewer.sees_area(area):
        raise PermissionDenied(_("您无权查看该村（社区）或网格的数据"))
    today = timezone.localdate()
    items = overdue_members(
        town=filters.town, today=today, visible=visible_memberships(signed_in_user(request)), within=area
    )
    context = {
        "viewer": viewer,
        "filters": filters,
        "area": area,
        "items": [(item, (today - item.due_on).days) for item in items],
        "today": today,
        "query": filters.period_query(),
    }
    return render(request, "dashboard/visits_overdue.html", context)
