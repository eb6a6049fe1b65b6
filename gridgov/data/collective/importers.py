"""Excel imports of the villages' collective economy: their incomes, and enterprises' help to them.

The incomes (村级集体经济收入台账): one row per village, year, month and kind — 村, 年度, 月份, 收入类型, 金额, 备注.

Every row is checked as the domain checks an entry (``clean_income``: the month not yet come, the amount as people
type it…), the village found by its name among the town's villages, and the importer must record for it
(``may_record_income``: village staff import their own village's rows only). A row repeating another of the file
(the same village, year, month and kind) is refused. The rows are written together — all or nothing. **A row for a
month and kind entered before corrects it** (its amount and note replaced, the correction's time and author kept),
as a second entry on the page does; a row saying what is stored already is skipped.

The 村企结对 and 共富工坊 records (企业助农台账): one row per record — 村, 助农类型, 结对单位 (an enterprise of the
town's register, found by its credit code or its exact name, else the partner's name as written), 帮扶金额, 人数,
日期, 备注 — each checked by ``clean_support``, the importer recording for the village as for incomes. A row the same
as a stored record (village, kind, partner, date and amount) is skipped; the same record twice in the file is
refused. All or nothing, one insert.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Protocol

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.ledger_import import TownLedgerImporter
from gridgov.data.cases.scope import memberships_of
from gridgov.data.collective.domain import IncomeInput, SupportInput, clean_income, clean_support, income_row
from gridgov.data.collective.enums import IncomeKind, SupportKind
from gridgov.data.collective.models import VillageIncome, VillageSupport
from gridgov.data.collective.scope import may_record_income
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import (
    Column,
    ImportContext,
    RowInvalid,
    choice_column,
    refused_as_row,
    register,
)
from gridgov.types import CellValue, SheetRow

# The kinds as the villages' statements write them, besides the labels (经营性收入…) and stored values.
KIND_WORDS = {
    "经营性": IncomeKind.OPERATING,
    "非经营性": IncomeKind.NON_OPERATING,
    "补助": IncomeKind.SUBSIDY,
    "补贴": IncomeKind.SUBSIDY,
    "补贴收入": IncomeKind.SUBSIDY,
}


@dataclass(frozen=True)
class IncomeRow:
    income: VillageIncome  # checked by ``clean_income``, unsaved
    existing: VillageIncome | None  # the month's entry of that kind recorded before, if any

    @property
    def key(self) -> tuple[int, int, int, str]:
        i = self.income
        return (i.village_id, i.year, i.month, str(i.kind))

    @property
    def stored(self) -> bool:
        """The month's entry says what the row says (one that differs is corrected)."""
        e = self.existing
        return e is not None and (e.amount, e.note) == (self.income.amount, self.income.note)


def recorded_village(value: CellValue, *, ctx: ImportContext, refused: str) -> Area:
    """The row's village (``cells.village_by_name``), for which the importer must record (``may_record_income``:
    village staff their own village); ``refused``, with ``%(village)s``, says otherwise."""
    village = cells.village_by_name(value, town=ctx.town)
    if ctx.user is None or not may_record_income(ctx.user, village):
        raise RowInvalid("village", refused % {"village": village.name})
    return village


class VillageRow(Protocol):
    """A checked row of a villages' ledger: what tells it from the file's other rows, and whether what it says is
    recorded already."""

    @property
    def key(self) -> Hashable: ...

    @property
    def stored(self) -> bool: ...


# The column every villages' ledger starts with: the village a row is for (``recorded_village``).
VILLAGE_COLUMN = Column(
    "village", gettext_lazy("村"), required=True, aliases=("村（社区）", "村名", "村/社区"), example="双合村"
)


class VillageLedgerImporter(TownLedgerImporter):
    """The import of a ledger the villages keep: by the town's importers and by village staff (each row then for a
    village the importer records for, ``recorded_village``); a row saying what is recorded already is skipped."""

    def allowed(self, user: User) -> bool:
        return super().allowed(user) or any(m.role == Role.VILLAGE_STAFF for m in memberships_of(user))

    def natural_key(self, parsed: VillageRow) -> Hashable:
        return parsed.key

    def exists(self, parsed: VillageRow, *, ctx: ImportContext) -> bool:
        return parsed.stored


