"""The indicator page (every figure of the design for a period and scope, with its formula) and the list of
cases behind a figure's numerator or denominator."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gridgov.data.access.permissions import visible_cases
from gridgov.data.errors import InvalidInput
from gridgov.data.metrics.indicators import Part, cases_behind, compute
from gridgov.ui.dashboard.common import town_for, viewer_for
from gridgov.ui.dashboard.filters import DEFAULT_PERIOD_KIND, read_filters
from gridgov.ui.dashboard.views.board import figure_filters, figures_page
from gridgov.ui.signed_in import is_htmx, signed_in_user

PAGE_SIZE = 50


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    viewer, filters = figure_filters(request)
    figures, context = figures_page(viewer, filters, as_of=filters.pin_as_of(timezone.now()))
    context["measures"] = figures.measures()
    template = "dashboard/indicators.html#figures" if is_htmx(request) else "dashboard/indicators.html"
    return render(request, template, context)


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one figure, restricted to those the user may see, 50 a page."""
    viewer = viewer_for(request)
    town = town_for(request, viewer)
    filters = read_filters(request.GET, town=town, viewer=viewer, default_kind=DEFAULT_PERIOD_KIND, with_choices=False)
    measure = request.GET.get("measure", "")
    part = request.GET.get("part", "numerator")
    if part not in ("numerator", "denominator"):
        raise Http404(part)
    as_of = filters.pin_as_of(timezone.now())  # the list and its figure at one moment, and the page says which
    try:
        behind = cases_behind(
            scope=filters.scope, period=filters.period, measure=measure, part=cast(Part, part), as_of=as_of
        )
    except InvalidInput as error:
        raise Http404(error.message) from None
    figures = compute(scope=filters.scope, period=filters.period, as_of=as_of)
    try:
        chosen = figures[measure]
    except KeyError:
        raise Http404(measure) from None
    qs = (
        visible_cases(signed_in_user(request), behind)
        .select_related("category", "village", "department")
        .order_by("-registered_at", "-reported_at", "-id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "viewer": viewer,
        "filters": filters,
        "measure": chosen,
        "part": part,
        "page": page,
        "base_query": filters.query(measure=measure, part=part),
    }
    template = "dashboard/cases.html#list" if is_htmx(request) else "dashboard/cases.html"
    return render(request, template, context)
