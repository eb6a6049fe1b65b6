"""The enterprise ledgers' index, the enterprise user's phone home, the enterprise register and its reconciliation."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access import permissions
from gridgov.data.cases.enums import Status
from gridgov.data.enterprises.domain.enterprises import MANAGER_ROLES, create_enterprise, masked_contact_phone
from gridgov.data.enterprises.domain.reconcile import THRESHOLD, reconcile
from gridgov.data.enterprises.figures import year_figures
from gridgov.data.enterprises.models import Hazard
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.types import CellValue
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_enterprise import EnterpriseForm
from gridgov.ui.ledgers.listing import sheet
from gridgov.ui.ledgers.views_hazards import hazard_cases
from gridgov.ui.ledgers.views_services import service_cases
from gridgov.ui.params import year_param
from gridgov.ui.signed_in import signed_in_user


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = common.staff_town(user)
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
    user = signed_in_user(request)
    own = permissions.own_enterprise_ids(user)
    if not own:
        raise Http404(_("您的账号不属于任何企业"))
    hazards = hazard_cases(user, {}).select_related("hazard").order_by("-reported_at", "-id")
    services = service_cases(user, {}).select_related("service_request").order_by("-reported_at", "-id")
    return render(
        request,
        "ledgers/enterprise/phone_home.html",
        {
            "enterprises": Enterprise.objects.filter(pk__in=own).order_by("name"),
            "hazards": list(hazards[:PHONE_ROWS]),
            "hazards_open": hazards.exclude(status__in=[Status.CLOSED, Status.REJECTED]).count(),
            "services": list(services[:PHONE_ROWS]),
            "services_open": services.exclude(status__in=[Status.CLOSED, Status.REJECTED]).count(),
            # the grid workers' offline app (its data, its /m/ pages) is not an enterprise's: it would be refused
            "no_offline": True,
        },
    )


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = common.staff_town(user, MANAGER_ROLES)
    villages = Area.objects.filter(town=town, level=AreaLevel.VILLAGE) if town else Area.objects.none()
    form = EnterpriseForm(request.POST or None, villages=villages)
    if request.method == "POST":
        if town is None:
            raise Http404(_("只有本镇受理员、领导或管理员可以登记企业"))
        if form.is_valid():
            with common.FormRefusal(form):
                enterprise = create_enterprise(town=town, **form.cleaned_data)
                messages.success(request, _("已登记企业“%(n)s”") % {"n": enterprise.name})
                return redirect("ledgers:enterprises")
    rows = [
        (e, masked_contact_phone(e))
        for e in permissions.visible_enterprises(user).select_related("village").order_by("name")
    ]
    return render(
        request,
        "ledgers/enterprise/enterprises.html",
        {
            "rows": rows,
            "form": form,
            "actions": permissions.ledger_actions(user=user, ledger=permissions.Ledger.ENTERPRISES),
            "sees_years": permissions.may_record_years(user),  # each name opens the enterprise's yearly figures
        },
    )


@sheet(
    gettext_lazy("企业名录"),
    [
        gettext_lazy("企业名称"),
        gettext_lazy("统一社会信用代码"),
        gettext_lazy("所在村/社区"),
        gettext_lazy("地址"),
        gettext_lazy("联系人"),
        gettext_lazy("联系电话"),
    ],
)
def enterprises_sheet(e: Enterprise) -> list[CellValue]:
    return [
        e.name,
        e.credit_code,
        e.village.name if e.village else "",
        e.address,
        e.contact_name,
        masked_contact_phone(e),
    ]


@login_required
def enterprises_export(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return enterprises_sheet.response(permissions.visible_enterprises(user).select_related("village").order_by("name"))


def _enterprise_or_404(user: User, enterprise_id: int) -> Enterprise:
    enterprise = permissions.visible_enterprises(user).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise Http404(_("企业不存在或您无权查看"))
    return enterprise


@login_required
def reconciliation(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    user = signed_in_user(request)
    enterprise = _enterprise_or_404(user, enterprise_id)
    year = year_param(request.GET.get("year"))
    start, end = (date(year, 1, 1), date(year + 1, 1, 1)) if year else (None, None)
    result = reconcile(enterprise=enterprise, hazards=permissions.visible_records(user, Hazard), start=start, end=end)
    return render(
        request,
        "ledgers/enterprise/reconcile.html",
        {"enterprise": enterprise, "result": result, "year": year, "threshold": THRESHOLD},
    )
