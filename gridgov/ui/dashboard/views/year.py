"""Year in review: the year's figures as the work report writes them; each number links to its cases."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from gridgov.data.access.permissions import visible_cases
from gridgov.data.errors import NotFound
from gridgov.data.reports.domain.year_review import figure_cases, year_outline, year_review
from gridgov.data.writers import write_docx
from gridgov.ui.dashboard.common import town_wide
from gridgov.ui.dashboard.views.bulletins import DOCX
from gridgov.ui.params import int_param
from gridgov.ui.signed_in import signed_in_user

PAGE_SIZE = 50


def _year(request: HttpRequest) -> int:
    return int_param(request.GET.get("year"), minimum=2000, maximum=2100) or timezone.localdate().year


def _as_of(request: HttpRequest) -> datetime:
    raw = request.GET.get("as_of", "")
    try:
        parsed = parse_datetime(raw) if raw else None
    except ValueError:
        parsed = None
    return parsed if parsed is not None and timezone.is_aware(parsed) else timezone.now()


@login_required
def year(request: HttpRequest) -> HttpResponse:
    viewer, town = town_wide(request)
    chosen = _year(request)
    review = year_review(town=town, year=chosen, as_of=_as_of(request))
    this_year = timezone.localdate().year
    return render(
        request,
        "dashboard/year.html",
        {
            "viewer": viewer,
            "town": town,
            "review": review,
            "years": list(range(this_year, this_year - 5, -1)),
            "as_of_param": review.as_of.isoformat(),
        },
    )


@login_required
def year_docx(request: HttpRequest) -> HttpResponse:
    _viewer, town = town_wide(request)
    review = year_review(town=town, year=_year(request), as_of=_as_of(request))
    response = HttpResponse(write_docx(year_outline(review)), content_type=DOCX)
    filename = f"{review.title}.docx"
    response["Content-Disposition"] = f"attachment; filename=\"year.docx\"; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def year_cases(request: HttpRequest, source: str, key: str) -> HttpResponse:
    viewer, town = town_wide(request)
    chosen = _year(request)
    as_of = _as_of(request)
    try:
        behind = figure_cases(town=town, year=chosen, source=source, key=key, as_of=as_of)
    except NotFound as error:
        raise Http404(error.message) from None
    qs = (
        visible_cases(signed_in_user(request), behind)
        .select_related("category", "village", "department")
        .order_by("-registered_at", "-reported_at", "-id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/year_cases.html",
        {
            "viewer": viewer,
            "town": town,
            "year": chosen,
            "source": source,
            "key": key,
            "page": page,
            "base_query": f"town={town.pk}&year={chosen}&as_of={quote(as_of.isoformat())}",
        },
    )
