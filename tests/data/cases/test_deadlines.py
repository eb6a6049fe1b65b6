"""Case deadlines in Chinese working time: weekend, National Day, 调休 Saturday, lunch break,
extension, suspension, lamps, calendar days, and provisional deadlines in a year not yet known."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from gridgov.data.cases.domain import reference
from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.domain.deadlines import (
    deadline_view,
    lamp_of,
    limit_amount_text,
    pending_extension_text,
    time_left_text,
)
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.domain.notifications import deliver_action
from gridgov.data.cases.domain.recalendar import recompute_provisional_deadlines
from gridgov.data.cases.enums import Action, Lamp, Status
from gridgov.data.cases.models import Case, CaseAction, Notification
from gridgov.data.taxonomy.enums import Phase
from gridgov.data.taxonomy.models import TimeLimit
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import Clock, TimeUnit
from gridgov.data.worktime.models import CalendarDay, CalendarYear
from tests.factories import TownWorld, at, build_world


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


def test_a_pending_extension_reads_in_the_unit_of_the_handling_limit(world: TownWorld) -> None:
    case = dispatched(world, at(2026, 11, 27, 9, 0), category=world.category_days)  # 3 working days
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN, now=at(2026, 11, 27, 9, 5))
    assert pending_extension_text(case) == ""
    apply_action(
        case_id=case.pk,
        actor=world.handler_a,
        action=Action.REQUEST_EXTENSION,
        note="需采购配件",
        extension=2,
        now=at(2026, 11, 30, 9, 0),
    )
    case.refresh_from_db()
    asked = CaseAction.objects.get(case=case, action=Action.REQUEST_EXTENSION).data["extension"]
    texts = [pending_extension_text(case)]
    for unit in (TimeUnit.CALENDAR_DAYS, TimeUnit.WORK_HOURS):
        case.handle_limit_unit = unit
        texts.append(pending_extension_text(case))
    with translation.override("en"):
        texts.append(limit_amount_text(1, TimeUnit.WORK_DAYS))
    assert (asked, texts) == (
        {"value": 2, "unit": "work_days"},
        ["2个工作日", "2天", "2个工作小时", "1 working day"],
    )


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


def test_a_deadline_into_an_unknown_year_is_provisional_and_work_goes_on(world: TownWorld) -> None:
    case = dispatched(world, at(2026, 12, 31, 9, 0), category=world.category_days)
    # 3 working days = 1350 min: 420 on 31 Dec from 09:00; 1 Jan 元旦 (statutory); 2–3 Jan weekend; 450 each
    # on 4 and 5 Jan; the last 30 min on 6 Jan — counted on 2027's provisional calendar.
    assert (case.status, case.handle_deadline, case.handle_provisional) == (
        Status.DISPATCHED,
        at(2027, 1, 6, 9, 0),
        True,
    )
    assert case.dispatch_provisional is False  # one working hour on 31 Dec: within 2026
    view = deadline_view(case, now=at(2026, 12, 31, 10, 0), calendar=WorkCalendar.load())
    assert (view.provisional, view.remaining_minutes) == (True, 1290)
    inside = dispatched(world, at(2026, 12, 30, 9, 0))  # 4 working hours, within 2026
    assert (inside.handle_deadline, inside.handle_provisional) == (at(2026, 12, 30, 14, 30), False)


def test_entering_the_official_schedule_recomputes_once_on_the_audit_chain(world: TownWorld) -> None:
    case = dispatched(world, at(2026, 12, 31, 9, 0), category=world.category_days)
    closed = world.bring_to(Status.CLOSED, now=at(2026, 12, 31, 9, 0))
    later = dispatched(world, at(2026, 12, 31, 9, 0), category=world.category_calendar)  # 自然日: never provisional
    assert later.handle_provisional is False
    assert recompute_provisional_deadlines(reason="无变化", now=at(2026, 12, 31, 12)) == []  # 2027 still unknown

    # Suppose the State Council's notice also gives Monday 4 January off; the administrator enters it and
    # confirms 2027.
    CalendarDay.objects.create(date=at(2027, 1, 1).date(), is_workday=False, name="元旦")
    CalendarDay.objects.create(date=at(2027, 1, 4).date(), is_workday=False, name="元旦调休")
    CalendarYear.objects.create(year=2027, confirmed=True)
    assert recompute_provisional_deadlines(reason="管理员确认了2027年的节假日与调休安排", now=at(2026, 12, 31, 14)) == [
        case.number
    ]
    case.refresh_from_db()
    assert (case.handle_deadline, case.handle_provisional, case.status) == (at(2027, 1, 7, 9, 0), False, "dispatched")
    last = CaseAction.objects.filter(case=case).order_by("-seq").first()
    assert (last.action, last.actor_id, last.from_status, last.to_status, last.created_at) == (
        Action.RECALENDAR,
        None,
        Status.DISPATCHED,
        Status.DISPATCHED,
        at(2026, 12, 31, 14),
    )
    assert last.note == "期限按正式节假日安排重新计算：管理员确认了2027年的节假日与调休安排"
    assert last.data == {
        "reason": "管理员确认了2027年的节假日与调休安排",
        "handle_deadline": ["2027-01-06T09:00:00+08:00", "2027-01-07T09:00:00+08:00"],
    }
    assert [broken for _case, broken in verify_chains(Case.objects.all())] == [None, None, None]
    deliver_action(action_id=last.pk, now=at(2026, 12, 31, 14))
    assert list(Notification.objects.filter(action=last).values_list("user_id", "message")) == [
        (
            world.handler_a.pk,
            f"{case.number}：期限重算 — 期限按正式节假日安排重新计算：管理员确认了2027年的节假日与调休安排",
        )
    ]
    assert recompute_provisional_deadlines(reason="再次运行", now=at(2026, 12, 31, 15)) == []  # once
    assert CaseAction.objects.filter(action=Action.RECALENDAR).count() == 1
    assert closed.action_count == Case.objects.get(pk=closed.pk).action_count


def test_once_the_admin_enters_the_year_deadlines_work(world: TownWorld) -> None:
    CalendarYear.objects.create(year=2027, confirmed=True, note="按国务院办公厅通知录入")
    CalendarDay.objects.create(date=at(2027, 1, 1).date(), is_workday=False, name="元旦")
    case = dispatched(world, at(2026, 12, 31, 9, 0), category=world.category_days)
    # 1350 min: 420 on 31 Dec from 09:00; 1 Jan off (admin's table); 2–3 Jan weekend; 450 each on 4 and
    # 5 Jan; the last 30 min on 6 Jan.
    assert case.handle_deadline == at(2027, 1, 6, 9, 0)


def test_the_recalendar_command_reports_what_it_did(world: TownWorld, capsys) -> None:
    dispatched(world, at(2026, 12, 31, 9, 0), category=world.category_days)
    call_command("recalendar")
    assert capsys.readouterr().out.strip() == "重新计算暂定期限 0 件；仍为暂定 1 件"
    CalendarYear.objects.create(year=2027, confirmed=True)
    call_command("recalendar")
    assert capsys.readouterr().out.strip() == "重新计算暂定期限 1 件；仍为暂定 0 件"


@pytest.mark.django_db
def test_dispatch_works_on_whatever_day_the_process_clock_says() -> None:
    """On the process clock, not the world's: CI runs this at a year end and on a 调休 Saturday too."""
    world = build_world()
    now = timezone.now()
    case = dispatched(world, now, category=world.category_days)  # three working days
    calendar = WorkCalendar.load()
    assert case.status == Status.DISPATCHED
    assert case.handle_deadline == calendar.add_limit(now, 3, TimeUnit.WORK_DAYS)
    assert calendar.minutes_between(now, case.handle_deadline, Clock.WORKING) == 3 * calendar.daily_minutes
    assert case.handle_provisional == calendar.provisional_between(now, case.handle_deadline)
    assert case.number == f"DX{timezone.localtime(now).year}-000001"


