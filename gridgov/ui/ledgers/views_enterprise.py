"""Enterprise ledger pages: enterprises, hazards (two books, phone self-check, reconciliation), service
requests and 乡镇长有约 meetings, figures and Excel exports.

Thin: every case read goes through ``cases/scope.py`` (``visible_cases`` / ``get_case_for_user``), every
change through the domain functions of ``gridgov.data.enterprises``.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.enums import AttachmentKind, Kind, Satisfaction, Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import capacities, get_case_for_user, visible_cases
from gridgov.data.cases.transitions import VERIFIERS
from gridgov.data.enterprises.categories import HAZARD_MAJOR
from gridgov.data.enterprises.domain.enterprises import (
    MANAGER_ROLES,
    create_enterprise,
    masked_contact_phone,
    own_enterprise_ids,
    staff_town_ids,
    visible_enterprises,
)
from gridgov.data.enterprises.domain.hazards import (
    HazardInput,
    accept_hazard,
    parse_amount,
    record_hazard,
    report_rectification,
)
from gridgov.data.enterprises.domain.reconcile import THRESHOLD, reconcile
from gridgov.data.enterprises.domain.services import (
    next_meeting_due,
    raise_request,
    rate_request,
    record_meeting,
    solve_request,
)
from gridgov.data.enterprises.enums import GOVERNMENT_BOOKS, Book, Grade, RequestType
from gridgov.data.enterprises.figures import figures_by_book, year_figures
from gridgov.data.enterprises.importers import may_import
from gridgov.data.enterprises.models import Hazard, Meeting
from gridgov.data.errors import DomainError, NotFound
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.data.sheets.framework import XLSX_CONTENT_TYPE, workbook
from gridgov.data.taxonomy.models import Category
from gridgov.ui.ledgers.forms_enterprise import (
    AcceptForm,
    EnterpriseForm,
    HazardForm,
    MeetingForm,
    RectifyForm,
    ServiceRequestForm,
)
from gridgov.ui.params import id_param, year_param

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _staff_town(user: User, roles: tuple[Role, ...] | None = None) -> Area | None:
    ids = staff_town_ids(user, roles) if roles else staff_town_ids(user)
    return Area.objects.filter(pk__in=ids, level=AreaLevel.TOWN).order_by("code").first() if ids else None


def _put_error(form: Form, error: DomainError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.message)


def _uploads(request: HttpRequest, kind: AttachmentKind) -> list[Upload]:
    return [Upload(name=f.name or "photo", data=f.read(), kind=kind) for f in request.FILES.getlist("photos")]


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("year")) or timezone.localdate().year


def _d(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


# ---------------------------------------------------------------------------------------------------
# Index and enterprises


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    town = _staff_town(user)
    figures = None
    if town is not None:
        year = timezone.localdate().year
        figures = year_figures(town=town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=timezone.now())
    return render(
        request,
        "ledgers/index.html",
        {"figures": figures, "is_staff": town is not None, "year": timezone.localdate().year},
    )


PHONE_ROWS = 10


@login_required
def enterprise_home(request: HttpRequest) -> HttpResponse:
    """The enterprise user's phone home (360 px): self-check, service requests, their company's cases."""
    user = _user(request)
    own = own_enterprise_ids(user)
    if not own:
        raise Http404(_("您的账号不属于任何企业"))
    hazards = _hazard_cases(user, {}).select_related("hazard").order_by("-reported_at", "-id")
    services = _service_cases(user, {}).select_related("service_request").order_by("-reported_at", "-id")
    return render(
        request,
        "ledgers/enterprise/phone_home.html",
        {
            "enterprises": Enterprise.objects.filter(pk__in=own).order_by("name"),
            "hazards": list(hazards[:PHONE_ROWS]),
            "hazards_open": hazards.exclude(status__in=[Status.CLOSED, Status.REJECTED]).count(),
            "services": list(services[:PHONE_ROWS]),
            "services_open": services.exclude(status__in=[Status.CLOSED, Status.REJECTED]).count(),
        },
    )


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    town = _staff_town(user, MANAGER_ROLES)
    villages = Area.objects.filter(town=town, level=AreaLevel.VILLAGE) if town else Area.objects.none()
    form = EnterpriseForm(request.POST or None, villages=villages)
    if request.method == "POST":
        if town is None:
            raise Http404(_("只有本镇受理员、领导或管理员可以登记企业"))
        if form.is_valid():
            try:
                enterprise = create_enterprise(town=town, **form.cleaned_data)
            except DomainError as error:
                _put_error(form, error)
            else:
                messages.success(request, _("已登记企业“%(n)s”") % {"n": enterprise.name})
                return redirect("ledgers:enterprises")
    rows = [(e, masked_contact_phone(e)) for e in visible_enterprises(user).select_related("village").order_by("name")]
    return render(
        request, "ledgers/enterprise/enterprises.html", {"rows": rows, "form": form, "can_add": town is not None}
    )


@login_required
def enterprises_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = (
        (e.name, e.credit_code, e.village.name if e.village else "", e.address, e.contact_name, masked_contact_phone(e))
        for e in visible_enterprises(user).select_related("village").order_by("name")
    )
    headers = [_("企业名称"), _("统一社会信用代码"), _("所在村/社区"), _("地址"), _("联系人"), _("联系电话")]
    return _xlsx(workbook(_("企业名录"), headers, rows), _("企业名录.xlsx"))


def _enterprise_or_404(user: User, enterprise_id: int) -> Enterprise:
    enterprise = visible_enterprises(user).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise Http404(_("企业不存在或您无权查看"))
    return enterprise


@login_required
def reconciliation(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    user = _user(request)
    enterprise = _enterprise_or_404(user, enterprise_id)
    year = year_param(request.GET.get("year"))
    start, end = (date(year, 1, 1), date(year + 1, 1, 1)) if year else (None, None)
    result = reconcile(enterprise=enterprise, start=start, end=end)
    return render(
        request,
        "ledgers/enterprise/reconcile.html",
        {"enterprise": enterprise, "result": result, "year": year, "threshold": THRESHOLD},
    )


# ---------------------------------------------------------------------------------------------------
# Hazards


def _hazard_cases(user: User, params: Any) -> QuerySet[Case]:
    """The hazards ``user`` may see, filtered by the list's parameters (the list and its export)."""
    qs = visible_cases(user, Case.objects.filter(kind=Kind.HAZARD, hazard__isnull=False))
    book = params.get("book")
    if book == "gov":
        qs = qs.filter(hazard__book__in=GOVERNMENT_BOOKS)
    elif book in Book.values:
        qs = qs.filter(hazard__book=book)
    if params.get("grade") in Grade.values:
        qs = qs.filter(hazard__grade=params["grade"])
    state = params.get("state")
    today = timezone.localdate()
    if state == "open":
        qs = qs.exclude(status=Status.CLOSED)
    elif state == "closed":
        qs = qs.filter(status=Status.CLOSED)
    elif state == "overdue":
        qs = qs.exclude(status=Status.CLOSED).filter(hazard__deadline__lt=today)
    if enterprise_id := id_param(params.get("enterprise")):
        qs = qs.filter(hazard__enterprise_id=enterprise_id)
    if village_id := id_param(params.get("village")):
        qs = qs.filter(village_id=village_id)
    if year := year_param(params.get("year")):
        qs = qs.filter(hazard__found_on__gte=date(year, 1, 1), hazard__found_on__lt=date(year + 1, 1, 1))
    if q := (params.get("q") or "").strip():
        qs = qs.filter(
            Q(hazard__location__contains=q) | Q(description__contains=q) | Q(hazard__enterprise__name__contains=q)
        )
    return qs.select_related("hazard", "hazard__enterprise", "category", "village").order_by("-hazard__found_on", "-id")


