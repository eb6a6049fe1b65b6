"""Economic and social indicators: the table (targets, year to date, completion, year-on-year change) and
the forms to define indicators, set targets and enter monthly or quarterly actuals."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gridgov.data.errors import DomainError, InvalidInput
from gridgov.data.org.models import Area
from gridgov.data.reports.domain import economy
from gridgov.data.reports.enums import Accumulation, Frequency, IndicatorKind
from gridgov.data.reports.models import IndicatorDefinition
from gridgov.ui.dashboard.common import town_wide, user_of
from gridgov.ui.dashboard.forms import ActualForm, IndicatorDefinitionForm, TargetForm
from gridgov.ui.params import int_param


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year")
    return int_param(raw, minimum=2000, maximum=2100) or timezone.localdate().year


def _page(
    request: HttpRequest,
    town: Area,
    *,
    year: int,
    define: IndicatorDefinitionForm | None = None,
    target: TargetForm | None = None,
    actual: ActualForm | None = None,
    status: int = 200,
) -> HttpResponse:
    indicators = list(IndicatorDefinition.objects.filter(town=town, active=True))
    context = {
        "town": town,
        "year": year,
        "years": [year - 1, year, year + 1],
        "rows": economy.indicator_table(town=town, year=year),
        "define_form": define or IndicatorDefinitionForm(),
        "target_form": target or TargetForm(indicators=indicators, initial={"year": year}),
        "actual_form": actual or ActualForm(indicators=indicators, initial={"year": year}),
    }
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx's middleware sets request.htmx; HttpRequest's stubs do not know it
        # htmx swaps only 2xx responses: the form errors come back as a 200 panel.
        return render(request, "dashboard/economy.html#panel", context)
    return render(request, "dashboard/economy.html", context, status=status)


@login_required
def economy_page(request: HttpRequest) -> HttpResponse:
    _viewer, town = town_wide(request)
    return _page(request, town, year=_year(request))


def _attach(form: forms.Form, error: DomainError) -> None:
    field = error.field if isinstance(error, InvalidInput) and error.field in form.fields else None
    form.add_error(field, error.message)


def _done(request: HttpRequest, town: Area, year: int) -> HttpResponse:
    url = f"{reverse('dashboard:economy')}?town={town.pk}&year={year}"
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx's middleware sets request.htmx; HttpRequest's stubs do not know it
        return _page(request, town, year=year)
    return redirect(url)


@login_required
@require_POST
def economy_define(request: HttpRequest) -> HttpResponse:
    _viewer, town = town_wide(request)
    year = _year(request)
    form = IndicatorDefinitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            economy.define_indicator(
                town=town,
                code=data["code"],
                name=data["name"],
                unit=data["unit"],
                kind=IndicatorKind(data["kind"]),
                frequency=Frequency(data["frequency"]),
                accumulation=Accumulation(data["accumulation"]),
                sort_order=IndicatorDefinition.objects.filter(town=town).count(),
            )
            return _done(request, town, year)
        except DomainError as error:
            _attach(form, error)
    return _page(request, town, year=year, define=form, status=400)


@login_required
@require_POST
def economy_target(request: HttpRequest) -> HttpResponse:
    _viewer, town = town_wide(request)
    year = _year(request)
    form = TargetForm(request.POST, indicators=list(IndicatorDefinition.objects.filter(town=town, active=True)))
    if form.is_valid():
        data = form.cleaned_data
        try:
            indicator = economy.indicator_for_town(town=town, indicator_id=data["indicator"])
            economy.set_target(indicator=indicator, year=data["year"], value=data["value"])
            return _done(request, town, data["year"])
        except DomainError as error:
            _attach(form, error)
    return _page(request, town, year=year, target=form, status=400)


@login_required
@require_POST
def economy_actual(request: HttpRequest) -> HttpResponse:
    _viewer, town = town_wide(request)
    year = _year(request)
    form = ActualForm(request.POST, indicators=list(IndicatorDefinition.objects.filter(town=town, active=True)))
    if form.is_valid():
        data = form.cleaned_data
        try:
            indicator = economy.indicator_for_town(town=town, indicator_id=data["indicator"])
            economy.record_actual(
                indicator=indicator,
                year=data["year"],
                period=data["period"],
                value=data["value"],
                note=data["note"],
                user=user_of(request),
            )
            return _done(request, town, data["year"])
        except DomainError as error:
            _attach(form, error)
    return _page(request, town, year=year, actual=form, status=400)
