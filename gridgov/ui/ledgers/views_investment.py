"""Investment attraction (招商引资): the leads list (filters by stage, source, industry, signing year and flags;
Excel export), a lead's page (its stage steps, moved forward in place with htmx; its arrivals by month; its new
enterprise), a new-lead form and the year's arrivals by month. Every read goes through the permission module
(``visible_leads``, ``visible_arrivals``), every write through ``investment.domain``, which checks
``may_keep_investment`` again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gridgov.data.access import permissions
from gridgov.data.errors import DomainError, InvalidInput
from gridgov.data.investment.domain import (
    EDITABLE,
    ArrivalInput,
    LeadInput,
    NewEnterpriseInput,
    advance_stage,
    edit_lead,
    next_stage,
    record_arrival,
    record_lead,
    register_enterprise,
)
from gridgov.data.investment.enums import STAGE_DATE_FIELDS, STAGE_ORDER, Industry, Source, Stage
from gridgov.data.investment.figures import arrivals_by_month
from gridgov.data.investment.models import BILLION, FundArrival, Lead, billion_q
from gridgov.data.org.models import Area, Department, Enterprise, User
from gridgov.data.sheets.jobs import home_town
from gridgov.data.sheets.workbooks import workbook
from gridgov.types import FromDjango, TemplateContext
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_investment import AdvanceForm, ArrivalForm, EnterpriseForm, LeadEditForm, LeadForm
from gridgov.ui.params import id_param, year_param
from gridgov.ui.signed_in import is_htmx, signed_in_user

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
    town = (
        Area.objects.filter(pk__in=towns).order_by("code").first() if towns else home_town(user)
    )  # a global admin: their home town
    if town is None:
        raise Http404(_("您的账号不属于任何乡镇"))
    return town


def _params(request: HttpRequest) -> dict[str, str]:
    return common.list_params(request, "stage", "source", "industry", "year", "flag", "by")


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
    user = signed_in_user(request)
    town = investment_town(user)
    params = _params(request)
    context = common.page_context(request, _leads(user, town, params), PAGE_SIZE)
    context.update(
        {
            "rows": [(lead, _flags(lead)) for lead in context["page"].object_list],
            "params": params,
            "stages": Stage.choices,
            "sources": Source.choices,
            "industries": Industry.choices,
            "flags": list(FLAGS.items()),
        }
    )
    return common.render_list(request, "ledgers/investment/leads.html", context, rows="rows")


@login_required
def leads_export(request: HttpRequest) -> HttpResponse:
    """The filtered leads as Excel (no personal data: the responsible person is a member of staff)."""
    user = signed_in_user(request)
    town = investment_town(user)
    rows = (
        [
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
        for lead in _leads(user, town, _params(request))
    )
    headers = [
        _("项目名称"),
        _("阶段"),
        _("招商方式"),
        _("产业类别"),
        _("签约金额（元）"),
        _("亿元项目"),
        _("重大产业项目"),
        _("飞地所在地"),
        _("线索日期"),
        _("签约日期"),
        _("落地日期"),
        _("投产日期"),
        _("责任部门"),
        _("责任人"),
        _("所在村"),
        _("新增企业"),
        _("统一社会信用代码"),
        _("备注"),
        _("项目编号"),  # what the arrivals' import names a lead by
    ]
    return common.dated_xlsx(_("招商项目"), workbook(_("招商项目"), headers, rows))


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
        data = form.cleaned_data
        department_id, village_id = id_param(data["department"]), id_param(data["village"])
        department = Department.objects.filter(pk=department_id, town=town).first() if department_id else None
        village = Area.objects.filter(pk=village_id, town=town).first() if village_id else None
        try:
            lead = record_lead(
                actor=user,
                data=LeadInput(
                    town=town,
                    name=data["name"],
                    source=data["source"],
                    industry=data["industry"],
                    lead_on=data["lead_on"],
                    talks_on=data["talks_on"],
                    signed_on=data["signed_on"],
                    landed_on=data["landed_on"],
                    producing_on=data["producing_on"],
                    signed_amount=data["signed_amount"],
                    major_industrial=data["major_industrial"],
                    enclave=data["enclave"],
                    enclave_place=data["enclave_place"],
                    department=department,
                    person=data["person"],
                    village=village,
                    note=data["note"],
                ),
                now=timezone.now(),
            )
        except DomainError as error:
            common.put_error(form, error)
        else:
            return redirect("ledgers:investment_lead", lead.pk)
    return render(request, "ledgers/investment/lead_new.html", {"form": form})


@login_required
def lead_edit(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Correct a lead's facts (name, source, industry, amount, flags, who, where); its stages move on its page."""
    user = signed_in_user(request)
    town = investment_town(user)
    lead = _lead(user, town, lead_id)
    if not permissions.may_keep_investment(user, town):
        raise PermissionDenied(_("您不能修改招商项目"))
    initial = {field: getattr(lead, field) for field in EDITABLE if field not in ("department", "village")}
    initial |= {
        "department": lead.department_id or "",
        "village": lead.village_id or "",
        "signed_amount": lead.signed_amount or "",
    }
    form = LeadEditForm(
        request.POST or None,
        initial=initial,
        departments=common.department_choices(town),
        villages=common.village_choices(town),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        department_id, village_id = id_param(data["department"]), id_param(data["village"])
        department = Department.objects.filter(pk=department_id, town=town).first() if department_id else None
        try:
            edit_lead(
                actor=user,
                lead=lead,
                data=LeadInput(
                    town=town,
                    name=data["name"],
                    source=data["source"],
                    industry=data["industry"],
                    lead_on=lead.lead_on,
                    signed_amount=data["signed_amount"],
                    major_industrial=data["major_industrial"],
                    enclave=data["enclave"],
                    enclave_place=data["enclave_place"],
                    department=department,
                    person=data["person"],
                    village=Area.objects.filter(pk=village_id, town=town).first() if village_id else None,
                    note=data["note"],
                ),
                now=timezone.now(),
            )
        except DomainError as error:
            common.put_error(form, error)
        else:
            return redirect("ledgers:investment_lead", lead.pk)
    return render(request, "ledgers/investment/lead_edit.html", {"form": form, "lead": lead})


@dataclass(frozen=True)
class Step:
    stage: Stage
    day: date | None
    current: bool


def _lead(user: User, town: Area, lead_id: int) -> Lead:
    lead = (
        permissions.visible_leads(user)
        .filter(town=town, pk=lead_id)
        .select_related("town", "department", "village", "enterprise")
        .first()
    )
    if lead is None:
        raise Http404(_("招商项目不存在或您无权查看"))
    return lead


def _steps_context(lead: Lead, form: AdvanceForm | None = None) -> TemplateContext:
    following = next_stage(lead.stage)
    steps = [Step(s, getattr(lead, STAGE_DATE_FIELDS[s]), s == lead.stage) for s in STAGE_ORDER]
    if form is None and following is not None:
        form = AdvanceForm(initial={"stage": following})
    return {
        "lead": lead,
        "steps": steps,
        "following": following,
        "advance_form": form,
        "changes": lead.changes.select_related("by").order_by("reached_on", "pk"),
    }


def _detail(
    request: HttpRequest, lead: Lead, *, arrival_form: Form | None = None, enterprise_form: Form | None = None
) -> HttpResponse:
    context = _steps_context(lead)
    landed = lead.stage in (Stage.LANDED, Stage.PRODUCING)
    context.update(
        {
            "arrivals": lead.arrivals.order_by("year", "month"),
            "arrival_form": arrival_form or ArrivalForm(initial={"year": timezone.localdate().year}),
            "enterprise_form": enterprise_form or (EnterpriseForm() if landed and lead.enterprise is None else None),
            "billion": BILLION,
        }
    )
    return render(request, "ledgers/investment/lead_detail.html", context)


@login_required
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    user = signed_in_user(request)
    return _detail(request, _lead(user, investment_town(user), lead_id))


@login_required
@require_POST
def lead_advance(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Move the lead one stage forward; htmx swaps the stage steps (with the refusal beside its field)."""
    user = signed_in_user(request)
    lead = _lead(user, investment_town(user), lead_id)
    form = AdvanceForm(request.POST)
    moved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            lead = advance_stage(
                actor=user,
                lead=lead,
                stage=data["stage"],
                on=data["on"],
                signed_amount=data["signed_amount"],
                now=timezone.now(),
            )
            moved = True
        except InvalidInput as error:
            if error.field in STAGE_DATE_FIELDS.values():
                error.field = "on"  # the form has one day field, for whichever stage is next
            common.put_error(form, error)
        except DomainError as error:
            common.put_error(form, error)
    if not is_htmx(request):
        return redirect("ledgers:investment_lead", lead.pk) if moved else _detail(request, lead)
    return render(request, "ledgers/investment/lead_detail.html#steps", _steps_context(lead, None if moved else form))


#: What a form on the lead's page records: the domain call with the form's checked data (its refusal: DomainError).
Write = Callable[[User, Lead, dict[str, FromDjango]], object]


def _record_on_lead(
    request: HttpRequest, lead_id: int, form: Form, write: Write, *, shown_as: Literal["arrival", "enterprise"]
) -> HttpResponse:
    """A form of the lead's page posted: checked, recorded by ``write`` (the domain function), then back to the lead's
    page — or the page again with the form and its refusal beside the field it names."""
    user = signed_in_user(request)
    lead = _lead(user, investment_town(user), lead_id)
    if form.is_valid():
        try:
            write(user, lead, form.cleaned_data)
        except DomainError as error:
            common.put_error(form, error)
        else:
            return redirect("ledgers:investment_lead", lead.pk)
    if shown_as == "arrival":
        return _detail(request, lead, arrival_form=form)
    return _detail(request, lead, enterprise_form=form)


@login_required
@require_POST
def lead_arrival(request: HttpRequest, lead_id: int) -> HttpResponse:
    def write(user: User, lead: Lead, data: dict[str, FromDjango]) -> FundArrival:
        arrival = ArrivalInput(
            lead=lead, year=data["year"], month=data["month"], amount=data["amount"], note=data["note"]
        )
        return record_arrival(actor=user, data=arrival, now=timezone.now())

    return _record_on_lead(request, lead_id, ArrivalForm(request.POST), write, shown_as="arrival")


@login_required
@require_POST
def lead_enterprise(request: HttpRequest, lead_id: int) -> HttpResponse:
    def write(user: User, lead: Lead, data: dict[str, FromDjango]) -> Enterprise:
        company = NewEnterpriseInput(
            credit_code=data["credit_code"], name=data["name"], registered_on=data["registered_on"]
        )
        return register_enterprise(actor=user, lead=lead, data=company, now=timezone.now())

    return _record_on_lead(request, lead_id, EnterpriseForm(request.POST), write, shown_as="enterprise")


@login_required
def arrivals(request: HttpRequest) -> HttpResponse:
    """The year's funds arrived by month (到位资金), with the year's total."""
    user = signed_in_user(request)
    town = investment_town(user)
    year = common.year_of(request)
    rows = permissions.visible_arrivals(user).filter(town=town, year=year)
    by_month = arrivals_by_month(rows)
    months = [(month, by_month.get((year, month), Decimal(0))) for month in range(1, 13)]
    total = sum((amount for _month, amount in months), Decimal(0))
    return render(request, "ledgers/investment/arrivals.html", {"year": year, "months": months, "total": total})
