"""Phone pages for grid workers: my tasks, report an event, verify (核查) fixes, a light case page.

Thin: read through ``access/permissions.py``, change through the engine, render. The public pages (no account)
are in ``public_views.py``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import reduce
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gridgov.data.access.idempotency import create_once, earlier_answer
from gridgov.data.access.permissions import area_parts, available_actions, case_for, memberships_of, visible_cases
from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.deadlines import lamp_of
from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.domain.queries import CaseList, keyset_of, older_than
from gridgov.data.cases.enums import Action, AttachmentKind, Channel, Status
from gridgov.data.cases.models import Attachment, Case, CaseAction
from gridgov.data.errors import Conflict, DomainError, InvalidInput, NotFound
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, User
from gridgov.data.taxonomy.domain import resolve_category
from gridgov.data.taxonomy.search import search_categories, town_index
from gridgov.ui.phone import outbox
from gridgov.ui.phone.forms import LocationFields, NoteForm, ReportForm, VerifyForm
from gridgov.ui.phone.places import area_choices, parse_point, place_from_photos, place_point
from gridgov.ui.phone.uploads import photos_from
from gridgov.ui.signed_in import signed_in_user
from gridgov.ui.web import once
from gridgov.ui.web.templatetags.gridgov import cn_datetime

HOME_ROWS = 10
LIST_ROWS = 50
FIELD_ROLES = (Role.GRID_WORKER, Role.VILLAGE_STAFF)
VERIFY_RELATIONS = ("category", "major_category", "village", "grid", "department")
VERIFY_ORDER = ("resolved_at", "id")


def field_town(user: User) -> Area | None:
    """The town of the user's grid-worker (or village staff) membership; None if they have neither."""
    for m in memberships_of(user):
        if m.role in FIELD_ROLES and m.area is not None and m.area.town_id is not None:
            return Area.objects.get(pk=m.area.town_id)
    return None


def _home_area(user: User) -> Area | None:
    """The area a new report is placed in by default: the user's first grid (or village)."""
    for m in memberships_of(user):
        if m.role in FIELD_ROLES and m.area is not None:
            return m.area
    return None


def _not_a_field_user(request: HttpRequest) -> HttpResponse:
    return render(request, "phone/not_field_user.html", {"no_offline": True}, status=403)


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


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if field_town(user) is None:
        return _not_a_field_user(request)
    now = timezone.now()
    queue = verify_queue(user)
    mine = my_reports(user)
    return render(
        request,
        "phone/home.html",
        {
            "to_verify": list(queue[:HOME_ROWS]),
            "to_verify_count": queue.count(),
            "mine": [(case, lamp_of(case, now=now)) for case in mine[:HOME_ROWS]],
            "mine_count": mine.count(),
            "is_grid_worker": any(m.role == Role.GRID_WORKER for m in memberships_of(user)),
        },
    )


@login_required
def verify_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if field_town(user) is None:
        return _not_a_field_user(request)
    return render(request, "phone/verify_list.html", {"cases": list(verify_queue(user)[:LIST_ROWS])})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if field_town(user) is None:
        return _not_a_field_user(request)
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
    rows = [(case, lamp_of(case, now=now)) for case in cases[:LIST_ROWS]]
    more = keyset_of(cases[LIST_ROWS - 1]) if len(cases) > LIST_ROWS else ""
    return render(
        request,
        "phone/mine.html",
        {"rows": rows, "status": status, "statuses": Status.choices, "more": more, "after": after},
    )


# ---------------------------------------------------------------------------------------------------
# Report


def report_context(request: HttpRequest, town: Area, form: LocationFields, **extra: object) -> dict[str, object]:
    """What the report forms render: the picker (with the chosen category kept), the place, the map."""
    index = town_index(town)
    chosen = _int(str(form["category"].value() or ""))
    selected = next((entry for entry in index.entries if entry.id == chosen), None)
    return {
        "form": form,
        "town": town,
        "majors": index.majors,
        "all_categories": index.entries,  # the list for browsers without JavaScript
        "selected_category": selected,
        "map_tiles": map_tiles(),
        **extra,
    }


