"""The per-process reference cache: a change saved in this process is used by the very next report."""

from __future__ import annotations

from gridgov.data.cases.domain import reference
from gridgov.data.taxonomy.enums import Phase
from gridgov.data.taxonomy.models import TimeLimit
from gridgov.data.worktime.enums import TimeUnit
from gridgov.data.worktime.models import CalendarDay
from tests.factories import MONDAY_0900, TownWorld


def test_a_saved_time_limit_is_used_by_the_next_report(world: TownWorld) -> None:
    before = world.report()
    limit, _created = TimeLimit.objects.update_or_create(
        category=world.category, phase=Phase.DISPATCH, priority="",
        defaults={"value": 3, "unit": TimeUnit.WORK_HOURS},
    )  # fmt: skip
    after = world.report()
    assert before.dispatch_limit_minutes != 180
    assert after.dispatch_limit_minutes == 180  # 3 working hours, not the limit cached by the first report
    limit.delete()
    assert world.report().dispatch_limit_minutes == before.dispatch_limit_minutes


def test_a_saved_holiday_is_in_the_next_calendar(world: TownWorld) -> None:
    assert reference.calendar().is_workday(MONDAY_0900.date())
    CalendarDay.objects.create(date=MONDAY_0900.date(), is_workday=False, note="临时调整")
    assert not reference.calendar().is_workday(MONDAY_0900.date())
