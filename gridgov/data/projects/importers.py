"""Excel import of the key projects' spreadsheet (重点项目推进表): one row a project, with its planned milestone
dates in the columns 立项, 开工, 主体完工, 竣工, 投用 (those left empty are left out), amounts as people type them.

Every row is checked as ``projects.domain.clean_project`` checks a project (milestones in order of their planned
dates, each refusal naming the column and the row); a project of that name and year already there is skipped. The
rows are then written together through ``create_projects`` (the bulk path: one short transaction, one insert for
the projects and one for their milestones) — all or nothing. A group named in the sheet
(项目群, e.g. 双合入岛门户) is found or created for the project's year.
"""

from __future__ import annotations

from collections.abc import Hashable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.ledger_import import TownLedgerImporter
from gridgov.data.projects.domain import MilestoneInput, ProjectInput, clean_project, create_projects
from gridgov.data.projects.enums import DEFAULT_MILESTONES, ProjectType
from gridgov.data.projects.models import Project, ProjectGroup
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import Column, ImportContext, RowInvalid, choice_column, register
from gridgov.types import SheetRow

MILESTONE_KEYS = tuple(f"milestone_{n}" for n in range(1, len(DEFAULT_MILESTONES) + 1))


class ProjectImporter(TownLedgerImporter):
    name = "projects"
    title = gettext_lazy("重点项目推进表")
    notes = gettext_lazy(
        "每行一个项目；立项、开工、主体完工、竣工、投用各列填写计划日期（不填的节点不设），须按时间先后。"
        "金额可写250万、1.2亿或3,500,000；同一年度同名的项目视为已导入。"
    )
    columns = (
        Column("name", gettext_lazy("项目名称"), required=True, example="前岸智慧村社"),
        choice_column("type", gettext_lazy("项目类型"), ProjectType, required=True, example="基础设施"),
        Column("group", gettext_lazy("项目群"), example="双合入岛门户"),
        Column("department", gettext_lazy("责任部门"), required=True, aliases=("责任单位",), example="村镇建设办"),
        Column("owner_name", gettext_lazy("责任人")),
        Column("village", gettext_lazy("所在村"), aliases=("村/社区",), example="前岸村"),
        Column("year", gettext_lazy("年度"), required=True, example="2026"),
        Column("total_investment", gettext_lazy("计划总投资"), required=True, aliases=("计划总投资（元）", "总投资"),
               example="300万"),
        Column("year_investment", gettext_lazy("年度计划投资"), aliases=("年度计划投资（元）",), example="120万"),
        Column("quantity", gettext_lazy("工程量"), example="520"),
        Column("unit", gettext_lazy("单位"), example="亩"),
        *(Column(key, name, example="") for key, name in zip(MILESTONE_KEYS, DEFAULT_MILESTONES, strict=True)),
    )  # fmt: skip

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> ProjectInput:
        year = cells.count(row["year"], column="year")
        village = cells.optional_village(row.get("village"), town=ctx.town)
        group_name = cells.text(row.get("group"), column="group", max_length=64)
        milestones = tuple(
            MilestoneInput(name=name, planned_on=day)
            for key, name in zip(MILESTONE_KEYS, DEFAULT_MILESTONES, strict=True)
            if (day := cells.optional_date(row.get(key), column=key)) is not None
        )
        if not milestones:
            raise RowInvalid("", _("请至少填写一个节点的计划日期（立项、开工、主体完工、竣工、投用）"))
        data = ProjectInput(
            name=cells.text(row["name"], column="name", max_length=120),
            type=cells.choice(row["type"], ProjectType, column="type"),
            group=ProjectGroup(town=ctx.town, name=group_name, year=year) if group_name else None,
            department=cells.department_by_name(row["department"], town=ctx.town, column="department"),
            owner_name=cells.text(row.get("owner_name"), column="owner_name", max_length=32),
            village=village,
            year=year,
            total_investment=_text(row["total_investment"]),
            year_investment=_text(row.get("year_investment")),
            quantity=_text(row.get("quantity")),
            unit=cells.text(row.get("unit"), column="unit", max_length=8),
            milestones=milestones,
        )
        clean_project(data, now=ctx.now)  # every field's check, nothing written
        return data

    def natural_key(self, parsed: ProjectInput) -> Hashable:
        return (parsed.year, parsed.name.strip())

    def exists(self, parsed: ProjectInput, *, ctx: ImportContext) -> bool:
        return Project.objects.filter(town=ctx.town, year=parsed.year, name=parsed.name.strip()).exists()

    def apply_all(self, rows: list[ProjectInput], *, ctx: ImportContext) -> bool:
        create_projects(actor=ctx.signed_in_user(), rows=rows, now=ctx.now)
        return True


def _text(value: object) -> str | None:
    """A cell as the domain's amount check reads it (a number stays exact: 3500000 or 1.2)."""
    return None if value is None or value == "" else str(value)


PROJECTS = register(ProjectImporter())
