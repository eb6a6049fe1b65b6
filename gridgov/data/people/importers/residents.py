"""户籍/流动人口台账 (``residents``): one row per resident; houses found by address or created, households by 户号."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.errors import DomainError, InvalidInput
from gridgov.data.org.disclosure import Item, as_private
from gridgov.data.org.models import User
from gridgov.data.people.domain.common import check_person_name, check_phone, check_text, checked_write
from gridgov.data.people.domain.residents import ResidentFields, current_heads, read_document, registered_elsewhere
from gridgov.data.people.enums import Relation, ResidentKind, Sex
from gridgov.data.people.importers.common import (
    BATCH,
    KIND_WORDS,
    PLACE_COLUMNS,
    RELATION_WORDS,
    TAG_SEPARATORS,
    PeopleImporter,
    Place,
    actor_of,
    house_key,
    place_of,
    resident_key,
)
from gridgov.data.people.models import GroupMembership, House, Household, PersonGroup, Resident
from gridgov.data.people.scope import visible_groups
from gridgov.data.privacy import blind_index
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import Column, FailedAt, ImportContext, RowInvalid, choice_column
from gridgov.types import CellValue, SheetRow


@dataclass(frozen=True)
class ResidentRow(ResidentFields):
    """A sheet's row: the resident's own columns, with where they live and their groups."""

    place: Place
    number: str  # 户号
    household: Household | None  # the household of that 户号 registered before, if any
    groups: tuple[PersonGroup, ...]
    existing: bool  # the same person is already in this household: imported before

    @property
    def import_key(self) -> str:
        return self.id_digest[:64] if self.id_digest else resident_key(self.number, self.name)


def _relation(row: SheetRow) -> Relation:
    raw = cells.text(row.get("relation"), column="relation")
    if raw:
        return cells.choice(raw, Relation, column="relation", words=RELATION_WORDS)
    return Relation.HEAD if cells.yes_no(row.get("is_head"), column="is_head") else Relation.OTHER


def _document(value: CellValue, kind: ResidentKind, *, today: date) -> tuple[str, date | None, Sex]:
    """The number kept (normalised) with the birth date and sex it carries: an ID number through ``idcard`` (check
    digit, a birth date not after today); a foreigner's passport number as such."""
    raw = cells.text(value, column="id_number", max_length=32)
    if not raw:
        if kind != ResidentKind.FOREIGN:
            raise RowInvalid("id_number", _("请填写身份证号"))
        return "", None, Sex.UNKNOWN
    try:
        number, birth_date, sex = read_document(raw, kind, today=today)
    except InvalidInput as error:
        raise RowInvalid("id_number", error.message) from None
    return number, birth_date, Sex.UNKNOWN if sex is None else sex


def _tags(value: CellValue, *, ctx: ImportContext, actor: User) -> tuple[PersonGroup, ...]:
    """The key and care groups named in the row, by name: only active groups of the town the importer may see (a
    sensitive group is tagged only by those who see it)."""
    names = [n for n in TAG_SEPARATORS.split(cells.text(value, column="tags")) if n]
    if not names:
        return ()
    found = {g.name: g for g in visible_groups(actor, PersonGroup.objects.filter(town=ctx.town, active=True))}
    groups: list[PersonGroup] = []
    for name in dict.fromkeys(names):
        if name not in found:
            raise RowInvalid("tags", _("人员类别“%(name)s”不存在或您无权标注") % {"name": name})
        groups.append(found[name])
    return tuple(groups)


