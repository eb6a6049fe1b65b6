"""The year figures and the year in review's sentence, from demo-like records of the test clock's year."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from gridgov.data.projects.domain import MilestoneInput, ProjectInput, create_project
from gridgov.data.projects.enums import ProjectType
from gridgov.data.projects.figures import year_figures
from gridgov.data.projects.models import ProjectGroup
from gridgov.data.reports.domain.year_review import year_review
from tests.data.projects.builders import today
from tests.factories import TownWorld

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _add(
    world: TownWorld,
    name: str,
    *,
    type: ProjectType = ProjectType.INFRASTRUCTURE,
    group: ProjectGroup | None = None,
    total: str = "100万",
    ahead: bool | None = None,
    quantity: str | None = None,
) -> None:
    """A project of this year with two milestones in January and March: done a week early (``ahead``), done on
    the day (False) or open (None)."""
    year = today().year
    first, second = date(year, 1, 10), date(year, 3, 10)
    done: dict[str, date] = {}
    if ahead is not None:
        done = {"立项": first, "竣工": second - timedelta(days=7 if ahead else 0)}
    create_project(
        actor=world.operator,
        data=ProjectInput(
            name=name,
            type=type,
            group=group,
            department=world.dept_a,
            year=year,
            total_investment=total,
            quantity=quantity,
            unit="亩" if quantity else "",
            milestones=(
                MilestoneInput(name="立项", planned_on=first, done_on=done.get("立项")),
                MilestoneInput(name="竣工", planned_on=second, done_on=done.get("竣工")),
            ),
        ),
    )


def _records(world: TownWorld) -> ProjectGroup:
    year = today().year
    gate = ProjectGroup.objects.create(town=world.town, name="双合入岛门户", year=year)
    for name in ("前岸智慧村社", "智慧停车场", "房屋风貌提升", "杆线序化"):
        _add(world, name, group=gate, ahead=True)
    _add(world, "入岛门户景观", group=gate, ahead=False)
    _add(world, "门户绿道", group=gate)
    _add(world, "双合蝶变", type=ProjectType.VILLAGE_RENEWAL, total="150万", ahead=False)
    _add(world, "火箭蝶变", type=ProjectType.VILLAGE_RENEWAL, total="1,000,000")
    _add(world, "抛荒地整治", type=ProjectType.LAND, total="80万", ahead=False, quantity="520")
    _add(world, "滩涂整治", type=ProjectType.LAND, total="20万", quantity="100")  # not finished: not counted
    return gate


def test_year_figures(world):
    _records(world)
    year = today().year
    found = year_figures(
        town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=datetime.now(tz=SHANGHAI)
    )
    values = {key: figure.value for key, figure in found.items()}
    assert values == {
        "group_projects": 6,
        "projects_ahead": 4,
        "land_mu": Decimal("520.00"),
        "renewal_projects": 2,
        "renewal_investment": Decimal("2500000.00"),
    }
    assert found["group_projects"].label == "双合入岛门户"
    assert found["projects_ahead"].records is not None
    assert sorted(found["projects_ahead"].records.values_list("name", flat=True)) == [
        "前岸智慧村社",
        "房屋风貌提升",
        "智慧停车场",
        "杆线序化",
    ]
    last_year = year_figures(
        town=world.town, start=date(year - 1, 1, 1), end=date(year, 1, 1), as_of=datetime.now(tz=SHANGHAI)
    )
    assert {key: figure.value for key, figure in last_year.items()} == {
        "projects_ahead": 0,
        "land_mu": Decimal(0),
        "renewal_projects": 0,
        "renewal_investment": Decimal(0),
    }


def test_projects_registered_after_as_of_do_not_count(world):
    _records(world)
    year = today().year
    before = datetime.now(tz=SHANGHAI) - timedelta(hours=1)
    found = year_figures(town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=before)
    assert {key: figure.value for key, figure in found.items()} == {
        "projects_ahead": 0,
        "land_mu": Decimal(0),
        "renewal_projects": 0,
        "renewal_investment": Decimal(0),
    }


def test_year_review_sentence(world):
    _records(world)
    review = year_review(town=world.town, year=today().year)
    sentence = {s.topic: s for s in review.sentences}["重点项目"]
    assert sentence.text == (
        "双合入岛门户打造6个工程项目全面启动，前岸智慧村社、智慧停车场、房屋风貌提升、杆线序化等4个项目超时序完成；"
        "超额完成抛荒地整治520亩；投入250万元实施2个乡村蝶变项目。"
    )
    linked = [(p.key, p.records) for p in sentence.pieces if p.linked]
    assert linked == [
        ("group_projects", True),
        ("projects_ahead", True),
        ("land_mu", True),
        ("renewal_investment", True),
        ("renewal_projects", True),
    ]


def test_a_year_without_projects_has_no_sentence(world):
    review = year_review(town=world.town, year=today().year)
    assert "重点项目" not in {s.topic for s in review.sentences}
