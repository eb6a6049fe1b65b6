"""重点工作: the economic ledgers of a year at a glance, for the town's leaders and command room — key projects by
schedule with the year's planned investment against the investment reported done, investment attraction's leads
by stage and funds arrived by month, and the villages' collective income. Each part counts only the records the
viewer may see (the permission module) and links to its ledger; a part the viewer may not use is left out.

The page's tables are its figures (and all of them when scripts are off); beside them ECharts draws four charts
(static/dashboard/development.js) from ``chart_data`` in the page (json_script): planned against done investment
by project type, the projects by schedule in the lamps' colours, the arrivals by month with their running total,
and each village's income stacked by kind — amounts in 万元 with a label as Chinese users write them (``yuan``),
every label translated here and each bar or slice linking to its ledger's list."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gridgov.data.access import permissions
from gridgov.data.collective.enums import IncomeKind
from gridgov.data.collective.figures import VillageYear, village_years
from gridgov.data.investment.enums import Stage
from gridgov.data.investment.figures import arrivals_by_month, leads_by_stage
from gridgov.data.org.models import Area, User
from gridgov.data.projects.enums import Schedule
from gridgov.data.projects.figures import ProjectsYear, TypeInvestment, investment_by_type, projects_year
from gridgov.ui.dashboard.common import town_wide
from gridgov.ui.ledgers.templatetags.enterprise_ledgers import yuan
from gridgov.ui.params import year_shown
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


@dataclass(frozen=True)
class Projects:
    year: ProjectsYear
    by_type: list[TypeInvestment]


def _projects(user: User, town: Area, year: int) -> Projects | None:
    if not may_use_projects(user):
        return None
    visible = permissions.visible_projects(user).filter(town=town)
    return Projects(
        year=projects_year(projects=visible, year=year, today=timezone.localdate()),
        by_type=investment_by_type(visible, year),
    )


def _collective(user: User, town: Area, year: int) -> tuple[list[VillageYear], list[Bar]] | None:
    if not may_use_collective(user):
        return None
    villages = list(permissions.income_villages(user, town))
    rows = village_years(incomes=permissions.visible_incomes(user), villages=villages, year=year)
    return rows, bars([(row.village.name, row.total) for row in rows])


# The schedules: ahead in blue (better than planned), on time in the green lamp's colour, behind in the red lamp's
# (web.css .lamp-*) — yellow is the lamps' 临期 and would read as a warning.
SCHEDULE_COLOURS = {Schedule.AHEAD: "#2563eb", Schedule.ON_TIME: "#15803d", Schedule.BEHIND: "#dc2626"}
WAN = Decimal(10_000)

type Json = dict[str, object]


def _point(value: Decimal, link: str) -> Json:
    """A bar's or point's value in 万元 (the axes' unit), its label as Chinese users write it, and its list."""
    return {"value": float((value / WAN).quantize(Decimal("0.01"))), "text": yuan(value), "link": link}


def _projects_chart(projects: Projects, year: int) -> Json:
    url = reverse("ledgers:projects")

    def link(row: TypeInvestment) -> str:
        return f"{url}?year={year}&type={row.type.value}"

    return {
        "types": [str(row.type.label) for row in projects.by_type],
        "series": [
            {"name": _("年度计划投资"), "data": [_point(r.planned, link(r)) for r in projects.by_type]},
            {"name": _("已完成投资"), "data": [_point(r.done, link(r)) for r in projects.by_type]},
        ],
        "schedules": [
            {
                "name": str(schedule.label),
                "value": n,
                "itemStyle": {"color": SCHEDULE_COLOURS[schedule]},
                "link": f"{url}?year={year}&schedule={schedule.value}",
            }
            for schedule, n in projects.year.schedules.items()
        ],
    }


def _arrivals_chart(investment: Investment, year: int) -> Json:
    link = f"{reverse('ledgers:investment_arrivals')}?year={year}"
    running = Decimal(0)
    cumulative = []
    for bar in investment.months:
        running += bar.value
        cumulative.append(_point(running, link))
    return {
        "months": [bar.label for bar in investment.months],
        "series": [
            {"name": _("当月到位资金"), "data": [_point(bar.value, link) for bar in investment.months]},
            {"name": _("累计到位资金"), "data": cumulative},
        ],
    }


def _collective_chart(rows: list[VillageYear], year: int) -> Json:
    def link(row: VillageYear) -> str:
        return f"{reverse('ledgers:collective_village', args=[row.village.pk])}?year={year}"

    return {
        "villages": [row.village.name for row in rows],
        "series": [
            {"name": str(IncomeKind.OPERATING.label), "data": [_point(r.operating, link(r)) for r in rows]},
            {"name": str(IncomeKind.NON_OPERATING.label), "data": [_point(r.non_operating, link(r)) for r in rows]},
            {"name": str(IncomeKind.SUBSIDY.label), "data": [_point(r.subsidy, link(r)) for r in rows]},
        ],
    }


def chart_data(
    *, year: int, projects: Projects | None, investment: Investment | None, collective: list[VillageYear] | None
) -> Json:
    """What the page's charts draw (json_script): each part the viewer may use, else None."""
    return {
        "unit": pgettext("chart axis", "万元"),
        "projects": None if projects is None else _projects_chart(projects, year),
        "arrivals": None if investment is None else _arrivals_chart(investment, year),
        "collective": None if collective is None else _collective_chart(collective, year),
    }


@login_required
def development(request: HttpRequest) -> HttpResponse:
    _viewer, town = town_wide(request)
    user = signed_in_user(request)
    year = year_shown(request)
    projects = _projects(user, town, year)
    investment = _investment(user, town, year)
    collective = _collective(user, town, year)
    rows = None if collective is None else collective[0]
    context = {
        "town": town,
        "year": year,
        "years": list(range(timezone.localdate().year, 2019, -1)),
        "projects": None if projects is None else projects.year,
        "by_type": None if projects is None else projects.by_type,
        "investment": investment,
        "collective": rows,
        "collective_bars": None if collective is None else collective[1],
        "chart_data": chart_data(year=year, projects=projects, investment=investment, collective=rows),
    }
    return render(request, "dashboard/development.html", context)