# --- the time left, in the unit of the limit -------------------------------------------------------------------


def time_left(case: Case, now) -> str:
    return time_left_text(deadline_view(case, now=now, calendar=WorkCalendar.load()))


def test_working_days_left_and_overdue_across_the_make_up_saturday_and_a_sunday(world: TownWorld) -> None:
    # 3 working days from Wed 30 Sep 15:00: 1–7 Oct off, due on Saturday 10 Oct 15:00 (a 调休 working day).
    case = dispatched(world, at(2026, 9, 30, 15, 0), category=world.category_days)
    assert (case.handle_deadline, case.handle_limit_unit) == (at(2026, 10, 10, 15, 0), TimeUnit.WORK_DAYS)
    # Thursday 11:00–17:30 less lunch (5 h), all Friday (7.5 h), Saturday until 15:00 (5 h): 17.5 h, that is two
    # working days of 7.5 h and 2.5 h: the days and the whole hours.
    assert time_left(case, at(2026, 10, 8, 11, 0)) == "剩余2个工作日2小时"
    assert time_left(case, at(2026, 10, 10, 11, 0)) == "剩余2小时30分钟"  # under a day: hours and minutes
    # Saturday 15:00–17:30, Sunday 11 Oct off, Monday whole, Tuesday until 15:00: 2.5 + 7.5 + 5 h = 2 days.
    assert time_left(case, at(2026, 10, 13, 15, 0)) == "已超期2个工作日"
    assert time_left(case, at(2026, 10, 13, 16, 0)) == "已超期2个工作日1小时"
    with translation.override("en"):
        assert time_left(case, at(2026, 10, 13, 15, 0)) == "2 working days overdue"
        assert time_left(case, at(2026, 10, 8, 11, 0)) == "2 working days 2 hours left"


