"""Recording the key projects (重点项目) and rural works: a project with its milestones, the milestones edited and
marked done, the monthly progress reports.

Each function checks its input field by field (an InvalidInput in Chinese naming the field — the milestone, for a
milestone) and who acts (``projects.scope``) before it writes; nothing is written when a check fails. Milestones
are kept in the order of their planned dates; their due and warning days come from the working calendar
(``projects.schedule``). A second progress report for the same month corrects the first. A report that takes the
year's completed investment above the year's plan needs a note saying why. A report may carry site photos (工地现场
照片, at most nine a month), each checked by content through the cases' photo path (``attachments.check_image``:
GPS stripped, an upright display copy and a thumbnail kept); one bad photo refuses the whole report.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.amounts import parse_amount
from gridgov.data.cases.domain import reference
from gridgov.data.cases.domain.attachments import MAX_PHOTOS_PER_ACTION, CheckedUpload, Upload, check_images
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Department, User
from gridgov.data.projects.enums import DEFAULT_MILESTONES, ProjectStatus, ProjectType
from gridgov.data.projects.models import Milestone, ProgressPhoto, ProgressReport, Project, ProjectGroup
from gridgov.data.projects.schedule import due_day, warn_day
from gridgov.data.projects.scope import may_create_project, may_manage_project, may_report_progress
from gridgov.data.worktime.calendar import WorkCalendar

FIRST_YEAR = 2000
MAX_QUANTITY = Decimal("9999999999")
MAX_NAME, MAX_MILESTONE, MAX_UNIT, MAX_GROUP = 120, 32, 8, 64  # the models' max_length


@dataclass(frozen=True, slots=True, kw_only=True)
class MilestoneInput:
    """A planned milestone: its name and planned date (a done date when it is already reached)."""

    name: str
    planned_on: date | None
    done_on: date | None = None


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


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressInput:
    """A month's progress report of a project."""

    project: Project
    year: int
    month: int
    investment: Decimal | int | str | None
    note: str = ""
    photos: tuple[Upload, ...] = ()


# --- checks ----------------------------------------------------------------------------------------------------


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


