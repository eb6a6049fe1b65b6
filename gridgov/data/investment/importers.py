"""Excel imports of investment attraction: the town's projects sheet (招商项目台账) and the funds arrived by month
(到位资金台账).

Projects: each row is a lead with the day of each stage it has reached (线索日期 required; 洽谈、签约、落地、投产日期 in
order, none skipped) and, once signed, its signed amount as people type it (1.2亿, 3,500万, full-width digits). Every
row is checked as ``investment.domain.clean_lead`` checks a lead typed in the form — its refusal names the column —
then all rows are written together in one transaction: all or nothing. A row imported before (same project name and
线索日期 in the town) is skipped.

Funds arrived: each row is one lead's month — the lead by its number (项目编号, shown on its page) or its exact name
when it is the town's only lead of that name; the month as people write it (2022-03, 2022年3月, 2022/3); the amount
through ``cells.amount``. Every row passes ``investment.domain.clean_arrival`` (the lead signed, the month neither to
come nor before the signing, the amount above 0), as the lead page's form does. A lead's month may appear once in the
file. **The import never corrects a month**: a month entered before with the same amount is skipped (the same file
imported twice writes nothing twice), with another amount the row is refused — a correction is made on the lead's
page, where the earlier entry and its author are kept beside it. All rows are written together, or none.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.errors import Conflict, NotAllowed
from gridgov.data.investment.domain import (
    ArrivalInput,
    CleanLead,
    LeadInput,
    arrival_row,
    clean_arrival,
    clean_lead,
    history_rows,
    lead_row,
)
from gridgov.data.investment.enums import Industry, Source, Stage
from gridgov.data.investment.models import FundArrival, Lead, StageChange
from gridgov.data.investment.scope import may_keep_investment, may_see_investment
from gridgov.data.org.models import Area, User
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import (
    Column,
    ImportContext,
    Importer,
    RowInvalid,
    choice_column,
    refused_as_row,
    register,
)
from gridgov.types import CellValue, SheetRow


class InvestmentImporter(Importer):
    """An import into the investment ledger: offered to whoever sees it (``may_see_investment``), written by the
    user keeping the town's ledger (``keeper``)."""

    def allowed(self, user: User) -> bool:
        return may_see_investment(user)

    def keeper(self, ctx: ImportContext) -> User:
        """Who writes the import's rows: the user keeping the town's investment ledger, or the whole file is
        refused."""
        if ctx.user is None or not may_keep_investment(ctx.user, ctx.town):
            raise NotAllowed(_("您无权登记%(town)s的招商引资信息") % {"town": ctx.town.name})
        return ctx.user


@dataclass(frozen=True)
class LeadRow:
    clean: CleanLead


