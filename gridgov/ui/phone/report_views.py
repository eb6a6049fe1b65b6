"""Phone pages for reporting an event: the report form (online, or replayed by the offline outbox with an
Idempotency-Key), categories, locating a point in the town, and the town's map.

Thin: the engine files the report; ``access/permissions.py`` says where the user may report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gridgov.data.access.idempotency import create_once
from gridgov.data.access.permissions import check_may_report_into, home_area, own_channel
from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.engine import as_reported, report_case
from gridgov.data.cases.enums import AttachmentKind, Status
from gridgov.data.cases.models import Case
from gridgov.data.errors import DomainError, InvalidInput
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.taxonomy.domain import resolve_category
from gridgov.data.taxonomy.search import search_categories, town_index
from gridgov.types import JSONObject, Keywords
from gridgov.ui.phone import outbox
from gridgov.ui.phone.forms import LocationFields, PublicReportForm, ReportForm
from gridgov.ui.phone.places import area_choices, parse_point, place_from_photos, place_point
from gridgov.ui.phone.uploads import photos_from
from gridgov.ui.phone.views import field_town, not_a_field_user
from gridgov.ui.refusals import show_refusal
from gridgov.ui.signed_in import signed_in_user
from gridgov.ui.web import once

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


def may_file(form: LocationFields, claim: once.Claim) -> bool:
    """Whether a posted report form is filed now: valid, and sent with a fresh one-time token (a stale token is
    said on the form; a used one the view has sent on already)."""
    if claim.state is once.State.INVALID:
        form.add_error(None, _("表单已失效（打开时间过长或已提交过），请检查后重新提交"))
    return form.is_valid() and claim.state is once.State.FRESH


def shown_again(
    request: HttpRequest,
    template: str,
    town: Area,
    form: LocationFields,
    claim: once.Claim,
    *,
    photos_lost: bool,
    status: int = 200,
) -> HttpResponse:
    """A report form that was not filed, shown again with its errors: its one-time token given back, so that the
    corrected form can be sent; ``photos_lost``: the photos chosen must be chosen again."""
    once.release(claim)
    return render(request, template, report_context(request, town, form, photos_lost=photos_lost), status=status)


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


def what_and_where(
    form: ReportForm | PublicReportForm, town: Area, *, area: Area | None, point: tuple[Decimal, Decimal] | None
) -> Keywords:
    """What a valid report form says happened and where, as ``report_case``'s keyword arguments (the same for a
    grid worker's report and a resident's)."""
    return {
        "category": resolve_category(town=town, category_id=form.cleaned_data["category"]),
        "description": form.cleaned_data["description"],
        "area": area,
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
        "address": form.cleaned_data["address"],
    }


@login_required
def report(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = field_town(user)
    if town is None:
        if outbox.key_of(request) is not None:
            return outbox.refused(_("此账号没有网格员或村干部身份，不能上报"), status=403)
        return not_a_field_user(request)
    areas = area_choices(town, user=user)
    if request.method != "POST":
        start_area = home_area(user)
        form = ReportForm(areas=areas, initial={"area": start_area.pk if start_area else None})
        return render(request, "phone/report.html", report_context(request, town, form))

    key = outbox.key_of(request)
    if key is not None:  # sent from the phone's outbox: JSON answers, once per Idempotency-Key
        return _report_once(request, user, town, ReportForm(request.POST, areas=areas), key)
    claim = once.claim(request)
    if claim.state is once.State.USED:  # a second press of 上报: go where the first one went
        return redirect(claim.result_url or reverse("phone:mine"))
    form = ReportForm(request.POST, areas=areas)
    chose_photos = any(f.name for key in ("photos", "after_photos") for f in request.FILES.getlist(key))
    if may_file(form, claim):
        try:
            case = _create_report(request, user, town, form)
        except InvalidInput as error:
            # the chosen area is one the form offers: an area refused by the engine was located from the point
            rename = {"note": "resolution_note", "resolve_on_spot": "resolution_note", "area": "latitude"}
            show_refusal(form, error, rename=rename)
        except DomainError as error:  # e.g. resolving on the spot outside the grids one patrols
            form.add_error(None, error.message)
        else:
            url = reverse("phone:case", args=[case.pk])
            once.finish(claim, url)
            messages.success(request, _report_message(case))
            return redirect(url)
    return shown_again(request, "phone/report.html", town, form, claim, photos_lost=chose_photos)


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
        area = home_area(user)  # neither chosen nor located: the worker's own grid
    return report_case(
        town=town,
        reporter=user,
        channel=own_channel(user),
        **what_and_where(form, town, area=area, point=point),
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

    def render_case(case: Case) -> JSONObject:
        return outbox.case_answer(case, _report_message(case))

    def rebuilt(case: Case) -> JSONObject:
        """The first answer again for a resend, from the case however it has moved on since (not stored)."""
        return render_case(as_reported(case))

    def create(on_written: Callable[[Case], None]) -> Case:
        return _create_report(request, user, town, form, on_written)

    # Resolved on the spot, the first answer says so (closed): nothing kept tells for certain that resolution from
    # a later 自行处置 of the case, so that answer is stored (the case is numbered by then: not the fast path).
    on_spot = bool(form.cleaned_data["resolve_on_spot"])
    try:
        answer = create_once(
            user=user,
            key=key,
            body=outbox.body_of(request),
            create_recording=create,
            render=render_case,
            first_answer=None if on_spot else rebuilt,
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
    user = signed_in_user(request) if request.user.is_authenticated else None
    place = None
    error = ""
    try:
        point = parse_point(latitude, longitude)
        if point is not None:
            place = place_point(town=town, latitude=point[0], longitude=point[1])
            if place.area is not None and user is not None:  # warned now, not after the form is sent
                check_may_report_into(user, place.area, field="latitude")
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
            "form": LocationFields(initial=initial, areas=area_choices(town, user=user)),
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
