"""Phone pages for grid workers: my tasks, verify (核查) fixes, a light case page (reporting: ``report_views``).

Thin: read through ``access/permissions.py``, change through the engine, render. The public pages (no account)
are in ``public_views.py``.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from functools import reduce

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.data.access.idempotency import create_once, earlier_answer
from gridgov.data.access.permissions import (
    FIELD_ROLES,
    area_parts,
    case_for,
    may_verify,
    memberships_of,
    visible_cases,
)
from gridgov.data.cases.domain import reference
from gridgov.data.cases.domain.deadlines import deadline_view, deadline_views
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.domain.personal_data import shown_actor
from gridgov.data.cases.domain.queries import CaseList, keyset_of, older_than
from gridgov.data.cases.domain.timeline import case_timeline
from gridgov.data.cases.enums import Action, AttachmentKind, Status
from gridgov.data.cases.models import Attachment, Case, CaseAction
from gridgov.data.errors import Conflict, DomainError, InvalidInput, NotFound
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, User
from gridgov.types import JSONObject
from gridgov.ui.phone import outbox
from gridgov.ui.phone.forms import NoteForm, VerifyForm
from gridgov.ui.phone.uploads import photos_from
from gridgov.ui.refusals import show_refusal
from gridgov.ui.signed_in import signed_in_user
from gridgov.ui.web.templatetags.gridgov import cn_datetime
from gridgov.ui.web.views import case_or_404, case_out_of_reach

HOME_ROWS = 10
LIST_ROWS = 50
VERIFY_RELATIONS = ("category", "major_category", "village", "grid", "department")
VERIFY_ORDER = ("resolved_at", "id")


def field_town(user: User) -> Area | None:
    """The town of the user's grid-worker (or village staff) membership; None if they have neither."""
    for m in memberships_of(user):
        if m.role in FIELD_ROLES and m.area is not None and m.area.town_id is not None:
            return Area.objects.get(pk=m.area.town_id)
    return None


def not_a_field_user(request: HttpRequest) -> HttpResponse:
    return render(request, "phone/not_field_user.html", {"no_offline": True}, status=403)


