"""Nearby similar open cases: the candidates an operator may mark a new report a duplicate of."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from rapidfuzz import fuzz

from gridgov.data.cases.enums import OPEN_STATUSES
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import visible_cases
from gridgov.data.org.models import User

NEAR_METRES = 300.0
SIMILAR_TEXT = 60.0  # rapidfuzz partial ratio, 0–100
LOOKBACK_DAYS = 90
# ~300 m in degrees of latitude, with room for longitude at this latitude (a cheap index-free prefilter).
_BOX_DEGREES = 0.004
_EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True, slots=True)
class Similar:
    case: Case
    same_category: bool
    distance_m: float | None
    text_score: float

    @property
    def near(self) -> bool:
        return self.distance_m is not None and self.distance_m <= NEAR_METRES

    @property
    def similar_text(self) -> bool:
        return self.text_score >= SIMILAR_TEXT


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(a))


def similar_open_cases(*, user: User, case: Case, limit: int = 8) -> list[Similar]:
    """Open cases the user may see, other than ``case``, sharing at least two of: the same sub-category,
    a location within 300 m, a similar description. Best matches first."""
    since = case.reported_at - timedelta(days=LOOKBACK_DAYS)
    near_box = Q()
    if case.latitude is not None and case.longitude is not None:
        lat, lng = case.latitude, case.longitude
        box = type(lat)(str(_BOX_DEGREES))
        near_box = Q(latitude__range=(lat - box, lat + box), longitude__range=(lng - box, lng + box))
    wanted = Q(category_id=case.category_id) | near_box if near_box else Q(category_id=case.category_id)
    if case.village_id is not None:
        wanted |= Q(village_id=case.village_id)
    candidates = (
        visible_cases(user)
        .filter(town_id=case.town_id, status__in=list(OPEN_STATUSES), reported_at__gte=since)
        .filter(wanted)
        .exclude(pk=case.pk)
        .select_related("category", "village")
        .order_by("-reported_at", "-id")[:300]
    )
    found: list[Similar] = []
    for other in candidates:
        distance = None
        here, there = (case.latitude, case.longitude), (other.latitude, other.longitude)
        if here[0] is not None and here[1] is not None and there[0] is not None and there[1] is not None:
            distance = distance_m(float(here[0]), float(here[1]), float(there[0]), float(there[1]))
        item = Similar(
            case=other,
            same_category=other.category_id == case.category_id,
            distance_m=distance,
            text_score=float(fuzz.partial_ratio(case.description, other.description)),
        )
        if item.same_category + item.near + item.similar_text >= 2:
            found.append(item)
    found.sort(
        key=lambda s: (
            -(s.same_category + s.near + s.similar_text),
            s.distance_m if s.distance_m is not None else math.inf,
            -s.text_score,
        )
    )
    return found[:limit]
