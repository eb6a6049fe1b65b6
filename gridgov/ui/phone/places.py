"""Where a point is: the town's village and grid for a GPS fix or a map pin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.images import gps_of
from gridgov.data.cases.scope import may_report_into
from gridgov.data.errors import InvalidInput
from gridgov.data.org.domain import ancestors_by_level, place_in_town
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User


@dataclass(frozen=True, slots=True)
class Place:
    latitude: Decimal
    longitude: Decimal
    area: Area | None  # the deepest area whose boundary holds the point (None: the town has no boundaries)
    village: Area | None
    grid: Area | None


def parse_point(latitude: str, longitude: str) -> tuple[Decimal, Decimal] | None:
    """Both empty: no point. Otherwise two numbers in range, or InvalidInput on ``latitude``."""
    latitude, longitude = (latitude or "").strip(), (longitude or "").strip()
    if not latitude and not longitude:
        return None
    try:
        lat, lng = Decimal(latitude), Decimal(longitude)
    except InvalidOperation:
        raise InvalidInput(_("位置坐标格式不正确，请重新定位或在地图上选点"), field="latitude") from None
    if not lat.is_finite() or not lng.is_finite() or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise InvalidInput(_("位置坐标超出范围，请重新定位或在地图上选点"), field="latitude")
    return lat.quantize(Decimal("0.000001")), lng.quantize(Decimal("0.000001"))


def place_from_photos(*, town: Area, photos: Sequence[Upload]) -> Place | None:
    """The place recorded in the first photo whose EXIF has a GPS point inside the town (or None).

    Used only when the reporter neither chose an area nor located themselves: a location hint the
    camera already gave. The kept photos lose their GPS tags all the same.
    """
    for upload in photos:
        gps = gps_of(upload.data)
        if gps is None:
            continue
        try:
            return place_point(town=town, latitude=Decimal(str(gps[0])), longitude=Decimal(str(gps[1])))
        except InvalidInput:
            continue  # taken somewhere else: not a hint for this report
    return None


def place_point(*, town: Area, latitude: Decimal, longitude: Decimal) -> Place:
    """The village and grid holding the point; InvalidInput when the town has boundaries and none holds it."""
    area = place_in_town(town=town, latitude=float(latitude), longitude=float(longitude))
    levels = ancestors_by_level(area) if area is not None else {}
    return Place(
        latitude=latitude,
        longitude=longitude,
        area=area,
        village=levels.get(AreaLevel.VILLAGE),
        grid=levels.get(AreaLevel.GRID),
    )


def area_choices(town: Area, *, user: User | None = None) -> list[Area]:
    """Villages and grids of the town in tree order (one query), for the location select; for a signed-in
    ``user``, only those they may report into (a grid worker: their own grids)."""
    areas = list(
        Area.objects.filter(town=town, level__in=[AreaLevel.VILLAGE, AreaLevel.GRID, AreaLevel.MICROGRID]).order_by(
            "path"
        )
    )
    if user is None or not user.is_authenticated:
        return areas
    return [area for area in areas if may_report_into(user, area)]