class LeadImporter(InvestmentImporter):
    name = "investment-leads"
    title = gettext_lazy("招商项目台账")
    notes = gettext_lazy(
        "每行一个招商项目：线索日期必填，已洽谈、签约、落地或投产的依次填写各阶段日期；签约的须填写签约金额，"
        "可写1.2亿、3,500万或12000。同一项目名称和线索日期视为已导入。"
    )
    columns = (
        Column("name", gettext_lazy("项目名称"), required=True, aliases=("项目",), example="船用设备配套项目"),
        choice_column(
            "source", gettext_lazy("招商方式"), Source, required=True, aliases=("来源",), example="一把手招商"
        ),
        choice_column(
            "industry", gettext_lazy("产业类别"), Industry, required=True, aliases=("产业",), example="石化配套"
        ),
        Column("lead_on", gettext_lazy("线索日期"), required=True, example="2026-03-02"),
        Column("talks_on", gettext_lazy("洽谈日期")),
        Column("signed_on", gettext_lazy("签约日期")),
        Column("signed_amount", gettext_lazy("签约金额"), aliases=("签约金额（元）",), example="1.2亿"),
        Column("landed_on", gettext_lazy("落地日期")),
        Column("producing_on", gettext_lazy("投产日期")),
        Column("major_industrial", gettext_lazy("重大产业项目"), example="是"),
        Column("enclave_place", gettext_lazy("飞地所在地"), help=gettext_lazy("飞地项目填写")),
        Column("department", gettext_lazy("责任部门"), example="经济发展办"),
        Column("person", gettext_lazy("责任人")),
        Column("village", gettext_lazy("所在村")),
        Column("note", gettext_lazy("备注")),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> LeadRow:
        department = cells.optional_department(row.get("department"), town=ctx.town, column="department")
        village = cells.optional_village(row.get("village"), town=ctx.town)
        place = cells.text(row.get("enclave_place"), column="enclave_place")
        data = LeadInput(
            town=ctx.town,
            name=cells.text(row.get("name"), column="name"),
            source=cells.choice(row["source"], Source, column="source"),
            industry=cells.choice(row["industry"], Industry, column="industry"),
            lead_on=cells.optional_date(row.get("lead_on"), column="lead_on"),
            talks_on=cells.optional_date(row.get("talks_on"), column="talks_on"),
            signed_on=cells.optional_date(row.get("signed_on"), column="signed_on"),
            landed_on=cells.optional_date(row.get("landed_on"), column="landed_on"),
            producing_on=cells.optional_date(row.get("producing_on"), column="producing_on"),
            signed_amount=cells.text(row.get("signed_amount"), column="signed_amount"),
            major_industrial=cells.yes_no(row.get("major_industrial"), column="major_industrial"),
            enclave=bool(place),
            enclave_place=place,
            department=department,
            person=cells.text(row.get("person"), column="person"),
            village=village,
            note=cells.text(row.get("note"), column="note", max_length=2000),
        )
        return LeadRow(clean_lead(data, today=ctx.today))

    def natural_key(self, parsed: LeadRow) -> Hashable:
        return (parsed.clean.name, parsed.clean.days[Stage.LEAD])

    def exists(self, parsed: LeadRow, *, ctx: ImportContext) -> bool:
        name, lead_on = parsed.clean.name, parsed.clean.days[Stage.LEAD]
        return Lead.objects.filter(town=ctx.town, name=name, lead_on=lead_on).exists()

    def apply_all(self, rows: list[LeadRow], *, ctx: ImportContext) -> bool:
        keeper = self.keeper(ctx)
        # Built before the transaction; each stage change takes its lead's id when the leads are written.
        leads = [lead_row(parsed.clean, created_at=ctx.now, created_by=keeper) for parsed in rows]
        history = [
            change
            for lead, parsed in zip(leads, rows, strict=True)
            for change in history_rows(lead, parsed.clean.days, at=ctx.now, by=keeper)
        ]
        with transaction.atomic():  # one insert for the leads, one for their stages
            Lead.objects.bulk_create(leads)
            StageChange.objects.bulk_create(history)
        return True


LEADS = register(LeadImporter())


# ---------------------------------------------------------------------------------------------------
# 到位资金 by month (funds arrived), for leads already in the ledger


@dataclass(frozen=True)
class ArrivalRow:
    lead: Lead
    year: int
    month: int
    amount: Decimal
    note: str
    existing: FundArrival | None  # the lead's month entered before, if any (the same amount: skipped)


_MONTH_PATTERNS = (
    re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月份|月)?"),  # 2022-03, 2022/3, 2022.3, 2022年3月
    re.compile(r"(\d{4})(\d{2})"),  # 202203
)


def _month(value: CellValue, *, column: str) -> tuple[int, int]:
    """(year, month) as people write a month: 2022-03, 2022年3月, 2022/3, 202203, full-width digits, or a date cell
    (Excel turns a typed 2022-03 into the month's first day). Whether the month is 1–12, not yet come or before the
    signing is ``clean_arrival``'s check."""
    if isinstance(value, datetime | date):
        return value.year, value.month
    if isinstance(value, float):  # 2022.1 typed as a number: January or October?
        raise RowInvalid(column, _("“%(v)s”分不清月份，请写成2022年10月或2022-10") % {"v": value})
    raw = unicodedata.normalize("NFKC", str(value)).strip()
    for pattern in _MONTH_PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            return int(match[1]), int(match[2])
    day = None
    with contextlib.suppress(RowInvalid):
        day = cells.optional_date(raw, column=column)
    if day is None:
        raise RowInvalid(column, _("“%(v)s”不是月份，请写成2022-03、2022年3月或2022/3") % {"v": raw})
    return day.year, day.month


