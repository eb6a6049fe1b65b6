"""出租房屋台账 (``houses``): one row per house, with its use, rooms and GPS point."""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.errors import DomainError
from gridgov.data.people.domain.common import checked_write
from gridgov.data.people.domain.houses import check_rooms_and_point
from gridgov.data.people.enums import HouseUse
from gridgov.data.people.importers.common import (
    BATCH,
    PLACE_COLUMNS,
    PeopleImporter,
    Place,
    house_key,
    place_of,
)
from gridgov.data.people.models import House
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import (
    Column,
    FailedAt,
    ImportContext,
    RowInvalid,
    choice_column,
    refused_as_row,
)
from gridgov.types import CellValue, SheetRow


@dataclass(frozen=True)
class HouseRow:
    place: Place
    use: HouseUse
    rooms: int
    latitude: Decimal | None
    longitude: Decimal | None
    note: str


def _degrees(value: CellValue, *, column: str) -> Decimal | None:
    """A cell's decimal degrees as written (their range is the domain's check), or None for an empty cell."""
    if value in (None, ""):
        return None
    try:
        return Decimal(unicodedata.normalize("NFKC", str(value)).strip())
    except InvalidOperation:
        raise RowInvalid(column, _("“%(value)s”不是数字，请填十进制度数（如 30.2458）") % {"value": value}) from None


class HouseImporter(PeopleImporter):
    name = "houses"
    title = gettext_lazy("出租房屋台账（实有房屋）")
    notes = gettext_lazy(
        "每行一处房屋，按“地址”识别：已登记的地址不重复导入（也不修改）。房屋用途：自住、出租、群租房、闲置农房、经营。"
    )
    columns = (
        *PLACE_COLUMNS,
        choice_column("use", gettext_lazy("房屋用途"), HouseUse, aliases=("用途",), example="出租"),
        Column("rooms", gettext_lazy("间数"), aliases=("房间数", "出租间数"), example="3"),
        Column("latitude", gettext_lazy("纬度"), example="30.245123"),
        Column("longitude", gettext_lazy("经度"), example="122.201456"),
        Column("note", gettext_lazy("备注")),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> HouseRow:
        place = place_of(row, ctx=ctx, refused=_("您无权在%(area)s登记房屋"))
        with refused_as_row():  # the rule of a house registered on the form
            rooms, latitude, longitude = check_rooms_and_point(
                rooms=cells.count(row.get("rooms"), column="rooms", default=1),
                latitude=_degrees(row.get("latitude"), column="latitude"),
                longitude=_degrees(row.get("longitude"), column="longitude"),
            )
        return HouseRow(
            place=place,
            use=cells.choice(row.get("use"), HouseUse, column="use", default=HouseUse.OWN),
            rooms=rooms,
            latitude=latitude,
            longitude=longitude,
            note=cells.text(row.get("note"), column="note", max_length=2000),
        )

    def natural_key(self, parsed: HouseRow) -> Hashable:
        return parsed.place.address

    def exists(self, parsed: HouseRow, *, ctx: ImportContext) -> bool:
        return parsed.place.house is not None

    def _recheck(self, rows: list[HouseRow], *, ctx: ImportContext) -> None:
        taken = set(
            House.objects.filter(town=ctx.town, address__in=[r.place.address for r in rows]).values_list(
                "address", flat=True
            )
        )
        failures: list[tuple[int, RowInvalid | DomainError]] = [
            (index, RowInvalid("address", _("标准地址“%(address)s”已登记") % {"address": row.place.address}))
            for index, row in enumerate(rows)
            if row.place.address in taken
        ]
        if failures:
            raise FailedAt(failures)

    def apply_all(self, rows: list[HouseRow], *, ctx: ImportContext) -> bool:
        houses = [
            House(
                town=ctx.town,
                village=row.place.village,
                grid=row.place.grid,
                address=row.place.address,
                latitude=row.latitude,
                longitude=row.longitude,
                use=row.use,
                rooms=row.rooms,
                note=row.note,
                import_key=house_key(row.place.address),
                created_at=ctx.now,
                updated_at=ctx.now,
            )
            for row in rows
        ]
        with checked_write(lambda: self._recheck(rows, ctx=ctx)):
            House.objects.bulk_create(houses, batch_size=BATCH)
        return True
