"""Pages. Thin: fetch through the scope check, call domain functions, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.data.access.permissions import (
    available_actions,
    case_for,
    may_reveal_contact,
    memberships_of,
    out_of_reach,
)
from gridgov.data.cases.domain.deadlines import deadline_view
from gridgov.data.cases.domain.personal_data import (
    ReporterContact,
    reporter_contact,
    reveal_reporter_contact,
)
from gridgov.data.cases.domain.queries import overview
from gridgov.data.cases.domain.timeline import case_timeline
from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Attachment, Case, CaseAction
from gridgov.data.errors import DomainError, NotFound
from gridgov.data.org.enums import Role, SecurityEventKind
from gridgov.data.org.models import User
from gridgov.data.org.security import Client, record_event
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.schedule import schedule_reminders
from gridgov.ui.signed_in import signed_in_user
from gridgov.ui.web.forms import PasswordForm

# Which page a role lives in; the first role of the user in this order decides.
HOME_ORDER = (Role.OPERATOR, Role.HANDLER, Role.VILLAGE_STAFF, Role.LEADER, Role.ADMIN, Role.GRID_WORKER)


def home_role(user: User) -> Role | None:
    roles = {Role(m.role) for m in memberships_of(user)}
    for role in HOME_ORDER:
        if role in roles:
            return role
    if user.is_superuser or user.is_staff:
        return Role.ADMIN
    return next(iter(roles), None)


def phone_home_url() -> str | None:
    try:
        return reverse("phone:home")
    except NoReverseMatch:
        return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Open on the user's work: triage queue, department inbox, leader overview, phone pages, admin landing."""
    user = signed_in_user(request)
    role = home_role(user)
    if role == Role.OPERATOR:
        return redirect("web:triage")
    if role in (Role.HANDLER, Role.VILLAGE_STAFF):
        return redirect("web:inbox")
    if role == Role.LEADER:
        return render(
            request,
            "web/home_leader.html",
            {"overview": overview(user=user, now=timezone.now()), "statuses": Status.choices},
        )
    if role == Role.ADMIN:
        reminders = schedule_reminders(today=timezone.localdate(), calendar=WorkCalendar.load())
        return render(request, "web/home_admin.html", {"phone_url": phone_home_url(), "reminders": reminders})
    if role == Role.GRID_WORKER:
        phone = phone_home_url()
        if phone is not None:
            return redirect(phone)
    if role == Role.ENTERPRISE:
        return redirect("ledgers:enterprise_home")  # their company's phone home: self-check, requests, cases
    return redirect("web:cases")  # residents: the cases they reported


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        case = case_for(user, case_id=case_id)
    except NotFound:
        return case_out_of_reach(request, user, case_id)
    return render_case(request, case, contact=reporter_contact(case))


def case_out_of_reach(
    request: HttpRequest, user: User, case_id: int, *, template: str = "web/case_gone.html"
) -> HttpResponse:
    """The address of a case ``user`` may not see (a link in their 消息, e-mail or DingTalk message): if they
    were told of it or worked on it, a page (``template``: the desk's or the phone's) with its number and why it
    no longer opens — nothing else of the case; for anyone else the usual "not found"."""
    left = out_of_reach(user=user, case_ids=[case_id]).get(case_id)
    if left is None:
        raise Http404(_("事件不存在或您无权查看"))
    return render(request, template, {"number": left.number, "reason": left.reason}, status=404)


@login_required
@require_POST
def case_reveal_contact(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show the reporter's contact in full (command room, leaders); the unmasking is logged."""
    user = signed_in_user(request)
    case = case_or_404(user, case_id)
    try:
        contact = reveal_reporter_contact(user=user, case=case, client=Client.of(request))
    except DomainError as error:
        raise PermissionDenied(error.message) from None
    return render_case(request, case, contact=contact, revealed=True)


def case_or_404(user: User, case_id: int) -> Case:
    """The case ``user`` may see (on the desk, the phone or a ledger page); a 404 with the domain's message if not."""
    try:
        return case_for(user, case_id=case_id)
    except NotFound as exc:
        raise Http404(str(exc)) from None


def render_case(
    request: HttpRequest,
    case: Case,
    *,
    contact: ReporterContact | None = None,
    revealed: bool = False,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    actions = CaseAction.objects.filter(case=case).select_related("actor").prefetch_related("attachments")
    deadline = deadline_view(case, now=timezone.now(), calendar=WorkCalendar.load())
    contact = contact or reporter_contact(case)
    return render(
        request,
        "web/case_detail.html",
        {
            "case": case,
            "steps": case_timeline(case, actions, revealed=revealed),
            "deadline": deadline,
            "contact": contact,
            "can_reveal": contact.masked and may_reveal_contact(user=user, case=case),  # the button: while masked
            "available": available_actions(user=user, case=case),
            "problem": problem,
        },
        status=status,
    )


@login_required
def case_file(request: HttpRequest, case_id: int, attachment_id: int) -> FileResponse:
    """A photo of a case, served only to those who may see the case (photos can show people)."""
    case = case_or_404(signed_in_user(request), case_id)
    attachment = Attachment.objects.filter(pk=attachment_id, case=case).first()
    if attachment is None:
        raise Http404(_("附件不存在"))
    # Pages show the upright, metadata-free copies; the original (as uploaded) only on request.
    size = request.GET.get("size", "")
    stored = {"thumb": attachment.thumbnail, "display": attachment.display}.get(size)
    if stored:
        response = FileResponse(stored.open("rb"), content_type="image/jpeg")
    else:
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, user)
        record_event(kind=SecurityEventKind.PASSWORD_CHANGED, user=user, client=Client.of(request))
        messages.success(request, _("密码已修改"))
        return redirect("web:home")
    return render(request, "web/password_change.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record_event(kind=SecurityEventKind.LOGOUT, user=signed_in_user(request), client=Client.of(request))
    logout(request)
    return redirect("web:login")
