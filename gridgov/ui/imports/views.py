"""Excel import pages, the same for every ledger: template, upload, dry-run report, confirm, progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.data.access.permissions import may_confirm_import
from gridgov.data.errors import DomainError, NotFound
from gridgov.data.org.models import User
from gridgov.data.sheets.framework import Importer, ImportReport, get_importer, importers
from gridgov.data.sheets.jobs import confirm_job, get_job, home_town, job_progress, start_job
from gridgov.data.sheets.models import ImportJob, JobMode, JobState
from gridgov.data.sheets.workbooks import template_workbook, workbook
from gridgov.ui.downloads import download
from gridgov.ui.imports.forms import UploadForm
from gridgov.ui.signed_in import is_htmx, signed_in_user


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    available = [i for i in importers() if i.allowed(user)]
    recent = ImportJob.objects.filter(user=user).defer("content")[:20]
    return render(request, "imports/index.html", {"importers": available, "recent": recent})


def _importer_or_404(user: User, name: str) -> Importer:
    """The importer named ``name`` if ``user`` may use it; a 404 alike for one that does not exist and one they
    may not use."""
    try:
        importer = get_importer(name)
    except NotFound:
        raise Http404 from None
    if not importer.allowed(user):
        raise Http404
    return importer


@login_required
def upload(request: HttpRequest, name: str) -> HttpResponse:
    user = signed_in_user(request)
    importer = _importer_or_404(user, name)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        town = home_town(user)
        if town is None:
            form.add_error(None, _("您的账号没有所属乡镇，无法导入"))
        else:
            uploaded = form.cleaned_data["file"]
            try:
                job = start_job(
                    importer_name=importer.name,
                    user=user,
                    town=town,
                    filename=uploaded.name,
                    content=uploaded.read(),
                    mode=JobMode.DRY_RUN,
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                return redirect("imports:job", job_id=job.pk)
    return render(request, "imports/upload.html", {"importer": importer, "form": form})


@login_required
def template(request: HttpRequest, name: str) -> HttpResponse:
    importer = _importer_or_404(signed_in_user(request), name)
    return download(template_workbook(importer), f"{importer.name}-template.xlsx")


def _job_or_404(request: HttpRequest, job_id: int) -> ImportJob:
    try:
        return get_job(job_id=job_id, user=signed_in_user(request))
    except NotFound:
        raise Http404 from None


@login_required
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    found = _job_or_404(request, job_id)
    importer = get_importer(found.importer)
    report = ImportReport.from_dict(found.report) if found.report else None
    context = {
        "job": found,
        "importer": importer,
        "progress": job_progress(found),
        "report": report,
        "finished": found.state in (JobState.DONE, JobState.FAILED),
        "to_write": report.valid - report.skipped if report else 0,
        "can_confirm": may_confirm_import(job=found, report=report),
    }
    template_name = "imports/job.html#status" if is_htmx(request) else "imports/job.html"
    return render(request, template_name, context)


@login_required
@require_POST
def confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    found = _job_or_404(request, job_id)
    try:
        started = confirm_job(job=found, user=signed_in_user(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("imports:job", job_id=found.pk)
    return redirect("imports:job", job_id=started.pk)


@login_required
def errors(request: HttpRequest, job_id: int) -> HttpResponse:
    found = _job_or_404(request, job_id)
    report = ImportReport.from_dict(found.report) if found.report else ImportReport(importer=found.importer)
    content = workbook(
        _("错误报告"),
        [_("行号"), _("列"), _("原因")],
        ([e.row, e.column, e.message] for e in report.errors),
    )
    return download(content, f"{found.importer}-errors-{found.pk}.xlsx")
