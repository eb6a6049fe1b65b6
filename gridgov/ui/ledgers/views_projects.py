"""Key projects (重点项目) and rural works: the list (filters by type, group, schedule, lamp, village, department and
year; Excel export), a project's page (its milestones with their lamps and supervision cases, its progress reports,
the forms that report progress (with site photos) and mark a milestone done — htmx swaps the project's body), the
photos (served only within the project's scope), and the form that adds a project. Every read goes through the
permission module (``visible_projects``), every write through ``projects.domain``, which checks who acts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.data.access import permissions
from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.enums import AttachmentKind, Lamp
from gridgov.data.errors import DomainError, InvalidInput
from gridgov.data.org.models import Area, Department, User
from gridgov.data.projects import figures
from gridgov.data.projects.domain import (
    MilestoneInput,
    ProgressInput,
    ProjectInput,
    create_project,
    edit_milestones,
    mark_milestone_done,
    record_progress,
)
from gridgov.data.projects.enums import ProjectStatus, ProjectType, Schedule
from gridgov.data.projects.models import Milestone, ProgressPhoto, ProgressReport, Project, ProjectGroup
from gridgov.data.projects.schedule import lamp_of_project, lamp_q, milestone_lamp, schedule_of, schedule_q
from gridgov.data.sheets import cells
from gridgov.data.sheets.framework import RowInvalid
from gridgov.data.sheets.workbooks import workbook
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_projects import MilestoneDoneForm, MilestonesForm, ProgressForm, ProjectForm
from gridgov.ui.params import id_param, year_param
from gridgov.ui.phone.uploads import photos_from
from gridgov.ui.signed_in import is_htmx, signed_in_user
from gridgov.ui.web.menu import may_use_projects

PAGE_SIZE = 50
FILTERS = ("year", "type", "group", "schedule", "lamp", "village", "department", "status", "unit")
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
    user = signed_in_user(request)
    town = projects_town(user)
    today = timezone.localdate()
    params = common.list_params(request, *FILTERS)
    qs = _projects(user, town, params, today=today)
    context = common.page_context(request, _listed(qs), PAGE_SIZE)
    totals = qs.order_by().aggregate(total=Sum("total_investment"), year=Sum("year_investment"))
    largest = _largest_group(town, year_param(params.get("year")) or today.year) if params["group"] == LARGEST else None
    context.update(
        {
            "largest_group": largest,
            "rows": [_row(p, today=today) for p in context["page"].object_list],
            "params": params,
            "totals": totals,
            "may_add": permissions.may_create_project(user, town),
            **_choices(town),
        }
    )
    return common.render_list(request, "ledgers/projects/list.html", context, rows="rows")


@login_required
def projects_export(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = projects_town(user)
    today = timezone.localdate()
    listed = _listed(_projects(user, town, common.list_params(request, *FILTERS), today=today))
    rows = (
        [
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
        for r in (_row(p, today=today) for p in listed)
    )
    headers = [
        _("年度"),
        _("项目名称"),
        _("项目类型"),
        _("项目群"),
        _("责任部门"),
        _("责任人"),
        _("所在村"),
        _("计划总投资（元）"),
        _("年度计划投资（元）"),
        _("工程量"),
        _("单位"),
        _("进度"),
        _("预警"),
        _("下一节点"),
        _("计划日期"),
    ]
    return common.dated_xlsx(_("重点项目"), workbook(_("重点项目"), headers, rows))


# ---------------------------------------------------------------------------------------------------
# One project


def _project(user: User, project_id: int) -> Project:
    found = (
        permissions.visible_projects(user)
        .select_related("town", "group", "department", "village")
        .filter(pk=project_id)
        .first()
    )
    if found is None:
        raise Http404(_("项目不存在或您无权查看"))
    return found


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    lamp: Lamp


def _detail_context(user: User, project: Project, **forms: object) -> dict[str, object]:
    today = timezone.localdate()
    milestones = list(project.milestones.select_related("case").order_by("order"))
    reports = list(
        ProgressReport.objects.filter(project=project)
        .select_related("reporter")
        .prefetch_related(Prefetch("photos", queryset=ProgressPhoto.objects.order_by("pk")))
    )
    may_report = permissions.may_report_progress(user, project)
    return {
        "project": project,
        "milestones": [MilestoneRow(m, milestone_lamp(m, today=today)) for m in milestones],
        "schedule": schedule_of(milestones, today=today),
        "lamp": lamp_of_project(milestones, today=today),
        "reports": reports,
        "completed": sum((r.investment for r in reports if r.year == project.year), start=Decimal(0)),
        "may_report": may_report,
        "may_manage": permissions.may_manage_project(user, project),
        "progress_form": forms.get("progress_form") or ProgressForm(initial={"year": today.year, "month": today.month}),
        "done_form": forms.get("done_form") or MilestoneDoneForm(initial={"done_on": today}),
        "photo_lost": bool(forms.get("photo_lost")),
    }


def _body(request: HttpRequest, context: dict[str, object]) -> HttpResponse:
    template = "ledgers/projects/detail.html"
    return render(request, f"{template}#body" if is_htmx(request) else template, context)


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    user = signed_in_user(request)
    return _body(request, _detail_context(user, _project(user, project_id)))


def _site_photos(request: HttpRequest) -> list[Upload]:
    """The form's site photos, checked by content (InvalidInput on ``photos`` naming the file)."""
    return photos_from(request, "photos", AttachmentKind.OTHER)


