"""企业诉求台账: enterprise service requests, open ones raised as ``raise_request`` raises them, those with their
办结日期 as historical cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.history import HistoricalCase
from gridgov.data.cases.domain.ledger_import import (
    LEDGER_OPENED_AT,
    LedgerMilestones,
    PlannedRow,
    finished_case,
    ledger_milestones,
    ledger_moment,
)
from gridgov.data.cases.enums import Satisfaction
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.categories import service_category
from gridgov.data.enterprises.domain.services import plan_request, request_case_fields, request_row
from gridgov.data.enterprises.enums import RequestType
from gridgov.data.enterprises.importers.common import (
    COMPANY_COLUMNS,
    EnterpriseBookImporter,
    after_today,
    registered_enterprise,
    source_key,
)
from gridgov.data.enterprises.models import Meeting, ServiceRequest
from gridgov.data.org.models import Area, Enterprise
from gridgov.data.sheets import cells
from gridgov.data.sheets.cells import LaterDate
from gridgov.data.sheets.importer import Column, ImportContext, RowInvalid, register
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import SheetRow


@dataclass(frozen=True)
class ServiceRow:
    enterprise: Enterprise
    request_type: RequestType
    description: str
    raised_on: date
    meeting: Meeting | None
    source_key: str
    solved_on: date | None = None  # 办结日期
    financing: Decimal = Decimal(0)  # 协调融资（元）
    satisfaction: Satisfaction | None = None


class ServiceRequestImporter(EnterpriseBookImporter):
    detail_model = ServiceRequest
    needs_operator = gettext_lazy("导入企业诉求需要指定操作人（受理员）")
    name = "service-requests"
    title = gettext_lazy("企业诉求台账")
    notes = gettext_lazy("诉求类型：要素保障、融资、用工、审批、政策；提出会议须为已登记的乡镇长有约名称（可不填）。")
    columns = (
        *COMPANY_COLUMNS,
        Column("request_type", gettext_lazy("诉求类型"), required=True, aliases=("问题类型",), example="融资"),
        Column("description", gettext_lazy("诉求内容"), required=True, aliases=("问题描述",), example="流动资金贷款"),
        Column("raised_on", gettext_lazy("提出日期"), required=True, aliases=("日期",), example="2026-11-20"),
        Column("meeting", gettext_lazy("提出会议"), aliases=("会议",), example=""),
        Column(
            "solved_on",
            gettext_lazy("办结日期"),
            aliases=("解决日期", "办结时间"),
            example="2026-11-24",
            help=gettext_lazy("已办结的填写；导入为已办结"),
        ),
        Column("financing", gettext_lazy("协调融资（元）"), aliases=("协调融资", "融资金额"), example="0"),
        Column("satisfaction", gettext_lazy("企业满意度"), aliases=("满意度",), example="满意"),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> ServiceRow:
        enterprise = registered_enterprise(row, ctx)
        kind = cells.choice(row["request_type"], RequestType, column="request_type")
        raised_on = cells.required_date(row["raised_on"], column="raised_on")
        cells.not_after(raised_on, ctx.today, column="raised_on", message=_("提出日期晚于今天"))
        meeting = None
        if title := cells.text(row.get("meeting"), column="meeting"):
            meeting = Meeting.objects.filter(town=ctx.town, title=title).order_by("-held_on").first()
            if meeting is None:
                raise RowInvalid("meeting", _("没有名为“%(t)s”的乡镇长有约，请先登记会议") % {"t": title})
        description = cells.required_text(row["description"], column="description", max_length=2000)
        solved = LaterDate("solved_on", _("办结日期早于提出日期"), after_today(_("办结日期")))
        solved_on = cells.later_date(row, solved, opened_on=raised_on, today=ctx.today)
        financing = cells.amount(row.get("financing"), column="financing") or Decimal(0)
        satisfaction = cells.optional_choice(row.get("satisfaction"), Satisfaction, column="satisfaction")
        if solved_on is None and (financing or satisfaction is not None):
            raise RowInvalid("solved_on", _("填写了协调融资或满意度的诉求须有办结日期"))
        return ServiceRow(
            enterprise=enterprise,
            request_type=kind,
            description=description,
            raised_on=raised_on,
            meeting=meeting,
            source_key=source_key(enterprise.credit_code, kind, raised_on.isoformat(), description),
            solved_on=solved_on,
            financing=financing,
            satisfaction=satisfaction,
        )

    def milestones(self, parsed: ServiceRow, *, ctx: ImportContext) -> LedgerMilestones | None:
        return ledger_milestones(opened_on=parsed.raised_on, resolved_on=None, closed_on=parsed.solved_on, now=ctx.now)

    def finished_case(self, parsed: ServiceRow, *, milestones: LedgerMilestones, town: Area) -> HistoricalCase:
        category = service_category(town=town, request_type=parsed.request_type)
        if category is None:
            raise RowInvalid("request_type", _("本镇尚未配置“%(t)s”类企业诉求分类") % {"t": parsed.request_type.label})
        fields = request_case_fields(parsed.enterprise, parsed.request_type, category, parsed.description)
        return finished_case(milestones, satisfaction=parsed.satisfaction, **fields)

    def finished_rows(self, parsed: ServiceRow, *, town: Area, case: Case) -> list[ServiceRequest]:
        return [
            request_row(
                case=case,
                enterprise=parsed.enterprise,
                kind=parsed.request_type,
                meeting=parsed.meeting,
                source_key=parsed.source_key,
                financing_amount=parsed.financing,
            )
        ]

    def plan(self, parsed: ServiceRow, *, ctx: ImportContext, calendar: WorkCalendar) -> PlannedRow[ServiceRequest]:
        """A request still open: raised as ``raise_request`` raises it (in the morning of its day), in memory."""
        user = self.open_rows_actor(ctx)
        raised_at = ledger_moment(parsed.raised_on, LEDGER_OPENED_AT)
        return plan_request(
            actor=user,
            enterprise=parsed.enterprise,
            request_type=parsed.request_type,
            description=parsed.description,
            meeting=parsed.meeting,
            source_key=parsed.source_key,
            now=min(raised_at, ctx.now),
            calendar=calendar,
        )


SERVICE_REQUESTS = register(ServiceRequestImporter())
