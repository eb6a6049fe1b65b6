from datetime import timedelta
from decimal import Decimal

import pytest

from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.projects.domain import (
    MilestoneInput,
    ProgressInput,
    ProjectInput,
    create_project,
    edit_milestones,
    mark_milestone_done,
    record_progress,
)
from gridgov.data.projects.enums import DEFAULT_MILESTONES, ProjectStatus, ProjectType
from gridgov.data.projects.models import Milestone, ProgressReport, Project
from tests.data.projects.builders import project, today

pytestmark = pytest.mark.django_db


def test_default_milestones_spread_from_start_to_finish(world):
    start = today()
    created = create_project(
        actor=world.operator,
        data=ProjectInput(
            name="抛荒地整治",
            type=ProjectType.LAND,
            department=world.dept_b,
            year=start.year,
            total_investment="1.2亿",
            year_investment="3,500万",
            quantity="５２０",
            unit="亩",
            start_on=start,
            finish_on=start + timedelta(days=100),
        ),
    )
    rows = list(created.milestones.order_by("order"))
    assert [m.name for m in rows] == list(DEFAULT_MILESTONES)
    assert [(m.planned_on - start).days for m in rows] == [0, 25, 50, 75, 100]
    assert (created.total_investment, created.year_investment) == (Decimal("120000000.00"), Decimal("35000000.00"))
    assert (created.quantity, created.unit, created.status) == (Decimal("520.00"), "亩", ProjectStatus.PLANNED)


def test_milestones_out_of_order_refused_naming_the_milestone_and_nothing_written(world):
    base = today()
    with pytest.raises(InvalidInput) as refused:
        project(world, plan=[("立项", base), ("开工", base + timedelta(days=10)), ("竣工", base + timedelta(days=5))])
    assert "节点“竣工”的计划日期" in refused.value.message
    assert "早于上一节点“开工”" in refused.value.message
    assert refused.value.field == "milestones"
    assert (Project.objects.count(), Milestone.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("total", "field", "words"),
    [("一百万", "total_investment", "计划总投资"), ("-5万", "total_investment", "计划总投资")],
)
def test_amounts_refused_clearly(world, total, field, words):
    with pytest.raises(InvalidInput) as refused:
        project(world, total=total)
    assert refused.value.field == field
    assert words in refused.value.message
    assert Project.objects.count() == 0


def test_year_plan_above_total_refused(world):
    with pytest.raises(InvalidInput) as refused:
        project(world, total="100万", year_investment="120万")
    assert refused.value.field == "year_investment"
    assert Project.objects.count() == 0


def test_only_command_room_creates(world):
    base = today()
    with pytest.raises(NotAllowed):
        create_project(
            actor=world.handler_a,
            data=ProjectInput(
                name="智慧停车场",
                type=ProjectType.INFRASTRUCTURE,
                department=world.dept_a,
                year=base.year,
                total_investment="80万",
                start_on=base,
                finish_on=base + timedelta(days=40),
            ),
        )
    assert Project.objects.count() == 0


def test_progress_over_plan_needs_a_note(world):
    built = project(world, total="100万")
    base = today()
    record_progress(actor=world.handler_a, data=ProgressInput(project=built, year=base.year, month=base.month,
                                                             investment="60万"))  # fmt: skip
    earlier = base.replace(day=1) - timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        record_progress(
            actor=world.handler_a,
            data=ProgressInput(project=built, year=earlier.year, month=earlier.month, investment="５０万"),
        )
    assert refused.value.field == "note"
    assert "超过年度计划投资（1000000.00元）" in refused.value.message
    assert ProgressReport.objects.count() == 1
    record_progress(
        actor=world.handler_a,
        data=ProgressInput(
            project=built, year=earlier.year, month=earlier.month, investment="50万", note="追加配套工程"
        ),
    )
    assert sorted(ProgressReport.objects.values_list("investment", flat=True)) == [
        Decimal("500000.00"),
        Decimal("600000.00"),
    ]


def test_second_report_of_a_month_corrects_the_first(world):
    built = project(world)
    base = today()
    for amount in ("10万", "12万"):
        record_progress(
            actor=world.operator,
            data=ProgressInput(project=built, year=base.year, month=base.month, investment=amount),
        )
    assert list(ProgressReport.objects.values_list("investment", flat=True)) == [Decimal("120000.00")]


def test_future_month_and_outsiders_refused(world):
    built = project(world)
    base = today()
    ahead = base.replace(day=28) + timedelta(days=5)
    with pytest.raises(InvalidInput) as refused:
        record_progress(
            actor=world.operator,
            data=ProgressInput(project=built, year=ahead.year, month=ahead.month, investment="1万"),
        )
    assert refused.value.field == "month"
    with pytest.raises(NotAllowed):
        record_progress(
            actor=world.handler_b,
            data=ProgressInput(project=built, year=base.year, month=base.month, investment="1万"),
        )
    assert ProgressReport.objects.count() == 0


def test_mark_done_and_edit_milestones(world):
    built = project(world)
    first = built.milestones.get(name="立项")
    mark_milestone_done(actor=world.handler_a, milestone=first, done_on=today() - timedelta(days=31))
    built.refresh_from_db()
    assert built.status == ProjectStatus.ACTIVE
    base = today()
    rows = edit_milestones(
        actor=world.operator,
        project=built,
        milestones=[
            MilestoneInput(name="立项", planned_on=base - timedelta(days=30)),
            MilestoneInput(name="开工", planned_on=base + timedelta(days=10)),
            MilestoneInput(name="竣工", planned_on=base + timedelta(days=60)),
        ],
    )
    assert [(m.name, m.done_on) for m in rows] == [
        ("立项", base - timedelta(days=31)),
        ("开工", None),
        ("竣工", None),
    ]
    with pytest.raises(InvalidInput) as refused:
        edit_milestones(
            actor=world.operator,
            project=built,
            milestones=[MilestoneInput(name="竣工", planned_on=base + timedelta(days=60))],
        )
    assert "节点“立项”已完成或已督办" in refused.value.message
    assert built.milestones.count() == 3
    with pytest.raises(NotAllowed):
        edit_milestones(actor=world.handler_a, project=built, milestones=[])


def test_done_date_in_future_refused(world):
    built = project(world)
    with pytest.raises(InvalidInput):
        mark_milestone_done(
            actor=world.operator, milestone=built.milestones.get(name="竣工"), done_on=today() + timedelta(days=1)
        )
    assert built.milestones.filter(done_on__isnull=False).count() == 0


def test_groups_made_once_by_the_command_room(world):
    from gridgov.data.projects.domain import create_group

    first = create_group(actor=world.operator, town=world.town, name=" 双合入岛门户 ", year=today().year)
    again = create_group(actor=world.admin, town=world.town, name="双合入岛门户", year=today().year)
    assert (first.pk, first.name) == (again.pk, "双合入岛门户")
    with pytest.raises(NotAllowed):
        create_group(actor=world.leader, town=world.town, name="海岛公园", year=today().year)
    with pytest.raises(InvalidInput):
        create_group(actor=world.operator, town=world.town, name="  ", year=today().year)