def _filter_context(user: User) -> dict[str, Any]:
    enterprises = visible_enterprises(user).order_by("name")
    town = _staff_town(user)
    villages = Area.objects.filter(town=town, level=AreaLevel.VILLAGE) if town else Area.objects.none()
    return {
        "enterprises": enterprises,
        "villages": villages,
        "books": Book.choices,
        "grades": Grade.choices,
        "can_import": may_import(user),
    }


@login_required
def hazard_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    cases = _hazard_cases(user, request.GET)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "page": page,
        "today": today,
        "query": request.GET.urlencode(),
        "params": request.GET,
        **_filter_context(user),
    }
    template = "ledgers/enterprise/hazards.html"
    if request.headers.get("HX-Request") == "true":  # htmx swaps only the rows
        template += "#rows"
    return render(request, template, context)


HAZARD_HEADERS = [
    "企业名称", "统一社会信用代码", "台账", "隐患等级", "隐患类别", "隐患部位", "隐患描述", "发现日期", "整改责任人",
    "整改期限", "整改措施", "整改资金（元）", "状态", "验收人", "验收日期", "案卷编号",
]  # fmt: skip


@login_required
def hazards_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = (
        (
            c.hazard.enterprise.name,
            c.hazard.enterprise.credit_code,
            c.hazard.get_book_display(),
            c.hazard.get_grade_display(),
            c.category.name,
            c.hazard.location,
            c.description,
            c.hazard.found_on,
            c.hazard.responsible,
            c.hazard.deadline,
            c.hazard.measures,
            c.hazard.funds,
            _("已销号") if c.status == Status.CLOSED else c.get_status_display(),
            c.hazard.acceptor,
            c.hazard.accepted_on,
            c.number,
        )
        for c in _hazard_cases(user, request.GET).iterator(chunk_size=500)
    )
    return _xlsx(workbook(_("隐患台账"), [_(h) for h in HAZARD_HEADERS], rows), _("隐患台账.xlsx"))