class ResidentImporter(PeopleImporter):
    name = "residents"
    title = gettext_lazy("户籍/流动人口台账（实有人口）")
    notes = gettext_lazy(
        "每行一人；同一户号的各行为一户，“与户主关系”为户主的是户主。房屋按“村(社区)+地址”查找，没有的新建；"
        "已登记的人员（同一户、同一身份证号）不重复导入。标签填写人员类别名称，多个用“、”分隔。"
    )
    columns = (
        Column("number", gettext_lazy("户号"), required=True, aliases=("户编号",), example="SH-0001"),
        choice_column("relation", gettext_lazy("与户主关系"), Relation, aliases=("关系",), example="户主"),
        Column("is_head", gettext_lazy("是否户主"), help=gettext_lazy("未填“与户主关系”时填写：是/否")),
        Column("name", gettext_lazy("姓名"), required=True, example="张三"),
        Column(
            "id_number",
            gettext_lazy("身份证号"),
            aliases=("证件号码", "身份证号码", "公民身份号码"),
            example="330921198001011232",
            help=gettext_lazy("境外人员可填护照号码"),
        ),
        Column("phone", gettext_lazy("联系电话"), aliases=("手机号码", "电话"), example="13800138000"),
        Column(
            "kind",
            gettext_lazy("人口类型"),
            aliases=("人员类型",),
            example="户籍",
            help=gettext_lazy("户籍、流动、境外"),
        ),
        *PLACE_COLUMNS,
        Column("tags", gettext_lazy("标签"), aliases=("人员类别",), example="独居老人", help=gettext_lazy("可不填")),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> ResidentRow:
        actor = actor_of(ctx)
        place = place_of(row, ctx=ctx, refused=_("您无权在%(area)s登记人员"))
        number = check_text(cells.text(row["number"], column="number"), field="number", label=_("户号"), max_length=32)
        household = Household.objects.select_related("house").filter(town=ctx.town, number=number).first()
        if household is not None and household.house.address != place.address:
            raise RowInvalid("number", _("户号 %(number)s 已在本镇其他地址登记") % {"number": number})
        name = check_person_name(cells.text(row["name"], column="name"))
        kind = cells.choice(
            row.get("kind"), ResidentKind, column="kind", default=ResidentKind.REGISTERED, words=KIND_WORDS
        )
        id_number, birth_date, sex = _document(row.get("id_number"), kind, today=ctx.today)
        phone = cells.checked(check_phone, cells.text(row.get("phone"), column="phone"), column="phone")
        relation = _relation(row)
        groups = _tags(row.get("tags"), ctx=ctx, actor=actor)
        digest = blind_index(id_number) if id_number else ""
        existing = self._existing(ctx, household, number=number, name=name, digest=digest, id_number=id_number)
        if not existing and household is not None and relation == Relation.HEAD and current_heads(household).exists():
            raise RowInvalid("relation", _("户 %(household)s 已有户主") % {"household": household})
        return ResidentRow(
            place=place,
            number=number,
            household=household,
            name=name,
            id_number=id_number,
            id_digest=digest,
            birth_date=birth_date,
            sex=sex,
            phone=phone,
            kind=kind,
            relation=relation,
            groups=groups,
            existing=existing,
        )

    @staticmethod
    def _existing(
        ctx: ImportContext, household: Household | None, *, number: str, name: str, digest: str, id_number: str
    ) -> bool:
        """Whether the row's person is in the town already: in the row's household (imported before: True), or
        in another (refused — one person, one household)."""
        if not digest:
            return (
                household is not None
                and Resident.objects.filter(household=household, import_key=resident_key(number, name)).exists()
            )
        holder = Resident.objects.filter(town=ctx.town, id_digest=digest).first()
        if holder is None:
            return False
        if household is not None and holder.household_id == household.pk:
            return True
        raise RowInvalid("id_number", _taken(ctx, holder, id_number))

    def natural_key(self, parsed: ResidentRow) -> Hashable:
        return (parsed.number, parsed.name, parsed.id_digest)

    def exists(self, parsed: ResidentRow, *, ctx: ImportContext) -> bool:
        return parsed.existing

    def check_all(self, rows: list[ResidentRow], *, ctx: ImportContext) -> None:
        """One person in one household, one address (and place) per 户号 and per address, one head per household."""
        failures: list[tuple[int, RowInvalid | DomainError]] = []
        by_digest: dict[str, list[int]] = defaultdict(list)
        by_number: dict[str, list[int]] = defaultdict(list)
        by_address: dict[str, list[int]] = defaultdict(list)
        for index, row in enumerate(rows):
            if row.id_digest:
                by_digest[row.id_digest].append(index)
            by_number[row.number].append(index)
            by_address[row.place.address].append(index)
        for indexes in by_digest.values():
            if len(indexes) < 2:
                continue
            numbers = list(dict.fromkeys(rows[i].number for i in indexes))
            shown = as_private(rows[indexes[0]].id_number, item=Item.ID_NUMBER)
            if len(numbers) > 1:
                message = _("证件号码 %(v)s 在本表中登记在两户（户号 %(numbers)s），同一人只能在一户") % {
                    "v": shown,
                    "numbers": "、".join(numbers),
                }
            else:
                message = _("证件号码 %(v)s 在本表中重复出现") % {"v": shown}
            failures.extend((i, RowInvalid("id_number", message)) for i in indexes)
        for number, indexes in by_number.items():
            if len({rows[i].place.address for i in indexes}) > 1:
                message = _("户号 %(number)s 在本表中的地址不一致") % {"number": number}
                failures.extend((i, RowInvalid("address", message)) for i in indexes)
            heads = [i for i in indexes if rows[i].relation == Relation.HEAD]
            if len(heads) > 1:
                message = _("户号 %(number)s 在本表中有多个户主") % {"number": number}
                failures.extend((i, RowInvalid("relation", message)) for i in heads)
        for address, indexes in by_address.items():
            if len({(rows[i].place.village.pk, rows[i].place.grid) for i in indexes}) > 1:
                message = _("地址“%(address)s”在本表中的村(社区)或网格不一致") % {"address": address}
                failures.extend((i, RowInvalid("village", message)) for i in indexes)
        if failures:
            failures.sort(key=lambda failure: failure[0])
            raise FailedAt(list(failures))

    def _recheck(self, rows: list[ResidentRow], *, ctx: ImportContext) -> None:
        """After the database refused a row (another desk registered the same number, 户号 or address meanwhile):
        the rows checked again against what is committed now."""
        failures: list[tuple[int, RowInvalid | DomainError]] = []
        for index, row in enumerate(rows):
            holder = Resident.objects.filter(town=ctx.town, id_digest=row.id_digest).first() if row.id_digest else None
            if holder is not None:
                failures.append((index, RowInvalid("id_number", _taken(ctx, holder, row.id_number))))
            elif row.household is None and Household.objects.filter(town=ctx.town, number=row.number).exists():
                message = _("户号 %(number)s 已在本镇其他地址登记") % {"number": row.number}
                failures.append((index, RowInvalid("number", message)))
        if failures:
            raise FailedAt(list(failures))

    def apply_all(self, rows: list[ResidentRow], *, ctx: ImportContext) -> bool:
        self.check_all(rows, ctx=ctx)
        with checked_write(lambda: self._recheck(rows, ctx=ctx)):
            self._write(rows, ctx=ctx)
        return True

    @staticmethod
    def _write(rows: list[ResidentRow], *, ctx: ImportContext) -> None:
        now = ctx.now
        houses: dict[str, House] = {}
        for row in rows:
            place = row.place
            if place.house is not None:
                houses.setdefault(place.address, place.house)
            elif place.address not in houses:
                houses[place.address] = House(
                    town=ctx.town,
                    village=place.village,
                    grid=place.grid,
                    address=place.address,
                    import_key=house_key(place.address),
                    created_at=now,
                    updated_at=now,
                )
        House.objects.bulk_create([h for h in houses.values() if h.pk is None], batch_size=BATCH)
        households: dict[str, Household] = {}
        for row in rows:
            if row.household is not None:
                households.setdefault(row.number, row.household)
            elif row.number not in households:
                households[row.number] = Household(
                    town=ctx.town,
                    house=houses[row.place.address],
                    number=row.number,
                    import_key=row.number,
                    created_at=now,
                    updated_at=now,
                )
        Household.objects.bulk_create([h for h in households.values() if h.pk is None], batch_size=BATCH)
        residents = [
            Resident(
                town=ctx.town,
                household=households[row.number],
                **row.values(),
                import_key=row.import_key,
                created_at=now,
                updated_at=now,
            )
            for row in rows
        ]
        Resident.objects.bulk_create(residents, batch_size=BATCH)
        memberships = [
            GroupMembership(town=ctx.town, resident=resident, group=group, since=ctx.today)
            for row, resident in zip(rows, residents, strict=True)
            for group in row.groups
        ]
        GroupMembership.objects.bulk_create(memberships, batch_size=BATCH)


def _taken(ctx: ImportContext, holder: Resident, id_number: str) -> str:
    """The refusal of a number another household holds: said plainly to an importer who sees that household, and
    to anyone else as the register's rule with the way forward (logged: ``registered_elsewhere``)."""
    refusal = registered_elsewhere(actor=actor_of(ctx), holder=holder, number=id_number, via="import")
    return refusal or _("证件号码 %(v)s 已在本镇其他户登记，同一人不能在两户") % {
        "v": as_private(id_number, item=Item.ID_NUMBER)
    }
