"""Year figures of the key projects and rural works, as the work report counts them ("双合入岛门户打造21个工程项目
全面启动 … 前岸智慧村社、智慧停车场、房屋风貌提升、杆线序化等项目超时序完成; 超额完成抛荒地整治520亩; 投入250万元实施
8个乡村蝶变项目") — each with the projects behind it:

- group_projects: the projects of the year's largest project group (its name is the figure's label);
- projects_ahead: the year's projects finished (every milestone done by the period's end and ``as_of``) ahead of
  schedule (超时序, ``projects.schedule``);
- land_mu: the 亩 of the year's finished land consolidation (土地整治) projects;
- renewal_projects / renewal_investment: the year's 乡村蝶变 projects and their planned total investment, in 元.

A project counts in a period by its ``year`` (the year whose first day is ``start``) when it was registered by
``as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.figures import Figure
from gridgov.data.org.models import Area
from gridgov.data.projects.enums import ProjectType, Schedule
from gridgov.data.projects.models import Milestone, ProgressReport, Project, ProjectGroup
from gridgov.data.projects.schedule import ahead_q, schedule_q

MU = "亩"


def projects(*, town: Area, start: date, end: date, as_of: datetime) -> QuerySet[Project]:
    """The town's projects of the years in [start, end), registered by ``as_of``."""
    last = (end - timedelta(days=1)).year
    return Project.objects.filter(town=town, year__gte=start.year, year__lte=last, created_at__lte=as_of)


def finished_q(*, day: date) -> Q:
    """Projects with milestones, every one of them done on or before ``day``."""
    has = Exists(Milestone.objects.filter(project=OuterRef("pk")))
    open_then = Exists(Milestone.objects.filter(Q(done_on__isnull=True) | Q(done_on__gt=day), project=OuterRef("pk")))
    return Q(has) & ~Q(open_then)


def _or_zero(total: Decimal | None) -> Decimal:
    return total if total is not None else Decimal(0)


def _sum(rows: QuerySet[Project], field: str) -> Decimal:
    total: Decimal | None = rows.aggregate(total=Sum(field))["total"]
    return _or_zero(total)


def largest_group(rows: QuerySet[Project]) -> ProjectGroup | None:
    """The group with the most of ``rows`` (by name on a tie)."""
    found = (
        ProjectGroup.objects.filter(projects__in=rows)
        .annotate(n=Count("projects", filter=Q(projects__in=rows)))
        .order_by("-n", "name")
        .first()
    )
    return found


def ahead_names(figure: Figure, *, limit: int = 4) -> list[str]:
    """The names of (at most ``limit`` of) the projects behind ``projects_ahead``, for the sentence."""
    if figure.records is None:
        return []
    return [str(name) for name in figure.records.order_by("created_at", "pk").values_list("name", flat=True)[:limit]]


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """The ledgers' shape (``cases.figures``), each figure with its projects (not cases) behind it."""
    rows = projects(town=town, start=start, end=end, as_of=as_of)
    day = min(end - timedelta(days=1), timezone.localdate(as_of))
    finished = rows.filter(finished_q(day=day))
    ahead = finished.filter(ahead_q(today=day))
    land = finished.filter(type=ProjectType.LAND, unit=MU)
    renewal = rows.filter(type=ProjectType.VILLAGE_RENEWAL)
    # The four figures in one query (each the count or sum of its records).
    is_finished, is_renewal = finished_q(day=day), Q(type=ProjectType.VILLAGE_RENEWAL)
    sums = rows.aggregate(
        ahead=Count("pk", filter=is_finished & ahead_q(today=day)),
        land=Sum("quantity", filter=is_finished & Q(type=ProjectType.LAND, unit=MU)),
        renewal=Count("pk", filter=is_renewal),
        renewal_investment=Sum("total_investment", filter=is_renewal),
    )
    found = {
        "projects_ahead": Figure(_("超时序完成的项目"), sums["ahead"], _("个"), records=ahead),
        "land_mu": Figure(_("完成土地整治面积"), _or_zero(sums["land"]), _("亩"), records=land),
        "renewal_projects": Figure(_("乡村蝶变项目"), sums["renewal"], _("个"), records=renewal),
        "renewal_investment": Figure(
            _("乡村蝶变项目投资"), _or_zero(sums["renewal_investment"]), _("元"), records=renewal
        ),
    }
    group = largest_group(rows)
    if group is not None:
        members = rows.filter(group=group)
        # ``largest_group`` counted them: its ``n`` is the number of ``rows`` in the group.
        found["group_projects"] = Figure(group.name, int(vars(group)["n"]), _("个"), records=members)
    return found


@dataclass(frozen=True)
class ProjectsYear:
    """The key projects of a year at a glance (the dashboard's 重点项目): how many stand ahead, on and behind
    schedule today, this year's planned investment against the investment reported done in the year, and the
    projects behind schedule."""

    year: int
    count: int
    schedules: dict[Schedule, int]
    planned: Decimal
    done: Decimal
    behind: list[Project]

    @property
    def done_rate(self) -> Decimal | None:
        return None if self.planned == 0 else self.done / self.planned


def projects_year(*, projects: QuerySet[Project], year: int, today: date, behind_shown: int = 10) -> ProjectsYear:
    """``projects`` (those the viewer may see) of ``year``: counts by schedule, investment planned and done."""
    rows = projects.filter(year=year)
    schedules = {schedule: rows.filter(schedule_q(schedule, today=today)).count() for schedule in Schedule}
    done: Decimal | None = ProgressReport.objects.filter(project__in=rows, year=year).aggregate(
        total=Sum("investment")
    )["total"]
    behind = list(rows.filter(schedule_q(Schedule.BEHIND, today=today)).select_related("department")[:behind_shown])
    return ProjectsYear(
        year=year,
        count=sum(schedules.values()),
        schedules=schedules,
        planned=_sum(rows, "year_investment"),
        done=done if done is not None else Decimal(0),
        behind=behind,
    )


@dataclass(frozen=True)
class TypeInvestment:
    """One project type's investment of the year: planned (年度计划投资) and reported done in the year."""

    type: ProjectType
    planned: Decimal
    done: Decimal


def investment_by_type(projects: QuerySet[Project], year: int) -> list[TypeInvestment]:
    """``projects`` of ``year`` by type (the types with any, in the enum's order): two grouped sums."""
    rows = projects.filter(year=year)
    planned: dict[str, Decimal] = dict(
        rows.order_by().values_list("type").annotate(total=Sum("year_investment")).values_list("type", "total")
    )
    done: dict[str, Decimal] = dict(
        ProgressReport.objects.filter(project__in=rows, year=year)
        .order_by()
        .values_list("project__type")
        .annotate(total=Sum("investment"))
        .values_list("project__type", "total")
    )
    return [
        TypeInvestment(kind, planned.get(kind.value, Decimal(0)), done.get(kind.value, Decimal(0)))
        for kind in ProjectType
        if kind.value in planned or kind.value in done
    ]
