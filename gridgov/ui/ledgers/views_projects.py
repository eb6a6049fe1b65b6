"""Key projects (重点项目) and rural works: the list (filters by type, group, schedule, lamp, village, department and
year; Excel export) and the form that adds a project; one project's pages are in ``views_project``. Every read goes
through the permission module (``visible_projects``), every write through ``projects.domain``, which checks who
acts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access import permissions
from gridgov.data.cases.enums import Lamp
from gridgov.data.org.models import Area, Department, User
from gridgov.data.projects import figures
from gridgov.data.projects.domain import (
    ProjectInput,
    create_project,
)
from gridgov.data.projects.enums import ProjectStatus, ProjectType, Schedule
from gridgov.data.projects.models import Milestone, Project, ProjectGroup
from gridgov.data.projects.schedule import lamp_of_project, lamp_q, schedule_of, schedule_q
from gridgov.types import CellValue
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_projects import ProjectForm
from gridgov.ui.ledgers.listing import LedgerList, export_view, sheet
from gridgov.ui.params import id_param, year_param
from gridgov.ui.signed_in import signed_in_user
from gridgov.ui.web.menu import may_use_projects

PAGE_SIZE = 50
# ``group=largest``: the year's largest project group, as the year review counts it (``figures.largest_group``).
LARGEST = "largest"
LAMPS = [(Lamp.RED, Lamp.RED.label), (Lamp.YELLOW, Lamp.YELLOW.label), (Lamp.GREEN, Lamp.GREEN.label)]


def _in_order() -> Prefetch[str]:
    return Prefetch("milestones", queryset=Milestone.objects.order_by("order"))


def projects_town(user: User) -> Area:
    """The user's town, when the projects' pages answer them (``menu.may_use_projects``); 403 otherwise."""
    if not may_use_projects(user):
        raise PermissionDenied(_("重点项目台账只对镇指挥室、领导、责任部门和村干部开放"))
    return common.civic_town(user)


PROJECTS = LedgerList(
    town_of=projects_town,
    filters=("year", "type", "group", "schedule", "lamp", "village", "department", "status", "unit"),
)


def _projects(user: User, town: Area, params: common.ListFilters, *, today: date) -> QuerySet[Project]:
    qs = permissions.visible_projects(user).filter(town=town)
    year = year_param(params.get("year"))
    if year:
        qs = qs.filter(year=year)
    if params.get("type") in ProjectType.values:
        qs = qs.filter(type=params["type"])
    if params.get("group") == LARGEST:
        group = _largest_group(town, year or today.year)
        qs = qs.filter(group=group) if group is not None else qs.none()
    for key in ("group", "village", "department"):
        pk = id_param(params.get(key))
        if pk:
            qs = qs.filter(**{f"{key}_id": pk})
    if params.get("status") == ProjectStatus.FINISHED:  # every milestone done, as the year review counts them
        qs = qs.filter(figures.finished_q(day=today))
    elif params.get("status") in ProjectStatus.values:
        qs = qs.filter(status=params["status"])
    if params.get("unit"):
        qs = qs.filter(unit=params["unit"].strip())
    if params.get("schedule") in Schedule.values:
        qs = qs.filter(schedule_q(Schedule(params["schedule"]), today=today))
    if params.get("lamp") in {Lamp.RED, Lamp.YELLOW, Lamp.GREEN, Lamp.NONE}:
        qs = qs.filter(lamp_q(Lamp(params["lamp"]), today=today))
    return qs


def _largest_group(town: Area, year: int) -> ProjectGroup | None:
    """The group with most of the town's projects of ``year`` (the year review's 双合入岛门户打造21个工程项目)."""
    start = date(year, 1, 1)
    rows = figures.projects(town=town, start=start, end=date(year + 1, 1, 1), as_of=timezone.now())
    return figures.largest_group(rows)


def _listed(qs: QuerySet[Project]) -> QuerySet[Project]:
    return qs.select_related("group", "department", "village").prefetch_related(_in_order()).order_by("-year", "name")


@dataclass(frozen=True)
class Row:
    project: Project
    schedule: Schedule
    lamp: Lamp
    next_milestone: Milestone | None


def _row(project: Project, *, today: date) -> Row:
    milestones = list(project.milestones.all())
    upcoming = next((m for m in milestones if m.done_on is None), None)
    return Row(project, schedule_of(milestones, today=today), lamp_of_project(milestones, today=today), upcoming)


def _choices(town: Area) -> dict[str, object]:
    return {
        "types": ProjectType.choices,
        "statuses": ProjectStatus.choices,
        "schedules": Schedule.choices,
        "lamps": LAMPS,
        "groups": list(ProjectGroup.objects.filter(town=town).values_list("pk", "name")),
        "villages": common.village_choices(town),
        "departments": common.department_choices(town),
    }


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    shown = PROJECTS.read(request)
    town, params = shown.town, shown.params
    today = timezone.localdate()
    qs = _projects(shown.user, town, params, today=today)
    context = common.page_context(request, _listed(qs), PAGE_SIZE)
    totals = qs.order_by().aggregate(total=Sum("total_investment"), year=Sum("year_investment"))
    largest = _largest_group(town, year_param(params.get("year")) or today.year) if params["group"] == LARGEST else None
    context.update(
        {
            "largest_group": largest,
            "rows": [_row(p, today=today) for p in context["page"].object_list],
            "params": params,
            "totals": totals,
            "may_add": permissions.may_create_project(shown.user, town),
            **_choices(town),
        }
    )
    return common.render_list(request, "ledgers/projects/list.html", context, rows="rows")


def _exported(user: User, town: Area, params: common.ListFilters) -> Iterator[Row]:
    """The listed projects with their schedule, lamp and next milestone as of today."""
    today = timezone.localdate()
    return (_row(p, today=today) for p in _listed(_projects(user, town, params, today=today)))


@sheet(
    gettext_lazy("重点项目"),
    [
        gettext_lazy("年度"),
        gettext_lazy("项目名称"),
        gettext_lazy("项目类型"),
        gettext_lazy("项目群"),
        gettext_lazy("责任部门"),
        gettext_lazy("责任人"),
        gettext_lazy("所在村"),
        gettext_lazy("计划总投资（元）"),
        gettext_lazy("年度计划投资（元）"),
        gettext_lazy("工程量"),
        gettext_lazy("单位"),
        gettext_lazy("进度"),
        gettext_lazy("预警"),
        gettext_lazy("下一节点"),
        gettext_lazy("计划日期"),
    ],
)
def projects_sheet(r: Row) -> list[CellValue]:
    return [
        r.project.year,
        r.project.name,
        r.project.get_type_display(),
        r.project.group.name if r.project.group else "",
        r.project.department.name,
        r.project.owner_name,
        r.project.village.name if r.project.village else "",
        r.project.total_investment,
        r.project.year_investment,
        r.project.quantity if r.project.quantity is not None else "",
        r.project.unit,
        r.schedule.label,
        r.lamp.label,
        r.next_milestone.name if r.next_milestone else "",
        r.next_milestone.planned_on if r.next_milestone else "",
    ]


projects_export = export_view(PROJECTS, _exported, projects_sheet)


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = projects_town(user)
    if not permissions.may_create_project(user, town):
        raise PermissionDenied(_("只有镇指挥室或管理员可以登记重点项目"))
    choices = _choices(town)
    form = ProjectForm(
        request.POST or None,
        initial={"year": timezone.localdate().year},
        groups=list(ProjectGroup.objects.filter(town=town).values_list("pk", "name")),
        departments=common.department_choices(town),
        villages=common.village_choices(town),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with common.FormRefusal(form):
            project = create_project(
                actor=user,
                data=ProjectInput(
                    name=data["name"],
                    type=data["type"],
                    group=ProjectGroup.objects.filter(town=town, pk=id_param(data["group"]) or 0).first(),
                    department=Department.objects.filter(town=town, pk=id_param(data["department"]) or 0).first(),
                    owner_name=data["owner_name"],
                    village=Area.objects.filter(town=town, pk=id_param(data["village"]) or 0).first(),
                    year=data["year"],
                    total_investment=data["total_investment"],
                    year_investment=data["year_investment"],
                    quantity=data["quantity"],
                    unit=data["unit"],
                    start_on=data["start_on"],
                    finish_on=data["finish_on"],
                ),
            )
            return redirect("ledgers:project", project.pk)
    return render(request, "ledgers/projects/new.html", {"form": form, **choices})
