"""Key projects (重点项目) and rural works registered: one from a form, many from a sheet (all or nothing), and
the project groups they belong to."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.amounts import parse_amount
from gridgov.data.cases.domain import reference
from gridgov.data.errors import InvalidInput
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Department, User
from gridgov.data.projects.domain.checks import (
    FIRST_YEAR,
    MAX_GROUP,
    MAX_NAME,
    MAX_QUANTITY,
    MAX_UNIT,
    check_may_create,
)
from gridgov.data.projects.domain.milestones import (
    MilestoneInput,
    check_milestones,
    default_milestones,
    milestone_rows,
    project_status,
)
from gridgov.data.projects.enums import ProjectType
from gridgov.data.projects.models import Milestone, Project, ProjectGroup


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectInput:
    """A project as a form, a sheet row or the demo gives it; amounts as people type them (250万, 1.2亿, 3,500万).
    Without ``milestones`` the project gets the default five (立项 … 投用), spread evenly from ``start_on`` to
    ``finish_on``."""

    name: str
    type: ProjectType | str
    department: Department | None
    year: int
    total_investment: Decimal | int | str | None
    year_investment: Decimal | int | str | None = None
    owner_name: str = ""
    village: Area | None = None
    group: ProjectGroup | None = None
    quantity: Decimal | int | str | None = None
    unit: str = ""
    milestones: tuple[MilestoneInput, ...] = field(default=())
    start_on: date | None = None
    finish_on: date | None = None


def _quantity(value: Decimal | int | str | None) -> Decimal | None:
    if value is None or not str(value).strip():
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(_("工程量：“%(v)s”不是数字") % {"v": value}, field="quantity") from None
    if not number.is_finite() or number <= 0 or number > MAX_QUANTITY:
        raise InvalidInput(_("工程量：应为大于0的数字，而不是“%(v)s”") % {"v": value}, field="quantity")
    return number.quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class CleanProject:
    town: Area
    department: Department
    fields: dict[str, object]
    milestones: tuple[MilestoneInput, ...]

    def row(self, *, created_at: datetime, created_by: User) -> Project:
        """The unsaved project (its status from its milestones)."""
        return Project(
            town=self.town,
            department=self.department,
            status=project_status(self.milestones),
            created_at=created_at,
            created_by=created_by,
            **self.fields,
        )


def clean_project(data: ProjectInput, *, now: datetime) -> CleanProject:
    """The input checked field by field; InvalidInput naming the field otherwise. Who creates is ``create_project``'s
    check."""
    name = data.name.strip()
    if not name:
        raise InvalidInput(_("项目名称：必填项为空"), field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(_("项目名称：不能超过120个字"), field="name")
    if data.type not in ProjectType.values:
        raise InvalidInput(_("项目类型：请选择产业项目、基础设施、乡村振兴、乡村蝶变、土地整治或其他"), field="type")
    department = data.department
    if department is None or not department.active:
        raise InvalidInput(_("责任部门：请选择一个启用的部门"), field="department")
    town = department.town
    today = timezone.localdate(now)
    if not FIRST_YEAR <= data.year <= today.year + 5:
        raise InvalidInput(_("年度：%(year)s年不在可登记的范围内") % {"year": data.year}, field="year")
    village = data.village
    if village is not None and (village.level != AreaLevel.VILLAGE or village.town_id != town.pk):
        raise InvalidInput(_("所在村：“%(v)s”不是本镇的村（社区）") % {"v": village.name}, field="village")
    if data.group is not None and data.group.town_id != town.pk:
        raise InvalidInput(_("项目群：“%(g)s”不属于本镇") % {"g": data.group.name}, field="group")
    total = parse_amount(data.total_investment, field="total_investment", label=_("计划总投资"))
    year_amount = (
        total
        if data.year_investment is None or not str(data.year_investment).strip()
        else parse_amount(data.year_investment, field="year_investment", label=_("年度计划投资"))
    )
    if year_amount > total:
        raise InvalidInput(_("年度计划投资不能超过计划总投资"), field="year_investment")
    quantity = _quantity(data.quantity)
    unit = data.unit.strip()
    if quantity is not None and not unit:
        raise InvalidInput(_("单位：填写了工程量，请填写单位（如亩、公里）"), field="unit")
    if len(unit) > MAX_UNIT:
        raise InvalidInput(_("单位：过长"), field="unit")
    given = data.milestones or default_milestones(start_on=data.start_on, finish_on=data.finish_on)
    milestones = check_milestones(given, today=today)
    return CleanProject(
        town=town,
        department=department,
        fields={
            "name": name,
            "type": ProjectType(data.type),
            "owner_name": data.owner_name.strip()[:32],
            "village": village,
            "group": data.group,
            "total_investment": total,
            "year_investment": year_amount,
            "quantity": quantity,
            "unit": unit if quantity is not None else "",
            "year": data.year,
        },
        milestones=milestones,
    )


def _name_taken(*, year: object, name: object) -> InvalidInput:
    """A project's name is unique in its town and year."""
    return InvalidInput(_("项目名称：%(year)s年已有项目“%(name)s”") % {"year": year, "name": name}, field="name")


