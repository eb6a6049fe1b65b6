"""One key project's pages (重点项目): its milestones with their lamps and supervision cases, its progress reports,
the forms that report progress (with site photos) and mark a milestone done — htmx swaps the project's body —, the
photos (served only within the project's scope) and the command room's milestone plan. Every read goes through the
permission module (``visible_projects``), every write through ``projects.domain``, which checks who acts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.data.access import permissions
from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.enums import AttachmentKind, Lamp
from gridgov.data.errors import DomainError, InvalidInput
from gridgov.data.org.models import User
from gridgov.data.projects.domain import (
    MilestoneInput,
    ProgressInput,
    edit_milestones,
    mark_milestone_done,
    record_progress,
)
from gridgov.data.projects.models import Milestone, ProgressPhoto, ProgressReport, Project
from gridgov.data.projects.schedule import lamp_of_project, milestone_lamp, schedule_of
from gridgov.data.sheets import cells
from gridgov.data.sheets.framework import RowInvalid
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_projects import MilestoneDoneForm, MilestonesForm, ProgressForm
from gridgov.ui.phone.uploads import photos_from
from gridgov.ui.signed_in import is_htmx, signed_in_user


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


def _project_kept(
    request: HttpRequest, project_id: int, may: Callable[[User, Project], bool], refusal: str
) -> tuple[User, Project]:
    """The signed-in user and the project they see, when ``may`` (a permission check) lets them keep it as the page
    asks; 403 with ``refusal`` otherwise."""
    user = signed_in_user(request)
    project = _project(user, project_id)
    if not may(user, project):
        raise PermissionDenied(refusal)
    return user, project


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
    user, project = _project_kept(
        request, project_id, permissions.may_report_progress, _("只有责任部门或镇指挥室可以填报项目进展")
    )
    form = ProgressForm(request.POST, request.FILES)
    chose_photos = any(f.name for f in request.FILES.getlist("photos"))
    if form.is_valid():
        data = form.cleaned_data
        with common.FormRefusal(form):
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
    user, project = _project_kept(
        request, project_id, permissions.may_report_progress, _("只有责任部门或镇指挥室可以确认项目节点完成")
    )
    milestone = get_object_or_404(Milestone.objects.select_related("project__town"), pk=milestone_id, project=project)
    form = MilestoneDoneForm(request.POST)
    if form.is_valid():
        with common.FormRefusal(form):
            mark_milestone_done(actor=user, milestone=milestone, done_on=form.cleaned_data["done_on"])
            if not is_htmx(request):
                return redirect("ledgers:project", project.pk)
    return _body(request, _detail_context(user, project, done_form=form))


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
    user, project = _project_kept(
        request, project_id, permissions.may_manage_project, _("只有镇指挥室或管理员可以调整项目节点")
    )
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
