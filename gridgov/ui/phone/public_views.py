"""Public pages (no account): report with a phone number, follow a report's public status, look one up."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gridgov.data.access import permissions
from gridgov.data.cases.domain.engine import report_case
from gridgov.data.cases.enums import AttachmentKind, Channel
from gridgov.data.cases.models import Attachment
from gridgov.data.errors import InvalidInput
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.org.security import Client
from gridgov.ui.phone import follow, limits
from gridgov.ui.phone.forms import LookupForm, PublicReportForm
from gridgov.ui.phone.places import area_choices
from gridgov.ui.phone.report_views import locate_and_area, may_file, report_context, shown_again, what_and_where
from gridgov.ui.phone.uploads import photos_from
from gridgov.ui.phone.views import photo_response
from gridgov.ui.refusals import show_refusal
from gridgov.ui.web import once


def _town(request: HttpRequest) -> tuple[Area | None, list[Area]]:
    """The town reported to: named by ``?town=<code>``, or the only town there is."""
    towns = list(Area.objects.filter(level=AreaLevel.TOWN).order_by("path"))
    code = request.POST.get("town") or request.GET.get("town") or ""
    if code:
        return next((t for t in towns if t.code == code), None), towns
    return (towns[0] if len(towns) == 1 else None), towns


def public_report(request: HttpRequest) -> HttpResponse:
    town, towns = _town(request)
    if town is None:
        return render(request, "phone/public_towns.html", {"towns": towns})
    areas = area_choices(town)
    if request.method != "POST":
        form = PublicReportForm(areas=areas)
        return render(request, "phone/public_report.html", report_context(request, town, form))

    claim = once.claim(request)
    if claim.state is once.State.USED:
        return redirect(claim.result_url or reverse("phone:public_report"))
    form = PublicReportForm(request.POST, areas=areas)
    chose_photos = any(f.name for f in request.FILES.getlist("photos"))
    status = 200
    if may_file(form, claim):
        ip = Client.of(request).ip or ""
        phone = form.cleaned_data["phone"]
        checks = [(what, ip if what == "ip" else phone, n, window) for what, n, window in limits.public_report_limits()]
        if any(limits.exceeded(f"report-{what}", who, limit=n, window=window) for what, who, n, window in checks):
            form.add_error(None, _("提交过于频繁，请稍后再试；紧急情况请拨打 110 或 12345"))
            status = 429
        else:
            try:
                photos = photos_from(request, "photos", AttachmentKind.BEFORE)
                area, point = locate_and_area(form, town, photos)
                case = report_case(
                    town=town,
                    reporter=_signed_in_resident(request),  # a resident's report is theirs to follow in their list
                    channel=Channel.RESIDENT,
                    **what_and_where(form, town, area=area, point=point),
                    reporter_name=form.cleaned_data["name"],
                    reporter_phone=phone,
                    photos=photos,
                )
            except InvalidInput as error:
                show_refusal(form, error, rename={"reporter_phone": "phone", "reporter_name": "name"})
            else:
                for what, who, _n, window in checks:
                    limits.count(f"report-{what}", who, window=window)
                token = urlencode({"t": permissions.follow_token(case.number)})
                url = f"{reverse('phone:public_done', args=[case.number])}?{token}"
                once.finish(claim, url)
                return redirect(url)
    return shown_again(request, "phone/public_report.html", town, form, claim, photos_lost=chose_photos, status=status)


def _signed_in_resident(request: HttpRequest) -> User | None:
    """The signed-in user when they report as a resident (not town staff, whose own reports go through /m/report/);
    anyone else reports without an account."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated and permissions.own_channel(user) == Channel.RESIDENT:
        return user
    return None


@require_GET
def public_done(request: HttpRequest, number: str) -> HttpResponse:
    if not permissions.follow_token_ok(number, request.GET.get("t", "")):
        raise Http404(_("链接无效"))
    return render(request, "phone/public_done.html", {"number": number, "follow_url": follow.follow_url(number)})


@require_GET
def public_case(request: HttpRequest, number: str) -> HttpResponse:
    token = request.GET.get("t", "")
    found = permissions.followed_case(number, token)
    if found is None:
        return render(request, "phone/public_invalid.html", status=404)
    return render(request, "phone/public_case.html", {"view": follow.public_view(found), "token": token})


@require_GET
def public_photo(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    found = permissions.followed_case(number, request.GET.get("t", ""))
    if found is None:
        raise Http404(_("照片不存在"))
    attachment = Attachment.objects.filter(pk=attachment_id, case=found, kind=AttachmentKind.AFTER).first()
    if attachment is None:
        raise Http404(_("照片不存在"))
    return photo_response(attachment, "display", private=False)


def public_lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        ip = Client.of(request).ip or ""
        limit, window = limits.lookup_limit()
        if limits.exceeded("lookup", ip, limit=limit, window=window):
            form.add_error(None, _("查询过于频繁，请稍后再试"))
            status = 429
        else:
            limits.count("lookup", ip, window=window)
            found = permissions.public_case_by_phone(form.cleaned_data["number"], form.cleaned_data["phone"])
            if found is not None:
                return redirect(follow.follow_url(found.number))
            form.add_error(None, _("未找到与该编号和手机号码对应的事件，请核对后重试"))
            status = 404
    return render(request, "phone/public_lookup.html", {"form": form}, status=status)
