"""Key projects (重点项目) through the API: read in ``visible_projects``' scope (the town's command room, leaders and
admins; the owner department's handlers; village staff for their village), each with its schedule (超时序 / 按序 /
滞后), lamp and milestones, and (one project) its progress reports with their site photos' addresses; a project
created with its milestones (the command room, as on the web page) and a month's progress reported with its photos
(base64, as ``POST /api/cases`` takes them) through ``projects.domain``, once per Idempotency-Key; a milestone marked
done on its actual date. Amounts as people type them ("120万", "1.2亿")."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import may_create_project, may_report_progress, visible_projects
from gridgov.data.cases.domain.attachments import MAX_PHOTOS_PER_ACTION
from gridgov.data.cases.enums import AttachmentKind, Lamp
from gridgov.data.errors import InvalidInput, NotAllowed, NotFound
from gridgov.data.org.models import Area, Department
from gridgov.data.projects.domain import (
    MilestoneInput,
    ProgressInput,
    ProjectInput,
    mark_milestone_done,
    record_progress,
)
from gridgov.data.projects.domain import create_project as new_project
from gridgov.data.projects.enums import ProjectStatus, ProjectType, Schedule
from gridgov.data.projects.models import Milestone, ProgressPhoto, ProgressReport, Project, ProjectGroup
from gridgov.data.projects.schedule import lamp_of_project, milestone_lamp, schedule_of, schedule_q
from gridgov.types import JSONObject
from gridgov.ui.api.api import api
from gridgov.ui.api.endpoints import ERRORS, _uploads
from gridgov.ui.api.ledgers.common import (
    LEDGERS,
    PageIn,
    create_once_per_key,
    creates,
    reads,
    ref_of,
    where_given,
)
from gridgov.ui.api.ledgers.people import MAX_ID, RefOut
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import PageOut, PhotoIn, TextIn
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
    photos: list[PhotoIn] = Field(
        default_factory=list,
        max_length=MAX_PHOTOS_PER_ACTION,
        description="工地现场照片（base64，每月最多9张；与 POST /api/cases 的 photos 相同）",
    )


class ProgressPhotoOut(Schema):
    id: int
    name: str
    width: int
    height: int
    sha256: str
    url: str = Field(description="显示图（≤1600像素，JPEG，无位置信息）")
    thumbnail_url: str = Field(description="缩略图（≤320像素）")


class ProgressOut(Schema):
    id: int
    project: int
    year: int
    month: int
    investment: float
    note: str
    created_at: datetime
    photos: list[ProgressPhotoOut]


class ProjectDetailOut(ProjectOut):
    reports: list[ProgressOut]


class MilestonePlanIn(TextIn):
    name: str = Field(min_length=1, max_length=32)
    planned_on: date
    done_on: date | None = Field(default=None, description="已完成的节点填写完成日期（不能晚于今天）")


class ProjectIn(TextIn):
    name: str = Field(min_length=1, max_length=120)
    type: ProjectType
    department: int = Field(ge=1, le=MAX_ID, description="责任部门 id")
    year: int = Field(ge=2000, le=2100)
    total_investment: str = Field(max_length=32, description="计划总投资（元），可写1.2亿、3,500万")
    year_investment: str = Field(default="", max_length=32, description="年度计划投资（元）；缺省同计划总投资")
    group: int | None = Field(default=None, ge=1, le=MAX_ID, description="项目群 id")
    village: int | None = Field(default=None, ge=1, le=MAX_ID, description="所在村 id")
    owner_name: str = Field(default="", max_length=32)
    quantity: str = Field(default="", max_length=32, description="工程量（如土地整治的亩数）")
    unit: str = Field(default="", max_length=8)
    milestones: list[MilestonePlanIn] = Field(
        default_factory=list,
        max_length=30,
        description="节点（按计划日期先后）；缺省按开始、完成日期生成立项至投用五个节点",
    )
    start_on: date | None = None
    finish_on: date | None = None


class MilestoneDoneIn(TextIn):
    done_on: date | None = Field(default=None, description="实际完成日期（缺省为今天，不能晚于今天）")


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


@reads("/projects/{project_id}", ProjectDetailOut, summary="重点项目详情（节点、预警、督办事件、月度进展及现场照片）")
def get_project(request: HttpRequest, project_id: int) -> JSONObject:
    found = _one(request, project_id)
    return {**_project(found, now=timezone.now()), "reports": _reports(found)}


def _photo(p: ProgressPhoto, *, project_id: int) -> JSONObject:
    def url(size: str) -> str:
        path = reverse("api:project_photo_file", kwargs={"project_id": project_id, "photo_id": p.pk})
        return f"{path}?size={size}"

    return {
        "id": p.pk,
        "name": p.original_name,
        "width": p.width,
        "height": p.height,
        "sha256": p.sha256,
        "url": url("display"),
        "thumbnail_url": url("thumb"),
    }


def _report(r: ProgressReport) -> JSONObject:
    return {
        "id": r.pk,
        "project": r.project_id,
        "year": r.year,
        "month": r.month,
        "investment": float(r.investment),
        "note": r.note,
        "created_at": r.created_at,
        "photos": [_photo(p, project_id=r.project_id) for p in r.photos.all()],
    }


def _reports(project: Project) -> list[JSONObject]:
    reports = ProgressReport.objects.filter(project=project).prefetch_related(
        Prefetch("photos", queryset=ProgressPhoto.objects.order_by("pk"))
    )
    return [_report(r) for r in reports]


@creates(
    "/projects/{project_id}/progress",
    ProgressOut,
    summary="填报项目月度进展（责任部门、镇指挥室；支持 Idempotency-Key）",
)
def report_project_progress(request: HttpRequest, project_id: int, payload: ProgressIn) -> HttpResponse:
    user = api_user(request)
    project = _one(request, project_id)
    data = ProgressInput(
        project=project,
        year=payload.year,
        month=payload.month,
        investment=payload.investment,
        note=payload.note,
        photos=tuple(_uploads(payload.photos, default_kind=AttachmentKind.OTHER)),
    )

    def create() -> ProgressReport:
        return record_progress(actor=user, data=data, now=timezone.now())

    def render(report: ProgressReport) -> JSONObject:
        return ProgressOut.model_validate(_report(report)).model_dump(mode="json")

    return create_once_per_key(request, user=user, payload=payload, create=create, render=render)


@api.get(
    "/projects/{project_id}/photos/{photo_id}",
    response={200: None, **ERRORS},
    url_name="project_photo_file",
    tags=[LEDGERS],
    summary="项目工地现场照片（size=display 显示图 或 thumb 缩略图；仅限能查看该项目的用户）",
    openapi_extra={
        "responses": {
            "200": {
                "description": "JPEG 图片",
                "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_project_photo(request: HttpRequest, project_id: int, photo_id: int, size: str = "display") -> FileResponse:
    project = _one(request, project_id)
    photo = ProgressPhoto.objects.filter(pk=photo_id, report__project=project).first() if photo_id <= MAX_ID else None
    if photo is None or size not in ("display", "thumb"):
        raise NotFound(_("照片不存在"))
    response = FileResponse(
        (photo.thumbnail if size == "thumb" else photo.display).open("rb"), content_type="image/jpeg"
    )
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _creating_department(request: HttpRequest, pk: int) -> Department:
    """The department a new project is entered for; refused when the user may not create projects in its town."""
    department = Department.objects.select_related("town").filter(pk=pk).first()
    if department is None:
        raise InvalidInput(_("责任部门：部门 %(id)s 不存在") % {"id": pk}, field="department")
    if not may_create_project(api_user(request), department.town):
        raise NotAllowed(_("只有镇指挥室或管理员可以登记重点项目"))
    return department


def _project_input(payload: ProjectIn, department: Department) -> ProjectInput:
    town = department.town
    group = None
    if payload.group is not None:
        group = ProjectGroup.objects.filter(town=town, pk=payload.group).first()
        if group is None:
            raise InvalidInput(_("项目群：%(id)s 不是本镇的项目群") % {"id": payload.group}, field="group")
    village = None
    if payload.village is not None:
        village = Area.objects.filter(town=town, pk=payload.village).first()
        if village is None:
            raise InvalidInput(_("所在村：%(id)s 不是本镇的村（社区）") % {"id": payload.village}, field="village")
    return ProjectInput(
        name=payload.name,
        type=payload.type,
        department=department,
        year=payload.year,
        total_investment=payload.total_investment,
        year_investment=payload.year_investment or None,
        owner_name=payload.owner_name,
        village=village,
        group=group,
        quantity=payload.quantity or None,
        unit=payload.unit,
        milestones=tuple(
            MilestoneInput(name=m.name, planned_on=m.planned_on, done_on=m.done_on) for m in payload.milestones
        ),
        start_on=payload.start_on,
        finish_on=payload.finish_on,
    )


@creates("/projects", ProjectOut, summary="登记重点项目及其节点（镇指挥室、管理员；支持 Idempotency-Key）")
def create_project(request: HttpRequest, payload: ProjectIn) -> HttpResponse:
    user = api_user(request)
    data = _project_input(payload, _creating_department(request, payload.department))

    def create() -> Project:
        return new_project(actor=user, data=data, now=timezone.now())

    def render(project: Project) -> JSONObject:
        fresh = _projects(request).get(pk=project.pk)
        return ProjectOut.model_validate(_project(fresh, now=timezone.now())).model_dump(mode="json")

    return create_once_per_key(request, user=user, payload=payload, create=create, render=render)


@api.post(
    "/projects/{project_id}/milestones/{milestone_id}/done",
    response={200: ProjectOut, **ERRORS},
    tags=[LEDGERS],
    summary="确认项目节点完成（实际完成日期，不能晚于今天；责任部门、镇指挥室）",
)
def complete_project_milestone(
    request: HttpRequest, project_id: int, milestone_id: int, payload: MilestoneDoneIn
) -> JSONObject:
    user = api_user(request)
    project = _one(request, project_id)
    if not may_report_progress(user, project):
        raise NotAllowed(_("只有责任部门或镇指挥室可以确认项目节点完成"))
    milestone = (
        Milestone.objects.select_related("project").filter(pk=milestone_id, project=project).first()
        if 1 <= milestone_id <= MAX_ID
        else None
    )
    if milestone is None:
        raise NotFound(_("项目节点不存在"))
    mark_milestone_done(actor=user, milestone=milestone, done_on=payload.done_on, now=timezone.now())
    return _project(_one(request, project_id), now=timezone.now())
