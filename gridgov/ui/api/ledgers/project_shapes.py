"""Key projects (重点项目) in the API's shapes: what a request sends (a project with its milestones, a month's
progress, a milestone done) and how a project (its schedule, lamp and milestones), a progress report and a site
photo answer; and a project's body turned into ``projects.domain``'s input (its group and village checked to be
the department's town's). The endpoints: ``projects``."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from gridgov.data.cases.domain.attachments import MAX_PHOTOS_PER_ACTION
from gridgov.data.cases.enums import Lamp
from gridgov.data.org.models import Area, Department
from gridgov.data.projects.domain import MilestoneInput, ProjectInput
from gridgov.data.projects.enums import ProjectStatus, ProjectType, Schedule
from gridgov.data.projects.models import ProgressPhoto, ProgressReport, Project, ProjectGroup
from gridgov.data.projects.schedule import lamp_of_project, milestone_lamp, schedule_of
from gridgov.types import JSONObject
from gridgov.ui.api.ledgers.common import ref_of
from gridgov.ui.api.named import named_if
from gridgov.ui.api.schemas import ID, PageIn, PageOut, PhotoIn, RefOut, RowId, TextIn


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
    group: int | None = ID
    department: int | None = ID
    village: int | None = ID


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
    department: RowId = Field(description="责任部门 id")
    year: int = Field(ge=2000, le=2100)
    total_investment: str = Field(max_length=32, description="计划总投资（元），可写1.2亿、3,500万")
    year_investment: str = Field(default="", max_length=32, description="年度计划投资（元）；缺省同计划总投资")
    group: RowId | None = Field(default=None, description="项目群 id")
    village: RowId | None = Field(default=None, description="所在村 id")
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


def project_row(p: Project, *, now: datetime) -> JSONObject:
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


def photo_row(p: ProgressPhoto, *, project_id: int) -> JSONObject:
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


def report_row(r: ProgressReport) -> JSONObject:
    return {
        "id": r.pk,
        "project": r.project_id,
        "year": r.year,
        "month": r.month,
        "investment": float(r.investment),
        "note": r.note,
        "created_at": r.created_at,
        "photos": [photo_row(p, project_id=r.project_id) for p in r.photos.all()],
    }


def reports_of(project: Project) -> list[JSONObject]:
    reports = ProgressReport.objects.filter(project=project).prefetch_related(
        Prefetch("photos", queryset=ProgressPhoto.objects.order_by("pk"))
    )
    return [report_row(r) for r in reports]


def project_input(payload: ProjectIn, department: Department) -> ProjectInput:
    town = department.town
    group = named_if(
        payload.group,
        ProjectGroup.objects.filter(town=town),
        _("项目群：%(id)s 不是本镇的项目群") % {"id": payload.group},
        field="group",
    )
    village = named_if(
        payload.village,
        Area.objects.filter(town=town),
        _("所在村：%(id)s 不是本镇的村（社区）") % {"id": payload.village},
        field="village",
    )
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
