"""隐患台账: hazards, open ones filed as ``record_hazard`` files them, finished ones (验收/销号, or rectified
awaiting acceptance) as historical cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.history import HistoricalCase
from gridgov.data.cases.domain.ledger_import import (
    LEDGER_CLOSED_AT,
    LedgerMilestones,
    PlannedRow,
    finished_case,
    ledger_milestones,
    ledger_moment,
    rectified_and_accepted,
)
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.categories import HAZARD_MAJOR
from gridgov.data.enterprises.domain.hazards import (
    HazardInput,
    check_hazard_input,
    hazard_case_fields,
    hazard_row,
    plan_hazard,
)
from gridgov.data.enterprises.enums import Book, Grade
from gridgov.data.enterprises.importers.common import (
    COMPANY_COLUMNS,
    EnterpriseBookImporter,
    registered_enterprise,
    source_key,
)
from gridgov.data.enterprises.models import Hazard
from gridgov.data.org.models import Area
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import Column, ImportContext, RowInvalid, refused_as_row, register
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import SheetRow

_GRADES = {"一般": Grade.GENERAL, "一般隐患": Grade.GENERAL, "重大": Grade.MAJOR, "重大隐患": Grade.MAJOR}


@dataclass(frozen=True)
class HazardRow:
    data: HazardInput
    source_key: str
    rectified_on: date | None = None  # 整改完成日期
    acceptor: str = ""  # 验收人
    accepted_on: date | None = None  # 验收日期 (= 销号)


class HazardImporter(EnterpriseBookImporter):
    detail_model = Hazard
    needs_operator = gettext_lazy("导入隐患台账需要指定操作人（受理员）")
    name = "hazards"
    title = gettext_lazy("隐患台账")
    notes = gettext_lazy(
        "企业须先在企业名录中登记；台账填“企业自查”“政府检查”或“第三方”；隐患等级填“一般”或“重大”（重大隐患自动督办）。"
    )
    columns = (
        *COMPANY_COLUMNS,
        Column("book", gettext_lazy("台账"), required=True, aliases=("检查类型", "来源"), example="企业自查"),
        Column("grade", gettext_lazy("隐患等级"), aliases=("等级",), example="一般"),
        Column(
            "category",
            gettext_lazy("隐患类别"),
            required=True,
            aliases=("类别",),
            example="电气安全",
            help=gettext_lazy("消防安全、电气安全、特种设备、危险化学品、有限空间、作业现场、其他"),
        ),
        Column("location", gettext_lazy("隐患部位"), required=True, aliases=("部位", "位置"), example="1号车间"),
        Column("description", gettext_lazy("隐患描述"), required=True, aliases=("隐患内容",), example="配电箱未接地"),
        Column("found_on", gettext_lazy("发现日期"), required=True, aliases=("检查日期",), example="2026-11-02"),
        Column("responsible", gettext_lazy("整改责任人"), aliases=("责任人",), example="张安全"),
        Column("deadline", gettext_lazy("整改期限"), aliases=("整改时限",), example="2026-11-30"),
        Column("measures", gettext_lazy("整改措施"), example="更换接地线"),
        Column("funds", gettext_lazy("整改资金（元）"), aliases=("整改资金", "投入资金"), example="1200"),
        Column(
            "rectified_on",
            gettext_lazy("整改完成日期"),
            aliases=("完成日期", "整改完成时间"),
            example="2026-11-20",
            help=gettext_lazy("已整改的填写；未验收的导入为待核查"),
        ),
        Column("acceptor", gettext_lazy("验收人"), example="李安监"),
        Column(
            "accepted_on",
            gettext_lazy("验收日期"),
            aliases=("销号日期", "验收销号日期"),
            example="2026-11-22",
            help=gettext_lazy("已验收销号的填写（须同时填验收人）；导入为已销号"),
        ),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> HazardRow:
        enterprise = registered_enterprise(row, ctx)
        book = cells.choice(row["book"], Book, column="book")
        grade_text = cells.text(row.get("grade"), column="grade") or "一般"
        grade = _GRADES.get(grade_text)
        if grade is None:
            raise RowInvalid("grade", _("“%(v)s”不是隐患等级（填“一般”或“重大”）") % {"v": grade_text})
        category_name = cells.required_text(row["category"], column="category")
        category = (
            Category.objects.filter(town=ctx.town, parent__code=HAZARD_MAJOR[0], active=True)
            .filter(name=category_name)
            .first()
        )
        if category is None:
            raise RowInvalid("category", _("没有“%(v)s”这个隐患类别") % {"v": category_name})
        found_on = cells.required_date(row["found_on"], column="found_on")
        deadline = cells.optional_date(row.get("deadline"), column="deadline")
        cells.dates_in_order(found_on, deadline, column="deadline", message=_("整改期限早于发现日期"))
        funds = cells.amount(row.get("funds"), column="funds")
        data = HazardInput(
            enterprise=enterprise,
            book=book,
            grade=grade,
            category=category,
            location=cells.required_text(row["location"], column="location", max_length=120),
            description=cells.required_text(row["description"], column="description", max_length=2000),
            found_on=found_on,
            responsible=cells.text(row.get("responsible"), column="responsible", max_length=64),
            deadline=deadline,
            measures=cells.text(row.get("measures"), column="measures", max_length=2000),
            funds=funds if funds is not None else Decimal(0),
        )
        with refused_as_row():
            check_hazard_input(data, today=ctx.today)
        rectified_on, accepted_on = rectified_and_accepted(row, opened_on=found_on, today=ctx.today)
        acceptor = cells.text(row.get("acceptor"), column="acceptor", max_length=64)
        if accepted_on is not None and not acceptor:
            raise RowInvalid("acceptor", _("已填验收日期，请填写验收人"))
        if acceptor and accepted_on is None:
            raise RowInvalid("accepted_on", _("已填验收人，请填写验收日期"))
        key = source_key(enterprise.credit_code, book, found_on.isoformat(), data.location, data.description)
        return HazardRow(
            data=data, source_key=key, rectified_on=rectified_on, acceptor=acceptor, accepted_on=accepted_on
        )

    def milestones(self, parsed: HazardRow, *, ctx: ImportContext) -> LedgerMilestones | None:
        return ledger_milestones(
            opened_on=parsed.data.found_on, resolved_on=parsed.rectified_on, closed_on=parsed.accepted_on, now=ctx.now
        )

    def finished_case(self, parsed: HazardRow, *, milestones: LedgerMilestones, town: Area) -> HistoricalCase:
        data = parsed.data
        deadline = ledger_moment(data.deadline, LEDGER_CLOSED_AT) if data.deadline is not None else None
        return finished_case(milestones, deadline=deadline, **hazard_case_fields(data))

    def finished_rows(self, parsed: HazardRow, *, town: Area, case: Case) -> list[Hazard]:
        data = parsed.data
        assert case.handle_deadline is not None  # dispatched
        deadline = data.deadline or timezone.localdate(case.handle_deadline)
        row = hazard_row(case=case, data=data, source_key=parsed.source_key, deadline=deadline)
        row.rectified_on = parsed.rectified_on or parsed.accepted_on
        row.acceptor, row.accepted_on = parsed.acceptor, parsed.accepted_on
        return [row]

    def plan(self, parsed: HazardRow, *, ctx: ImportContext, calendar: WorkCalendar) -> PlannedRow[Hazard]:
        """A hazard still open: filed as ``record_hazard`` files it, replayed in memory."""
        user = self.open_rows_actor(ctx)
        return plan_hazard(actor=user, data=parsed.data, source_key=parsed.source_key, now=ctx.now, calendar=calendar)


HAZARDS = register(HazardImporter())
