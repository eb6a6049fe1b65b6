"""Excel import of inspection problems (督查问题台账) into an existing round.

A problem still open is recorded as ``record_problem`` records it when found (registered and dispatched to
the village; ``plan_problem`` replays that in memory). A row with its 销号日期 (or only its 整改完成日期:
awaiting verification) is imported as a historical case (milestones as 历史导入 actions on the audit chain)
with the same deduction, so the round's 已整改 figures are right. Both go through the bulk path at once
(``ledger_import.LedgerImporter``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.history import HistoricalCase
from gridgov.data.cases.domain.ledger_import import (
    LedgerImporter,
    LedgerMilestones,
    PlannedRow,
    finished_case,
    ledger_milestones,
    rectified_and_closed,
)
from gridgov.data.cases.models import Case
from gridgov.data.inspections.domain import (
    install_inspection_categories,
    plan_problem,
    problem_case_fields,
    problem_row,
    village_committee,
)
from gridgov.data.inspections.enums import RoundStatus
from gridgov.data.inspections.models import CheckItem, InspectionProblem, InspectionRound
from gridgov.data.org.models import Area, User
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import Column, ImportContext, RowInvalid, register, row_key
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import SheetRow


@dataclass(frozen=True)
class ProblemRow:
    round: InspectionRound
    item: CheckItem
    village: Area
    spot: str
    description: str
    found_at: datetime
    inspector: User
    rectified_on: date | None = None  # 整改完成日期
    closed_on: date | None = None  # 销号日期

    @property
    def import_key(self) -> str:
        parts = (self.round.pk, self.item.pk, self.village.pk, self.spot, self.found_at.isoformat())
        return row_key(*parts, separator="|", length=64)


class InspectionProblemImporter(LedgerImporter):
    detail_model = InspectionProblem
    name = "inspection-problems"
    title = gettext_lazy("督查问题")
    notes = gettext_lazy("督查名称须为已建立的督查轮次；检查项目填编号或名称；发现时间须在督查期间内。")
    columns = (
        Column("round", gettext_lazy("督查名称"), required=True, aliases=("督查轮次",), example="2026年11月创城督查"),
        Column("item", gettext_lazy("检查项目"), required=True, aliases=("扣分项",), example="A01"),
        Column("village", gettext_lazy("村（社区）"), required=True, aliases=("所在村", "责任村"), example="双合村"),
        Column("spot", gettext_lazy("点位"), required=True, aliases=("地点",), example="双合村村口"),
        Column("description", gettext_lazy("问题描述"), required=True, example="路口垃圾未清运"),
        Column("found_at", gettext_lazy("发现时间"), required=True, aliases=("发现日期",), example="2026-11-23 09:30"),
        Column("inspector", gettext_lazy("督查人员"), aliases=("检查人",), help=gettext_lazy("空白时记为督查组织者")),
        Column(
            "rectified_on",
            gettext_lazy("整改完成日期"),
            aliases=("完成日期",),
            help=gettext_lazy("已整改的填写；未销号的导入为待核查"),
        ),
        Column(
            "closed_on",
            gettext_lazy("销号日期"),
            aliases=("验收日期",),
            help=gettext_lazy("已整改销号的填写；导入为已销号"),
        ),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> ProblemRow:
        name = cells.required_text(row["round"], column="round")
        round_ = InspectionRound.objects.filter(town=ctx.town, name=name).select_related("organizer", "town").first()
        if round_ is None:
            raise RowInvalid("round", _("督查“%(v)s”不存在，请先建立督查轮次") % {"v": name})
        if round_.status != RoundStatus.OPEN:
            raise RowInvalid("round", _("督查“%(v)s”已结束，不能再导入问题") % {"v": name})
        raw_item = cells.required_text(row["item"], column="item")
        item = CheckItem.objects.filter(Q(code=raw_item) | Q(name=raw_item), round=round_).first()
        if item is None:
            raise RowInvalid("item", _("“%(v)s”不是本轮督查的检查项目") % {"v": raw_item})
        village = cells.village_by_name(row["village"], town=ctx.town)
        found_at = cells.optional_datetime(row["found_at"], column="found_at")
        assert found_at is not None
        if found_at.time() == time(0, 0):
            found_at = found_at.replace(hour=9)
        day = timezone.localtime(found_at).date()
        if not (round_.start_date <= day <= round_.end_date):
            raise RowInvalid("found_at", _("发现时间不在督查期间内"))
        inspector = round_.organizer
        if row.get("inspector"):
            who = cells.required_text(row["inspector"], column="inspector")
            inspector = round_.inspectors.filter(Q(full_name=who) | Q(username=who)).first()  # type: ignore[assignment]  # first() may be None: the next line reports an unknown inspector
            if inspector is None:
                raise RowInvalid("inspector", _("“%(v)s”不是本轮督查人员") % {"v": who})
        rectified_on, closed_on = rectified_and_closed(
            row,
            opened_on=day,
            today=ctx.today,
            rectified="rectified_on",
            before_rectified=_("整改完成日期早于发现时间"),
            before_closed=_("销号日期早于发现时间"),
        )
        return ProblemRow(
            round=round_,
            item=item,
            village=village,
            spot=cells.required_text(row["spot"], column="spot", max_length=120),
            description=cells.required_text(row["description"], column="description", max_length=2000),
            found_at=found_at,
            inspector=inspector,
            rectified_on=rectified_on,
            closed_on=closed_on,
        )

    def milestones(self, parsed: ProblemRow, *, ctx: ImportContext) -> LedgerMilestones | None:
        return ledger_milestones(
            opened_on=timezone.localdate(parsed.found_at),
            opened_at=parsed.found_at,
            resolved_on=parsed.rectified_on,
            closed_on=parsed.closed_on,
            now=ctx.now,
        )

    def finished_case(self, parsed: ProblemRow, *, milestones: LedgerMilestones, town: Area) -> HistoricalCase:
        category = install_inspection_categories(town=town)
        fields = problem_case_fields(
            item=parsed.item, spot=parsed.spot, description=parsed.description, area=parsed.village, category=category
        )
        return finished_case(milestones, department=village_committee(parsed.village), **fields)

    def finished_rows(self, parsed: ProblemRow, *, town: Area, case: Case) -> list[InspectionProblem]:
        assert case.department is not None  # finished_case dispatched it to the village's committee
        return [
            problem_row(
                round=parsed.round,
                item=parsed.item,
                village=parsed.village,
                department=case.department,
                spot=parsed.spot,
                now=case.reported_at,
                case=case,
                import_key=parsed.import_key,
            )
        ]

    def plan(self, parsed: ProblemRow, *, ctx: ImportContext, calendar: WorkCalendar) -> PlannedRow[InspectionProblem]:
        """A problem still open: recorded as ``record_problem`` records it when found (no photo needed in a
        ledger), replayed in memory."""
        return plan_problem(
            round=parsed.round,
            inspector=parsed.inspector,
            item=parsed.item,
            description=parsed.description,
            spot=parsed.spot,
            area=parsed.village,
            now=parsed.found_at,
            calendar=calendar,
            import_key=parsed.import_key,
            require_photo=False,
        )


INSPECTION_PROBLEMS = register(InspectionProblemImporter())