def default_milestones(*, start_on: date | None, finish_on: date | None) -> tuple[MilestoneInput, ...]:
    """立项 on ``start_on``, 投用 on ``finish_on``, the others evenly between."""
    if start_on is None or finish_on is None:
        raise InvalidInput(_("项目节点：请填写各节点，或填写计划开始和完成日期"), field="milestones")
    if finish_on < start_on:
        raise InvalidInput(_("计划完成日期不能早于计划开始日期"), field="finish_on")
    span = (finish_on - start_on).days
    last = len(DEFAULT_MILESTONES) - 1
    return tuple(
        MilestoneInput(name=name, planned_on=start_on + timedelta(days=span * n // last))
        for n, name in enumerate(DEFAULT_MILESTONES)
    )


def _cn(day: date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def check_milestones(milestones: Sequence[MilestoneInput], *, today: date) -> tuple[MilestoneInput, ...]:
    """Names given and distinct, planned dates given and in order, done dates not in the future."""
    if not milestones:
        raise InvalidInput(_("项目节点：至少需要一个节点"), field="milestones")
    seen: set[str] = set()
    clean: list[MilestoneInput] = []
    previous: MilestoneInput | None = None
    for n, given in enumerate(milestones, start=1):
        name = given.name.strip()
        if not name:
            raise InvalidInput(_("第%(n)s个节点：名称为空") % {"n": n}, field="milestones")
        if len(name) > MAX_MILESTONE:
            raise InvalidInput(_("节点“%(name)s”：名称过长") % {"name": name}, field="milestones")
        if name in seen:
            raise InvalidInput(_("节点“%(name)s”重复") % {"name": name}, field="milestones")
        seen.add(name)
        if given.planned_on is None:
            raise InvalidInput(_("节点“%(name)s”：请填写计划日期") % {"name": name}, field="milestones")
        if previous is not None and previous.planned_on is not None and given.planned_on < previous.planned_on:
            raise InvalidInput(
                _("节点“%(name)s”的计划日期（%(day)s）早于上一节点“%(prev)s”（%(prev_day)s），请按时序排列")
                % {
                    "name": name,
                    "day": _cn(given.planned_on),
                    "prev": previous.name,
                    "prev_day": _cn(previous.planned_on),
                },
                field="milestones",
            )
        if given.done_on is not None and given.done_on > today:
            raise InvalidInput(
                _("节点“%(name)s”：完成日期（%(day)s）晚于今天") % {"name": name, "day": _cn(given.done_on)},
                field="milestones",
            )
        item = MilestoneInput(name=name, planned_on=given.planned_on, done_on=given.done_on)
        clean.append(item)
        previous = item
    return tuple(clean)


@dataclass(frozen=True, slots=True)
class CleanProject:
    town: Area
    department: Department
    fields: dict[str, object]
    milestones: tuple[MilestoneInput, ...]


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


def _status(milestones: Sequence[MilestoneInput] | Sequence[Milestone]) -> ProjectStatus:
    done = [m for m in milestones if m.done_on is not None]
    if not done:
        return ProjectStatus.PLANNED
    return ProjectStatus.FINISHED if len(done) == len(milestones) else ProjectStatus.ACTIVE


def _milestone_rows(
    project: Project, milestones: Sequence[MilestoneInput], *, start: date, calendar: WorkCalendar
) -> list[Milestone]:
    rows: list[Milestone] = []
    previous = start
    for order, item in enumerate(milestones, start=1):
        assert item.planned_on is not None  # checked
        due = due_day(item.planned_on, calendar=calendar)
        rows.append(
            Milestone(
                project=project,
                name=item.name,
                order=order,
                planned_on=item.planned_on,
                due_on=due,
                warn_on=warn_day(min(previous, due), due, calendar=calendar),
                done_on=item.done_on,
            )
        )
        previous = item.planned_on
    return rows


# --- writing ---------------------------------------------------------------------------------------------------


def create_project(*, actor: User, data: ProjectInput, now: datetime | None = None) -> Project:
    """Create a project and its milestones (given, or the default five), in one transaction."""
    now = now or timezone.now()
    clean = clean_project(data, now=now)
    if not may_create_project(actor, clean.town):
        raise NotAllowed(_("只有镇指挥室或管理员可以登记重点项目"))
    if Project.objects.filter(town=clean.town, year=data.year, name=clean.fields["name"]).exists():
        raise InvalidInput(
            _("项目名称：%(year)s年已有项目“%(name)s”") % {"year": data.year, "name": clean.fields["name"]},
            field="name",
        )
    calendar = reference.calendar()
    with transaction.atomic():
        project = Project(
            town=clean.town,
            department=clean.department,
            status=_status(clean.milestones),
            created_at=now,
            created_by=actor,
            **clean.fields,
        )
        project.save(force_insert=True)
        Milestone.objects.bulk_create(
            _milestone_rows(project, clean.milestones, start=timezone.localdate(now), calendar=calendar)
        )
    return project


def create_projects(*, actor: User, rows: Sequence[ProjectInput], now: datetime) -> list[Project]:
    """The bulk path of ``create_project`` for an import: each row checked as ``create_project`` checks it (a name
    taken in its year is an InvalidInput), then the rows' groups found or created, the projects and their milestones
    written in one short transaction with one insert each — all or nothing."""
    checked = [clean_project(data, now=now) for data in rows]
    towns = {clean.town.pk: clean.town for clean in checked}
    for town in towns.values():
        if not may_create_project(actor, town):
            raise NotAllowed(_("只有镇指挥室或管理员可以登记重点项目"))
    calendar = reference.calendar()
    start = timezone.localdate(now)
    # Built before the transaction (the milestones' due and warning days come from the working calendar); the
    # milestones take their project's id when it is written.
    projects = [
        Project(
            town=clean.town,
            department=clean.department,
            status=_status(clean.milestones),
            created_at=now,
            created_by=actor,
            **clean.fields,
        )
        for clean in checked
    ]
    milestones = [
        row
        for project, clean in zip(projects, checked, strict=True)
        for row in _milestone_rows(project, clean.milestones, start=start, calendar=calendar)
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
                raise InvalidInput(
                    _("项目名称：%(year)s年已有项目“%(name)s”") % {"year": year, "name": name}, field="name"
                )
        Project.objects.bulk_create(projects)
        Milestone.objects.bulk_create(milestones)
    return projects


def edit_milestones(
    *, actor: User, project: Project, milestones: Sequence[MilestoneInput], now: datetime | None = None
) -> list[Milestone]:
    """Replace ``project``'s milestones by ``milestones`` (in order). A milestone kept by name keeps its supervision
    case; one that is done or supervised cannot be dropped."""
    now = now or timezone.now()
    if not may_manage_project(actor, project):
        raise NotAllowed(_("只有镇指挥室或管理员可以调整项目节点"))
    clean = check_milestones(milestones, today=timezone.localdate(now))
    calendar = reference.calendar()
    with transaction.atomic():
        existing = {m.name: m for m in Milestone.objects.select_for_update().filter(project=project)}
        names = {m.name for m in clean}
        for name, row in existing.items():
            if name not in names and (row.done_on is not None or row.case_id is not None):
                raise InvalidInput(_("节点“%(name)s”已完成或已督办，不能删除") % {"name": name}, field="milestones")
        rows = _milestone_rows(project, clean, start=timezone.localdate(project.created_at), calendar=calendar)
        for row in rows:
            kept = existing.get(row.name)
            if kept is not None:
                row.case_id = kept.case_id
                row.done_on = row.done_on or kept.done_on
        Milestone.objects.filter(project=project).delete()
        written = Milestone.objects.bulk_create(rows)
        project.status = _status(written)
        project.save(update_fields=["status"])
    return written


def mark_milestone_done(
    *, actor: User, milestone: Milestone, done_on: date | None = None, now: datetime | None = None
) -> Milestone:
    """Mark ``milestone`` reached on ``done_on`` (today by default; not in the future)."""
    now = now or timezone.now()
    project = milestone.project
    if not may_report_progress(actor, project):
        raise NotAllowed(_("只有责任部门或镇指挥室可以确认项目节点完成"))
    today = timezone.localdate(now)
    day = done_on or today
    if day > today:
        raise InvalidInput(_("节点“%(name)s”：完成日期不能晚于今天") % {"name": milestone.name}, field="done_on")
    if day.year < FIRST_YEAR:
        raise InvalidInput(_("节点“%(name)s”：完成日期过早，请核对") % {"name": milestone.name}, field="done_on")
    with transaction.atomic():
        milestone.done_on = day
        milestone.save(update_fields=["done_on"])
        project.status = _status(list(Milestone.objects.filter(project=project)))
        project.save(update_fields=["status"])
    return milestone


def _month(value: int, *, year: int, today: date) -> int:
    if not 1 <= value <= 12:
        raise InvalidInput(_("月份：应为1至12，而不是%(month)s") % {"month": value}, field="month")
    if (year, value) > (today.year, today.month):
        raise InvalidInput(_("月份：%(year)s年%(month)s月尚未到来") % {"year": year, "month": value}, field="month")
    return value


def record_progress(*, actor: User, data: ProgressInput, now: datetime | None = None) -> ProgressReport:
    """Record (or correct) a project's progress of one month. The year's completed investment may exceed the year's
    plan only with a note saying why."""
    now = now or timezone.now()
    project = data.project
    if not may_report_progress(actor, project):
        raise NotAllowed(_("只有责任部门或镇指挥室可以填报项目进展"))
    today = timezone.localdate(now)
    if not re.fullmatch(r"\d{4}", str(data.year)) or data.year < FIRST_YEAR:
        raise InvalidInput(_("年度：“%(v)s”无效") % {"v": data.year}, field="year")
    month = _month(data.month, year=data.year, today=today)
    investment = parse_amount(data.investment, field="investment", label=_("当月完成投资"), required=True)
    note = data.note.strip()
    checked = _checked_photos(data.photos)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        others = ProgressReport.objects.filter(project=project, year=data.year).exclude(month=month).aggregate(
            total=Sum("investment")
        )["total"] or Decimal(0)
        if others + investment > project.year_investment and not note:
            raise InvalidInput(
                _(
                    "当月完成投资：本年累计完成投资（%(done)s元）将超过年度计划投资（%(plan)s元），请在进展说明中写明原因"
                )
                % {"done": others + investment, "plan": project.year_investment},
                field="note",
            )
        report, _created = ProgressReport.objects.update_or_create(
            project=project,
            year=data.year,
            month=month,
            defaults={"investment": investment, "note": note, "reporter": actor, "created_at": now},
        )
        if checked:
            _add_photos(report, checked, now=now)
    return report


def _checked_photos(photos: Sequence[Upload]) -> list[CheckedUpload]:
    """Each photo checked by content (InvalidInput naming the file, on ``photos``)."""
    if len(photos) > MAX_PHOTOS_PER_ACTION:
        raise InvalidInput(
            _("工地现场照片：每月最多 %(n)s 张，您选择了 %(count)s 张")
            % {"n": MAX_PHOTOS_PER_ACTION, "count": len(photos)},
            field="photos",
        )
    try:
        return check_images(tuple(photos))
    except InvalidInput as error:
        raise InvalidInput(_("工地现场照片：%(reason)s") % {"reason": error.message}, field="photos") from None


def _add_photos(report: ProgressReport, checked: Sequence[CheckedUpload], *, now: datetime) -> None:
    """The photos added to the month's report (a correction adds to those already there, nine at most)."""
    kept = ProgressPhoto.objects.filter(report=report).count()
    if kept + len(checked) > MAX_PHOTOS_PER_ACTION:
        raise InvalidInput(
            _("工地现场照片：%(year)s年%(month)s月已有 %(kept)s 张，每月最多 %(n)s 张")
            % {"year": report.year, "month": report.month, "kept": kept, "n": MAX_PHOTOS_PER_ACTION},
            field="photos",
        )
    for item in checked:
        photo = ProgressPhoto(
            report=report,
            town_id=report.project.town_id,
            sha256=item.sha256,
            width=item.width,
            height=item.height,
            original_name=item.upload.name[:255],
            created_at=now,
        )
        photo.display.save("display.jpg", ContentFile(item.photo.display), save=False)
        photo.thumbnail.save("thumb.jpg", ContentFile(item.photo.thumbnail), save=False)
        photo.save(force_insert=True)


def create_group(*, actor: User, town: Area, name: str, year: int) -> ProjectGroup:
    """A project group of ``town`` (e.g. 双合入岛门户), or the one of that name and year already there."""
    if not may_create_project(actor, town):
        raise NotAllowed(_("只有镇指挥室或管理员可以登记重点项目"))
    clean = name.strip()
    if not clean or len(clean) > MAX_GROUP:
        raise InvalidInput(_("项目群名称：必填，且不超过64个字"), field="group")
    group, _created = ProjectGroup.objects.get_or_create(town=town, year=year, name=clean)
    return group