def _field_page(view: Callable[[HttpRequest, User], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """A phone page for field users (grid workers, village staff), given the signed-in user; anyone else is shown
    ``not_a_field_user``."""

    @login_required
    @functools.wraps(view)
    def page(request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        if field_town(user) is None:
            return not_a_field_user(request)
        return view(request, user)

    return page


def verify_queue(user: User) -> CaseList:
    """Cases waiting for this grid worker's verification (核查): resolved, in the grids they patrol, oldest first.

    Each grid is one part read from the (town, status, resolved_at) index; the parts are merged in order."""
    parts = [
        Case.objects.filter(part, status=Status.RESOLVED).select_related(*VERIFY_RELATIONS)
        for part in area_parts(user, (Role.GRID_WORKER,))
    ]
    whole = reduce(operator.or_, parts, Case.objects.none()).order_by(*VERIFY_ORDER)
    return CaseList(queryset=whole, parts=parts, order=VERIFY_ORDER)


def my_reports(user: User) -> QuerySet[Case]:
    return (
        visible_cases(user)
        .filter(reporter=user)
        .select_related("category", "major_category", "village", "grid")
        .order_by("-reported_at", "-id")
    )


@_field_page
def home(request: HttpRequest, user: User) -> HttpResponse:
    now = timezone.now()
    queue = verify_queue(user)
    mine = my_reports(user)
    return render(
        request,
        "phone/home.html",
        {
            "to_verify": list(queue[:HOME_ROWS]),
            "to_verify_count": queue.count(),
            "mine": deadline_views(mine[:HOME_ROWS], now=now, calendar=reference.calendar()),
            "mine_count": mine.count(),
            "is_grid_worker": any(m.role == Role.GRID_WORKER for m in memberships_of(user)),
        },
    )


@_field_page
def verify_list(request: HttpRequest, user: User) -> HttpResponse:
    return render(request, "phone/verify_list.html", {"cases": list(verify_queue(user)[:LIST_ROWS])})


@_field_page
def mine(request: HttpRequest, user: User) -> HttpResponse:
    now = timezone.now()
    status = request.GET.get("status", "")
    qs = my_reports(user)
    if status in Status.values:
        qs = qs.filter(status=status)
    after = request.GET.get("after", "")
    if after:
        try:
            qs = older_than(qs, after)  # a keyset page: read on from the index where the last page ended
        except InvalidInput:
            after = ""
    cases = list(qs[: LIST_ROWS + 1])
    rows = deadline_views(cases[:LIST_ROWS], now=now, calendar=reference.calendar())
    more = keyset_of(cases[LIST_ROWS - 1]) if len(cases) > LIST_ROWS else ""
    return render(
        request,
        "phone/mine.html",
        {"rows": rows, "status": status, "statuses": Status.choices, "more": more, "after": after},
    )


# ---------------------------------------------------------------------------------------------------
# Case page and verification (核查)


def _render_case(
    request: HttpRequest, case: Case, *, form: VerifyForm | None = None, problem: str = "", status: int = 200
) -> HttpResponse:
    user = signed_in_user(request)
    actions = list(CaseAction.objects.filter(case=case).order_by("seq"))
    photos = list(Attachment.objects.filter(case=case).order_by("id"))
    can_verify = may_verify(user=user, case=case)
    if can_verify and form is None:
        form = VerifyForm(initial={"expected_version": case.version})
    return render(
        request,
        "phone/case.html",
        {
            "case": case,
            "steps": case_timeline(case, actions),
            "before_photos": [p for p in photos if p.kind != AttachmentKind.AFTER],
            "after_photos": [p for p in photos if p.kind == AttachmentKind.AFTER],
            "deadline": deadline_view(case, now=timezone.now(), calendar=reference.calendar()),
            "can_verify": can_verify,
            "form": form,
            "problem": problem,
            "note_form": NoteForm(auto_id="id_note_%s"),
        },
        status=status,
    )


@login_required
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case on the phone; one that has left its reader (returned, reassigned, out of their scope now) says so,
    as the desk's case page does (``case_out_of_reach``)."""
    user = signed_in_user(request)
    try:
        found = case_for(user, case_id=case_id)
    except NotFound:
        return case_out_of_reach(request, user, case_id, template="phone/case_gone.html")
    return _render_case(request, found)


type CaseStep[F: (VerifyForm, NoteForm)] = Callable[[HttpRequest, User, Case, F], HttpResponse]


def _case_step[F: (VerifyForm, NoteForm)](
    form_class: type[F],
) -> Callable[[CaseStep[F]], Callable[[HttpRequest, int], HttpResponse]]:
    """A step a signed-in worker takes on a case from the phone, by POST with a ``form_class`` form. Sent from the
    phone's outbox (with an Idempotency-Key) it is taken once and answered in JSON (``_act_once``); from the
    page's own form, the view is given the case (a 404 unless in the user's scope) and the bound form."""

    def wrap(view: CaseStep[F]) -> Callable[[HttpRequest, int], HttpResponse]:
        @login_required
        @require_POST
        @functools.wraps(view)
        def step(request: HttpRequest, case_id: int) -> HttpResponse:
            user = signed_in_user(request)
            form = form_class(request.POST)
            key = outbox.key_of(request)
            if key is not None:
                return _act_once(request, user, case_id, key, form)
            return view(request, user, case_or_404(user, case_id), form)

        return step

    return wrap


@_case_step(VerifyForm)
def verify(request: HttpRequest, user: User, found: Case, form: VerifyForm) -> HttpResponse:
    if not form.is_valid():
        return _render_case(request, found, form=form, status=400)
    try:
        _take_step(request, user, found, form)
    except InvalidInput as error:
        show_refusal(form, error)
        return _render_case(request, found, form=form, status=400)
    except (Conflict, DomainError) as error:
        # Someone acted first (or the case left this user's hands): show what happened, on fresh data.
        try:
            fresh = case_for(user, case_id=found.pk)
        except NotFound:
            return render(request, "phone/gone.html", {"problem": error.message}, status=409)
        return _render_case(request, fresh, problem=error.message, status=409)
    messages.success(request, _step_message(found, form))
    return redirect("phone:verify_list")


@_case_step(NoteForm)
def note(request: HttpRequest, user: User, found: Case, form: NoteForm) -> HttpResponse:
    """A progress note (进展备注) on a case in scope: the engine's comment action."""
    if form.is_valid():
        try:
            _take_step(request, user, found, form)
        except DomainError as error:
            return _render_case(request, found, problem=error.message, status=409)
        messages.success(request, _step_message(found, form))
        return redirect("phone:case", case_id=found.pk)
    return _render_case(request, found, problem=" ".join(str(e) for e in form.errors.get("note", [])), status=400)


def _step_message(case: Case, form: VerifyForm | NoteForm) -> str:
    """What the worker is told once the step is taken (on the page, or in the outbox's answer)."""
    if isinstance(form, NoteForm):
        return _("已添加进展备注")
    if form.cleaned_data["decision"] == "pass":
        return _("事件 %(n)s 核查通过，已结案") % {"n": case.number}
    return _("事件 %(n)s 核查不通过，已退回处置部门返工") % {"n": case.number}


def _take_step(request: HttpRequest, user: User, found: Case, form: VerifyForm | NoteForm) -> Case:
    """The engine's action the valid ``form`` asks for on ``found``, with its note and the site photos chosen: a
    verification, passed or failed against the version the worker saw, or a progress note; the case as it is now."""
    data = form.cleaned_data
    if isinstance(form, VerifyForm):
        action = Action.VERIFY_PASS if data["decision"] == "pass" else Action.VERIFY_FAIL
        expected_version = data["expected_version"]
    else:
        action, expected_version = Action.COMMENT, None
    apply_action(
        case_id=found.pk,
        actor=user,
        action=action,
        note=data["note"],
        expected_version=expected_version,
        photos=photos_from(request, "photos", AttachmentKind.OTHER),
    )
    return Case.objects.get(pk=found.pk)


def _act_once(request: HttpRequest, user: User, case_id: int, key: str, form: VerifyForm | NoteForm) -> JsonResponse:
    """An action from the outbox on a case: taken once per key, against the version the worker saw."""
    body = outbox.body_of(request)
    try:
        earlier = earlier_answer(user=user, key=key, body=body)
    except InvalidInput as error:
        return outbox.refused(error.message)
    if earlier is not None:  # a resend of an action already taken: its first answer
        return outbox.answered(earlier)
    try:
        found = case_for(user, case_id=case_id)
    except NotFound as error:
        return outbox.refused(error.message, status=404)
    if not form.is_valid():
        return outbox.form_refused(form)

    def act() -> Case:
        return _take_step(request, user, found, form)

    def render_case(case: Case) -> JSONObject:
        return outbox.case_answer(case, _step_message(case, form))

    try:
        answer = create_once(user=user, key=key, body=body, create=act, render=render_case)
    except Conflict as error:  # the case changed meanwhile: nothing is overwritten, the worker sees why
        fresh = Case.objects.filter(pk=found.pk).first()
        return outbox.refused(
            error.message,
            status=409,
            conflict=True,
            number=found.number,
            status_label=str(fresh.get_status_display()) if fresh else "",
            happened=_latest_steps(found.pk),
        )
    except DomainError as error:
        return outbox.refused(error.message, number=found.number)
    return outbox.answered(answer)


CONFLICT_STEPS = 3


def _latest_steps(case_id: int) -> list[str]:
    """The case's latest steps, newest first, as the outbox shows them beside a conflict: what happened."""
    steps = CaseAction.objects.filter(case_id=case_id).order_by("-seq")[:CONFLICT_STEPS]
    return [
        " · ".join(
            part
            for part in (
                str(step.get_action_display()),
                shown_actor(step) or _("群众"),
                cn_datetime(step.created_at),
                step.note[:60],
            )
            if part
        )
        for step in steps
    ]


@login_required
def photo(request: HttpRequest, case_id: int, attachment_id: int, size: str) -> FileResponse:
    """A photo of a case in scope: the thumbnail, the display copy, or the kept original."""
    found = case_or_404(signed_in_user(request), case_id)
    attachment = Attachment.objects.filter(pk=attachment_id, case=found).first()
    if attachment is None or size not in ("thumb", "display", "original"):
        raise Http404(_("照片不存在"))
    return photo_response(attachment, size, private=True)


def photo_response(attachment: Attachment, size: str, *, private: bool) -> FileResponse:
    if size == "thumb" and attachment.thumbnail:
        stored, content_type = attachment.thumbnail, "image/jpeg"
    elif size in ("thumb", "display") and attachment.display:
        stored, content_type = attachment.display, "image/jpeg"
    elif private:  # photos from before display copies existed, or the original on request
        stored, content_type = attachment.file, attachment.content_type
    else:
        raise Http404(_("照片不存在"))
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Cache-Control"] = f"{'private' if private else 'public'}, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
