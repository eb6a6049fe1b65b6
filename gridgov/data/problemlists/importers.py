"""Excel import of problem-list items (问题清单台账).

An item still open is added as ``add_item`` adds it (registered and dispatched to the responsible unit;
``plan_item`` replays that in memory). An item the ledger shows as 销号 (销号日期), or rectified awaiting 销号
(整改完成日期 only), is imported as a historical case (its milestones from the row's dates as 历史导入
actions on the audit chain), so the completion rate of past years is right. Both go through the bulk path
at once (``ledger_import.LedgerImporter``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.history import HistoricalCase
from gridgov.data.cases.domain.ledger_import import (
    LEDGER_CLOSED_AT,
    LedgerImporter,
    LedgerMilestones,
    PlannedRow,
    finished_case,
    ledger_milestones,
    ledger_moment,
    rectified_and_closed,
)
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area
from gridgov.data.problemlists.domain import (
    ItemInput,
    install_problem_list_categories,
    item_case_fields,
    item_row,
    plan_item,
)
from gridgov.data.problemlists.enums import Source
from gridgov.data.problemlists.models import ProblemItem, ProblemList
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import Column, ImportContext, RowInvalid, choice_column, register, row_key
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import SheetRow


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemRow(ItemInput):
    """A sheet's row: the item as ``add_item`` takes it, with its number in the sheet and, when it is finished,
    its rectification and closing days."""

    source: Source
    found_on: date
    number: str
    completed_on: date | None = None  # 整改完成日期
    closed_on: date | None = None  # 销号日期

    @property
    def import_key(self) -> str:
        ident = self.number or row_key(self.description, length=32)
        return f"{self.problem_list.pk}:{ident}"[:64]


class ProblemItemImporter(LedgerImporter):
    detail_model = ProblemItem
    needs_operator = gettext_lazy("导入问题清单需要指定操作人（受理员）")
    name = "problem-items"
    title = gettext_lazy("问题清单")
    notes = gettext_lazy("清单名称须为系统中已建立的清单（如七张问题清单）；同一清单内“问题编号”不可重复。")
    columns = (
        Column("list", gettext_lazy("清单名称"), required=True, aliases=("所属清单",), example="基层治理问题清单"),
        Column("number", gettext_lazy("问题编号"), aliases=("序号", "编号"), example="JC-2026-001"),
        Column(
            "description",
            gettext_lazy("问题描述"),
            required=True,
            aliases=("问题", "问题内容"),
            example="村级工程审批资料不全",
        ),
        choice_column("source", gettext_lazy("问题来源"), Source, required=True, aliases=("来源",), example="上级交办"),
        Column("department", gettext_lazy("责任单位"), required=True, example="村镇建设办"),
        Column("person", gettext_lazy("责任人"), required=True, example="钱建设"),
        Column("plan", gettext_lazy("整改措施"), required=True, aliases=("整改方案",), example="补齐资料并建立台账"),
        Column("found_on", gettext_lazy("发现日期"), required=True, aliases=("交办日期",), example="2026-11-02"),
        Column("deadline", gettext_lazy("整改时限"), required=True, aliases=("完成时限",), example="2026-12-31"),
        Column(
            "completed_on",
            gettext_lazy("整改完成日期"),
            aliases=("完成日期", "完成时间"),
            example="",
            help=gettext_lazy("已整改的填写；未销号的导入为待核查"),
        ),
        Column(
            "closed_on",
            gettext_lazy("销号日期"),
            aliases=("销号时间",),
            example="",
            help=gettext_lazy("已销号的填写；导入为已销号"),
        ),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> ItemRow:
        name = cells.required_text(row["list"], column="list")
        problem_list = ProblemList.objects.filter(town=ctx.town, name=name).first()
        if problem_list is None:
            raise RowInvalid("list", _("清单“%(v)s”不存在，请先在问题清单页面建立") % {"v": name})
        found_on = cells.required_date(row["found_on"], column="found_on")
        deadline = cells.required_date(row["deadline"], column="deadline")
        cells.dates_in_order(found_on, deadline, column="deadline", message=_("整改时限早于发现日期"))
        cells.not_after(found_on, ctx.today, column="found_on", message=_("发现日期晚于今天"))
        completed_on, closed_on = rectified_and_closed(
            row,
            opened_on=found_on,
            today=ctx.today,
            rectified="completed_on",
            before_rectified=_("整改完成日期早于发现日期"),
            before_closed=_("销号日期早于发现日期"),
        )
        return ItemRow(
            problem_list=problem_list,
            number=cells.text(row.get("number"), column="number", max_length=32),
            description=cells.required_text(row["description"], column="description", max_length=2000),
            source=cells.choice(row["source"], Source, column="source"),
            department=cells.department_by_name(row["department"], town=ctx.town, column="department"),
            responsible_person=cells.required_text(row["person"], column="person", max_length=32),
            plan=cells.required_text(row["plan"], column="plan", max_length=2000),
            found_on=found_on,
            deadline=deadline,
            completed_on=completed_on,
            closed_on=closed_on,
        )

    def milestones(self, parsed: ItemRow, *, ctx: ImportContext) -> LedgerMilestones | None:
        return ledger_milestones(
            opened_on=parsed.found_on, resolved_on=parsed.completed_on, closed_on=parsed.closed_on, now=ctx.now
        )

    def finished_case(self, parsed: ItemRow, *, milestones: LedgerMilestones, town: Area) -> HistoricalCase:
        deadline = ledger_moment(parsed.deadline, LEDGER_CLOSED_AT)
        fields = item_case_fields(
            town=town, source=parsed.source, description=parsed.description, department=parsed.department,
            category=install_problem_list_categories(town=town),
        )  # fmt: skip
        return finished_case(milestones, deadline=deadline, department=parsed.department, **fields)

    def finished_rows(self, parsed: ItemRow, *, town: Area, case: Case) -> list[ProblemItem]:
        return [item_row(case=case, data=parsed, found_on=parsed.found_on, import_key=parsed.import_key)]

    def plan(self, parsed: ItemRow, *, ctx: ImportContext, calendar: WorkCalendar) -> PlannedRow[ProblemItem]:
        """An item still open: added as ``add_item`` adds it (registered and dispatched), in memory."""
        user = self.open_rows_actor(ctx)
        return plan_item(actor=user, data=parsed, now=ctx.now, calendar=calendar, import_key=parsed.import_key)


PROBLEM_ITEMS = register(ProblemItemImporter())
