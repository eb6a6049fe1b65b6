"""Rankings (擂台赛): villages, departments and grid workers by 综合指标值, with its parts and n."""

from __future__ import annotations

from typing import Literal, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gridgov.data.metrics.indicators import SMALL_SAMPLE, Weights, ranking
from gridgov.ui.dashboard.common import town_wide
from gridgov.ui.dashboard.filters import DEFAULT_PERIOD_KIND, PERIOD_KINDS, read_filters
from gridgov.ui.signed_in import is_htmx

RANK_BY = [("village", _("村（社区）")), ("department", _("处置部门")), ("grid_worker", _("网格员"))]


@login_required
def rankings(request: HttpRequest) -> HttpResponse:
    viewer, town = town_wide(request)
    filters = read_filters(request.GET, town=town, viewer=viewer, default_kind=DEFAULT_PERIOD_KIND, with_choices=False)
    by = request.GET.get("by", "village")
    if by not in dict(RANK_BY):
        filters.errors["by"] = str(_("排名对象无效"))
        by = "village"
    as_of = filters.as_of or timezone.now()
    rows = ranking(
        town=town,
        period=filters.period,
        by=cast(Literal["village", "department", "grid_worker"], by),
        as_of=as_of,
    )
    weights = Weights.for_town(town)
    context = {
        "viewer": viewer,
        "filters": filters,
        "period_kinds": PERIOD_KINDS,
        "rank_by": RANK_BY,
        "by": by,
        "by_label": dict(RANK_BY)[by],
        "rows": rows,
        "weights": weights,
        "visits_column": by == "village" and weights.with_visits,
        "small_sample": SMALL_SAMPLE,
        "as_of": as_of,
    }
    template = "dashboard/rankings.html#table" if is_htmx(request) else "dashboard/rankings.html"
    return render(request, template, context)
