"""One investment lead's pages (招商引资): its facts corrected, its stage steps moved forward in place with htmx,
its funds arrived by month and its new enterprise recorded. Reads through ``visible_leads``, writes through
``investment.domain``, which checks ``may_keep_investment`` again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.data.access import permissions
from gridgov.data.errors import DomainError
from gridgov.data.investment.domain import (
    EDITABLE,
    ArrivalInput,
    NewEnterpriseInput,
    advance_stage,
    edit_lead,
    next_stage,
    record_arrival,
    register_enterprise,
)
from gridgov.data.investment.enums import STAGE_DATE_FIELDS, STAGE_ORDER, Stage
from gridgov.data.investment.models import BILLION, FundArrival, Lead
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.types import FromDjango, TemplateContext
from gridgov.ui.ledgers import views_common as common
from gridgov.ui.ledgers.forms_investment import AdvanceForm, ArrivalForm, EnterpriseForm, LeadEditForm
from gridgov.ui.ledgers.views_investment import investment_town, lead_input
from gridgov.ui.refusals import show_refusal
from gridgov.ui.signed_in import is_htmx, signed_in_user


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
        data = lead_input(town, form.cleaned_data, lead_on=lead.lead_on)
        with common.FormRefusal(form):
            edit_lead(actor=user, lead=lead, data=data, now=timezone.now())
            return redirect("ledgers:investment_lead", lead.pk)
    return render(request, "ledgers/investment/lead_edit.html", {"form": form, "lead": lead})


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
        except DomainError as error:
            # the form has one day field, for whichever stage is next
            show_refusal(form, error, rename=dict.fromkeys(STAGE_DATE_FIELDS.values(), "on"))
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
        with common.FormRefusal(form):
            write(user, lead, form.cleaned_data)
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
