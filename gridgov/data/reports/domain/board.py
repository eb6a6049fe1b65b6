"""The live parts of the dashboard that are lists and points rather than rates: overdue and due-soon
cases, and the case map (points clustered on a grid, with grid boundaries)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import models
from django.db.models import F, Q, QuerySet, When

from gridgov.data.cases.enums import DISPATCH_PHASE_STATUSES, HANDLE_PHASE_STATUSES, Status
from gridgov.data.cases.models import Case
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area

LIST_LIMIT = 20
MAX_POINTS = 20_000  # beyond this the map shows the clusters of the newest cases only


def _running_deadline() -> tuple[Q, Q]:
    """(overdue at T, due soon at T) conditions for open cases whose phase clock is running."""
    dispatch = Q(status__in=DISPATCH_PHASE_STATUSES, dispatch_deadline__isnull=False)
    handle = Q(status__in=HANDLE_PHASE_STATUSES, handle_deadline__isnull=False)
    return dispatch, handle


def overdue_cases(*, cases: QuerySet[Case], now: datetime, limit: int = LIST_LIMIT) -> list[Case]:
    """Open cases past the deadline of their running phase (suspended cases' clocks are stopped), most
    overdue first."""
    dispatch, handle = _running_deadline()
    qs = cases.filter((dispatch & Q(dispatch_deadline__lt=now)) | (handle & Q(handle_deadline__lt=now)))
    return _nearest_first(qs, limit)


def due_soon_cases(*, cases: QuerySet[Case], now: datetime, limit: int = LIST_LIMIT) -> list[Case]:
    """Open cases that used 75 % of their running limit but are not yet overdue, nearest deadline first."""
    dispatch, handle = _running_deadline()
    qs = cases.filter(
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
