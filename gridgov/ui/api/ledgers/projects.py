"""Key projects (重点项目) through the API: read in ``visible_projects``' scope (the town's command room, leaders and
admins; the owner department's handlers; village staff for their village), each with its schedule (超时序 / 按序 /
滞后), lamp and milestones; a month's progress reported through ``projects.domain.record_progress`` (the owner
department, the command room), once per Idempotency-Key. Amounts as people type them ("120万", "1.2亿")."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import visible_projects
from gridgov.data.cases.enums import Lamp
from gridgov.data.errors import NotFound
from gridgov.data.projects.domain import ProgressInput, record_progress
from gridgov.data.projects.enums import ProjectStatus, ProjectType, Schedule
from gridgov.data.projects.models import Milestone, ProgressReport, Project
from gridgov.data.projects.schedule import lamp_of_project, milestone_lamp, schedule_of, schedule_q
from gridgov.types import JSONObject
from gridgov.ui.api.ledgers.common import PageIn, create_once_per_key, creates, reads, ref_of, where_given
from gridgov.ui.api.ledgers.people import MAX_ID, RefOut
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import PageOut, TextIn
from gridgov.ui.signed_in import api_user


class MilestoneOut(Schema):
    id: int
    name: str
    order: int
    planned_on: date
    due_on: date = Field(description="到期日（计划日期逢休息日顺延至下一个工作日）")
    done_on: date | None
    lamp: Lamp
    case: int | None = Field(description="督办事件 id")


class ProjectOut(Schema):
    id: int
    name: str
    type: ProjectType
    type_label: str
    group: RefOut | None
    department: RefOut
    owner_name: str
    village: RefOut | None
    year: int
    total_investment: float = Field(description="计划总投资（元）")
    year_investment: float = Field(description="年度计划投资（元）")
    quantity: float | None
    unit: str
    status: ProjectStatus
    schedule: Schedule
    lamp: Lamp
    milestones: list[MilestoneOut]


class ProjectPageOut(PageOut):
    results: list[ProjectOut]


class ProjectFilterIn(PageIn):
    year: int | None = Field(default=None, ge=2000, le=2100)
    type: ProjectType | None = None
    schedule: Schedule | None = None
    group: int | None = Field(default=None, ge=1, le=MAX_ID)
    department: int | None = Field(default=None, ge=1, le=MAX_ID)
    village: int | None = Field(default=None, ge=1, le=MAX_ID)


class ProgressIn(TextIn):
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)
    investment: str = Field(max_length=32, description="当月完成投资（元），可写120万、1.2亿、3,500,000")
    note: str = Field(default="", max_length=2000, description="超出年度计划投资时必填")


class ProgressOut(Schema):
    id: int
    project: int
    year: int
    month: int
    investment: float
    note: str
    created_at: datetime


def _project(p: Project, *, now: datetime) -> JSONObject:
    today = timezone.localdate(now)
    milestones = list(p.milestones.all())
    return {
        "id": p.pk,
        "name": p.name,
        "type": p.type,
        "type_label": str(ProjectType(p.type).label),
        "group": ref_of(p.group),
        "department": ref_of(p.department),
        "owner_name": p.owner_name,
        "village": ref_of(p.village),
        "year": p.year,
        "total_investment": float(p.total_investment),
        "year_investment": float(p.year_investment),
        "quantity": None if p.quantity is None else float(p.quantity),
        "unit": p.unit,
        "status": p.status,
        "schedule": schedule_of(milestones, today=today),
        "lamp": lamp_of_project(milestones, today=today),
        "milestones": [
            {
                "id": m.pk,
                "name": m.name,
                "order": m.order,
                "planned_on": m.planned_on,
                "due_on": m.due_on,
                "done_on": m.done_on,
                "lamp": milestone_lamp(m, today=today),
                "case": m.case_id,
            }
            for m in milestones
        ],
    }


def _projects(request: HttpRequest) -> QuerySet[Project]:
    return visible_projects(
        api_user(request),
        Project.objects.select_related("group", "department", "village").prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("order"))
        ),
    )


def _one(request: HttpRequest, pk: int) -> Project:
    found = _projects(request).filter(pk=pk).first() if 1 <= pk <= MAX_ID else None
    if found is None:
        raise NotFound(_("项目不存在或您无权查看"))
    return found


@reads("/projects", ProjectPageOut, summary="重点项目（按年度、类型、进度、项目群、责任部门、村筛选）")
def list_projects(request: HttpRequest, filters: Query[ProjectFilterIn]) -> JSONObject:
    today = timezone.localdate()
    qs = where_given(
        _projects(request),
        year=filters.year,
        type=filters.type,
        group_id=filters.group,
        department_id=filters.department,
        village_id=filters.village,
    )
    if filters.schedule is not None:
        qs = qs.filter(schedule_q(filters.schedule, today=today))
    return paged(qs.order_by("-year", "name", "pk"), filters, _project)


@reads("/projects/{project_id}", ProjectOut, summary="重点项目详情（节点、预警、督办事件）")
def get_project(request: HttpRequest, project_id: int) -> JSONObject:
    return _project(_one(request, project_id), now=timezone.now())


def _report(r: ProgressReport) -> JSONObject:
    return {
        "id": r.pk,
        "project": r.project_id,
        "year": r.year,
        "month": r.month,
        "investment": float(r.investment),
        "note": r.note,
        "created_at": r.created_at,
    }


@creates(
    "/projects/{project_id}/progress",
    ProgressOut,
    summary="填报项目月度进展（责任部门、镇指挥室；支持 Idempotency-Key）",
)
def report_project_progress(request: HttpRequest, project_id: int, payload: ProgressIn) -> HttpResponse:
    user = api_user(request)
    project = _one(request, project_id)
    data = ProgressInput(
        project=project, year=payload.year, month=payload.month, investment=payload.investment, note=payload.note
    )

    def create() -> ProgressReport:
        return record_progress(actor=user, data=data, now=timezone.now())

    def render(report: ProgressReport) -> JSONObject:
        return ProgressOut.model_validate(_report(report)).model_dump(mode="json")

    return create_once_per_key(request, user=user, payload=payload, create=create, render=render)
