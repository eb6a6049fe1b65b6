"""The 驾驶舱 wall mode: a full-screen, dark 1920×1080 view for the command room's screen.

Headline figures, the live queue (latest reports), overdue cases, map and trends. Figures and lists refresh
themselves by htmx polling of the partials below (no full reload); charts and the map by wall.js. Nothing is
computed here that the dashboard does not compute: the same figures (``compute``), the same deadline lists
(``board_domain``) and the same chart and map JSON (board.board_charts, board.board_map)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gridgov.data.cases.domain import reference
from gridgov.data.cases.domain.deadlines import deadline_views
from gridgov.data.metrics.indicators import compute
from gridgov.data.reports.domain import board as board_domain
from gridgov.types import TemplateContext
from gridgov.ui.dashboard.filters import Filters
from gridgov.ui.dashboard.views.board import SUMMARY, _open_cases, figure_filters

# The board's summary less the score, which needs its formula beside it.
WALL_FIGURES = tuple(key for key in SUMMARY if key != "score")
WALL_ROWS = 8
REFRESH_SECONDS = 60


def _figures(filters: Filters) -> list[Any]:  # Any: the figures of several kinds the wall shows side by side
    figures = compute(scope=filters.scope, period=filters.period, as_of=timezone.now())
    return [figures[key] for key in WALL_FIGURES]


def _lists(request: HttpRequest, filters: Filters) -> TemplateContext:
    now = timezone.now()
    cases = _open_cases(request, filters)
    latest = (
        cases.select_related("category", "village", "department")
        .order_by("-reported_at", "-id")
        .only(
            "id",
            "number",
            "status",
            "reported_at",
            "category__name",
            "category__name_en",
            "village__name",
            "department__name",
            "department__name_en",
        )
    )
    overdue = deadline_views(
        board_domain.overdue_cases(cases=cases, now=now, limit=WALL_ROWS), now=now, calendar=reference.calendar()
    )
    return {"latest": list(latest[:WALL_ROWS]), "overdue": overdue, "now": now}


def _base(request: HttpRequest) -> tuple[TemplateContext, Filters]:
    viewer, filters = figure_filters(request)
    return {"viewer": viewer, "filters": filters, "query": filters.query(), "refresh": REFRESH_SECONDS}, filters


@login_required
def wall(request: HttpRequest) -> HttpResponse:
    context, filters = _base(request)
    context |= {
        "figures": _figures(filters),
        **_lists(request, filters),
        "tiles": settings.GRIDGOV_MAP_TILES,
        "tiles_attribution": settings.GRIDGOV_MAP_ATTRIBUTION,
    }
    return render(request, "dashboard/wall.html", context)


@login_required
def wall_figures(request: HttpRequest) -> HttpResponse:
    context, filters = _base(request)
    context["figures"] = _figures(filters)
    return render(request, "dashboard/wall.html#figures", context)


@login_required
def wall_lists(request: HttpRequest) -> HttpResponse:
    context, filters = _base(request)
    context |= _lists(request, filters)
    return render(request, "dashboard/wall.html#lists", context)
