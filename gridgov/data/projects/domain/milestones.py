"""A project's milestones (项目节点): checked (names distinct, planned dates in order), spread by default over the
project's span, written with their due and warning days, replaced, marked done; the project's status follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain import reference
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.models import User
from gridgov.data.projects.domain.checks import FIRST_YEAR, MAX_MILESTONE
from gridgov.data.projects.enums import DEFAULT_MILESTONES, ProjectStatus
from gridgov.data.projects.models import Milestone, Project
from gridgov.data.projects.schedule import due_day, warn_day
from gridgov.data.projects.scope import may_manage_project, may_report_progress
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.days import chinese_day


@dataclass(frozen=True, slots=True, kw_only=True)
class MilestoneInput:
    """A planned milestone: its name and planned date (a done date when it is already reached)."""

    name: str
    planned_on: date | None
    done_on: date | None = None


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
                    "day": chinese_day(given.planned_on),
                    "prev": previous.name,
                    "prev_day": chinese_day(previous.planned_on),
                },
                field="milestones",
            )
        if given.done_on is not None and given.done_on > today:
            raise InvalidInput(
                _("节点“%(name)s”：完成日期（%(day)s）晚于今天") % {"name": name, "day": chinese_day(given.done_on)},
                field="milestones",
            )
        item = MilestoneInput(name=name, planned_on=given.planned_on, done_on=given.done_on)
        clean.append(item)
        previous = item
    return tuple(clean)


def project_status(milestones: Sequence[MilestoneInput] | Sequence[Milestone]) -> ProjectStatus:
    done = [m for m in milestones if m.done_on is not None]
    if not done:
        return ProjectStatus.PLANNED
    return ProjectStatus.FINISHED if len(done) == len(milestones) else ProjectStatus.ACTIVE


def milestone_rows(
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
        rows = milestone_rows(project, clean, start=timezone.localdate(project.created_at), calendar=calendar)
        for row in rows:
            kept = existing.get(row.name)
            if kept is not None:
                row.case_id = kept.case_id
                row.done_on = row.done_on or kept.done_on
        Milestone.objects.filter(project=project).delete()
        written = Milestone.objects.bulk_create(rows)
        project.status = project_status(written)
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
        project.status = project_status(list(Milestone.objects.filter(project=project)))
        project.save(update_fields=["status"])
    return milestone