def create_project(*, actor: User, data: ProjectInput, now: datetime | None = None) -> Project:
    """Create a project and its milestones (given, or the default five), in one transaction."""
    now = now or timezone.now()
    clean = clean_project(data, now=now)
    check_may_create(actor, clean.town)
    if Project.objects.filter(town=clean.town, year=data.year, name=clean.fields["name"]).exists():
        raise _name_taken(year=data.year, name=clean.fields["name"])
    calendar = reference.calendar()
    with transaction.atomic():
        project = clean.row(created_at=now, created_by=actor)
        project.save(force_insert=True)
        Milestone.objects.bulk_create(
            milestone_rows(project, clean.milestones, start=timezone.localdate(now), calendar=calendar)
        )
    return project


def create_projects(*, actor: User, rows: Sequence[ProjectInput], now: datetime) -> list[Project]:
    """The bulk path of ``create_project`` for an import: each row checked as ``create_project`` checks it (a name
    taken in its year is an InvalidInput), then the rows' groups found or created, the projects and their milestones
    written in one short transaction with one insert each — all or nothing."""
    checked = [clean_project(data, now=now) for data in rows]
    towns = {clean.town.pk: clean.town for clean in checked}
    for town in towns.values():
        check_may_create(actor, town)
    calendar = reference.calendar()
    start = timezone.localdate(now)
    # Built before the transaction (the milestones' due and warning days come from the working calendar); the
    # milestones take their project's id when it is written.
    projects = [clean.row(created_at=now, created_by=actor) for clean in checked]
    milestones = [
        row
        for project, clean in zip(projects, checked, strict=True)
        for row in milestone_rows(project, clean.milestones, start=start, calendar=calendar)
    ]
    with transaction.atomic():
        groups: dict[tuple[int, int, str], ProjectGroup] = {}
        for project, clean in zip(projects, checked, strict=True):
            group = clean.fields["group"]
            if isinstance(group, ProjectGroup) and group.pk is None:
                key = (clean.town.pk, int(str(clean.fields["year"])), group.name)
                if key not in groups:
                    groups[key] = create_group(actor=actor, town=clean.town, name=group.name, year=key[1])
                clean.fields["group"] = groups[key]
                project.group = groups[key]
        names = {(clean.town.pk, clean.fields["year"], clean.fields["name"]) for clean in checked}
        taken = Project.objects.filter(
            town_id__in=towns, name__in=[name for _t, _y, name in names], year__in={y for _t, y, _n in names}
        ).values_list("town_id", "year", "name")
        for town_id, year, name in taken:
            if (town_id, year, name) in names:
                raise _name_taken(year=year, name=name)
        Project.objects.bulk_create(projects)
        Milestone.objects.bulk_create(milestones)
    return projects


def create_group(*, actor: User, town: Area, name: str, year: int) -> ProjectGroup:
    """A project group of ``town`` (e.g. 双合入岛门户), or the one of that name and year already there."""
    check_may_create(actor, town)
    clean = name.strip()
    if not clean or len(clean) > MAX_GROUP:
        raise InvalidInput(_("项目群名称：必填，且不超过64个字"), field="group")
    group, _created = ProjectGroup.objects.get_or_create(town=town, year=year, name=clean)
    return group
