"""重点工作: the economic ledgers of a year at a glance, for the town's leaders and command room — key projects by
schedule with the year's planned investment against the investment reported done, investment attraction's leads
by stage and funds arrived by month, and the villages' collective income. Each part counts only the records the
viewer may see (the permission module) and links to its ledger; a part the viewer may not use is left out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.access import permissions
from gridgov.data.collective.figures import VillageYear, village_years
from gridgov.data.investment.enums import Stage
from gridgov.data.investment.figures import arrivals_by_month, leads_by_stage
from gridgov.data.org.models import Area, User
from gridgov.data.projects.figures import ProjectsYear, projects_year
from gridgov.ui.dashboard.common import town_wide
from gridgov.ui.params import year_param
from gridgov.ui.signed_in import signed_in_user
from gridgov.ui.web.menu import may_use_collective, may_use_investment, may_use_projects


@dataclass(frozen=True)
class Bar:
    """One bar of a CSS bar chart: its label, value and width as a share of the largest (0–100)."""

    label: str
    value: Decimal
    width: int


def bars(values: list[tuple[str, Decimal]]) -> list[Bar]:
    largest = max((value for _label, value in values), default=Decimal(0))
    return [
        Bar(label, value, 0 if largest <= 0 else int((value / largest * 100).to_integral_value()))
        for label, value in values
    ]


@dataclass(frozen=True)
class Investment:
    stages: dict[Stage, int]
    months: list[Bar]
    arrived: Decimal


def _investment(user: User, town: Area, year: int) -> Investment | None:
    if not may_use_investment(user):
        return None
    stages = leads_by_stage(permissions.visible_leads(user).filter(town=town))
    by_month = arrivals_by_month(permissions.visible_arrivals(user).filter(town=town, year=year))
    months = [(_("%(month)s月") % {"month": month}, by_month.get((year, month), Decimal(0))) for month in range(1, 13)]
    return Investment(stages=stages, months=bars(months), arrived=sum((v for _m, v in months), Decimal(0)))


def _projects(user: User, town: Area, year: int) -> ProjectsYear | None:
    if not may_use_projects(user):
        return None
    return projects_year(
        projects=permissions.visible_projects(user).filter(town=town), year=year, today=timezone.localdate()
    )


def _collective(user: User, town: Area, year: int) -> tuple[list[VillageYear], list[Bar]] | None:
    if not may_use_collective(user):
        return None
    villages = list(permissions.income_villages(user, town))
    rows = village_years(incomes=permissions.visible_incomes(user), villages=villages, year=year)
    return rows, bars([(row.village.name, row.total) for row in rows])


@login_required
def development(request: HttpRequest) -> HttpResponse:
    _viewer, town = town_wide(request)
    user = signed_in_user(request)
    year = year_param(request.GET.get("year")) or timezone.localdate().year
    collective = _collective(user, town, year)
    context = {
        "town": town,
        "year": year,
        "years": list(range(timezone.localdate().year, 2019, -1)),
        "projects": _projects(user, town, year),
        "investment": _investment(user, town, year),
        "collective": None if collective is None else collective[0],
        "collective_bars": None if collective is None else collective[1],
    }
    return render(request, "dashboard/development.html", context)