class IncomeImporter(VillageLedgerImporter):
    name = "collective-incomes"
    title = gettext_lazy("村级集体经济收入台账")
    notes = gettext_lazy(
        "每行一个村一个月一种收入；收入类型为经营性、非经营性或补助收入。"
        "已登记的同村同月同类型收入按本表更正。金额可写120000、120,000或12万。"
    )
    columns = (
        VILLAGE_COLUMN,
        Column("year", gettext_lazy("年度"), required=True, aliases=("年份",), example="2026"),
        Column("month", gettext_lazy("月份"), required=True, aliases=("月",), example="3"),
        choice_column(
            "kind", gettext_lazy("收入类型"), IncomeKind, required=True, aliases=("类型",), example="经营性收入"
        ),
        Column("amount", gettext_lazy("金额"), required=True, aliases=("金额（元）", "收入金额"), example="120,000"),
        Column("note", gettext_lazy("备注")),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> IncomeRow:
        village = recorded_village(row["village"], ctx=ctx, refused=_("您无权导入%(village)s的集体经济收入"))
        data = IncomeInput(
            village=village,
            year=str(row["year"]),
            month=str(row["month"]),
            kind=cells.choice(row["kind"], IncomeKind, column="kind", words=KIND_WORDS),
            amount=str(row["amount"]),
            note=cells.text(row.get("note"), column="note", max_length=2000),
        )
        income = income_row(clean_income(data, now=ctx.now), created_at=ctx.now, created_by=ctx.user)
        existing = VillageIncome.objects.filter(
            village=village, year=income.year, month=income.month, kind=income.kind
        ).first()
        return IncomeRow(income, existing)

    def apply_all(self, rows: list[IncomeRow], *, ctx: ImportContext) -> bool:
        corrected = []
        for parsed in rows:
            if parsed.existing is not None:
                parsed.existing.amount = parsed.income.amount
                parsed.existing.note = parsed.income.note
                parsed.existing.updated_at = ctx.now
                parsed.existing.updated_by = ctx.user
                corrected.append(parsed.existing)
        with transaction.atomic():
            VillageIncome.objects.bulk_create([parsed.income for parsed in rows if parsed.existing is None])
            VillageIncome.objects.bulk_update(corrected, ["amount", "note", "updated_at", "updated_by"])
        return True


INCOMES = register(IncomeImporter())


# ---------------------------------------------------------------------------------------------------
# 企业助农: 村企结对 and 共富工坊

SUPPORT_KIND_WORDS = {"结对": SupportKind.PAIRING, "村企联建": SupportKind.PAIRING, "工坊": SupportKind.WORKSHOP}
#: A domain refusal's field → the sheet's column.
_SUPPORT_COLUMNS = {"village": "village", "kind": "kind", "enterprise": "partner", "partner": "partner",
                    "amount": "amount", "people": "people", "on": "on"}  # fmt: skip


@dataclass(frozen=True)
class SupportRow:
    support: VillageSupport  # checked by ``clean_support``, unsaved
    stored: bool  # the same record is recorded already

    @property
    def key(self) -> tuple[int, str, int | None, str, str]:
        s = self.support
        return (s.village_id, str(s.kind), s.enterprise_id, s.partner, s.on.isoformat())


def _partner(row: SheetRow, *, town: Area) -> tuple[Enterprise | None, str]:
    """The enterprise of the town's register the row names (by credit code, else by exact name), or the name."""
    name = cells.text(row.get("partner"), column="partner", max_length=200)
    code = cells.text(row.get("credit_code"), column="credit_code", max_length=32)
    if code:
        return cells.enterprise_by_code(code, town=town), ""
    return Enterprise.objects.filter(town=town, name=name).first(), name


class SupportImporter(VillageLedgerImporter):
    name = "collective-supports"
    title = gettext_lazy("村企结对和共富工坊台账")
    notes = gettext_lazy(
        "每行一项村企结对或共富工坊。结对单位为本镇企业名录中的企业时可填统一社会信用代码（或企业全称），"
        "其他单位填写名称。帮扶金额可写50000、5万或1.2万元；人数为带动就业或受益人数，可不填。"
        "与已登记记录相同（村、类型、结对单位、日期、金额均相同）的行视为已导入。"
    )
    columns = (
        VILLAGE_COLUMN,
        choice_column("kind", gettext_lazy("助农类型"), SupportKind, required=True, aliases=("类型",),
                      example="村企结对"),
        Column("partner", gettext_lazy("结对单位"), aliases=("企业", "企业名称", "结对企业", "工坊名称"),
               example="岱西船舶修造有限公司"),
        Column("credit_code", gettext_lazy("统一社会信用代码"), aliases=("信用代码",)),
        Column("amount", gettext_lazy("帮扶金额"), required=True, aliases=("帮扶金额（元）", "助农金额", "金额"),
               example="5万"),
        Column("people", gettext_lazy("带动就业或受益人数"), aliases=("人数", "受益人数", "带动就业人数")),
        Column("on", gettext_lazy("日期"), required=True, aliases=("结对日期", "签约日期"), example="2026-03-15"),
        Column("note", gettext_lazy("备注")),
    )  # fmt: skip

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> SupportRow:
        village = recorded_village(row["village"], ctx=ctx, refused=_("您无权导入%(village)s的企业助农记录"))
        enterprise, partner = _partner(row, town=ctx.town)
        data = SupportInput(
            village=village,
            kind=cells.choice(row["kind"], SupportKind, column="kind", words=SUPPORT_KIND_WORDS),
            on=cells.required_date(row["on"], column="on"),
            amount=cells.amount(row.get("amount"), column="amount", allow_empty=False),
            enterprise=enterprise,
            partner=partner,
            people=cells.text(row.get("people"), column="people", max_length=16),
            note=cells.text(row.get("note"), column="note", max_length=2000),
        )
        with refused_as_row(columns=_SUPPORT_COLUMNS):
            support = clean_support(data, now=ctx.now)
        support.created_by = ctx.user
        stored = VillageSupport.objects.filter(
            village=village,
            kind=support.kind,
            enterprise=support.enterprise,
            partner=support.partner,
            on=support.on,
            amount=support.amount,
        ).exists()
        return SupportRow(support, stored)

    def apply_all(self, rows: list[SupportRow], *, ctx: ImportContext) -> bool:
        with transaction.atomic():
            VillageSupport.objects.bulk_create([parsed.support for parsed in rows])
        return True


SUPPORTS = register(SupportImporter())