@login_required
def hazard_new(request: HttpRequest) -> HttpResponse:
    """The light self-check page (phone, 360 px): an enterprise user enters its own book."""
    user = _user(request)
    own = own_enterprise_ids(user)
    staff = bool(staff_town_ids(user))
    if not own and not staff:
        raise Http404(_("您没有可登记隐患的企业"))
    fixed = not staff
    enterprises = visible_enterprises(user).order_by("name")
    own_enterprise = Enterprise.objects.filter(pk__in=own).order_by("pk").first() if fixed else None
    town = own_enterprise.town if own_enterprise else _staff_town(user)
    category_qs = (
        Category.objects.filter(town=town, parent__code=HAZARD_MAJOR[0], active=True).order_by("code")
        if town
        else Category.objects.none()
    )
    form = HazardForm(
        request.POST or None,
        enterprises=enterprises,
        categories=category_qs,
        fixed=fixed,
        initial={"found_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enterprise = own_enterprise if fixed else data["enterprise"]
            assert enterprise is not None
            hazard = record_hazard(
                actor=user,
                data=HazardInput(
                    enterprise=enterprise,
                    book=Book.SELF if fixed else Book(data["book"]),
                    grade=Grade(data["grade"]),
                    category=data["category"],
                    location=data["location"],
                    description=data["description"],
                    found_on=data["found_on"],
                    responsible=data["responsible"],
                    deadline=data["deadline"],
                    measures=data["measures"],
                    funds=parse_amount(data["funds"], field="funds", label=_("整改资金")),
                ),
                photos=_uploads(request, AttachmentKind.BEFORE),
            )
        except DomainError as error:
            _put_error(form, error)
        else:
            messages.success(
                request,
                _("已登记隐患 %(n)s，整改期限%(d)s") % {"n": hazard.case.number, "d": _d(hazard.deadline)},
            )
            return redirect("ledgers:hazard_detail", case_id=hazard.case_id)
    return render(request, "ledgers/enterprise/hazard_new.html", {"form": form, "enterprise": own_enterprise})


def _case_or_404(user: User, case_id: int, kind: Kind) -> Case:
    try:
        case = get_case_for_user(user, case_id=case_id)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    if case.kind != kind:
        raise Http404(_("事件不存在或您无权查看"))
    return case


@login_required
def hazard_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = _case_or_404(user, case_id, Kind.HAZARD)
    hazard = Hazard.objects.select_related("enterprise").get(case=case)
    caps = capacities(user, case)
    today = timezone.localdate()
    can_rectify = case.status == Status.HANDLING and Role.HANDLER in caps
    can_accept = case.status == Status.RESOLVED and bool(caps & VERIFIERS)
    rectify_form = RectifyForm(
        request.POST if request.POST.get("step") == "rectify" else None,
        initial={"measures": hazard.measures, "funds": hazard.funds, "rectified_on": today},
    )
    accept_form = AcceptForm(
        request.POST if request.POST.get("step") == "accept" else None,
        initial={"acceptor": user.full_name, "accepted_on": today},
    )
    if request.method == "POST":
        try:
            if request.POST.get("step") == "rectify" and can_rectify and rectify_form.is_valid():
                data = rectify_form.cleaned_data
                report_rectification(
                    case_id=case.pk,
                    actor=user,
                    measures=data["measures"],
                    funds=parse_amount(data["funds"], field="funds", label=_("整改资金")),
                    rectified_on=data["rectified_on"],
                    note=data["note"],
                    photos=_uploads(request, AttachmentKind.AFTER),
                )
                messages.success(request, _("已报告整改情况，等待验收"))
                return redirect("ledgers:hazard_detail", case_id=case.pk)
            if request.POST.get("step") == "accept" and can_accept and accept_form.is_valid():
                data = accept_form.cleaned_data
                accept_hazard(
                    case_id=case.pk,
                    actor=user,
                    acceptor=data["acceptor"],
                    accepted_on=data["accepted_on"],
                    note=data["note"],
                )
                messages.success(request, _("验收合格，已销号"))
                return redirect("ledgers:hazard_detail", case_id=case.pk)
        except DomainError as error:
            _put_error(rectify_form if request.POST.get("step") == "rectify" else accept_form, error)
    return render(
        request,
        "ledgers/enterprise/hazard_detail.html",
        {
            "case": case,
            "hazard": hazard,
            "overdue": case.status != Status.CLOSED and hazard.deadline < today,
            "can_rectify": can_rectify,
            "can_accept": can_accept,
            "rectify_form": rectify_form,
            "accept_form": accept_form,
        },
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Figures per book (scoped: an enterprise user sees its own), and the services' figures for staff."""
    user = _user(request)
    year = _year(request)
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    now = timezone.now()
    visible = visible_cases(user, Case.objects.filter(kind=Kind.HAZARD)).values("pk")
    hazards = Hazard.objects.filter(case_id__in=visible, found_on__gte=start, found_on__lt=end)
    town = _staff_town(user)
    services = year_figures(town=town, start=start, end=end, as_of=now) if town else None
    return render(
        request,
        "ledgers/enterprise/figures.html",
        {"year": year, "books": figures_by_book(hazards=hazards, as_of=now), "services": services},
    )


# ---------------------------------------------------------------------------------------------------
# Service requests and meetings


def _service_cases(user: User, params: Any) -> QuerySet[Case]:
    qs = visible_cases(user, Case.objects.filter(kind=Kind.SERVICE, service_request__isnull=False))
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
    user = _user(request)
    page = Paginator(_service_cases(user, request.GET), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": request.GET.urlencode(),
        "params": request.GET,
        "can_import": may_import(user),
        "types": RequestType.choices,
        "enterprises": visible_enterprises(user).order_by("name"),
    }
    template = "ledgers/enterprise/services.html"
    if request.headers.get("HX-Request") == "true":  # htmx swaps only the rows
        template += "#rows"
    return render(request, template, context)


@login_required
def services_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    headers = [_("案卷编号"), _("企业名称"), _("诉求类型"), _("诉求内容"), _("提出时间"), _("提出会议"), _("状态"),
               _("处置部门"), _("协调融资（元）"), _("满意度")]  # fmt: skip
    rows = (
        (
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
        )
        for c in _service_cases(user, request.GET).iterator(chunk_size=500)
    )
    return _xlsx(workbook(_("企业诉求台账"), headers, rows), _("企业诉求台账.xlsx"))


@login_required
def service_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    own = own_enterprise_ids(user)
    staff = bool(staff_town_ids(user))
    if not own and not staff:
        raise Http404(_("您没有可提出诉求的企业"))
    fixed = not staff
    own_enterprise = Enterprise.objects.filter(pk__in=own).order_by("pk").first() if fixed else None
    meeting = None
    if meeting_id := id_param(request.GET.get("meeting") or request.POST.get("meeting")):
        meeting = Meeting.objects.filter(pk=meeting_id, town_id__in=staff_town_ids(user)).first()
    form = ServiceRequestForm(request.POST or None, enterprises=visible_enterprises(user).order_by("name"), fixed=fixed)
    if request.method == "POST" and form.is_valid():
        enterprise = own_enterprise if fixed else form.cleaned_data["enterprise"]
        assert enterprise is not None
        try:
            request_ = raise_request(
                actor=user,
                enterprise=enterprise,
                request_type=form.cleaned_data["request_type"],
                description=form.cleaned_data["description"],
                meeting=meeting,
            )
        except DomainError as error:
            _put_error(form, error)
        else:
            messages.success(request, _("已登记企业诉求 %(n)s") % {"n": request_.case.number})
            return redirect("ledgers:service_detail", case_id=request_.case_id)
    return render(
        request, "ledgers/enterprise/service_new.html", {"form": form, "enterprise": own_enterprise, "meeting": meeting}
    )


@login_required
def service_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = _case_or_404(user, case_id, Kind.SERVICE)
    service = case.service_request
    caps = capacities(user, case)
    can_solve = case.status == Status.HANDLING and Role.HANDLER in caps
    can_rate = case.status == Status.CLOSED and not case.satisfaction and bool(caps & {Role.ENTERPRISE, Role.OPERATOR})
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("step") == "solve" and can_solve:
                solve_request(
                    case_id=case.pk,
                    actor=user,
                    note=request.POST.get("note", ""),
                    financing_amount=parse_amount(
                        request.POST.get("financing_amount"), field="financing_amount", label=_("协调融资金额")
                    ),
                    photos=_uploads(request, AttachmentKind.AFTER),
                )
                messages.success(request, _("已反馈办理结果"))
                return redirect("ledgers:service_detail", case_id=case.pk)
            if request.POST.get("step") == "rate" and can_rate:
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
            "can_solve": can_solve,
            "can_rate": can_rate,
            "ratings": Satisfaction.choices,
            "error": error,
            "post": request.POST,
        },
    )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    town = _staff_town(user, MANAGER_ROLES)
    form = MeetingForm(
        request.POST or None,
        enterprises=visible_enterprises(user).order_by("name"),
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST":
        if town is None:
            raise Http404(_("只有本镇受理员、领导或管理员可以登记乡镇长有约"))
        if form.is_valid():
            try:
                meeting = record_meeting(actor=user, town=town, **form.cleaned_data)
            except DomainError as error:
                _put_error(form, error)
            else:
                messages.success(request, _("已登记“%(t)s”") % {"t": meeting.title})
                return redirect("ledgers:meeting_detail", meeting_id=meeting.pk)
    towns = staff_town_ids(user)
    own = own_enterprise_ids(user)
    meetings = Meeting.objects.filter(Q(town_id__in=towns) | Q(enterprises__in=own)).distinct()
    meetings = meetings.prefetch_related("enterprises").order_by("-held_on", "-id")
    return render(
        request,
        "ledgers/enterprise/meetings.html",
        {
            "meetings": meetings,
            "form": form,
            "can_add": town is not None,
            "next_due": next_meeting_due(town=town) if town else None,
        },
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _user(request)
    towns = staff_town_ids(user)
    own = own_enterprise_ids(user)
    meeting = Meeting.objects.filter(Q(town_id__in=towns) | Q(enterprises__in=own), pk=meeting_id).distinct().first()
    if meeting is None:
        raise Http404(_("会议不存在或您无权查看"))
    requests = visible_cases(user, Case.objects.filter(service_request__meeting=meeting)).select_related(
        "service_request", "service_request__enterprise", "department"
    )
    return render(
        request,
        "ledgers/enterprise/meeting_detail.html",
        {"meeting": meeting, "requests": requests, "can_add": meeting.town_id in towns},
    )
