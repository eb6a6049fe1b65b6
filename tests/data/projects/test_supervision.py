from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from gridgov.data.projects.domain import mark_milestone_done
from gridgov.data.projects.models import Project
from gridgov.data.projects.supervision import PROJECT_CATEGORY, supervise_lagging
from tests.data.projects.builders import project, today
from tests.factories import TownWorld

pytestmark = pytest.mark.django_db


def _lagging(world: TownWorld, name: str = "渔港改造") -> Project:
    base = today()
    return project(
        world,
        name=name,
        plan=[
            ("立项", base - timedelta(days=40)),
            ("开工", base - timedelta(days=10)),
            ("竣工", base - timedelta(days=3)),
        ],
        done={"立项": base - timedelta(days=40)},
    )


def test_one_case_per_lagging_milestone_dispatched_to_the_owner(world):
    built = _lagging(world)
    opened = supervise_lagging()
    assert len(opened) == 2
    again = supervise_lagging()
    out = StringIO()
    call_command("supervise_projects", stdout=out)
    assert again == []
    assert out.getvalue() == "新增项目督办事件 0 件\n"
    cases = Case.objects.filter(category__code=PROJECT_CATEGORY.code).order_by("pk")
    assert cases.count() == 2
    assert {(c.status, c.department_id) for c in cases} == {(Status.DISPATCHED, world.dept_a.pk)}
    assert all(c.handle_deadline is not None for c in cases)
    assert [c.title for c in cases] == ["项目督办：渔港改造（开工滞后）", "项目督办：渔港改造（竣工滞后）"]
    links = dict(built.milestones.values_list("name", "case_id"))
    assert links == {"立项": None, "开工": cases[0].pk, "竣工": cases[1].pk}


def test_done_and_not_yet_due_milestones_open_none(world):
    built = _lagging(world)
    for milestone in built.milestones.filter(name__in=["开工", "竣工"]):
        mark_milestone_done(actor=world.handler_a, milestone=milestone, done_on=today() - timedelta(days=1))
    # Its first milestone done, its next a month ahead:
    project(world, name="智慧停车场", done={"立项": today() - timedelta(days=30)})
    assert supervise_lagging() == []
    assert Case.objects.filter(category__code=PROJECT_CATEGORY.code).count() == 0


def test_a_milestone_becomes_lagging_with_the_clock(world):
    base = today()
    built = project(world, name="杆线序化", plan=[("立项", base), ("竣工", base + timedelta(days=1))])
    built.milestones.filter(name="立项").update(done_on=base)
    assert supervise_lagging() == []
    later = built.milestones.get(name="竣工").due_on + timedelta(days=1)
    opened = supervise_lagging(now=datetime.combine(later, time(9), tzinfo=ZoneInfo("Asia/Shanghai")))
    assert [c.title for c in opened] == ["项目督办：杆线序化（竣工滞后）"]


def test_the_periodic_loop_supervises_lagging_milestones_once(world):
    """``deadline_alerts`` (the periodic checks a deployment runs) opens the supervision cases too, once."""
    _lagging(world)
    first, second = StringIO(), StringIO()
    call_command("deadline_alerts", stdout=first)
    call_command("deadline_alerts", stdout=second)
    assert ("新增项目督办事件 2 件" in first.getvalue(), "督办" in second.getvalue()) == (True, False)
    assert Case.objects.filter(category__code=PROJECT_CATEGORY.code).count() == 2
