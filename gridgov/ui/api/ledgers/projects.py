"""Key projects (重点项目) through the API: read in ``visible_projects``' scope (the town's command room, leaders and
admins; the owner department's handlers; village staff for their village), each with its schedule (超时序 / 按序 /
滞后), lamp and milestones, and (one project) its progress reports with their site photos' addresses; a project
created with its milestones (the command room, as on the web page) and a month's progress reported with its photos
(base64, as ``POST /api/cases`` takes them) through ``projects.domain``, once per Idempotency-Key; a milestone marked
done on its actual date. Amounts as people type them ("120万", "1.2亿"). The request and answer shapes:
``project_shapes``."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Query

from gridgov.data.access.permissions import may_create_project, may_report_progress, visible_projects
from gridgov.data.cases.enums import AttachmentKind
from gridgov.data.errors import NotAllowed, NotFound
from gridgov.data.org.models import Department, User
from gridgov.data.projects.domain import ProgressInput, mark_milestone_done, record_progress
from gridgov.data.projects.domain import create_project as new_project
from gridgov.data.projects.models import Milestone, ProgressPhoto, Project
from gridgov.data.projects.schedule import schedule_q
from gridgov.types import JSONObject
from gridgov.ui.api.endpoints import _uploads
from gridgov.ui.api.files import private_file
from gridgov.ui.api.ledgers.common import (
    Ledger,
    acts,
    creates,
    one_in,
    reads,
    register_once_per_key,
    serves_file,
    where_given,
)
from gridgov.ui.api.ledgers.project_shapes import (
    MilestoneDoneIn,
    ProgressIn,
    ProgressOut,
    ProjectDetailOut,
    ProjectFilterIn,
    ProjectIn,
    ProjectOut,
    ProjectPageOut,
    project_input,
    project_row,
    report_row,
    reports_of,
)
from gridgov.ui.api.named import named
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import MAX_ID
from gridgov.ui.signed_in import api_user


def _projects(user: User) -> QuerySet[Project]:
    return visible_projects(
        user,
        Project.objects.select_related("group", "department", "village").prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("order"))
        ),
    )


PROJECTS = Ledger(_projects, project_row, ProjectOut, gettext_noop("项目不存在或您无权查看"))


@reads("/projects", ProjectPageOut, summary="重点项目（按年度、类型、进度、项目群、责任部门、村筛选）")
def list_projects(request: HttpRequest, filters: Query[ProjectFilterIn]) -> JSONObject:
    today = timezone.localdate()
    qs = where_given(
        _projects(api_user(request)),
        year=filters.year,
        type=filters.type,
        group_id=filters.group,
        department_id=filters.department,
        village_id=filters.village,
    )
    if filters.schedule is not None:
        qs = qs.filter(schedule_q(filters.schedule, today=today))
    return paged(qs.order_by("-year", "name", "pk"), filters, project_row)


@reads("/projects/{project_id}", ProjectDetailOut, summary="重点项目详情（节点、预警、督办事件、月度进展及现场照片）")
def get_project(request: HttpRequest, project_id: int) -> JSONObject:
    found = PROJECTS.one(api_user(request), project_id)
    return {**project_row(found, now=timezone.now()), "reports": reports_of(found)}


@creates(
    "/projects/{project_id}/progress",
    ProgressOut,
    summary="填报项目月度进展（责任部门、镇指挥室；支持 Idempotency-Key）",
)
def report_project_progress(request: HttpRequest, project_id: int, payload: ProgressIn) -> HttpResponse:
    user = api_user(request)
    data = ProgressInput(
        project=PROJECTS.one(user, project_id),
        year=payload.year,
        month=payload.month,
        investment=payload.investment,
        note=payload.note,
        photos=tuple(_uploads(payload.photos, default_kind=AttachmentKind.OTHER)),
    )
    return register_once_per_key(
        request, user=user, payload=payload, register=record_progress, data=data, shown=report_row, schema=ProgressOut
    )


@serves_file(
    "/projects/{project_id}/photos/{photo_id}",
    url_name="project_photo_file",
    summary="项目工地现场照片（size=display 显示图 或 thumb 缩略图；仅限能查看该项目的用户）",
    description="JPEG 图片",
    content_type="image/jpeg",
)
def get_project_photo(request: HttpRequest, project_id: int, photo_id: int, size: str = "display") -> FileResponse:
    project = PROJECTS.one(api_user(request), project_id)
    photo = ProgressPhoto.objects.filter(pk=photo_id, report__project=project).first() if photo_id <= MAX_ID else None
    if photo is None or size not in ("display", "thumb"):
        raise NotFound(_("照片不存在"))
    return private_file(photo.thumbnail if size == "thumb" else photo.display, content_type="image/jpeg")


def _creating_department(user: User, pk: int) -> Department:
    """The department a new project is entered for; refused when the user may not create projects in its town."""
    department = named(
        Department.objects.select_related("town").filter(pk=pk).first(),
        _("责任部门：部门 %(id)s 不存在") % {"id": pk},
        field="department",
    )
    if not may_create_project(user, department.town):
        raise NotAllowed(_("只有镇指挥室或管理员可以登记重点项目"))
    return department


@creates("/projects", ProjectOut, summary="登记重点项目及其节点（镇指挥室、管理员；支持 Idempotency-Key）")
def create_project(request: HttpRequest, payload: ProjectIn) -> HttpResponse:
    user = api_user(request)
    data = project_input(payload, _creating_department(user, payload.department))
    return PROJECTS.registered(request, user=user, payload=payload, register=new_project, data=data)


@acts(
    "/projects/{project_id}/milestones/{milestone_id}/done",
    ProjectOut,
    summary="确认项目节点完成（实际完成日期，不能晚于今天；责任部门、镇指挥室）",
)
def complete_project_milestone(
    request: HttpRequest, project_id: int, milestone_id: int, payload: MilestoneDoneIn
) -> JSONObject:
    user = api_user(request)
    project = PROJECTS.one(user, project_id)
    if not may_report_progress(user, project):
        raise NotAllowed(_("只有责任部门或镇指挥室可以确认项目节点完成"))
    milestones = Milestone.objects.select_related("project").filter(project=project)
    milestone = one_in(milestones, milestone_id, _("项目节点不存在"))
    mark_milestone_done(actor=user, milestone=milestone, done_on=payload.done_on, now=timezone.now())
    return PROJECTS.shown(user, project_id)
