"""Hazards (隐患): two books, the phone self-check, rectification and acceptance, the export."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access import permissions
from gridgov.data.amounts import parse_amount
from gridgov.data.cases.domain.deadlines import ledger_overdue, ledger_overdue_q
from gridgov.data.cases.enums import AttachmentKind, Kind, Status
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.categories import HAZARD_MAJOR
from gridgov.data.enterprises.domain.hazards import (
    MAX_FUNDS,
    HazardInput,
    accept_hazard,
    record_hazard,
    report_rectification,
)
from gridgov.data.enterprises.enums import GOVERNMENT_BOOKS, Book, Grade
from gridgov.data.enterprises.models import Hazard
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.taxonomy.models import Category
from gridgov.types import CellValue, TemplateContext
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_enterprise import AcceptForm, HazardForm, RectifyForm
from gridgov.ui.ledgers.listing import sheet
from gridgov.ui.params import id_param, year_param
from gridgov.ui.signed_in import signed_in_user

PAGE_SIZE = 50


def hazard_cases(user: User, params: common.ListFilters) -> QuerySet[Case]:
    """The hazards ``user`` may see, filtered by the list's parameters (the list and its export)."""
    qs = permissions.visible_cases(user, Case.objects.filter(kind=Kind.HAZARD, hazard__isnull=False))
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
        qs = qs.filter(ledger_overdue_q("hazard__deadline", today=today))
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


def _filter_context(user: User) -> TemplateContext:
    enterprises = permissions.visible_enterprises(user).order_by("name")
    town = common.staff_town(user)
    villages = Area.objects.filter(town=town, level=AreaLevel.VILLAGE) if town else Area.objects.none()
    return {
        "enterprises": enterprises,
        "villages": villages,
        "books": Book.choices,
        "grades": Grade.choices,
        "actions": permissions.ledger_actions(user=user, ledger=permissions.Ledger.HAZARDS),
    }


@login_required
def hazard_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    context = {
        **common.page_context(request, hazard_cases(user, request.GET), PAGE_SIZE),
        "today": timezone.localdate(),
        **_filter_context(user),
    }
    return common.render_list(request, "ledgers/enterprise/hazards.html", context, rows="rows")


@sheet(
    gettext_lazy("隐患台账"),
    [
        gettext_lazy("企业名称"),
        gettext_lazy("统一社会信用代码"),
        gettext_lazy("台账"),
        gettext_lazy("隐患等级"),
        gettext_lazy("隐患类别"),
        gettext_lazy("隐患部位"),
        gettext_lazy("隐患描述"),
        gettext_lazy("发现日期"),
        gettext_lazy("整改责任人"),
        gettext_lazy("整改期限"),
        gettext_lazy("整改措施"),
        gettext_lazy("整改资金（元）"),
        gettext_lazy("状态"),
        gettext_lazy("验收人"),
        gettext_lazy("验收日期"),
        gettext_lazy("案卷编号"),
    ],
)
def hazards_sheet(c: Case) -> list[CellValue]:
    return [
        c.hazard.enterprise.name,
        c.hazard.enterprise.credit_code,
        c.hazard.get_book_display(),
        c.hazard.get_grade_display(),
        c.category.local_name,
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
    ]


@login_required
def hazards_export(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return hazards_sheet.response(hazard_cases(user, request.GET).iterator(chunk_size=500))


@login_required
def hazard_new(request: HttpRequest) -> HttpResponse:
    """The light self-check page (phone, 360 px): an enterprise user enters its own book."""
    user = signed_in_user(request)
    own_enterprise = common.entering_for(user, _("您没有可登记隐患的企业"))
    fixed = own_enterprise is not None
    enterprises = permissions.visible_enterprises(user).order_by("name")
    town = own_enterprise.town if own_enterprise else common.staff_town(user)
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
        with common.FormRefusal(form):
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
                    funds=parse_amount(data["funds"], field="funds", label=_("整改资金"), maximum=MAX_FUNDS),
                ),
                photos=common.uploads(request, AttachmentKind.BEFORE),
            )
            messages.success(
                request,
                _("已登记隐患 %(n)s，整改期限%(d)s") % {"n": hazard.case.number, "d": common.day_text(hazard.deadline)},
            )
            return redirect("ledgers:hazard_detail", case_id=hazard.case_id)
    return render(request, "ledgers/enterprise/hazard_new.html", {"form": form, "enterprise": own_enterprise})


@login_required
def hazard_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = common.ledger_case(user, case_id, Kind.HAZARD)
    hazard = Hazard.objects.select_related("enterprise").get(case=case)
    actions = permissions.record_actions(user=user, record=hazard)
    today = timezone.localdate()
    rectify_form = RectifyForm(
        request.POST if request.POST.get("step") == "rectify" else None,
        initial={"measures": hazard.measures, "funds": hazard.funds, "rectified_on": today},
    )
    accept_form = AcceptForm(
        request.POST if request.POST.get("step") == "accept" else None,
        initial={"acceptor": user.full_name, "accepted_on": today},
    )
    if request.method == "POST":
        with common.FormRefusal(rectify_form if request.POST.get("step") == "rectify" else accept_form):
            if request.POST.get("step") == "rectify" and "rectify" in actions and rectify_form.is_valid():
                data = rectify_form.cleaned_data
                report_rectification(
                    case_id=case.pk,
                    actor=user,
                    measures=data["measures"],
                    funds=parse_amount(data["funds"], field="funds", label=_("整改资金"), maximum=MAX_FUNDS),
                    rectified_on=data["rectified_on"],
                    note=data["note"],
                    photos=common.uploads(request, AttachmentKind.AFTER),
                )
                messages.success(request, _("已报告整改情况，等待验收"))
                return redirect("ledgers:hazard_detail", case_id=case.pk)
            if request.POST.get("step") == "accept" and "accept" in actions and accept_form.is_valid():
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
    return render(
        request,
        "ledgers/enterprise/hazard_detail.html",
        {
            "case": case,
            "hazard": hazard,
            "overdue": ledger_overdue(status=case.status, deadline=hazard.deadline, today=today),
            "actions": actions,
            "rectify_form": rectify_form,
            "accept_form": accept_form,
        },
    )
