"""Case deadlines in Chinese working time: weekend, National Day, 调休 Saturday, lunch break,
extension, suspension, lamps, calendar days, and the explicit error for an unknown year."""

from __future__ import annotations

import pytest

from gridgov.data.cases.domain.deadlines import deadline_view, lamp_of
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Lamp, Status
from gridgov.data.cases.models import Case
from gridgov.data.errors import UnknownCalendarYear
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import Clock
from gridgov.data.worktime.models import CalendarDay, CalendarYear
from tests.factories import TownWorld, at


def dispatched(world: TownWorld, when, *, category=None) -> Case:
    case = world.report(now=when, category=category)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=when)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a, now=when)
    case.refresh_from_db()
    return case


def test_dispatch_deadline_is_one_working_hour_from_report(world: TownWorld) -> None:
    case = world.report(now=at(2026, 11, 23, 11, 30))
    assert case.dispatch_deadline == at(2026, 11, 23, 14, 0)  # 30 min before lunch, 30 after


def test_across_the_lunch_break(world: TownWorld) -> None:
    case = dispatched(world, at(2026, 11, 23, 11, 0))
    assert case.handle_deadline == at(2026, 11, 23, 16, 30)  # 4 working hours: 1 before lunch, 3 after


def test_across_a_weekend(world: TownWorld) -> None:
    case = dispatched(world, at(2026, 11, 27, 16, 0))  # Friday
    assert case.handle_deadline == at(2026, 11, 30, 11, 0)  # 1.5 h on Friday, 2.5 h on Monday


def test_across_national_day_and_the_make_up_saturday(world: TownWorld) -> None:
    # 3 working days (1350 min) from 30 Sep 15:00: 150 min that day, 1–7 Oct off, 8 and 9 Oct (900 min),
    # then Saturday 10 Oct is a 调休 working day: 210 min in the morning and 90 after lunch.
    case = dispatched(world, at(2026, 9, 30, 15, 0), category=world.category_days)
    assert case.handle_deadline == at(2026, 10, 10, 15, 0)


def test_calendar_days_ignore_holidays(world: TownWorld) -> None:
    case = dispatched(world, at(2026, 9, 20, 10, 0), category=world.category_calendar)  # 信访: 60 自然日
    assert case.handle_deadline == at(2026, 11, 19, 10, 0)
    assert case.handle_clock == Clock.CALENDAR


def test_suspension_stops_the_clock(world: TownWorld) -> None:
    case = dispatched(world, at(2026, 11, 23, 9, 0))
    assert case.handle_deadline == at(2026, 11, 23, 14, 30)
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN, now=at(2026, 11, 23, 9, 30))
    apply_action(case_id=case.pk, actor=world.leader, action=Action.SUSPEND, note="待鉴定", now=at(2026, 11, 23, 10, 0))
    case.refresh_from_db()
    assert lamp_of(case, now=at(2026, 11, 30, 9, 0)) == Lamp.PAUSED  # a week later: paused, not red
    apply_action(case_id=case.pk, actor=world.leader, action=Action.RESUME, now=at(2026, 11, 25, 10, 0))
    case.refresh_from_db()
    # Suspended Mon 10:00 → Wed 10:00 = exactly two working days: the deadline moves by two working days.
    assert (case.status, case.handle_deadline, case.handle_paused_minutes) == (
        Status.HANDLING,
        at(2026, 11, 25, 14, 30),
        900,
    )


def test_suspension_before_dispatch_moves_the_dispatch_deadline(world: TownWorld) -> None:
    case = world.report(now=at(2026, 11, 23, 9, 0))
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=at(2026, 11, 23, 9, 10))
    apply_action(
        case_id=case.pk, actor=world.operator, action=Action.SUSPEND, note="待核实", now=at(2026, 11, 23, 9, 20)
    )
    apply_action(case_id=case.pk, actor=world.operator, action=Action.RESUME, now=at(2026, 11, 24, 9, 20))
    case.refresh_from_db()
    assert (case.status, case.dispatch_deadline) == (Status.REGISTERED, at(2026, 11, 24, 10, 0))


def test_extension_in_working_days_crosses_the_weekend(world: TownWorld) -> None:
    case = dispatched(world, at(2026, 11, 27, 9, 0), category=world.category_days)  # Friday, 3 working days
    assert case.handle_deadline == at(2026, 12, 2, 9, 0)
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN, now=at(2026, 11, 27, 9, 5))
    apply_action(
        case_id=case.pk,
        actor=world.handler_a,
        action=Action.REQUEST_EXTENSION,
        note="需采购配件",
        extension=2,
        now=at(2026, 11, 30, 9, 0),
    )
    apply_action(case_id=case.pk, actor=world.operator, action=Action.APPROVE_EXTENSION, now=at(2026, 11, 30, 10, 0))
    case.refresh_from_db()
    assert case.handle_deadline == at(2026, 12, 4, 9, 0)


def test_lamps_and_remaining_working_time(world: TownWorld) -> None:
    case = dispatched(world, at(2026, 11, 23, 9, 0))  # deadline 14:30; 75% of 240 min = 180 min → 12:00
    calendar = WorkCalendar.load()
    green = deadline_view(case, now=at(2026, 11, 23, 10, 0), calendar=calendar)
    assert (green.lamp, green.remaining_minutes, green.deadline) == (Lamp.GREEN, 180, at(2026, 11, 23, 14, 30))
    assert lamp_of(case, now=at(2026, 11, 23, 11, 59)) == Lamp.GREEN
    assert lamp_of(case, now=at(2026, 11, 23, 12, 0)) == Lamp.YELLOW
    assert lamp_of(case, now=at(2026, 11, 23, 14, 30)) == Lamp.YELLOW
    red = deadline_view(case, now=at(2026, 11, 24, 9, 0), calendar=calendar)
    assert (red.lamp, red.remaining_minutes) == (Lamp.RED, -210)  # 14:30–17:30 Monday + 08:30–09:00 Tuesday


def test_a_deadline_in_an_unknown_year_is_an_explicit_error_and_changes_nothing(world: TownWorld) -> None:
    case = world.report(now=at(2026, 12, 31, 9, 0), category=world.category_days)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=at(2026, 12, 31, 9, 10))
    with pytest.raises(UnknownCalendarYear) as error:
        apply_action(
            case_id=case.pk,
            actor=world.operator,
            action=Action.DISPATCH,
            department=world.dept_a,
            now=at(2026, 12, 31, 9, 20),
        )
    assert error.value.message == (
        "2027年的节假日与调休安排尚未录入，无法按工作日计算期限。请管理员在“工作日历”中录入2027年的安排并确认。"
    )
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.department_id, fresh.version) == (Status.REGISTERED, None, 2)


def test_once_the_admin_enters_the_year_deadlines_work(world: TownWorld) -> None:
    CalendarYear.objects.create(year=2027, confirmed=True, note="按国务院办公厅通知录入")
    CalendarDay.objects.create(date=at(2027, 1, 1).date(), is_workday=False, name="元旦")
    case = dispatched(world, at(2026, 12, 31, 9, 0), category=world.category_days)
    # 1350 min: 420 on 31 Dec from 09:00; 1 Jan off (admin's table); 2–3 Jan weekend; 450 each on 4 and
    # 5 Jan; the last 30 min on 6 Jan.
    assert case.handle_deadline == at(2027, 1, 6, 9, 0)
