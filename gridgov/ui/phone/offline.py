"""The phone as an installable web app that works without a network.

- ``manifest``: the web app manifest (基层智治, start page /m/, standalone), icons made by our build;
- ``service_worker``: the built service worker, served from the site root (``/sw.js``) but allowed only the
  phone's scope (``Service-Worker-Allowed: /m/``), never cached by HTTP (the browser checks it for updates);
- ``offline_data``: what the phone keeps for working offline — the town's categories with their pinyin keys,
  the town's village and grid boundaries (marking the worker's own grids), the worker's open tasks — read
  through the scope rules, with no personal data (no reporter, no phone number);
- ``session``: the signed-in user and a CSRF token, for the outbox to send with (or learn it must sign in);
- ``outbox_page``: the shell of the 待发送箱 page; the phone fills it from IndexedDB.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gridgov.data.access.permissions import FIELD_ROLES, may_report_into, memberships_of
from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.data.taxonomy.search import town_index
from gridgov.types import JSONObject
from gridgov.ui.phone.templatetags.phone_offline import part_of
from gridgov.ui.phone.views import field_town, my_reports, verify_queue
from gridgov.ui.signed_in import signed_in_user

SCOPE = "/m/"
THEME = "#b91c1c"
TASK_ROWS = 200
OPEN = (Status.REPORTED, Status.REGISTERED, Status.DISPATCHED, Status.HANDLING, Status.RESOLVED, Status.SUSPENDED)


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("基层智治"),
        "short_name": _("网格通"),
        "description": _("网格员上报、核查与待办，无网络时也能使用"),
        "lang": "zh-CN",
        "start_url": SCOPE,
        "scope": SCOPE,
        "id": SCOPE,
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": "#ffffff",
        "icons": [
            {"src": static(f"phone/{name}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
            for name, size, purpose in (
                ("icon-192", 192, "any"),
                ("icon-512", 512, "any"),
                ("icon-maskable-512", 512, "maskable"),
            )
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker `npm run build` made (frontend-build/phone/sw.js, or its collected copy)."""
    found = finders.find("phone/sw.js")
    if not found:
        raise Http404(_("离线功能未构建：请运行 npm run build"))
    with open(str(found), "rb") as script:  # small (≈ 8 KB): read whole, no file left open
        response = HttpResponse(script.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = SCOPE
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_GET
def session(request: HttpRequest) -> JsonResponse:
    response = JsonResponse({"user": request.user.pk, "csrf": get_token(request)})
    response["Cache-Control"] = "no-store"
    return response


def fetched_label(when: Any) -> str:  # Any: a datetime, or the string the phone stored
    local = timezone.localtime(when)  # Beijing time (TIME_ZONE)
    return _("数据更新于 %(month)s月%(day)s日 %(time)s") % {
        "month": local.month,
        "day": local.day,
        "time": local.strftime("%H:%M"),
    }


def _task(case: Case) -> JSONObject:
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "category": f"{case.major_category.local_name} / {case.category.local_name}",
        "place": " · ".join(a.name for a in (case.village, case.grid) if a is not None),
        "version": case.version,
        "url": reverse("phone:case", args=[case.pk]),
    }


@login_required
@require_GET
def offline_data(request: HttpRequest) -> JsonResponse:
    user = signed_in_user(request)
    town = field_town(user)
    if town is None:
        return JsonResponse({"error": _("此账号没有网格员或村干部身份")}, status=403)
    now = timezone.now()
    index = town_index(town)
    own_paths = [m.area.path for m in memberships_of(user) if m.role in FIELD_ROLES and m.area is not None]
    areas = [
        {
            "id": a.pk,
            "name": a.name,
            "level": a.level,
            "parent": a.parent_id,
            "mine": any(a.path.startswith(p) for p in own_paths),
            "report": may_report_into(user, a),  # where this user may file a case (a grid worker: their grids)
            "boundary": a.boundary,
        }
        for a in Area.objects.filter(
            town=town, level__in=(AreaLevel.VILLAGE, AreaLevel.GRID, AreaLevel.MICROGRID), boundary__isnull=False
        ).order_by("path")
        if a.boundary
    ]
    data = {
        "user": user.pk,
        "town": {"id": town.pk, "name": town.name},
        "fetched_at": now.isoformat(),
        "fetched_label": fetched_label(now),
        "majors": [{"id": m.id, "name": m.local_name} for m in index.majors],
        "categories": [
            {
                "id": e.id,
                "major": e.major_id,
                "code": e.code,
                "label": e.label,
                "texts": e.texts,
                "full": e.full,
                "initials": e.initials,
                "syllables": e.syllables,
            }
            for e in index.entries
        ],
        "areas": areas,
        "strings": part_of("data"),  # the words the phone shows offline (the page's language)
        "tasks": {
            "verify": [_task(c) for c in verify_queue(user)[:TASK_ROWS]],
            "mine": [_task(c) for c in my_reports(user).filter(status__in=OPEN)[:TASK_ROWS]],
        },
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"  # kept by the phone in IndexedDB, not by HTTP caches
    return response


@login_required
def outbox_page(request: HttpRequest) -> HttpResponse:
    return render(request, "phone/outbox.html", {})
