"""The dashboard (驾驶舱): summary figures, charts (ECharts), overdue and due-soon lists, the case map
(Leaflet, grid boundaries, server-side clustering) and the economic indicators beside them."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from gridgov.data.access.permissions import Viewer, visible_cases
from gridgov.data.cases.domain import reference
from gridgov.data.cases.domain.deadlines import deadline_views
from gridgov.data.cases.models import Case
from gridgov.data.metrics.indicators import IndicatorSet, cases_behind, compute
from gridgov.data.reports.domain import board as board_domain
from gridgov.data.reports.domain.economy import indicator_table
from gridgov.types import TemplateContext
from gridgov.ui.dashboard.common import town_for, viewer_for
from gridgov.ui.dashboard.filters import DEFAULT_PERIOD_KIND, PERIOD_KINDS, Filters, read_filters
from gridgov.ui.params import float_param, int_param
from gridgov.ui.signed_in import signed_in_user

SUMMARY = (
    "reported",
    "registered",
    "completion_rate",
    "on_time_closure_rate",
    "overdue_rate",
    "satisfaction_rate",
    "score",
)


def figure_filters(request: HttpRequest, *, with_choices: bool = False) -> tuple[Viewer, Filters]:
    viewer = viewer_for(request)
    town = town_for(request, viewer)
    filters = read_filters(
        request.GET, town=town, viewer=viewer, default_kind=DEFAULT_PERIOD_KIND, with_choices=with_choices
    )
    return viewer, filters


def figures_page(viewer: Viewer, filters: Filters, *, as_of: datetime) -> tuple[IndicatorSet, TemplateContext]:
    """The figures the filters ask for at ``as_of``, and what every figure page shows with them: who looks, the
    filters and the period kinds to choose from."""
    figures = compute(scope=filters.scope, period=filters.period, as_of=as_of)
    return figures, {"viewer": viewer, "filters": filters, "period_kinds": PERIOD_KINDS, "figures": figures}


def _open_cases(request: HttpRequest, filters: Filters) -> QuerySet[Case]:
    """Cases of the scope the user may see (for the deadline lists: any period, they are open now)."""
    qs = Case.objects.filter(town=filters.town).filter(filters.scope.case_filter())
    return visible_cases(signed_in_user(request), qs)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    viewer, filters = figure_filters(request, with_choices=True)
    now = timezone.now()
    calendar = reference.calendar()
    cases = _open_cases(request, filters)
    figures, context = figures_page(viewer, filters, as_of=filters.pin_as_of(now))
    context |= {
        "summary": [figures[key] for key in SUMMARY],
        "overdue": deadline_views(board_domain.overdue_cases(cases=cases, now=now), now=now, calendar=calendar),
        "due_soon": deadline_views(board_domain.due_soon_cases(cases=cases, now=now), now=now, calendar=calendar),
        "economy": (
            indicator_table(town=filters.town, year=filters.period.start.year)
            if viewer.sees_town(filters.town)
            else None
        ),
        "tiles": settings.GRIDGOV_MAP_TILES,
        "tiles_attribution": settings.GRIDGOV_MAP_ATTRIBUTION,
        "query": filters.query(),
    }
    return render(request, "dashboard/board.html", context)


@login_required
def board_charts(request: HttpRequest) -> JsonResponse:
    _viewer, filters = figure_filters(request)
    data = board_domain.chart_figures(scope=filters.scope, period=filters.period, as_of=filters.as_of or timezone.now())
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _float(raw: str | None) -> float | None:
    return float_param(raw, minimum=-180.0, maximum=180.0)  # degrees of latitude or longitude


@login_required
def board_map(request: HttpRequest) -> JsonResponse:
    """Clusters of the period's reported cases in the scope (those the user may see), for a zoom and box."""
    _viewer, filters = figure_filters(request)
    zoom = int_param(request.GET.get("zoom"), minimum=0, maximum=22)
    zoom = 13 if zoom is None else zoom
    box = [_float(request.GET.get(k)) for k in ("south", "west", "north", "east")]
    bbox = (box[0], box[1], box[2], box[3]) if all(v is not None for v in box) else None
    reported = cases_behind(
        scope=filters.scope,
        period=filters.period,
        measure="reported",
        part="numerator",
        as_of=filters.as_of or timezone.now(),
    )
    clusters = board_domain.map_clusters(
        cases=visible_cases(signed_in_user(request), reported),
        zoom=zoom,
        bbox=bbox,  # type: ignore[arg-type]  # all() above rules out None; mypy does not narrow a tuple through all()
    )
    return JsonResponse(
        {
            "zoom": zoom,
            "clusters": [
                {
                    "lat": c.latitude,
                    "lng": c.longitude,
                    "count": c.count,
                    "open": c.open,
                    "case": c.case_id,
                    "number": c.number,
                }
                for c in clusters
            ],
        }
    )


@login_required
def board_areas(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the grid and village boundaries of the scope's area (or the town)."""
    _viewer, filters = figure_filters(request)
    area = filters.scope.area or filters.town
    return JsonResponse(board_domain.boundaries(area=area), json_dumps_params={"ensure_ascii": False})