def test_working_hours_left_and_overdue_across_the_make_up_saturday_and_a_sunday(world: TownWorld) -> None:
    # 4 working hours from Fri 9 Oct 16:00: 1.5 h on Friday, 2.5 h on Saturday 10 Oct (调休): due at 11:00.
    case = dispatched(world, at(2026, 10, 9, 16, 0))
    assert (case.handle_deadline, case.handle_limit_unit) == (at(2026, 10, 10, 11, 0), TimeUnit.WORK_HOURS)
    assert time_left(case, at(2026, 10, 9, 17, 0)) == "剩余3个工作小时"  # Friday 17:00–17:30 and Saturday 08:30–11:00
    assert time_left(case, at(2026, 10, 10, 10, 20)) == "剩余40分钟"
    # Saturday 11:00–12:00 and 13:30–17:30, Sunday off, Monday 08:30–09:00: 5.5 working hours.
    assert time_left(case, at(2026, 10, 12, 9, 0)) == "已超期5个工作小时30分钟"
    with translation.override("en"):
        assert time_left(case, at(2026, 10, 12, 9, 0)) == "5 working hours 30 minutes overdue"
        assert time_left(case, at(2026, 10, 10, 10, 59)) == "1 minute left"


def test_past_the_deadline_with_no_working_time_since_reads_overdue_alone(world: TownWorld) -> None:
    case = dispatched(world, at(2026, 11, 27, 13, 30))  # Friday: 4 working hours, due 17:30 the same day
    assert time_left(case, at(2026, 11, 28, 10, 0)) == "已超期"  # Saturday: red, no working minute has passed
    assert time_left(case, at(2026, 11, 30, 8, 40)) == "已超期10分钟"


def test_calendar_days_left_and_overdue_count_weekends_and_holidays(world: TownWorld) -> None:
    # 60 自然日 from Sunday 20 Sep 10:00 (a 调休 working day), over National Day: due Thu 19 Nov 10:00.
    case = dispatched(world, at(2026, 9, 20, 10, 0), category=world.category_calendar)
    assert case.handle_limit_unit == TimeUnit.CALENDAR_DAYS
    assert time_left(case, at(2026, 9, 30, 10, 0)) == "剩余50天"
    assert time_left(case, at(2026, 11, 17, 7, 0)) == "剩余2天3小时"
    assert time_left(case, at(2026, 11, 19, 6, 30)) == "剩余3小时30分钟"
    assert time_left(case, at(2026, 11, 21, 10, 30)) == "已超期2天"  # to Saturday: the weekend counts
    with translation.override("en"):
        assert time_left(case, at(2026, 11, 22, 13, 0)) == "3 days 3 hours overdue"
        assert time_left(case, at(2026, 11, 18, 10, 0)) == "1 day left"


def test_the_dispatch_phase_reads_in_the_unit_of_its_own_limit(world: TownWorld) -> None:
    TimeLimit.objects.filter(category=world.category_days, phase=Phase.DISPATCH).delete()
    TimeLimit.objects.create(
        category=world.category_days, phase=Phase.DISPATCH, priority="", value=1, unit=TimeUnit.WORK_DAYS
    )
    reference.clear()
    case = world.report(now=at(2026, 10, 9, 16, 0), category=world.category_days)  # Friday; due Sat 10 Oct 16:00
    assert (case.dispatch_deadline, case.dispatch_limit_unit) == (at(2026, 10, 10, 16, 0), TimeUnit.WORK_DAYS)
    assert time_left(case, at(2026, 10, 12, 16, 0)) == "已超期1个工作日"  # Saturday 16:00 to Monday 16:00
    default = world.report(now=at(2026, 10, 9, 16, 0))  # 1 working hour: due Friday 17:00
    assert time_left(default, at(2026, 10, 9, 16, 15)) == "剩余45分钟"
    assert time_left(default, at(2026, 10, 10, 9, 0)) == "已超期1个工作小时"  # Friday 17:00–17:30, Saturday 08:30–09:00


def test_no_time_left_without_a_running_clock(world: TownWorld) -> None:
    closed = world.bring_to(Status.CLOSED)
    assert time_left(closed, at(2026, 11, 30, 9, 0)) == ""
