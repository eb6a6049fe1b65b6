"""The schedule status and lamps on the working calendar, a 调休 week included (dates from the test's clock)."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from gridgov.data.cases.enums import Lamp
from gridgov.data.projects.enums import Schedule
from gridgov.data.projects.models import Project
from gridgov.data.projects.schedule import (
    due_day,
    lamp_of_project,
    lamp_q,
    milestone_lamp,
    schedule_of,
    schedule_q,
    warn_day,
)
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.models import CalendarDay
from tests.data.projects.builders import project, today

pytestmark = pytest.mark.django_db


def _next_saturday(day: date) -> date:
    return day + timedelta(days=(5 - day.weekday()) % 7 or 7)


def _calendar(overrides: dict[date, bool]) -> WorkCalendar:
    from datetime import time

    return WorkCalendar([(time(9), time(17))], overrides, {today().year, today().year + 1}, ZoneInfo("Asia/Shanghai"))


def test_due_day_moves_off_days_but_not_a_make_up_saturday(clock):
    saturday = _next_saturday(today() + timedelta(days=14))
    friday = saturday - timedelta(days=1)
    # A 调休 week: the Friday is a holiday, the Saturday a make-up working day.
    week = _calendar({friday: False, saturday: True})
    assert due_day(saturday, calendar=week) == saturday
    assert due_day(friday, calendar=week) == saturday
    # An ordinary week: a Saturday's milestone is due on Monday.
    plain = _calendar({})
    assert due_day(saturday, calendar=plain) == saturday + timedelta(days=2)
    assert due_day(friday, calendar=plain) == friday


def test_warn_day_is_three_quarters_of_the_working_days(clock):
    monday = _next_saturday(today()) + timedelta(days=2)
    plain = _calendar({})
    # 10 working days from Monday (excluded) to the Monday two weeks on: the 8th is the Wednesday of the 2nd week.
    assert warn_day(monday, monday + timedelta(days=14), calendar=plain) == monday + timedelta(days=10)


def test_status_in_a_make_up_week(world):
    """A milestone planned on a 调休 Saturday is late on the Sunday; one planned on an ordinary Saturday is not."""
    saturday = _next_saturday(today() + timedelta(days=7))
    friday = saturday - timedelta(days=1)
    CalendarDay.objects.create(date=friday, is_workday=False, name="节日")
    CalendarDay.objects.create(date=saturday, is_workday=True, name="调休")
    on_make_up = project(world, name="杆线序化", plan=[("立项", today()), ("竣工", saturday)])
    on_holiday = project(world, name="房屋风貌提升", plan=[("立项", today()), ("竣工", friday)])
    ordinary = project(world, name="智慧停车场", plan=[("立项", today()), ("竣工", saturday + timedelta(days=7))])
    for built in (on_make_up, on_holiday, ordinary):
        built.milestones.filter(name="立项").update(done_on=today())
    assert on_make_up.milestones.get(name="竣工").due_on == saturday
    assert on_holiday.milestones.get(name="竣工").due_on == saturday
    assert ordinary.milestones.get(name="竣工").due_on == saturday + timedelta(days=9)

    sunday = saturday + timedelta(days=1)
    next_sunday = sunday + timedelta(days=7)
    assert schedule_of(on_make_up.milestones.all(), today=saturday) == Schedule.ON_TIME
    assert schedule_of(on_make_up.milestones.all(), today=sunday) == Schedule.BEHIND
    assert schedule_of(on_holiday.milestones.all(), today=sunday) == Schedule.BEHIND
    assert schedule_of(ordinary.milestones.all(), today=next_sunday) == Schedule.ON_TIME
    assert lamp_of_project(ordinary.milestones.all(), today=next_sunday) == Lamp.YELLOW
    assert lamp_of_project(on_make_up.milestones.all(), today=sunday) == Lamp.RED

    behind = Project.objects.filter(schedule_q(Schedule.BEHIND, today=sunday))
    assert sorted(behind.values_list("name", flat=True)) == ["房屋风貌提升", "杆线序化"]
    on_time = Project.objects.filter(schedule_q(Schedule.ON_TIME, today=sunday))
    assert list(on_time.values_list("name", flat=True)) == ["智慧停车场"]


def test_ahead_on_time_behind_and_lamps(world):
    base = today()
    ahead = project(
        world,
        name="前岸智慧村社",
        plan=[("立项", base - timedelta(days=40)), ("竣工", base + timedelta(days=20))],
        done={"立项": base - timedelta(days=40), "竣工": base - timedelta(days=1)},
    )
    late_then_early = project(
        world,
        name="海塘加固",
        plan=[
            ("立项", base - timedelta(days=40)),
            ("开工", base - timedelta(days=20)),
            ("竣工", base + timedelta(days=20)),
        ],
        done={"立项": base - timedelta(days=30), "开工": base - timedelta(days=25)},
    )
    behind = project(
        world,
        name="渔港改造",
        plan=[
            ("立项", base - timedelta(days=40)),
            ("开工", base - timedelta(days=10)),
            ("竣工", base + timedelta(days=40)),
        ],
        done={"立项": base - timedelta(days=40)},
    )
    assert schedule_of(ahead.milestones.all(), today=base) == Schedule.AHEAD
    assert schedule_of(late_then_early.milestones.all(), today=base) == Schedule.ON_TIME
    assert schedule_of(behind.milestones.all(), today=base) == Schedule.BEHIND
    assert lamp_of_project(ahead.milestones.all(), today=base) == Lamp.NONE
    assert [milestone_lamp(m, today=base) for m in behind.milestones.all()] == [Lamp.NONE, Lamp.RED, Lamp.GREEN]
    names = {
        s: sorted(Project.objects.filter(schedule_q(s, today=base)).values_list("name", flat=True)) for s in Schedule
    }
    assert names == {Schedule.AHEAD: ["前岸智慧村社"], Schedule.ON_TIME: ["海塘加固"], Schedule.BEHIND: ["渔港改造"]}
    lamps = {lamp: sorted(Project.objects.filter(lamp_q(lamp, today=base)).values_list("name", flat=True)) for lamp in
             (Lamp.RED, Lamp.GREEN, Lamp.NONE)}  # fmt: skip
    assert lamps == {Lamp.RED: ["渔港改造"], Lamp.GREEN: ["海塘加固"], Lamp.NONE: ["前岸智慧村社"]}