def _lead_of(value: CellValue, *, town: Area, column: str) -> Lead:
    """The town's lead named in the cell: by its number (项目编号, shown on its page), else by its exact name when
    only one lead of the town bears it."""
    raw = unicodedata.normalize("NFKC", cells.required_text(value, column=column)).strip()
    if re.fullmatch(r"\d{1,12}", raw):
        found = Lead.objects.filter(town=town, pk=int(raw)).first()
        if found is None:
            raise RowInvalid(column, _("找不到编号为%(n)s的招商项目") % {"n": raw})
        return found
    named = list(Lead.objects.filter(town=town, name=raw)[:2])
    if not named:
        raise RowInvalid(column, _("找不到名为“%(name)s”的招商项目") % {"name": raw})
    if len(named) > 1:
        raise RowInvalid(column, _("名为“%(name)s”的招商项目不止一个，请改填项目编号（见项目页面）") % {"name": raw})
    return named[0]


#: A domain refusal's field → the sheet's column.
_ARRIVAL_COLUMNS = {"lead": "lead", "year": "month", "month": "month", "amount": "amount"}


class ArrivalImporter(InvestmentImporter):
    name = "investment-arrivals"
    title = gettext_lazy("到位资金台账")
    notes = gettext_lazy(
        "每行一个项目一个月的到位资金。项目：填写项目编号（项目页面所示）或项目全称（本镇只有一个项目用此名称时）；"
        "项目须已签约。月份可写2022-03、2022年3月或2022/3，不能是未来的月份或签约之前的月份。到位资金可写1.2亿、3,500万"
        "或12000。同一项目同一月份只能有一行；该月已登记过的：金额相同视为已导入，金额不同则拒绝（导入不更正，"
        "请在项目页面更正）。"
    )
    columns = (
        Column(
            "lead",
            gettext_lazy("项目"),
            required=True,
            aliases=("项目编号", "项目名称", "项目编号或名称"),
            example="船用设备配套项目",
            help=gettext_lazy("项目编号或项目全称"),
        ),
        Column("month", gettext_lazy("月份"), required=True, aliases=("到位月份", "年月"), example="2026-03"),
        Column(
            "amount",
            gettext_lazy("到位资金"),
            required=True,
            aliases=("到位资金（元）", "金额", "金额（元）"),
            example="3,500万",
        ),
        Column("note", gettext_lazy("备注")),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> ArrivalRow:
        lead = _lead_of(row.get("lead"), town=ctx.town, column="lead")
        year, month = _month(row["month"], column="month")
        amount = cells.amount(row.get("amount"), column="amount", allow_empty=False)
        note = cells.text(row.get("note"), column="note", max_length=2000)
        data = ArrivalInput(lead=lead, year=year, month=month, amount=amount, note=note)
        with refused_as_row(columns=_ARRIVAL_COLUMNS):
            year, month, amount = clean_arrival(data, today=ctx.today)
        existing = FundArrival.objects.filter(lead=lead, year=year, month=month).first()
        if existing is not None and existing.amount != amount:
            raise RowInvalid(
                "month",
                _(
                    "项目“%(name)s”%(year)s年%(month)s月的到位资金已登记为%(amount)s元，导入不更正已登记的月份，请在项目页面更正"
                )
                % {"name": lead.name, "year": year, "month": month, "amount": f"{existing.amount:,.2f}"},
            )
        return ArrivalRow(lead, year, month, amount, note.strip(), existing)

    def natural_key(self, parsed: ArrivalRow) -> Hashable:
        return (parsed.lead.pk, parsed.year, parsed.month)

    def exists(self, parsed: ArrivalRow, *, ctx: ImportContext) -> bool:
        return parsed.existing is not None

    def apply_all(self, rows: list[ArrivalRow], *, ctx: ImportContext) -> bool:
        keeper = self.keeper(ctx)
        arrivals = [
            arrival_row(
                r.lead,
                year=r.year,
                month=r.month,
                amount=r.amount,
                note=r.note,
                created_at=ctx.now,
                created_by=keeper,
            )
            for r in rows
        ]
        try:
            with transaction.atomic():
                FundArrival.objects.bulk_create(arrivals)
        except IntegrityError:  # a month entered on a lead's page while the file was being imported
            raise Conflict(_("导入期间有项目的到位资金被登记，请重新检查后再导入")) from None
        return True


ARRIVALS = register(ArrivalImporter())
