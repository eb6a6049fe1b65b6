"""The live parts of the dashboard that are lists and points rather than rates: overdue and due-soon
cases, and the case map (points clustered on a grid, with grid boundaries)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import cast

from django.db import models
from django.db.models import Count, F, Q, QuerySet, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.enums import DISPATCH_PHASE_STATUSES, HANDLE_PHASE_STATUSES, Channel, Status
from gridgov.data.cases.models import Case
from gridgov.data.metrics import facts
from gridgov.data.metrics.indicators import Period, Scope, Weights, cases_behind, compute, compute_by
from gridgov.data.metrics.models import Dim
from gridgov.data.org.english import local_name
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.data.taxonomy.models import Category

LIST_LIMIT = 20
MAX_POINTS = 20_000  # beyond this the map shows the clusters of the newest cases only


def _running_deadline() -> tuple[Q, Q]:
    """(overdue at T, due soon at T) conditions for open cases whose phase clock is running."""
    dispatch = Q(status__in=DISPATCH_PHASE_STATUSES, dispatch_deadline__isnull=False)
    handle = Q(status__in=HANDLE_PHASE_STATUSES, handle_deadline__isnull=False)
    return dispatch, handle


def _open(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` in a phase with a clock — implied by either condition above, but said on its own it lets the
    database read the town's open cases by status (index case_queue_order) instead of every case of the town
    (200 ms at 8,000 cases on SQLite, 4 ms so)."""
    return cases.filter(status__in=[*DISPATCH_PHASE_STATUSES, *HANDLE_PHASE_STATUSES])


def overdue_cases(*, cases: QuerySet[Case], now: datetime, limit: int = LIST_LIMIT) -> list[Case]:
    """Open cases past the deadline of their running phase (suspended cases' clocks are stopped), most
    overdue first."""
    dispatch, handle = _running_deadline()
    qs = _open(cases).filter((dispatch & Q(dispatch_deadline__lt=now)) | (handle & Q(handle_deadline__lt=now)))
    return _nearest_first(qs, limit)


def due_soon_cases(*, cases: QuerySet[Case], now: datetime, limit: int = LIST_LIMIT) -> list[Case]:
    """Open cases that used 75 % of their running limit but are not yet overdue, nearest deadline first."""
    dispatch, handle = _running_deadline()
    qs = _open(cases).filter(
        (dispatch & Q(dispatch_warn_at__lte=now, dispatch_deadline__gte=now))
        | (handle & Q(handle_warn_at__lte=now, handle_deadline__gte=now))
    )
    return _nearest_first(qs, limit)


def _nearest_first(qs: QuerySet[Case], limit: int) -> list[Case]:
    running = models.Case(
        When(status__in=DISPATCH_PHASE_STATUSES, then=F("dispatch_deadline")), default=F("handle_deadline")
    )
    ordered = qs.annotate(running_deadline=running).order_by("running_deadline", "id")
    return list(ordered.select_related("category", "village", "department")[:limit])


def running_deadline(case: Case) -> datetime | None:
    if case.status in DISPATCH_PHASE_STATUSES:
        return case.dispatch_deadline
    if case.status in HANDLE_PHASE_STATUSES:
        return case.handle_deadline
    return None


@dataclass(frozen=True)
class Cluster:
    """Cases near each other at the current zoom: their centroid, count and (for one case) its id."""

    latitude: float
    longitude: float
    count: int
    open: int
    case_id: int | None = None
    number: str = ""


def cell_size(zoom: int) -> float:
    """Width in degrees of a clustering cell: about 60 screen pixels at web-map zoom ``zoom``."""
    zoom = max(0, min(zoom, 20))
    return 360.0 / float(2**zoom) / 256.0 * 60.0


def cluster_points(points: list[tuple[int, str, float, float, bool]], *, zoom: int) -> list[Cluster]:
    """Group (id, number, lat, lng, open) points into square cells of ``cell_size(zoom)`` degrees.

    Deterministic and O(n): each point falls in one cell; a cell's marker sits at its points' centroid.
    """
    size = cell_size(zoom)
    cells: dict[tuple[int, int], list[tuple[int, str, float, float, bool]]] = {}
    for point in points:
        _id, _number, lat, lng, _open = point
        cells.setdefault((math.floor(lat / size), math.floor(lng / size)), []).append(point)
    clusters = []
    for key in sorted(cells):
        members = cells[key]
        n = len(members)
        lat = sum(p[2] for p in members) / n
        lng = sum(p[3] for p in members) / n
        open_count = sum(1 for p in members if p[4])
        single = members[0] if n == 1 else None
        clusters.append(
            Cluster(
                latitude=round(lat, 6),
                longitude=round(lng, 6),
                count=n,
                open=open_count,
                case_id=single[0] if single else None,
                number=single[1] if single else "",
            )
        )
    return clusters


