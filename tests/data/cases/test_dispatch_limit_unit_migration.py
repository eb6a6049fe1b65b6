"""The migration that writes the dispatch limit's unit into the cases started before it was kept: the unit their
clock read in (自然日 on a calendar clock, else 工作时), a unit already kept stays, and going back leaves the
column as it was before."""

from __future__ import annotations

import pytest

from gridgov.data.cases.domain import reference
from gridgov.data.cases.domain.deadlines import deadline_view, limit_unit, time_left_text
from gridgov.data.cases.models import Case
from gridgov.data.taxonomy.enums import Phase
from gridgov.data.taxonomy.models import TimeLimit
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import TimeUnit
from tests.factories import TownWorld, at
from tests.migrating import migrate, migrate_to_latest

BEFORE = [("cases", "0019_dispatch_limit_unit")]


def stored(*cases: Case) -> list[tuple[str, str]]:
    """Each case's dispatch clock and the unit stored for it (0020 changes no column: the model reads either state)."""
    rows = Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk")
    return list(rows.values_list("dispatch_clock", "dispatch_limit_unit"))


@pytest.mark.django_db(transaction=True)
def test_old_cases_get_the_unit_their_clock_read_in_and_going_back_blanks_it_again(world: TownWorld) -> None:
    for category, unit in (
        (world.category_calendar, TimeUnit.CALENDAR_DAYS),
        (world.category_days, TimeUnit.WORK_DAYS),
    ):
        TimeLimit.objects.filter(category=category, phase=Phase.DISPATCH).delete()
        TimeLimit.objects.create(category=category, phase=Phase.DISPATCH, priority="", value=1, unit=unit)
    reference.clear()
    friday = at(2026, 10, 9, 16, 0)
    petition = world.report(now=friday, category=world.category_calendar)  # 1 calendar day: a calendar clock
    litter = world.report(now=friday)  # 1 working hour: due Friday 17:00
    streetlight = world.report(now=friday, category=world.category_days)  # 1 working day, kept since 0019
    try:
        migrate(BEFORE)
        # started before the unit was kept: nothing stored
        Case.objects.filter(pk__in=[petition.pk, litter.pk]).update(dispatch_limit_unit="")
        before = stored(petition, litter, streetlight)
        assert before == [("calendar", ""), ("working", ""), ("working", "work_days")]
        migrate_to_latest()
        assert stored(petition, litter, streetlight) == [
            ("calendar", "calendar_days"),
            ("working", "work_hours"),
            ("working", "work_days"),
        ]
        migrate(BEFORE)
        assert stored(petition, litter, streetlight) == before
    finally:
        migrate_to_latest()
    litter.refresh_from_db()
    petition.refresh_from_db()
    assert (limit_unit(petition, "dispatch"), limit_unit(litter, "dispatch")) == (
        TimeUnit.CALENDAR_DAYS,
        TimeUnit.WORK_HOURS,
    )
    view = deadline_view(litter, now=at(2026, 10, 10, 9, 0), calendar=WorkCalendar.load())
    assert time_left_text(view) == "已超期1个工作小时"  # Friday 17:00–17:30, Saturday 08:30–09:00