def map_tiles() -> str:
    """An optional tile server for the map-pin step (GRIDGOV_MAP_TILES); without it, only our boundaries."""
    return str(getattr(settings, "GRIDGOV_MAP_TILES", ""))


def add_domain_error(form: LocationFields, error: InvalidInput, *, rename: dict[str, str] | None = None) -> None:
    """Show a domain error next to its field (or at the top of the form when it names none we show)."""
    field = (rename or {}).get(error.field or "", error.field or "")
    if field in form.fields:
        form.add_error(field, error.message)
    else:
        form.add_error(None, error.message)


def locate_and_area(
    form: LocationFields, town: Area, photos: Sequence[Upload] = ()
) -> tuple[Area | None, tuple[Decimal, Decimal] | None]:
    """The chosen (or located) area and the point; InvalidInput for a bad or out-of-town point.

    With neither an area nor a point, the GPS point a photo carries (inside the town) is used.
    """
    point = parse_point(form.cleaned_data.get("latitude") or "", form.cleaned_data.get("longitude") or "")
    area_id = form.cleaned_data.get("area")
    area = Area.objects.filter(pk=area_id, town=town).first() if area_id else None
    if point is not None:
        place = place_point(town=town, latitude=point[0], longitude=point[1])
        area = area or place.area
    elif area is None:
        hint = place_from_photos(town=town, photos=photos)
        if hint is not None:
            area, point = hint.area, (hint.latitude, hint.longitude)
    return area, point


