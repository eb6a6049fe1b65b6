"""Investment attraction (招商引资): the leads list (filters by stage, source, industry, signing year and flags;
Excel export), the new-lead form and the year's arrivals by month; one lead's pages are in
``views_investment_lead``. Every read goes through the permission module (``visible_leads``,
``visible_arrivals``), every write through ``investment.domain``, which checks ``may_keep_investment`` again."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access import permissions
from gridgov.data.investment.domain import LeadInput, record_lead
from gridgov.data.investment.enums import Industry, Source, Stage
from gridgov.data.investment.figures import arrivals_by_month
from gridgov.data.investment.models import Lead, billion_q
from gridgov.data.org.models import Area, Department, User
from gridgov.data.sheets.jobs import home_town
from gridgov.types import CellValue, FromDjango
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_investment import LeadForm
from gridgov.ui.ledgers.listing import LedgerList, export_view, sheet
from gridgov.ui.params import id_param, year_param, year_shown
from gridgov.ui.signed_in import signed_in_user

PAGE_SIZE = 50
FLAGS = {
    "billion": gettext_lazy("亿元项目"),
    "major": gettext_lazy("重大产业项目"),
    "enclave": gettext_lazy("飞地项目"),
}


def investment_town(user: User) -> Area:
    """The town whose leads ``user`` keeps (``may_see_investment``); 403 for anyone else."""
    if not permissions.may_see_investment(user):
        raise PermissionDenied(_("招商引资台账只对镇指挥室、领导、管理员和经济发展办开放"))
    towns = permissions.investment_towns(user)
    return common.town_or_404(
        Area.objects.filter(pk__in=towns).order_by("code").first() if towns else home_town(user)
    )  # a global admin: their home town


LEADS = LedgerList(town_of=investment_town, filters=("stage", "source", "industry", "year", "flag", "by"))


def _leads(user: User, town: Area, params: common.ListFilters) -> QuerySet[Lead]:
    qs = permissions.visible_leads(user).filter(town=town)
    if params.get("stage") in Stage.values:
        qs = qs.filter(stage=params["stage"])
    if params.get("source") in Source.values:
        qs = qs.filter(source=params["source"])
    if params.get("industry") in Industry.values:
        qs = qs.filter(industry=params["industry"])
    year = year_param(params.get("year"))
    if year and params.get("by") == "enterprise":  # 新增企业: the enterprise registered in the year
        qs = qs.filter(
            enterprise__isnull=False, enterprise_on__gte=date(year, 1, 1), enterprise_on__lt=date(year + 1, 1, 1)
        )
    elif year:  # 引进 in the year: signed in it, as the year figures count
        qs = qs.filter(signed_on__gte=date(year, 1, 1), signed_on__lt=date(year + 1, 1, 1))
    flag = params.get("flag")
    if flag == "billion":
        qs = qs.filter(billion_q())
    elif flag == "major":
        qs = qs.filter(major_industrial=True)
    elif flag == "enclave":
        qs = qs.filter(enclave=True)
    return qs.select_related("department", "village", "enterprise").order_by("-lead_on", "-pk")


def _flags(lead: Lead) -> str:
    shown = [str(FLAGS["billion"])] if lead.is_billion else []
    if lead.major_industrial:
        shown.append(str(FLAGS["major"]))
    if lead.enclave:
        shown.append(f"{FLAGS['enclave']}（{lead.enclave_place}）")
    return "、".join(shown)


@login_required
def leads(request: HttpRequest) -> HttpResponse:
    shown = LEADS.read(request)
    context = common.page_context(request, _leads(shown.user, shown.town, shown.params), PAGE_SIZE)
    context.update(
        {
            "rows": [(lead, _flags(lead)) for lead in context["page"].object_list],
            "params": shown.params,
            "stages": Stage.choices,
            "sources": Source.choices,
            "industries": Industry.choices,
            "flags": list(FLAGS.items()),
        }
    )
    return common.render_list(request, "ledgers/investment/leads.html", context, rows="rows")


@sheet(
    gettext_lazy("招商项目"),
    [
        gettext_lazy("项目名称"),
        gettext_lazy("阶段"),
        gettext_lazy("招商方式"),
        gettext_lazy("产业类别"),
        gettext_lazy("签约金额（元）"),
        gettext_lazy("亿元项目"),
        gettext_lazy("重大产业项目"),
        gettext_lazy("飞地所在地"),
        gettext_lazy("线索日期"),
        gettext_lazy("签约日期"),
        gettext_lazy("落地日期"),
        gettext_lazy("投产日期"),
        gettext_lazy("责任部门"),
        gettext_lazy("责任人"),
        gettext_lazy("所在村"),
        gettext_lazy("新增企业"),
        gettext_lazy("统一社会信用代码"),
        gettext_lazy("备注"),
        gettext_lazy("项目编号"),  # what the arrivals' import names a lead by
    ],
)
def leads_sheet(lead: Lead) -> list[CellValue]:
    """A lead in the export (no personal data: the responsible person is a member of staff)."""
    return [
        lead.name,
        lead.get_stage_display(),
        lead.get_source_display(),
        lead.get_industry_display(),
        lead.signed_amount,
        _("是") if lead.is_billion else "",
        _("是") if lead.major_industrial else "",
        lead.enclave_place if lead.enclave else "",
        lead.lead_on,
        lead.signed_on,
        lead.landed_on,
        lead.producing_on,
        lead.department.name if lead.department else "",
        lead.person,
        lead.village.name if lead.village else "",
        lead.enterprise.name if lead.enterprise else "",
        lead.enterprise.credit_code if lead.enterprise else "",
        lead.note,
        lead.pk,
    ]


leads_export = export_view(LEADS, _leads, leads_sheet)


def lead_input(town: Area, data: Mapping[str, FromDjango], *, lead_on: date | None) -> LeadInput:
    """The lead a lead form describes, its department and village found in ``town``; the stage days only where the
    form has them (the new-lead form: a lead's page moves its stages on)."""
    department_id, village_id = id_param(data["department"]), id_param(data["village"])
    return LeadInput(
        town=town,
        name=data["name"],
        source=data["source"],
        industry=data["industry"],
        lead_on=lead_on,
        talks_on=data.get("talks_on"),
        signed_on=data.get("signed_on"),
        landed_on=data.get("landed_on"),
        producing_on=data.get("producing_on"),
        signed_amount=data["signed_amount"],
        major_industrial=data["major_industrial"],
        enclave=data["enclave"],
        enclave_place=data["enclave_place"],
        department=Department.objects.filter(pk=department_id, town=town).first() if department_id else None,
        person=data["person"],
        village=Area.objects.filter(pk=village_id, town=town).first() if village_id else None,
        note=data["note"],
    )


@login_required
def lead_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    town = investment_town(user)
    if not permissions.may_keep_investment(user, town):
        raise PermissionDenied(_("您不能登记招商项目"))
    form = LeadForm(
        request.POST or None, departments=common.department_choices(town), villages=common.village_choices(town)
    )
    if request.method == "POST" and form.is_valid():
        data = lead_input(town, form.cleaned_data, lead_on=form.cleaned_data["lead_on"])
        with common.FormRefusal(form):
            lead = record_lead(actor=user, data=data, now=timezone.now())
            return redirect("ledgers:investment_lead", lead.pk)
    return render(request, "ledgers/investment/lead_new.html", {"form": form})


@login_required
def arrivals(request: HttpRequest) -> HttpResponse:
    """The year's funds arrived by month (到位资金), with the year's total."""
    user = signed_in_user(request)
    town = investment_town(user)
    year = year_shown(request)
    rows = permissions.visible_arrivals(user).filter(town=town, year=year)
    by_month = arrivals_by_month(rows)
    months = [(month, by_month.get((year, month), Decimal(0))) for month in range(1, 13)]
    total = sum((amount for _month, amount in months), Decimal(0))
    return render(request, "ledgers/investment/arrivals.html", {"year": year, "months": months, "total": total})
