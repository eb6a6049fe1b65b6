"""Excel import of the town's investment projects sheet (招商项目台账).

Each row is a lead with the day of each stage it has reached (线索日期 required; 洽谈、签约、落地、投产日期 in order,
none skipped) and, once signed, its signed amount as people type it (1.2亿, 3,500万, full-width digits). Every row is
checked as ``investment.domain.clean_lead`` checks a lead typed in the form — its refusal names the column — then all
rows are written together in one transaction: all or nothing. A row imported before (same project name and 线索日期
in the town) is skipped.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.errors import NotAllowed
from gridgov.data.investment.domain import CleanLead, LeadInput, clean_lead, history_rows, lead_row
from gridgov.data.investment.enums import Industry, Source, Stage
from gridgov.data.investment.models import Lead, StageChange
from gridgov.data.investment.scope import investment_towns, may_keep_investment
from gridgov.data.org.models import User
from gridgov.data.sheets import cells
from gridgov.data.sheets.framework import Column, ImportContext, Importer, register
from gridgov.types import SheetRow


@dataclass(frozen=True)
class LeadRow:
    clean: CleanLead


class LeadImporter(Importer):
    name = "investment-leads"
    title = gettext_lazy("招商项目台账")
    notes = gettext_lazy(
        "每行一个招商项目：线索日期必填，已洽谈、签约、落地或投产的依次填写各阶段日期；签约的须填写签约金额，"
        "可写1.2亿、3,500万或12000。同一项目名称和线索日期视为已导入。"
    )
    columns = (
        Column("name", gettext_lazy("项目名称"), required=True, aliases=("项目",), example="船用设备配套项目"),
        Column(
            "source",
            gettext_lazy("招商方式"),
            required=True,
            aliases=("来源",),
            example="一把手招商",
            help=gettext_lazy("一把手招商、乡贤招商、以商招商、其他"),
        ),
        Column(
            "industry",
            gettext_lazy("产业类别"),
            required=True,
            aliases=("产业",),
            example="石化配套",
            help=gettext_lazy("石化配套、船舶修造、水产加工、文旅、其他"),
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

    def allowed(self, user: User) -> bool:
        towns = investment_towns(user)
        return towns is None or bool(towns)

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> LeadRow:
        department = None
        if row.get("department"):
            department = cells.department_by_name(row["department"], town=ctx.town, column="department")
        village = None
        if row.get("village"):
            village = cells.village_by_name(row["village"], town=ctx.town, column="village", what=_("村"))
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
        if ctx.user is None or not may_keep_investment(ctx.user, ctx.town):
            raise NotAllowed(_("您无权登记%(town)s的招商引资信息") % {"town": ctx.town.name})
        with transaction.atomic():
            history: list[StageChange] = []
            for parsed in rows:
                lead = lead_row(parsed.clean, created_at=ctx.now, created_by=ctx.user)
                lead.save()
                history += history_rows(lead, parsed.clean.days, at=ctx.now, by=ctx.user)
            StageChange.objects.bulk_create(history)
        return True


LEADS = register(LeadImporter())
