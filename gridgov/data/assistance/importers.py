"""Excel import of the assistance registers: 困难群众台账 (payments to households) and 优待证发放台账 (veterans'
preferential cards).

A household is found by its 户号 or by the ID number of a person in it (户主身份证号: the register keeps ID
numbers encrypted and finds them by their keyed digest, ``privacy.blind_index``). Every row is checked as the
domain checks a payment or a card (``check_payment``, ``check_card``); the rows are then written together in
one transaction — all or nothing. A row imported before (same household, type, day and amount; the same
person's card) is skipped.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from gridgov.data.assistance.domain import PaymentInput, check_card, check_payment, resident_by_id
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.assistance.models import Payment, VeteranCard
from gridgov.data.cases.domain.ledger_import import TownLedgerImporter
from gridgov.data.idcard import normalise
from gridgov.data.org.disclosure import Item, as_private
from gridgov.data.org.models import Area
from gridgov.data.people.models import Household, Resident
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import Column, ImportContext, RowInvalid, choice_column, register, row_key
from gridgov.types import CellValue, SheetRow


def resident_by_id_number(value: CellValue, *, town: Area, column: str) -> Resident:
    """The register's resident of ``town`` with this ID number (``resident_by_id``), or the row is refused."""
    raw = normalise(cells.required_text(value, column=column, max_length=32))
    found = resident_by_id(town=town, id_number=raw)
    if found is None:
        raise RowInvalid(column, _("人员库中没有身份证号为%(v)s的人员") % {"v": as_private(raw, item=Item.ID_NUMBER)})
    return found


@dataclass(frozen=True)
class PaymentRow:
    payment: Payment  # checked by ``check_payment``, unsaved

    @property
    def key(self) -> str:
        p = self.payment
        return row_key(p.household_id, p.kind, p.paid_on, p.amount, separator=":", length=32)


