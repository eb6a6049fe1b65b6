"""The action forms of the case page: one view for every workflow action, its form derived from the
transition table. Errors never become error pages: a field error shows next to the field; a conflict or
a refused action shows the case again with what happened."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gridgov.data.access.permissions import available_actions, case_for, out_of_reach
from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.domain.similar import similar_open_cases
from gridgov.data.cases.enums import Action, AttachmentKind
from gridgov.data.cases.models import Case
from gridgov.data.cases.transitions import Transition
from gridgov.data.errors import Conflict, DomainError, InvalidInput, NotFound
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Department, Membership, User
from gridgov.data.taxonomy.models import Category
from gridgov.ui.refusals import show_refusal
from gridgov.ui.signed_in import is_htmx, signed_in_user
from gridgov.ui.web.forms import ActionForm
from gridgov.ui.web.views import render_case

PHOTO_KIND = {Action.RESOLVE: AttachmentKind.AFTER, Action.SELF_RESOLVE: AttachmentKind.AFTER}


def _form(request: HttpRequest, user: User, case: Case, transition: Transition) -> ActionForm:
    similar = similar_open_cases(user=user, case=case) if transition.action == Action.REJECT else []
    duplicates = [
        (
            s.case.pk,
            f"{s.case.number} · {s.case.category.local_name} · "
            + (_("相距%(m)s米") % {"m": round(s.distance_m)} if s.distance_m is not None else _("无位置"))
            + f" · {s.case.description[:30]}",
        )
        for s in similar
    ]
    units: dict[int, str] = {}  # who may be named the handler, and their units (a name alone says too little)
    for user_id, unit in (
        Membership.objects.filter(
            town_id=case.town_id,
            role__in=[Role.HANDLER, Role.VILLAGE_STAFF],
            department__isnull=False,
            active=True,
        )
        .order_by("department__code")
        .values_list("user_id", "department__name")
    ):
        units[user_id] = f"{units[user_id]}、{unit}" if user_id in units else unit
    return ActionForm(
        request.POST if request.method == "POST" else None,
        transition=transition,
        case=case,
        departments=Department.objects.filter(town_id=case.town_id, active=True).order_by("code"),
        handlers=User.objects.filter(pk__in=units).order_by("username"),
        handler_units=units,
        categories=Category.objects.filter(town_id=case.town_id, parent__isnull=False, active=True)
        .select_related("parent")
        .order_by("code"),
        duplicates=duplicates,
        initial={"expected_version": case.version},
    )


def _photos(request: HttpRequest, action: Action) -> list[Upload]:
    kind = PHOTO_KIND.get(action, AttachmentKind.OTHER)
    return [Upload(name=f.name or "photo", data=f.read(), kind=kind) for f in request.FILES.getlist("photos")]


@login_required
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        case = case_for(user, case_id=case_id)
    except NotFound:
        left = out_of_reach(user=user, case_ids=[case_id]).get(case_id)
        if left is not None:  # it was theirs; it has moved on (returned, reassigned): say so
            return _gone(request, f"{left.number}：{left.reason}")
        raise Http404(_("事件不存在或您无权查看")) from None
    transition = next((t for t in available_actions(user=user, case=case) if t.action == action), None)
    if transition is None:
        label = Action(action).label if action in Action.values else action
        problem = _("当前不能对事件 %(number)s 执行“%(action)s”（状态：%(status)s）") % {
            "number": case.number,
            "action": label,
            "status": case.get_status_display(),
        }
        return render_case(request, case, problem=problem, status=409)
    form = _form(request, user, case, transition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicate = None
        try:
            if data.get("duplicate_of"):
                duplicate = case_for(user, case_id=data["duplicate_of"])
            apply_action(
                case_id=case.pk,
                actor=user,
                action=transition.action,
                note=data.get("note", ""),
                expected_version=data["expected_version"],
                department=data.get("department"),
                handler=data.get("handler"),
                category=data.get("category") if data.get("category") != case.category else None,
                priority=data.get("priority") or None,
                duplicate_of=duplicate,
                extension=data.get("extension"),
                rating=data.get("rating"),
                photos=_photos(request, transition.action),
            )
        except InvalidInput as error:
            if error.field == "photos":  # not a form field: said once, beside the upload field, not also on top
                form.photo_error = error.message
            else:
                show_refusal(form, error)
        except NotFound:
            return _gone(request)
        except (Conflict, DomainError) as error:
            try:
                fresh = case_for(user, case_id=case.pk)
            except NotFound:
                return _gone(request, error.message)
            return render_case(request, fresh, problem=error.message, status=409)
        else:
            messages.success(
                request,
                _("已完成“%(action)s”：%(number)s") % {"action": transition.action.label, "number": case.number},
            )
            try:  # e.g. after a return the case is no longer the department's to see
                case_for(user, case_id=case.pk)
            except NotFound:
                return redirect("web:home")
            return redirect("web:case_detail", case_id=case.pk)
    template = "web/case_action.html#action_form" if is_htmx(request) else "web/case_action.html"
    # A form shown again after a POST kept what was typed, but a browser never refills a file input: say so.
    photos_lost = request.method == "POST" and bool(request.FILES.getlist("photos"))
    context = {"case": case, "form": form, "transition": transition, "photos_lost": photos_lost}
    return render(request, template, {**context, "photo_error": form.photo_error})


def _gone(request: HttpRequest, message: str = "") -> HttpResponse:
    messages.warning(request, message or _("该事件已不在您的办理范围内"))
    return redirect("web:home")
