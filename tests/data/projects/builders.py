"""Projects built through the domain for the tests, with dates from the test's clock."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from gridgov.data.projects.domain import MilestoneInput, ProjectInput, create_project
from gridgov.data.projects.enums import ProjectType
from gridgov.data.projects.models import Project
from tests.factories import TownWorld


def today() -> date:
    return timezone.localdate()


def project(
    world: TownWorld,
    *,
    name: str = "前岸智慧村社",
    plan: list[tuple[str, date]] | None = None,
    done: dict[str, date] | None = None,
    type: ProjectType = ProjectType.INFRASTRUCTURE,
    total: str = "300万",
    year_investment: str | None = None,
    village: bool = True,
) -> Project:
    """A project of ``world.dept_a`` in village A; milestones ``plan`` (default: two, one a month back, one a month
    ahead)."""
    base = today()
    plan = plan or [("立项", base - timedelta(days=30)), ("竣工", base + timedelta(days=30))]
    done = done or {}
    return create_project(
        actor=world.operator,
        data=ProjectInput(
            name=name,
            type=type,
            department=world.dept_a,
            year=base.year,
            total_investment=total,
            year_investment=year_investment,
            owner_name="王建国",
            village=world.village_a if village else None,
            milestones=tuple(MilestoneInput(name=n, planned_on=d, done_on=done.get(n)) for n, d in plan),
        ),
    )