def map_clusters(
    *,
    cases: QuerySet[Case],
    zoom: int,
    bbox: tuple[float, float, float, float] | None = None,
) -> list[Cluster]:
    """Clusters of the located cases in ``cases`` (within bbox = south, west, north, east if given)."""
    qs = cases.filter(latitude__isnull=False, longitude__isnull=False)
    if bbox is not None:
        south, west, north, east = bbox
        qs = qs.filter(
            latitude__gte=Decimal(str(south)),
            latitude__lte=Decimal(str(north)),
            longitude__gte=Decimal(str(west)),
            longitude__lte=Decimal(str(east)),
        )
    rows = qs.order_by("-reported_at", "-id").values_list("id", "number", "latitude", "longitude", "status")[
        :MAX_POINTS
    ]
    closed = (Status.CLOSED, Status.REJECTED)
    points = [
        (pk, number, float(lat or 0), float(lng or 0), status not in closed) for pk, number, lat, lng, status in rows
    ]
    return cluster_points(points, zoom=zoom)


def boundaries(*, area: Area) -> dict[str, object]:
    """GeoJSON FeatureCollection of the grids (and villages) under ``area`` that have a boundary."""
    areas = Area.objects.filter(
        path__startswith=area.path, level__in=(AreaLevel.VILLAGE, AreaLevel.GRID), boundary__isnull=False
    ).only("id", "code", "name", "level", "boundary")
    features = [
        {
            "type": "Feature",
            "geometry": a.boundary,
            "properties": {"id": a.pk, "code": a.code, "name": a.name, "level": a.level},
        }
        for a in areas
        if a.boundary
    ]
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------------------------------------------
# Charts


