"""Excel import of a group-rental rectification ledger (群租房整改台账).

A row names a house of the register by its standard address (a 群租房 of the town), the rooms concerned, the
problems found, the measures, and its dates: found (发现日期), rectified (整改完成日期), accepted (验收日期).
A row still open is filed as ``record_rectification`` files it (registered and dispatched;
``plan_rectification`` replays that in memory); a row accepted — or rectified awaiting acceptance — is
imported as a historical case with its milestones from the row's dates, so a past year's "整改群租房N间" is
right. Every row is checked by the domain's one rule (``check_rectification``) and all of them are written
through the bulk path at once, or none (``ledger_import.LedgerImporter``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.history import HistoricalCase
from gridgov.data.cases.domain.ledger_import import (
    LedgerImporter,
    LedgerMilestones,
    PlannedRow,
    finished_case,
    ledger_milestones,
    rectified_and_accepted,
)
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area
from gridgov.data.people.models import House
from gridgov.data.rentals.domain import (
    Filing,
    RectificationInput,
    check_rectification,
    plan_rectification,
    rectification_row,
)
from gridgov.data.rentals.enums import Problem
from gridgov.data.rentals.models import Rectification
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import Column, ImportContext, RowInvalid, register
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import SheetRow

SEPARATORS = re.compile(r"[、，,；;/\s]+")


@dataclass(frozen=True, slots=True)
class RentalRow:
    """A sheet's row: the rectification as ``record_rectification`` takes it, checked (``filing``), with its
    rectification and acceptance days when it is finished."""

    data: RectificationInput
    filing: Filing
    rectified_on: date | None = None
    accepted_on: date | None = None

    @property
    def import_key(self) -> str:
        """The same house found on the same day is the same row."""
        return f"{self.data.house.pk}:{self.filing.found_on.isoformat()}"


def problems_of(value: object, *, column: str) -> tuple[Problem, ...]:
    """Problems by their Chinese names (or stored values), separated by 、 , ; / or spaces."""
    raw = cells.required_text(value, column=column)
    with translation.override("zh-hans"):
        labels = {str(p.label): p for p in Problem}
    by_name = labels | {str(p.value): p for p in Problem}
    found: list[Problem] = []
    for part in SEPARATORS.split(raw):
        if not part:
            continue
        problem = by_name.get(part)
        if problem is None:
            allowed = "、".join(labels)
            raise RowInvalid(column, _("“%(v)s”不是可选的问题（可选：%(allowed)s）") % {"v": part, "allowed": allowed})
        found.append(problem)
    return tuple(found)


class RectificationImporter(LedgerImporter):
    detail_model = Rectification
    needs_operator = gettext_lazy("导入群租房整改台账需要指定操作人（受理员）")
    name = "rentals"
    title = gettext_lazy("群租房整改台账")
    notes = gettext_lazy(
        "地址须为实有房屋中已登记为群租房的标准地址；同一房屋同一发现日期视为同一条。"
        "有验收日期的导入为已验收，只有整改完成日期的导入为待验收，其余登记并交办。"
    )
    columns = (
        Column("house", gettext_lazy("地址"), required=True, aliases=("房屋地址", "标准地址"), example="双合村3组12号"),
        Column("rooms", gettext_lazy("间数"), required=True, aliases=("涉及间数",), example="4"),
        Column(
            "problems",
            gettext_lazy("问题"),
            required=True,
            aliases=("存在问题",),
            example="消防通道堵塞、电动车室内充电",
            help=gettext_lazy("多项用顿号分隔"),
        ),
        Column("measures", gettext_lazy("措施"), aliases=("整改措施",), example="清理通道，设集中充电点"),
        Column("found_on", gettext_lazy("发现日期"), required=True, example="2026-11-02"),
        Column("rectified_on", gettext_lazy("整改完成日期"), example=""),
        Column("accepted_on", gettext_lazy("验收日期"), example=""),
        Column("department", gettext_lazy("承办部门"), example="", help=gettext_lazy("不填则交本镇消防安全的处置部门")),
    )

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> RentalRow:
        user = self.open_rows_actor(ctx)
        address = cells.required_text(row["house"], column="house", max_length=200)
        house = House.objects.select_related("town", "village", "grid").filter(town=ctx.town, address=address).first()
        if house is None:
            raise RowInvalid("house", _("找不到房屋“%(a)s”，请先在实有房屋中登记") % {"a": address})
        found_on = cells.required_date(row["found_on"], column="found_on")
        data = RectificationInput(
            house=house,
            rooms=cells.count(row["rooms"], column="rooms"),
            problems=problems_of(row["problems"], column="problems"),
            measures=cells.text(row.get("measures"), column="measures", max_length=2000),
            found_on=found_on,
            department=cells.optional_department(row.get("department"), town=ctx.town, column="department"),
        )
        filing = check_rectification(actor=user, data=data, now=ctx.now)
        rectified_on, accepted_on = rectified_and_accepted(row, opened_on=found_on, today=ctx.today)
        return RentalRow(data=data, filing=filing, rectified_on=rectified_on, accepted_on=accepted_on)

    def milestones(self, parsed: RentalRow, *, ctx: ImportContext) -> LedgerMilestones | None:
        return ledger_milestones(
            opened_on=parsed.filing.found_on, resolved_on=parsed.rectified_on, closed_on=parsed.accepted_on, now=ctx.now
        )

    def finished_case(self, parsed: RentalRow, *, milestones: LedgerMilestones, town: Area) -> HistoricalCase:
        return finished_case(milestones, department=parsed.filing.department, **parsed.filing.fields)

    def finished_rows(self, parsed: RentalRow, *, town: Area, case: Case) -> list[Rectification]:
        rectified_on = parsed.rectified_on or parsed.accepted_on
        return [
            rectification_row(
                case=case,
                data=parsed.data,
                filing=parsed.filing,
                import_key=parsed.import_key,
                rectified_on=rectified_on,
            )
        ]

    def plan(self, parsed: RentalRow, *, ctx: ImportContext, calendar: WorkCalendar) -> PlannedRow[Rectification]:
        """A row still open: recorded as ``record_rectification`` records it (registered and dispatched)."""
        user = self.open_rows_actor(ctx)
        return plan_rectification(
            actor=user,
            data=parsed.data,
            now=ctx.now,
            calendar=calendar,
            category=parsed.filing.category,
            import_key=parsed.import_key,
        )


RECTIFICATIONS = register(RectificationImporter())