@login_required
@require_POST
def project_progress(request: HttpRequest, project_id: int) -> HttpResponse:
    user = signed_in_user(request)
    project = _project(user, project_id)
    if not permissions.may_report_progress(user, project):
        raise PermissionDenied(_("只有责任部门或镇指挥室可以填报项目进展"))
    form = ProgressForm(request.POST, request.FILES)
    chose_photos = any(f.name for f in request.FILES.getlist("photos"))
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_progress(
                actor=user,
                data=ProgressInput(
                    project=project,
                    year=data["year"],
                    month=data["month"],
                    investment=data["investment"],
                    note=data["note"],
                    photos=tuple(_site_photos(request)),
                ),
            )
        except DomainError as error:
            common.put_error(form, error)
        else:
            if not is_htmx(request):
                return redirect("ledgers:project", project.pk)
            form = ProgressForm(initial={"year": data["year"], "month": data["month"]})
            chose_photos = False
    # A browser never refills a file input: the photos chosen are lost when the form comes back with an error.
    return _body(request, _detail_context(user, project, progress_form=form, photo_lost=chose_photos))


@login_required
def progress_photo(request: HttpRequest, project_id: int, photo_id: int, size: str) -> FileResponse:
    """A site photo of a project the user may see (``visible_projects``): its thumbnail or display copy."""
    project = _project(signed_in_user(request), project_id)
    photo = ProgressPhoto.objects.filter(pk=photo_id, report__project=project).first()
    if photo is None or size not in ("thumb", "display"):
        raise Http404(_("照片不存在"))
    stored = photo.thumbnail if size == "thumb" else photo.display
    response = FileResponse(stored.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def milestone_done(request: HttpRequest, project_id: int, milestone_id: int) -> HttpResponse:
    user = signed_in_user(request)
    project = _project(user, project_id)
    if not permissions.may_report_progress(user, project):
        raise PermissionDenied(_("只有责任部门或镇指挥室可以确认项目节点完成"))
    milestone = get_object_or_404(Milestone.objects.select_related("project__town"), pk=milestone_id, project=project)
    form = MilestoneDoneForm(request.POST)
    if form.is_valid():
        try:
            mark_milestone_done(actor=user, milestone=milestone, done_on=form.cleaned_data["done_on"])
        except DomainError as error:
            common.put_error(form, error)
        else:
            if not is_htmx(request):
                return redirect("ledgers:project", project.pk)
    return _body(request, _detail_context(user, project, done_form=form))


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
        try:
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
        except DomainError as error:
            common.put_error(form, error)
        else:
            return redirect("ledgers:project", project.pk)
    return render(request, "ledgers/projects/new.html", {"form": form, **choices})


def _milestone_lines(text: str) -> list[MilestoneInput]:
    """ "开工 2026年3月1日" per line → milestones (a line's date as Chinese users write it); InvalidInput naming the
    line otherwise."""
    found: list[MilestoneInput] = []
    for number, line in enumerate((raw.strip() for raw in text.splitlines()), start=1):
        if not line:
            continue
        name, _space, day = line.rpartition(" ")
        try:
            planned = cells.required_date(day, column="lines")
        except RowInvalid as error:
            raise InvalidInput(
                _("第%(n)s行：%(reason)s") % {"n": number, "reason": error.message}, field="lines"
            ) from None
        found.append(MilestoneInput(name=name.strip(), planned_on=planned))
    return found


@login_required
def project_milestones(request: HttpRequest, project_id: int) -> HttpResponse:
    """The command room adjusts a project's milestones (names and planned dates, in order)."""
    user = signed_in_user(request)
    project = _project(user, project_id)
    if not permissions.may_manage_project(user, project):
        raise PermissionDenied(_("只有镇指挥室或管理员可以调整项目节点"))
    current = "\n".join(f"{m.name} {m.planned_on.isoformat()}" for m in project.milestones.order_by("order"))
    form = MilestonesForm(request.POST or None, initial={"lines": current})
    if request.method == "POST" and form.is_valid():
        try:
            edit_milestones(actor=user, project=project, milestones=_milestone_lines(form.cleaned_data["lines"]))
        except DomainError as error:
            form.add_error("lines", error.message)
        else:
            return redirect("ledgers:project", project.pk)
    return render(request, "ledgers/projects/milestones.html", {"form": form, "project": project})
