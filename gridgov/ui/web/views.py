"""Pages. Thin: fetch through the scope check, call domain functions, render."""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gridgov.data.cases.domain.deadlines import deadline_view, lamp_of
from gridgov.data.cases.domain.personal_data import (
    ReporterContact,
    can_reveal,
    reporter_contact,
    reveal_reporter_contact,
)
from gridgov.data.cases.models import Attachment, Case, CaseAction
from gridgov.data.cases.scope import get_case_for_user, memberships_of, visible_cases
from gridgov.data.errors import DomainError, NotFound
from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import User
from gridgov.data.org.security import Client, record_event
from gridgov.data.worktime.calendar import WorkCalendar

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    now = timezone.now()
    cases = list(
        visible_cases(user)
        .select_related("category", "village", "department")
        .order_by("-reported_at", "-id")[:PAGE_SIZE]
    )
    rows = [(case, lamp_of(case, now=now)) for case in cases]
    return render(
        request,
        "web/home.html",
        {"rows": rows, "memberships": memberships_of(user), "total": visible_cases(user).count()},
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = _case_or_404(user, case_id)
    return _render_case(request, case, contact=reporter_contact(case))


@login_required
@require_POST
def case_reveal_contact(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show the reporter's contact in full (command room, leaders); the unmasking is logged."""
    user = _user(request)
    case = _case_or_404(user, case_id)
    try:
        contact = reveal_reporter_contact(user=user, case=case, client=Client.of(request))
    except DomainError as error:
        return HttpResponse(error.message, status=403)
    return _render_case(request, case, contact=contact)


def _case_or_404(user: User, case_id: int) -> Case:
    try:
        return get_case_for_user(user, case_id=case_id)
    except NotFound as exc:
        raise Http404(str(exc)) from None


def _render_case(request: HttpRequest, case: Case, *, contact: ReporterContact) -> HttpResponse:
    actions = CaseAction.objects.filter(case=case).select_related("actor").prefetch_related("attachments")
    deadline = deadline_view(case, now=timezone.now(), calendar=WorkCalendar.load())
    return render(
        request,
        "web/case_detail.html",
        {
            "case": case,
            "actions": actions,
            "deadline": deadline,
            "contact": contact,
            "can_reveal": contact.masked and can_reveal(_user(request), case),
        },
    )


@login_required
def case_file(request: HttpRequest, case_id: int, attachment_id: int) -> FileResponse:
    """A photo of a case, served only to those who may see the case (photos can show people)."""
    case = _case_or_404(_user(request), case_id)
    attachment = Attachment.objects.filter(pk=attachment_id, case=case).first()
    if attachment is None:
        raise Http404("附件不存在")
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record_event(kind=SecurityEventKind.LOGOUT, user=_user(request), client=Client.of(request))
    logout(request)
    return redirect("web:login")


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: 200 "ok" when the app can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
