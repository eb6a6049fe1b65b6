"""Year in review: the key projects' numbers (双合入岛门户打造21个工程项目, …等4个项目超时序完成, 抛荒地整治520亩,
投入250万元实施8个乡村蝶变项目) link to the project list filtered to exactly the projects each counts."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from gridgov.data.projects.domain import MilestoneInput, ProjectInput, create_group, create_project
from gridgov.data.projects.enums import ProjectType
from gridgov.data.projects.figures import year_figures
from gridgov.data.projects.models import Project, ProjectGroup
from tests.data.projects.builders import today
from tests.factories import TownWorld, signed_in

KEYS = ("group_projects", "projects_ahead", "land_mu", "renewal_projects", "renewal_investment")


def _add(
    world: TownWorld,
    name: str,
    *,
    year: int,
    type: ProjectType = ProjectType.INFRASTRUCTURE,
    group: ProjectGroup | None = None,
    finished: bool = False,
    early: bool = False,
    quantity: str | None = None,
    unit: str = "",
) -> Project:
    """Two milestones, the first done; the second planned ahead, done ``early`` (before its plan) or on it when
    ``finished``."""
    base = today()
    second = base + timedelta(days=20) if early else base - timedelta(days=3)
    return create_project(
        actor=world.operator,
        data=ProjectInput(
            name=name,
            type=type,
            department=world.dept_a,
            year=year,
            total_investment="50万",
            group=group,
            quantity=quantity,
            unit=unit,
            milestones=(
                MilestoneInput(name="立项", planned_on=base - timedelta(days=30), done_on=base - timedelta(days=30)),
                MilestoneInput(name="竣工", planned_on=second, done_on=base - timedelta(days=3) if finished else None),
            ),
        ),
    )


def _world(world: TownWorld, year: int) -> None:
    gate = create_group(actor=world.operator, town=world.town, name="双合入岛门户", year=year)
    other = create_group(actor=world.operator, town=world.town, name="渔港片区", year=year)
    _add(world, "游客中心", year=year, group=gate, finished=True, early=True)  # finished ahead
    _add(world, "杆线序化", year=year, group=gate)
    _add(world, "房屋风貌提升", year=year, group=gate, finished=True)  # finished on time
    _add(world, "渔港码头", year=year, group=other, finished=True, early=True)
    _add(world, "旧门户", year=year - 1, group=gate, finished=True, early=True)  # another year
    _add(world, "智慧停车场", year=year, early=True)  # ahead so far, not finished
    _add(world, "抛荒地整治一期", year=year, type=ProjectType.LAND, finished=True, quantity="300", unit="亩")
    _add(world, "抛荒地整治二期", year=year, type=ProjectType.LAND, finished=True, quantity="220", unit="亩")
    _add(world, "机耕路", year=year, type=ProjectType.LAND, finished=True, quantity="3", unit="公里")
    _add(world, "抛荒地整治三期", year=year, type=ProjectType.LAND, quantity="90", unit="亩")  # not finished
    _add(world, "乡村蝶变·前岸", year=year, type=ProjectType.VILLAGE_RENEWAL)
    _add(world, "乡村蝶变·后岸", year=year, type=ProjectType.VILLAGE_RENEWAL, finished=True)


def _links(client, year: int) -> dict[str, tuple[str, str]]:
    page = client.get(reverse("dashboard:year"), {"year": year}).text
    found = re.findall(r'<a href="([^"]+)" data-key="([a-z_]+)"[^>]*>([^<]+)</a>', page)
    return {key: (href.replace("&amp;", "&"), text) for href, key, text in found}


def _listed(client, url: str) -> list[str]:
    page = client.get(url)
    assert page.status_code == 200
    return sorted(re.findall(r'<a href="/ledgers/projects/\d+/">([^<]+)</a>', page.text))


def test_each_project_number_links_to_exactly_its_projects(world: TownWorld) -> None:
    year = today().year
    _world(world, year)
    counted = year_figures(town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=timezone.now())
    client = signed_in(world.leader)
    links = _links(client, year)
    expected = {
        "group_projects": ["房屋风貌提升", "杆线序化", "游客中心"],
        "projects_ahead": ["渔港码头", "游客中心"],
        "land_mu": ["抛荒地整治一期", "抛荒地整治二期"],
        "renewal_projects": ["乡村蝶变·前岸", "乡村蝶变·后岸"],
        "renewal_investment": ["乡村蝶变·前岸", "乡村蝶变·后岸"],
    }
    for key in KEYS:
        records = counted[key].records
        assert records is not None
        assert sorted(records.values_list("name", flat=True)) == expected[key]
        assert _listed(client, links[key][0]) == expected[key], key
    assert [links[key][1] for key in ("group_projects", "projects_ahead", "land_mu", "renewal_projects")] == [
        "3个",
        "2个",
        "520亩",
        "2个",
    ]
    assert links["land_mu"][0] == f"{reverse('ledgers:projects')}?year={year}&type=land&status=finished&unit=%E4%BA%A9"


def test_a_user_the_list_does_not_open_sees_the_numbers_unlinked(world: TownWorld) -> None:
    year = today().year
    _world(world, year)
    assert set(KEYS) & set(_links(signed_in(world.grid_worker_a), year)) == set()