def _pct(numerator: int, denominator: int) -> float | None:
    if denominator == 0:
        return None
    return float((Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1")))


def chart_figures(*, scope: Scope, period: Period, as_of: datetime) -> dict[str, object]:
    """The dashboard's charts for a scope: trend by month over the period's year, cases by major category,
    by village (by grid inside a village), the status funnel and the channel mix of the period.

    The whole town is answered from the indicator rollups (``compute_by``); a narrower scope by grouping the
    very cases behind its figures (``cases_behind``), so both agree with the indicator page.
    """
    year = Period.year(period.start.year)
    weights = Weights.for_town(scope.town)  # read once for the five figures below
    figures = compute(scope=scope, period=period, as_of=as_of, weights=weights)
    c = figures.counts
    funnel = [
        {"name": _("上报"), "value": c.reported},
        {"name": _("立案"), "value": c.cohort},
        {"name": _("已处置"), "value": c.resolved},
        {"name": _("已结案"), "value": c.closed},
    ]
    months = [date(year.start.year, m, 1) for m in range(1, 13)]
    whole_town = scope.rollup_key() == (Dim.TOWN, "")
    names = _names(scope.town)
    trend_counts: dict[date, tuple[int, int, int]]
    by_category: dict[int, int]
    by_area: dict[int, tuple[int, int]]
    by_channel: dict[str, int]
    if whole_town:
        town = scope.town
        by_month = compute_by(town=town, period=year, group="month", as_of=as_of, weights=weights)
        trend_counts = {_month(k): (s.counts.reported, s.counts.cohort, s.counts.closed) for k, s in by_month.items()}
        by_category = {
            cast(int, k): s.counts.cohort
            for k, s in compute_by(
                town=town, period=period, group="major_category", as_of=as_of, weights=weights
            ).items()
        }
        by_area = {
            cast(int, k): (s.counts.cohort, s.counts.closed)
            for k, s in compute_by(town=town, period=period, group="village", as_of=as_of, weights=weights).items()
        }
        by_channel = {
            str(k): s.counts.reported
            for k, s in compute_by(town=town, period=period, group="channel", as_of=as_of, weights=weights).items()
        }
    else:
        trend_counts = _trend(scope=scope, year=year, as_of=as_of)
        cohort = cases_behind(scope=scope, period=period, measure="registered", part="numerator", as_of=as_of)
        reported = cases_behind(scope=scope, period=period, measure="reported", part="numerator", as_of=as_of)
        by_category = dict(cohort.values_list("major_category_id").annotate(n=Count("id")).order_by())
        inside_village = scope.area is not None and scope.area.level in (AreaLevel.VILLAGE, AreaLevel.GRID)
        column = "grid_id" if inside_village else "village_id"
        by_area = {
            key: (n, closed)
            for key, n, closed in cohort.exclude(**{f"{column}__isnull": True})
            .values_list(column)
            .annotate(n=Count("id"), closed=Count("id", filter=facts.closed_by(as_of)))
            .order_by()
        }
        by_channel = dict(reported.values_list("channel").annotate(n=Count("id")).order_by())
    trend = {
        "months": [_("%(m)s月") % {"m": m.month} for m in months],
        "reported": [trend_counts.get(m, (0, 0, 0))[0] for m in months],
        "registered": [trend_counts.get(m, (0, 0, 0))[1] for m in months],
        "closed": [trend_counts.get(m, (0, 0, 0))[2] for m in months],
        "completion": [_pct(trend_counts.get(m, (0, 0, 0))[2], trend_counts.get(m, (0, 0, 0))[1]) for m in months],
    }
    area_rows = sorted(
        ((k, v) for k, v in by_area.items() if v[0]), key=lambda kv: (names["area"].get(kv[0], ("", ""))[1], kv[0])
    )
    return {
        "title": f"{scope.label} · {period.label}",
        "trend": trend,
        "categories": sorted(
            ({"name": names["category"].get(k, (str(k), ""))[0], "value": v} for k, v in by_category.items() if v),
            key=lambda item: -cast(int, item["value"]),
        ),
        "areas": {
            "names": [names["area"].get(k, (str(k), ""))[0] for k, _v in area_rows],
            "registered": [v[0] for _k, v in area_rows],
            "completion": [_pct(v[1], v[0]) for _k, v in area_rows],
        },
        "funnel": funnel,
        "channels": [
            {"name": str(Channel(k).label) if k in Channel.values else str(k), "value": v}
            for k, v in sorted(by_channel.items(), key=lambda kv: -kv[1])
            if v
        ],
    }


def _names(town: Area) -> dict[str, dict[int, tuple[str, str]]]:
    areas = Area.objects.filter(town=town, level__in=(AreaLevel.VILLAGE, AreaLevel.GRID)).values_list(
        "id", "name", "path"
    )
    categories = Category.objects.filter(town=town, parent__isnull=True).values_list("id", "name", "name_en", "code")
    return {
        "area": {pk: (name, path) for pk, name, path in areas},
        "category": {pk: (local_name(name, name_en), code) for pk, name, name_en, code in categories},
    }


def _trend(*, scope: Scope, year: Period, as_of: datetime) -> dict[date, tuple[int, int, int]]:
    reported = cases_behind(scope=scope, period=year, measure="reported", part="numerator", as_of=as_of)
    cohort = cases_behind(scope=scope, period=year, measure="registered", part="numerator", as_of=as_of)
    tz = timezone.get_default_timezone()
    found: dict[date, list[int]] = {}
    for month, n in (
        reported.annotate(m=TruncMonth("reported_at", tzinfo=tz)).values_list("m").annotate(n=Count("id")).order_by()
    ):
        found.setdefault(_month(month), [0, 0, 0])[0] += n
    for month, n, closed in (
        cohort.annotate(m=TruncMonth("registered_at", tzinfo=tz))
        .values_list("m")
        .annotate(n=Count("id"), closed=Count("id", filter=facts.closed_by(as_of)))
        .order_by()
    ):
        entry = found.setdefault(_month(month), [0, 0, 0])
        entry[1] += n
        entry[2] += closed
    return {k: (v[0], v[1], v[2]) for k, v in found.items()}


def _month(value: object) -> date:
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return date(local.year, local.month, 1)
    assert isinstance(value, date)
    return date(value.year, value.month, 1)
