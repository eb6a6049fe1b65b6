"""Excel import of petitions and disputes (信访/矛盾纠纷台账).

A case still open is registered as ``register_dispute`` registers it (dispatched to the handling unit;
``plan_dispute`` replays that in memory). A row with its 化解日期 (办结日期) is imported as a historical case
closed that day (milestones as 历史导入 actions on the audit chain), with its 调处方式/调处结果; a backlog case
(积案) so closed counts as cleared that day. So 化解率 and 积案化解 of past years are right. Both go through
the bulk path at once (``ledger_import.LedgerImporter``).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.history import HistoricalCase
from gridgov.data.cases.domain.ledger_import import LedgerImporter, LedgerMilestones, finished_case, ledger_milestones
from gridgov.data.cases.models import Case
from gridgov.data.disputes.domain import (
    PartyInput,
    PlannedDispute,
    check_party_number,
    check_phone,
    dispute_case_fields,
    dispute_category,
    dispute_rows,
    install_dispute_categories,
    kind_of_name,
    party_kind_named,
    plan_dispute,
)
from gridgov.data.disputes.enums import DisputeType, Level, Method, Outcome
from gridgov.data.disputes.models import Dispute, DisputeParty
from gridgov.data.org.models import Area, Department
from gridgov.data.sheets import cells
from gridgov.data.sheets.cells import LaterDate
from gridgov.data.sheets.importer import Column, ImportContext, RowInvalid, choice_column, register
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import SheetRow


@dataclass(frozen=True)
class DisputeRow:
    number: str
    type: DisputeType
    received_on: date
    party: PartyInput
    description: str
    level: Level
    amount: Decimal
    backlog: bool
    department: Department
    village: Area | None
    resolved_on: date | None = None  # 化解日期
    method: Method | None = None
    outcome: Outcome | None = None


class DisputeImporter(LedgerImporter):
    detail_model = Dispute
    needs_operator = gettext_lazy("导入信访与纠纷需要指定操作人（受理员）")
    name = "disputes"
    title = gettext_lazy("信访与矛盾纠纷")
    notes = gettext_lazy("当事人信息加密保存，页面上脱敏显示。“受理编号”用于识别重复导入。")
    columns = (
        Column("number", gettext_lazy("受理编号"), required=True, aliases=("编号", "登记号"), example="XF2026-001"),
        choice_column("type", gettext_lazy("类型"), DisputeType, required=True, example="劳资纠纷"),
        Column("received_on", gettext_lazy("受理日期"), required=True, aliases=("登记日期",), example="2026-11-02"),
        Column("party", gettext_lazy("当事人"), required=True, aliases=("信访人", "申请人"), example="张三"),
        Column(
            "party_kind",
            gettext_lazy("当事人类型"),
            aliases=("当事人性质",),
            example="个人",
            help=gettext_lazy(
                "个人或单位（企业、公司、组织也按单位）；不填时按名称判断（以有限公司、合作社、村委会等结尾的为单位，拿不准的按个人）"
            ),
        ),
        Column("phone", gettext_lazy("联系电话"), aliases=("电话",), example="13800138000"),
        Column(
            "id_number",
            gettext_lazy("证件号码"),
            aliases=("身份证号", "统一社会信用代码", "身份证号/统一社会信用代码"),
            help=gettext_lazy("个人填写身份证号，单位填写18位统一社会信用代码"),
        ),
        Column(
            "description",
            gettext_lazy("事由"),
            required=True,
            aliases=("纠纷情况", "反映问题"),
            example="某船厂拖欠工资三个月",
        ),
        choice_column("level", gettext_lazy("层级"), Level, example="镇级"),
        Column("amount", gettext_lazy("涉及金额（元）"), aliases=("涉及金额", "金额"), example="120000"),
        Column("backlog", gettext_lazy("是否积案"), aliases=("积案",), example="否"),
        Column("department", gettext_lazy("承办单位"), required=True, example="劳动保障所"),
        Column("village", gettext_lazy("所在村"), aliases=("村（社区）",), example="双合村"),
        Column(
            "resolved_on",
            gettext_lazy("化解日期"),
            aliases=("办结日期", "化解时间", "调处日期"),
            example="",
            help=gettext_lazy("已化解（办结）的填写；导入为已办结，积案同时记为已化解"),
        ),
        choice_column("method", gettext_lazy("调处方式"), Method, example=""),
        choice_column("outcome", gettext_lazy("调处结果"), Outcome, example=""),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> DisputeRow:
        received_on = cells.required_date(row["received_on"], column="received_on")
        cells.not_after(received_on, ctx.today, column="received_on", message=_("受理日期晚于今天"))
        phone = cells.checked(check_phone, cells.text(row.get("phone"), column="phone"), column="phone")
        name = cells.required_text(row["party"], column="party", max_length=64)
        given_kind = cells.text(row.get("party_kind"), column="party_kind")
        kind = cells.checked(party_kind_named, given_kind, column="party_kind") or kind_of_name(name)
        id_number = cells.text(row.get("id_number"), column="id_number")
        id_number = cells.checked(lambda v: check_party_number(v, kind=kind), id_number, column="id_number")
        village = cells.optional_village(row.get("village"), town=ctx.town)
        resolved = LaterDate("resolved_on", _("化解日期早于受理日期"), _("化解日期晚于今天"))
        resolved_on = cells.later_date(row, resolved, opened_on=received_on, today=ctx.today)
        method = cells.optional_choice(row.get("method"), Method, column="method")
        outcome = cells.optional_choice(row.get("outcome"), Outcome, column="outcome")
        if resolved_on is None and (method is not None or outcome is not None):
            raise RowInvalid("resolved_on", _("填写了调处方式或结果的，请填写化解日期"))
        return DisputeRow(
            number=cells.required_text(row["number"], column="number", max_length=64),
            type=cells.choice(row["type"], DisputeType, column="type"),
            received_on=received_on,
            party=PartyInput(name=name, phone=phone, id_number=id_number, kind=kind),
            description=cells.required_text(row["description"], column="description", max_length=2000),
            level=cells.choice(row.get("level"), Level, column="level", default=Level.TOWN),
            amount=cells.amount(row.get("amount"), column="amount") or Decimal(0),
            backlog=cells.yes_no(row.get("backlog"), column="backlog"),
            department=cells.department_by_name(row["department"], town=ctx.town, column="department"),
            village=village,
            resolved_on=resolved_on,
            method=method,
            outcome=outcome,
        )

    def natural_key(self, parsed: DisputeRow) -> Hashable:
        return parsed.number

    def milestones(self, parsed: DisputeRow, *, ctx: ImportContext) -> LedgerMilestones | None:
        return ledger_milestones(
            opened_on=parsed.received_on, resolved_on=None, closed_on=parsed.resolved_on, now=ctx.now
        )

    def finished_case(self, parsed: DisputeRow, *, milestones: LedgerMilestones, town: Area) -> HistoricalCase:
        category = dispute_category(install_dispute_categories(town=town), parsed.type, backlog=parsed.backlog)
        fields = dispute_case_fields(
            dtype=parsed.type, category=category, description=parsed.description, area=parsed.village or town
        )
        return finished_case(milestones, department=parsed.department, **fields)

    def finished_rows(self, parsed: DisputeRow, *, town: Area, case: Case) -> list[Dispute | DisputeParty]:
        dispute, parties = dispute_rows(
            parsed,
            town=town,
            case=case,
            parties=[parsed.party],
            import_key=parsed.number,
            backlog_cleared_at=case.closed_at if parsed.backlog else None,
            method=parsed.method or "",
            outcome=parsed.outcome or "",
        )
        return [dispute, *parties]

    def plan(self, parsed: DisputeRow, *, ctx: ImportContext, calendar: WorkCalendar) -> PlannedDispute:
        """A dispute still open: registered as ``register_dispute`` registers it (dispatched), in memory."""
        user = self.open_rows_actor(ctx)
        return plan_dispute(
            town=ctx.town,
            actor=user,
            type=parsed.type,
            description=parsed.description,
            parties=[parsed.party],
            level=parsed.level,
            amount=parsed.amount,
            backlog=parsed.backlog,
            received_on=parsed.received_on,
            department=parsed.department,
            area=parsed.village,
            now=ctx.now,
            calendar=calendar,
            import_key=parsed.number,
        )


DISPUTES = register(DisputeImporter())
