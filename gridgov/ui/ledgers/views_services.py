"""Enterprise service requests (企业诉求) and 乡镇长有约 meetings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access import permissions
from gridgov.data.amounts import parse_amount
from gridgov.data.cases.enums import AttachmentKind, Kind, Satisfaction, Status
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.domain.enterprises import MANAGER_ROLES
from gridgov.data.enterprises.domain.hazards import MAX_FUNDS
from gridgov.data.enterprises.domain.services import (
    next_meeting_due,
    raise_request,
    rate_request,
    record_meeting,
    solve_request,
)
from gridgov.data.enterprises.enums import RequestType
from gridgov.data.enterprises.models import Meeting
from gridgov.data.errors import DomainError
from gridgov.data.org.models import User
from gridgov.types import CellValue
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_enterprise import MeetingForm, ServiceRequestForm
from gridgov.ui.ledgers.listing import sheet
from gridgov.ui.params import id_param, year_param
from gridgov.ui.signed_in import signed_in_user

PAGE_SIZE = 50


def service_cases(user: User, params: common.ListFilters) -> QuerySet[Case]:
    qs = permissions.visible_cases(user, Case.objects.filter(kind=Kind.SERVICE, service_request__isnull=False))
    if params.get("type") in RequestType.values:
        qs = qs.filter(service_request__request_type=params["type"])
    state = params.get("state")
    if state == "open":
        qs = qs.exclude(status__in=[Status.CLOSED, Status.REJECTED])
    elif state == "closed":
        qs = qs.filter(status=Status.CLOSED)
    if enterprise_id := id_param(params.get("enterprise")):
        qs = qs.filter(service_request__enterprise_id=enterprise_id)
    if meeting_id := id_param(params.get("meeting")):
        qs = qs.filter(service_request__meeting_id=meeting_id)
    if year := year_param(params.get("year")):
        qs = qs.filter(year=year)
    return qs.select_related(
        "service_request", "service_request__enterprise", "service_request__meeting", "category", "department"
    ).order_by("-reported_at", "-id")


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    context = {
        **common.page_context(request, service_cases(user, request.GET), PAGE_SIZE),
        "actions": permissions.ledger_actions(user=user, ledger=permissions.Ledger.SERVICES),
        "types": RequestType.choices,
        "enterprises": permissions.visible_enterprises(user).order_by("name"),
    }
    return common.render_list(request, "ledgers/enterprise/services.html", context, rows="rows")


@sheet(
    gettext_lazy("企业诉求台账"),
    [
        gettext_lazy("案卷编号"),
        gettext_lazy("企业名称"),
        gettext_lazy("诉求类型"),
        gettext_lazy("诉求内容"),
        gettext_lazy("提出时间"),
        gettext_lazy("提出会议"),
        gettext_lazy("状态"),
        gettext_lazy("处置部门"),
        gettext_lazy("协调融资（元）"),
        gettext_lazy("满意度"),
    ],
)
def services_sheet(c: Case) -> list[CellValue]:
    return [
        c.number,
        c.service_request.enterprise.name,
        c.service_request.get_request_type_display(),
        c.description,
        c.reported_at,
        c.service_request.meeting.title if c.service_request.meeting else "",
        c.get_status_display(),
        c.department.name if c.department else "",
        c.service_request.financing_amount,
        c.get_satisfaction_display() if c.satisfaction else "",
    ]


@login_required
def services_export(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return services_sheet.response(service_cases(user, request.GET).iterator(chunk_size=500))


@login_required
def service_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    own_enterprise = common.entering_for(user, _("您没有可提出诉求的企业"))
    fixed = own_enterprise is not None
    meeting = None
    if meeting_id := id_param(request.GET.get("meeting") or request.POST.get("meeting")):
        meeting = Meeting.objects.filter(pk=meeting_id, town_id__in=permissions.staff_town_ids(user)).first()
    form = ServiceRequestForm(
        request.POST or None, enterprises=permissions.visible_enterprises(user).order_by("name"), fixed=fixed
    )
    if request.method == "POST" and form.is_valid():
        enterprise = own_enterprise if fixed else form.cleaned_data["enterprise"]
        assert enterprise is not None
        with common.FormRefusal(form):
            request_ = raise_request(
                actor=user,
                enterprise=enterprise,
                request_type=form.cleaned_data["request_type"],
                description=form.cleaned_data["description"],
                meeting=meeting,
            )
            messages.success(request, _("已登记企业诉求 %(n)s") % {"n": request_.case.number})
            return redirect("ledgers:service_detail", case_id=request_.case_id)
    return render(
        request, "ledgers/enterprise/service_new.html", {"form": form, "enterprise": own_enterprise, "meeting": meeting}
    )


@login_required
def service_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = common.ledger_case(user, case_id, Kind.SERVICE)
    service = case.service_request
    actions = permissions.record_actions(user=user, record=service)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("step") == "solve" and "solve" in actions:
                solve_request(
                    case_id=case.pk,
                    actor=user,
                    note=request.POST.get("note", ""),
                    financing_amount=parse_amount(
                        request.POST.get("financing_amount"),
                        field="financing_amount",
                        label=_("协调融资金额"),
                        maximum=MAX_FUNDS,
                    ),
                    photos=common.uploads(request, AttachmentKind.AFTER),
                )
                messages.success(request, _("已反馈办理结果"))
                return redirect("ledgers:service_detail", case_id=case.pk)
            if request.POST.get("step") == "rate" and "rate" in actions:
                rate_request(case_id=case.pk, actor=user, rating=request.POST.get("rating", ""))
                messages.success(request, _("感谢您的评价"))
                return redirect("ledgers:service_detail", case_id=case.pk)
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "ledgers/enterprise/service_detail.html",
        {
            "case": case,
            "service": service,
            "actions": actions,
            "ratings": Satisfaction.choices,
            "error": error,
            "post": request.POST,
        },
    )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = common.staff_town(user, MANAGER_ROLES)
    form = MeetingForm(
        request.POST or None,
        enterprises=permissions.visible_enterprises(user).order_by("name"),
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST":
        if town is None:
            raise Http404(_("只有本镇受理员、领导或管理员可以登记乡镇长有约"))
        if form.is_valid():
            with common.FormRefusal(form):
                meeting = record_meeting(actor=user, town=town, **form.cleaned_data)
                messages.success(request, _("已登记“%(t)s”") % {"t": meeting.title})
                return redirect("ledgers:meeting_detail", meeting_id=meeting.pk)
    meetings = permissions.visible_meetings(user).prefetch_related("enterprises").order_by("-held_on", "-id")
    return render(
        request,
        "ledgers/enterprise/meetings.html",
        {
            "meetings": meetings,
            "form": form,
            "actions": permissions.ledger_actions(user=user, ledger=permissions.Ledger.MEETINGS),
            "next_due": next_meeting_due(town=town) if town else None,
        },
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = permissions.visible_meetings(user).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404(_("会议不存在或您无权查看"))
    requests = permissions.visible_cases(user, Case.objects.filter(service_request__meeting=meeting)).select_related(
        "service_request", "service_request__enterprise", "department"
    )
    return render(
        request,
        "ledgers/enterprise/meeting_detail.html",
        {"meeting": meeting, "requests": requests, "actions": permissions.meeting_actions(user=user, meeting=meeting)},
    )
