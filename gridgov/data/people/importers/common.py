"""What the register imports share: who may import, the bulk batch size, the import keys, the place of a row
(village, grid, address) and the words registers write for kinds and relations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.scope import is_global_admin, memberships_of
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, User
from gridgov.data.people.domain.common import check_text
from gridgov.data.people.domain.houses import check_place
from gridgov.data.people.enums import Relation, ResidentKind
from gridgov.data.people.models import House
from gridgov.data.people.scope import may_write_area, may_write_people
from gridgov.data.privacy import blind_index
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import Column, ImportContext, Importer, RowInvalid, per_import, row_key
from gridgov.types import CellValue, SheetRow

# Who imports a register: the town's command room and admins (the whole town), a village's staff (their village).
# Grid workers register people one by one on the phone; a register file is the village's or the town's.
IMPORT_ROLES = frozenset({Role.OPERATOR, Role.ADMIN, Role.VILLAGE_STAFF})

# Rows per INSERT statement of the bulk path.
BATCH = 500
TAG_SEPARATORS = re.compile(r"[、，,;；\s]+")

# How registers write the kind and the relation besides the register's own labels.
KIND_WORDS = {
    "户籍": ResidentKind.REGISTERED,
    "常住": ResidentKind.REGISTERED,
    "流动": ResidentKind.FLOATING,
    "外来": ResidentKind.FLOATING,
    "境外": ResidentKind.FOREIGN,
    "外籍": ResidentKind.FOREIGN,
}
RELATION_WORDS = {
    "本人": Relation.HEAD,
    "妻": Relation.SPOUSE,
    "妻子": Relation.SPOUSE,
    "夫": Relation.SPOUSE,
    "丈夫": Relation.SPOUSE,
    "子": Relation.CHILD,
    "女": Relation.CHILD,
    "儿子": Relation.CHILD,
    "女儿": Relation.CHILD,
    "长子": Relation.CHILD,
    "长女": Relation.CHILD,
    "次子": Relation.CHILD,
    "次女": Relation.CHILD,
    "父亲": Relation.PARENT,
    "母亲": Relation.PARENT,
    "孙子": Relation.GRANDCHILD,
    "孙女": Relation.GRANDCHILD,
    "外孙子": Relation.GRANDCHILD,
    "外孙女": Relation.GRANDCHILD,
    "兄": Relation.SIBLING,
    "弟": Relation.SIBLING,
    "姐": Relation.SIBLING,
    "妹": Relation.SIBLING,
    "租户": Relation.TENANT,
    "租客": Relation.TENANT,
}


def house_key(address: str) -> str:
    return row_key("house", address, length=32)


def resident_key(number: str, name: str) -> str:
    """A resident without an ID number, found again by 户号 and name: a keyed digest (a name is personal data)."""
    return blind_index(f"resident\x1f{number}\x1f{name}")


# --- the place of a row: village, grid, address ------------------------------------------------------------

PLACE_COLUMNS = (
    Column("village", gettext_lazy("村(社区)"), required=True, aliases=("村社区", "村/社区", "村"), example="双合村"),
    Column("grid", gettext_lazy("网格"), aliases=("所属网格",), example="双合村第一网格"),
    Column("address", gettext_lazy("地址"), required=True, aliases=("标准地址", "房屋地址"), example="双合村1组1号"),
)


@dataclass(frozen=True)
class Place:
    village: Area
    grid: Area | None
    address: str
    house: House | None  # the house registered at the address before, if any


def may_import_people(user: User) -> bool:
    """Whether ``user`` imports the people register (each row is then checked against their area,
    ``people.scope.may_write_area``)."""
    if not may_write_people(user):
        return False
    return is_global_admin(user) or any(m.role in IMPORT_ROLES and m.area is not None for m in memberships_of(user))


class PeopleImporter(Importer):
    """An import into the people register: by whoever ``may_import_people``, its rows registered by ``actor_of``."""

    def allowed(self, user: User) -> bool:
        return may_import_people(user)


def actor_of(ctx: ImportContext) -> User:
    """Who registers the import's people: its user, or every row is refused."""
    return ctx.signed_in_user(missing=_("导入人员库需要登记人"))


@dataclass(frozen=True)
class Areas:
    villages: list[Area]
    grids: list[Area]


@per_import
def areas_of(ctx: ImportContext) -> Areas:
    """The villages and grids of the import running (read once per import, not once per row)."""
    areas = list(Area.objects.filter(town=ctx.town, level__in=(AreaLevel.VILLAGE, AreaLevel.GRID)))
    return Areas(
        villages=[a for a in areas if a.level == AreaLevel.VILLAGE],
        grids=[a for a in areas if a.level == AreaLevel.GRID],
    )


def grid_in(value: CellValue, *, village: Area, grids: list[Area]) -> Area | None:
    """The grid named in the row: one of the village's; a grid of another village is refused as such."""
    if value in (None, ""):
        return None
    own = [g for g in grids if g.parent_id == village.pk]
    try:
        return cells.area_by_name(value, candidates=own, column="grid", what=_("网格"))
    except RowInvalid:
        elsewhere = cells.area_by_name(value, candidates=grids, column="grid", what=_("网格"))
        raise RowInvalid(
            "grid", _("网格“%(grid)s”不属于%(village)s") % {"grid": elsewhere.name, "village": village.name}
        ) from None


def place_of(row: SheetRow, *, ctx: ImportContext, refused: str) -> Place:
    """The row's village, grid and address; the house already at that address must lie there; the importer must
    write there (``refused``: what to say otherwise, with ``%(area)s``)."""
    actor = actor_of(ctx)
    areas = areas_of(ctx)
    village = cells.village_by_name(row["village"], town=ctx.town, villages=areas.villages)
    grid = grid_in(row.get("grid"), village=village, grids=areas.grids)
    check_place(town=ctx.town, village=village, grid=grid)
    address = check_text(cells.text(row["address"], column="address"), field="address", label=_("地址"), max_length=200)
    house = House.objects.select_related("village", "grid").filter(town=ctx.town, address=address).first()
    if house is not None:
        if house.village_id != village.pk or (grid is not None and house.grid_id != grid.pk):
            where = house.grid or house.village
            message = _("地址“%(address)s”已登记在%(area)s，与本行的村(社区)或网格不符")
            raise RowInvalid("address", message % {"address": address, "area": where.name})
        grid = house.grid
    area = grid or village
    if not may_write_area(actor, area):
        raise RowInvalid("village", refused % {"area": area.name})
    return Place(village=village, grid=grid, address=address, house=house)