@login_required
def report(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = field_town(user)
    if town is None:
        if outbox.key_of(request) is not None:
            return outbox.refused(_("此账号没有网格员或村干部身份，不能上报"), status=403)
        return _not_a_field_user(request)
    areas = area_choices(town)
    if request.method != "POST":
        home_area = _home_area(user)
        form = ReportForm(areas=areas, initial={"area": home_area.pk if home_area else None})
        return render(request, "phone/report.html", report_context(request, town, form))

    key = outbox.key_of(request)
    if key is not None:  # sent from the phone's outbox: JSON answers, once per Idempotency-Key
        return _report_once(request, user, town, ReportForm(request.POST, areas=areas), key)
    claim = once.claim(request)
    if claim.state is once.State.USED:  # a second press of 上报: go where the first one went
        return redirect(claim.result_url or reverse("phone:mine"))
    form = ReportForm(request.POST, areas=areas)
    chose_photos = any(f.name for key in ("photos", "after_photos") for f in request.FILES.getlist(key))
    if claim.state is once.State.INVALID:
        form.add_error(None, _("表单已失效（打开时间过长或已提交过），请检查后重新提交"))
    if form.is_valid() and claim.state is once.State.FRESH:
        try:
            case = _create_report(request, user, town, form)
        except InvalidInput as error:
            add_domain_error(form, error, rename={"note": "resolution_note", "resolve_on_spot": "resolution_note"})
        except DomainError as error:  # e.g. resolving on the spot outside the grids one patrols
            form.add_error(None, error.message)
        else:
            url = reverse("phone:case", args=[case.pk])
            once.finish(claim, url)
            messages.success(request, _report_message(case))
            return redirect(url)
    once.release(claim)
    return render(
        request,
        "phone/report.html",
        report_context(request, town, form, photos_lost=chose_photos),
    )


def _report_message(case: Case) -> str:
    if case.status == Status.CLOSED:
        return _("已上报并自行处置，事件编号 %(n)s") % {"n": case.number}
    return _("上报成功，事件编号 %(n)s") % {"n": case.number}


def _create_report(
    request: HttpRequest,
    user: User,
    town: Area,
    form: ReportForm,
    on_written: Callable[[Case], None] | None = None,
) -> Case:
    """The case a valid report form describes (InvalidInput/DomainError when the domain refuses it)."""
    photos = photos_from(request, "photos", AttachmentKind.BEFORE)
    on_spot = bool(form.cleaned_data["resolve_on_spot"])
    after = photos_from(request, "after_photos", AttachmentKind.AFTER) if on_spot else []
    if on_spot and not after:
        raise InvalidInput(_("自行处置需要上传至少一张处置后照片"), field="after_photos")
    area, point = locate_and_area(form, town, photos)
    if area is None and point is None:
        area = _home_area(user)  # neither chosen nor located: the worker's own grid
    return report_case(
        town=town,
        reporter=user,
        channel=Channel.GRID_WORKER if any(m.role == Role.GRID_WORKER for m in memberships_of(user)) else Channel.OTHER,
        category=resolve_category(town=town, category_id=form.cleaned_data["category"]),
        description=form.cleaned_data["description"],
        area=area,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        address=form.cleaned_data["address"],
        photos=photos,
        resolve_on_spot=on_spot,
        resolution_note=form.cleaned_data["resolution_note"],
        resolution_photos=after,
        on_written=on_written,
    )


def _report_once(request: HttpRequest, user: User, town: Area, form: ReportForm, key: str) -> JsonResponse:
    """A report from the outbox: created once per key; a resend gets the first answer again."""
    if not form.is_valid():
        return outbox.form_refused(form)

    def render_case(case: Case) -> dict[str, Any]:
        return outbox.case_answer(case, _report_message(case))

    def create(on_written: Callable[[Case], None]) -> Case:
        return _create_report(request, user, town, form, on_written)

    try:
        answer = create_once(
            user=user, key=key, body=outbox.body_of(request), create_recording=create, render=render_case
        )
    except DomainError as error:
        return outbox.refused(error.message)
    return outbox.answered(answer)


@require_GET
def categories(request: HttpRequest) -> HttpResponse:
    """htmx: the category picker's results for a search text or a major category chip."""
    town = _town_param(request)
    if town is None:
        raise Http404(_("乡镇不存在"))
    query = request.GET.get("q", "")[:40]
    major = _int(request.GET.get("major"))
    results = search_categories(town=town, query=query, major_id=major)
    return render(
        request,
        "phone/report_parts.html#categories",
        {"results": results, "query": query, "searched": bool(query.strip()) or major is not None},
    )


@require_GET
def locate(request: HttpRequest) -> HttpResponse:
    """htmx: the village/grid holding a GPS fix or map pin, as the form's place fields."""
    town = _town_param(request)
    if town is None:
        raise Http404(_("乡镇不存在"))
    latitude, longitude = request.GET.get("latitude", ""), request.GET.get("longitude", "")
    place = None
    error = ""
    try:
        point = parse_point(latitude, longitude)
        if point is not None:
            place = place_point(town=town, latitude=point[0], longitude=point[1])
    except InvalidInput as exc:
        error = exc.message
    initial: dict[str, object] = {}
    if place is not None:
        initial = {
            "latitude": place.latitude,
            "longitude": place.longitude,
            "area": place.area.pk if place.area else None,
        }
    return render(
        request,
        "phone/report_parts.html#place",
        {
            "form": LocationFields(initial=initial, areas=area_choices(town)),
            "town": town,
            "place": place,
            "locate_error": error,
            "accuracy": _int(request.GET.get("accuracy", "")[:6]),
            "map_tiles": map_tiles(),
        },
    )


@require_GET
def town_map(request: HttpRequest) -> JsonResponse:
    """The town's village and grid boundaries as GeoJSON, for the map-pin step (public data)."""
    town = _town_param(request)
    if town is None:
        raise Http404(_("乡镇不存在"))
    features = [
        {"type": "Feature", "geometry": a.boundary, "properties": {"name": a.name, "level": a.level}}
        for a in Area.objects.filter(town=town, boundary__isnull=False).order_by("path")
        if a.boundary
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _town_param(request: HttpRequest) -> Area | None:
    town_id = _int(request.GET.get("town"))
    return Area.objects.filter(pk=town_id, level=AreaLevel.TOWN).first() if town_id is not None else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------------
# Case page and verification (核查)


def _case_or_404(user: User, case_id: int) -> Case:
    try:
        return case_for(user, case_id=case_id)
    except NotFound as exc:
        raise Http404(str(exc)) from None


def _render_case(
    request: HttpRequest, case: Case, *, form: VerifyForm | None = None, problem: str = "", status: int = 200
) -> HttpResponse:
    user = signed_in_user(request)
    actions = list(CaseAction.objects.filter(case=case).order_by("seq"))
    photos = list(Attachment.objects.filter(case=case).order_by("id"))
    can_verify = any(t.action == Action.VERIFY_PASS for t in available_actions(user=user, case=case))
    if can_verify and form is None:
        form = VerifyForm(initial={"expected_version": case.version})
    return render(
        request,
        "phone/case.html",
        {
            "case": case,
            "actions": actions,
            "before_photos": [p for p in photos if p.kind != AttachmentKind.AFTER],
            "after_photos": [p for p in photos if p.kind == AttachmentKind.AFTER],
            "lamp": lamp_of(case, now=timezone.now()),
            "can_verify": can_verify,
            "form": form,
            "problem": problem,
            "note_form": NoteForm(auto_id="id_note_%s"),
        },
        status=status,
    )


@login_required
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    return _render_case(request, _case_or_404(signed_in_user(request), case_id))


@login_required
@require_POST
def verify(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    key = outbox.key_of(request)
    if key is not None:
        return _act_once(request, user, case_id, key, VerifyForm(request.POST))
    found = _case_or_404(user, case_id)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return _render_case(request, found, form=form, status=400)
    passed = form.cleaned_data["decision"] == "pass"
    try:
        _verify(request, user, found, form)
    except InvalidInput as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
        else:
            form.add_error(None, error.message)
        return _render_case(request, found, form=form, status=400)
    except (Conflict, DomainError) as error:
        # Someone acted first (or the case left this user's hands): show what happened, on fresh data.
        try:
            fresh = case_for(user, case_id=case_id)
        except NotFound:
            return render(request, "phone/gone.html", {"problem": error.message}, status=409)
        return _render_case(request, fresh, problem=error.message, status=409)
    messages.success(request, _verify_message(found, passed=passed))
    return redirect("phone:verify_list")


@login_required
@require_POST
def note(request: HttpRequest, case_id: int) -> HttpResponse:
    """A progress note (进展备注) on a case in scope: the engine's comment action."""
    user = signed_in_user(request)
    key = outbox.key_of(request)
    if key is not None:
        return _act_once(request, user, case_id, key, NoteForm(request.POST))
    found = _case_or_404(user, case_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            _comment(request, user, found, form)
        except DomainError as error:
            return _render_case(request, found, problem=error.message, status=409)
        messages.success(request, _("已添加进展备注"))
        return redirect("phone:case", case_id=found.pk)
    return _render_case(request, found, problem=" ".join(str(e) for e in form.errors.get("note", [])), status=400)


def _verify_message(case: Case, *, passed: bool) -> str:
    if passed:
        return _("事件 %(n)s 核查通过，已结案") % {"n": case.number}
    return _("事件 %(n)s 核查不通过，已退回处置部门返工") % {"n": case.number}


def _verify(request: HttpRequest, user: User, found: Case, form: VerifyForm) -> Case:
    passed = form.cleaned_data["decision"] == "pass"
    photos = photos_from(request, "photos", AttachmentKind.OTHER)
    apply_action(
        case_id=found.pk,
        actor=user,
        action=Action.VERIFY_PASS if passed else Action.VERIFY_FAIL,
        note=form.cleaned_data["note"],
        expected_version=form.cleaned_data["expected_version"],
        photos=photos,
    )
    return Case.objects.get(pk=found.pk)


def _comment(request: HttpRequest, user: User, found: Case, form: NoteForm) -> Case:
    apply_action(
        case_id=found.pk,
        actor=user,
        action=Action.COMMENT,
        note=form.cleaned_data["note"],
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
        if isinstance(form, VerifyForm):
            return _verify(request, user, found, form)
        return _comment(request, user, found, form)

    def render_case(case: Case) -> dict[str, Any]:
        if isinstance(form, VerifyForm):
            return outbox.case_answer(case, _verify_message(case, passed=form.cleaned_data["decision"] == "pass"))
        return outbox.case_answer(case, _("已添加进展备注"))

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
                step.actor_name or _("群众"),
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
    found = _case_or_404(signed_in_user(request), case_id)
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
