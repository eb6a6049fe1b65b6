"""Houses (实有房屋): registered at a standard address in a village (and grid) of the town, unique per town."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.people.domain.common import check_text, check_writes_house, create_checked, update_checked
from gridgov.data.people.enums import HouseUse
from gridgov.data.people.models import House
from gridgov.data.people.scope import may_write_area

MAX_ROOMS = 9999
DEGREES = Decimal("0.000001")  # a point's precision: the columns' six decimal places


@dataclass(frozen=True, slots=True, kw_only=True)
class HouseInput:
    """A house as registered or changed (its revitalisation is the rentals part's, ``people.revitalisation``)."""

    town: Area
    village: Area
    grid: Area | None = None
    address: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    use: HouseUse = HouseUse.OWN
    rooms: int = 1
    note: str = ""


@dataclass(frozen=True, slots=True)
class _Checked:
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    use: HouseUse
    rooms: int
    note: str


def check_place(*, town: Area, village: Area, grid: Area | None) -> None:
    """The village is one of the town's, the grid one of the village's."""
    if town.level != AreaLevel.TOWN:
        raise InvalidInput(_("所属乡镇不是乡镇/街道"), field="town")
    if village.level != AreaLevel.VILLAGE or village.town_id != town.pk:
        raise InvalidInput(
            _("“%(village)s”不是%(town)s的村/社区") % {"village": village.name, "town": town.name}, field="village"
        )
    if grid is not None and (grid.level != AreaLevel.GRID or grid.parent_id != village.pk):
        raise InvalidInput(
            _("网格“%(grid)s”不属于%(village)s") % {"grid": grid.name, "village": village.name}, field="grid"
        )


def check_rooms_and_point(
    *, rooms: int, latitude: Decimal | None, longitude: Decimal | None
) -> tuple[int, Decimal | None, Decimal | None]:
    """A house's rooms (1 … ``MAX_ROOMS``) and GPS point (both degrees or neither, each in range), the point to
    ``DEGREES``; InvalidInput on the field (rooms, latitude, longitude) otherwise. The form and the importer
    both ask this."""
    if not 1 <= rooms <= MAX_ROOMS:
        raise InvalidInput(_("间数应在 1 到 %(n)d 之间") % {"n": MAX_ROOMS}, field="rooms")
    if latitude is None and longitude is None:
        return rooms, None, None
    if latitude is None or longitude is None:
        raise InvalidInput(_("请同时填写经度和纬度"), field="latitude")
    if not latitude.is_finite() or not -90 <= latitude <= 90:
        raise InvalidInput(_("纬度应在 -90 到 90 之间"), field="latitude")
    if not longitude.is_finite() or not -180 <= longitude <= 180:
        raise InvalidInput(_("经度应在 -180 到 180 之间"), field="longitude")
    return rooms, latitude.quantize(DEGREES), longitude.quantize(DEGREES)


def _check(actor: User, data: HouseInput, *, house: House | None) -> _Checked:
    check_place(town=data.town, village=data.village, grid=data.grid)
    if not may_write_area(actor, data.grid or data.village):
        raise NotAllowed(_("您无权在%(area)s登记房屋") % {"area": (data.grid or data.village).name})
    address = check_text(data.address, field="address", label=_("标准地址"), max_length=200)
    taken = House.objects.filter(town=data.town, address=address)
    if house is not None:
        taken = taken.exclude(pk=house.pk)
    if taken.exists():
        raise InvalidInput(_("标准地址“%(address)s”已登记") % {"address": address}, field="address")
    try:
        use = HouseUse(data.use)
    except ValueError:
        raise InvalidInput(_("房屋用途“%(v)s”无效") % {"v": data.use}, field="use") from None
    rooms, latitude, longitude = check_rooms_and_point(
        rooms=data.rooms, latitude=data.latitude, longitude=data.longitude
    )
    note = check_text(data.note, field="note", label=_("备注"), max_length=2000, required=False)
    return _Checked(address, latitude, longitude, use, rooms, note)


def register_house(*, actor: User, data: HouseInput, now: datetime) -> House:
    """Register a house (operators and admins of the town, village staff in their village, grid workers in their
    grid)."""
    checked = _check(actor, data, house=None)
    values = {"town": data.town, "village": data.village, "grid": data.grid, **asdict(checked)}
    return create_checked(House, values, now=now, recheck=lambda: _check(actor, data, house=None))


def update_house(*, actor: User, house: House, data: HouseInput, now: datetime) -> House:
    """Change a house the actor may write (it may move to another village or grid the actor writes; not to
    another town)."""
    check_writes_house(actor, house)
    if data.town.pk != house.town_id:
        raise InvalidInput(_("房屋不能改到其他乡镇"), field="town")
    checked = _check(actor, data, house=house)
    values = {"village": data.village, "grid": data.grid, **asdict(checked)}
    return update_checked(house, values, now=now, recheck=lambda: _check(actor, data, house=house))
