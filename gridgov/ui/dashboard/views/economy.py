"""Economic and social indicators: the table (targets, year to date, completion, year-on-year change) and
the forms to define indicators, set targets and enter monthly or quarterly actuals."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gridgov.data.errors import DomainError
from gridgov.data.org.models import Area
from gridgov.data.reports.domain import economy
from gridgov.data.reports.enums import Accumulation, Frequency, IndicatorKind
from gridgov.data.reports.models import IndicatorDefinition
from gridgov.ui.dashboard.common import town_wide
from gridgov.ui.dashboard.forms import ActualForm, IndicatorDefinitionForm, TargetForm
from gridgov.ui.params import year_shown
from gridgov.ui.refusals import show_refusal
from gridgov.ui.signed_in import is_htmx, signed_in_user


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
    if is_htmx(request):
        # htmx swaps only 2xx responses: the form errors come back as a 200 panel.
        return render(request, "dashboard/economy.html#panel", context)
    return render(request, "dashboard/economy.html", context, status=status)


@login_required
def economy_page(request: HttpRequest) -> HttpResponse:
    _viewer, town = town_wide(request)
    return _page(request, town, year=year_shown(request))


def _done(request: HttpRequest, town: Area, year: int) -> HttpResponse:
    url = f"{reverse('dashboard:economy')}?town={town.pk}&year={year}"
    if is_htmx(request):
        return _page(request, town, year=year)
    return redirect(url)


@login_required
@require_POST
def economy_define(request: HttpRequest) -> HttpResponse:
    _viewer, town = town_wide(request)
    year = year_shown(request)
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
            show_refusal(form, error)
    return _page(request, town, year=year, define=form, status=400)


def _save_for_indicator[F: (TargetForm, ActualForm)](
    request: HttpRequest, *, form_class: type[F], save: Callable[[IndicatorDefinition, F], None]
) -> HttpResponse:
    """Read a target or an actual posted for one of the town's active indicators and save it with ``save``;
    the page again with the form's errors (400) when it does not hold."""
    _viewer, town = town_wide(request)
    year = year_shown(request)
    form = form_class(request.POST, indicators=list(IndicatorDefinition.objects.filter(town=town, active=True)))
    if form.is_valid():
        try:
            indicator = economy.indicator_for_town(town=town, indicator_id=form.cleaned_data["indicator"])
            save(indicator, form)
            return _done(request, town, form.cleaned_data["year"])
        except DomainError as error:
            show_refusal(form, error)
    target = form if isinstance(form, TargetForm) else None
    actual = form if isinstance(form, ActualForm) else None
    return _page(request, town, year=year, target=target, actual=actual, status=400)


@login_required
@require_POST
def economy_target(request: HttpRequest) -> HttpResponse:
    def save(indicator: IndicatorDefinition, form: TargetForm) -> None:
        data = form.cleaned_data
        economy.set_target(indicator=indicator, year=data["year"], value=data["value"])

    return _save_for_indicator(request, form_class=TargetForm, save=save)


@login_required
@require_POST
def economy_actual(request: HttpRequest) -> HttpResponse:
    def save(indicator: IndicatorDefinition, form: ActualForm) -> None:
        data = form.cleaned_data
        economy.record_actual(
            indicator=indicator,
            year=data["year"],
            period=data["period"],
            value=data["value"],
            note=data["note"],
            user=signed_in_user(request),
        )

    return _save_for_indicator(request, form_class=ActualForm, save=save)