class PaymentImporter(TownLedgerImporter):
    name = "assistance-payments"
    title = gettext_lazy("困难群众台账（救助帮扶发放）")
    notes = gettext_lazy(
        "按“户号”或“户主身份证号”查找人员库中的户；同一户同一天同类型同金额的发放视为已导入。金额可写1200、1,200或1.2万。"
    )
    columns = (
        Column("household", pgettext_lazy("assistance", "户号"), aliases=("户编号",), example="DX-0001"),
        Column(
            "head_id",
            gettext_lazy("户主身份证号"),
            aliases=("身份证号", "证件号码"),
            help=gettext_lazy("未填户号时填写"),
        ),
        choice_column(
            "kind", gettext_lazy("类型"), PaymentKind, required=True, aliases=("救助类型", "发放类型"), example="低保"
        ),
        Column("amount", gettext_lazy("金额"), required=True, aliases=("金额（元）", "发放金额"), example="1,200"),
        Column("paid_on", gettext_lazy("发放日期"), required=True, aliases=("发放时间",), example="2026-11-02"),
        Column("source", gettext_lazy("资金来源"), example="县级财政"),
        Column("department", gettext_lazy("发放部门"), aliases=("发放单位",), example="社会事务办"),
        Column("note", gettext_lazy("备注")),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> PaymentRow:
        household = self._household(row, town=ctx.town)
        department = cells.optional_department(row.get("department"), town=ctx.town, column="department")
        data = PaymentInput(
            household=household,
            kind=cells.choice(row["kind"], PaymentKind, column="kind"),
            amount=row["amount"],
            paid_on=cells.required_date(row["paid_on"], column="paid_on"),
            source=cells.text(row.get("source"), column="source", max_length=64),
            department=department,
            note=cells.text(row.get("note"), column="note", max_length=2000),
        )
        payment = check_payment(town=ctx.town, data=data, today=ctx.today, actor=ctx.user)
        parsed = PaymentRow(payment)
        payment.import_key = parsed.key
        return parsed

    @staticmethod
    def _household(row: SheetRow, *, town: Area) -> Household:
        number = cells.text(row.get("household"), column="household", max_length=32)
        by_number = None
        if number:
            by_number = Household.objects.filter(town=town, number=number).first()
            if by_number is None:
                raise RowInvalid("household", _("人员库中没有户号为“%(v)s”的户") % {"v": number})
        if row.get("head_id") in (None, ""):
            if by_number is None:
                raise RowInvalid("household", _("请填写户号或户主身份证号"))
            return by_number
        head = resident_by_id_number(row["head_id"], town=town, column="head_id")
        if by_number is not None and head.household_id != by_number.pk:
            raise RowInvalid("head_id", _("该身份证号的人员不在户号“%(v)s”的户中") % {"v": number})
        return head.household

    def natural_key(self, parsed: PaymentRow) -> Hashable:
        return parsed.key

    def exists(self, parsed: PaymentRow, *, ctx: ImportContext) -> bool:
        return Payment.objects.filter(town=ctx.town, import_key=parsed.key).exists()

    def apply_all(self, rows: list[PaymentRow], *, ctx: ImportContext) -> bool:
        with transaction.atomic():
            for parsed in rows:
                parsed.payment.created_at = ctx.now
            Payment.objects.bulk_create([parsed.payment for parsed in rows])
        return True


@dataclass(frozen=True)
class CardRow:
    card: VeteranCard  # checked by ``check_card``, unsaved
    existing: VeteranCard | None  # the person's card recorded before, if any

    @property
    def issues_existing(self) -> bool:
        """Whether the row issues a card that was only applied for so far."""
        return self.existing is not None and self.existing.issued_on is None and self.card.issued_on is not None


class VeteranCardImporter(TownLedgerImporter):
    name = "veteran-cards"
    title = gettext_lazy("退役军人优待证发放台账")
    notes = gettext_lazy(
        "按“身份证号”查找人员库中的退役军人；每人一张优待证，已登记的不重复导入，已申请未发放的按本表登记发放。"
    )
    columns = (
        Column("id_number", gettext_lazy("身份证号"), required=True, aliases=("证件号码",)),
        Column("applied_on", gettext_lazy("申请日期"), required=True, aliases=("申领日期",), example="2026-03-02"),
        Column("issued_on", pgettext_lazy("card", "发放日期"), aliases=("发证日期",), example="2026-04-10"),
        Column("number", gettext_lazy("证号"), aliases=("优待证号",), example="YDZ330921000123"),
        Column("department", gettext_lazy("经办部门"), aliases=("经办单位",), example="退役军人服务站"),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> CardRow:
        resident = resident_by_id_number(row["id_number"], town=ctx.town, column="id_number")
        department = cells.optional_department(row.get("department"), town=ctx.town, column="department")
        card = check_card(
            town=ctx.town,
            resident=resident,
            applied_on=cells.required_date(row["applied_on"], column="applied_on"),
            issued_on=cells.optional_date(row.get("issued_on"), column="issued_on"),
            number=cells.text(row.get("number"), column="number", max_length=32),
            department=department,
            today=ctx.today,
        )
        card.import_key = str(resident.pk)
        existing = VeteranCard.objects.filter(resident=resident).first()
        parsed = CardRow(card, existing)
        earlier = parsed.existing.applied_on if parsed.existing is not None else None
        if parsed.issues_existing and card.issued_on is not None and earlier is not None and card.issued_on < earlier:
            day = earlier
            raise RowInvalid(
                "issued_on",
                _("发放日期早于已登记的申请日期（%(d)s）") % {"d": f"{day.year}年{day.month}月{day.day}日"},
            )
        return parsed

    def natural_key(self, parsed: CardRow) -> Hashable:
        return parsed.card.resident_id

    def exists(self, parsed: CardRow, *, ctx: ImportContext) -> bool:
        """A card recorded before counts as imported, unless this row issues a card only applied for then."""
        return parsed.existing is not None and not parsed.issues_existing

    def apply_all(self, rows: list[CardRow], *, ctx: ImportContext) -> bool:
        issued = []
        for parsed in rows:
            if parsed.existing is not None and parsed.issues_existing:
                parsed.existing.issued_on = parsed.card.issued_on
                parsed.existing.number = parsed.card.number or parsed.existing.number
                issued.append(parsed.existing)
            parsed.card.created_at = ctx.now
        with transaction.atomic():
            VeteranCard.objects.bulk_create([parsed.card for parsed in rows if parsed.existing is None])
            VeteranCard.objects.bulk_update(issued, ["issued_on", "number"])
        return True


PAYMENTS = register(PaymentImporter())
VETERAN_CARDS = register(VeteranCardImporter())
