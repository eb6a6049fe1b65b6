"""Deadline alerts: yellow at 75 % of the limit, red when overdue, once each, again after the deadline moves."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action
from gridgov.data.cases.models import DeadlineAlert, Notification
from gridgov.data.notify.domain.alerts import raise_deadline_alerts
from gridgov.data.notify.models import Delivery
from tests.data.cases.test_write_cost import shapes
from tests.factories import TownWorld, at


def alerts() -> list[tuple[str, str]]:
    return list(DeadlineAlert.objects.order_by("created_at", "id").values_list("phase", "level"))


def messages_for(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user, alert__isnull=False).order_by("id").values_list("message", flat=True)
    )


def dispatched_at_nine(world: TownWorld):
    case = world.report(now=at(2026, 11, 23, 8, 50))
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=at(2026, 11, 23, 8, 55))
    apply_action(
        case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a, now=at(2026, 11, 23, 9)
    )
    case.refresh_from_db()
    return case  # 4 working hours: yellow from 12:00, deadline 14:30


def test_yellow_then_red_once_each(world: TownWorld) -> None:
    case = dispatched_at_nine(world)
    assert raise_deadline_alerts(now=at(2026, 11, 23, 11, 59)) == 0
    assert raise_deadline_alerts(now=at(2026, 11, 23, 12, 0)) == 1
    assert raise_deadline_alerts(now=at(2026, 11, 23, 13, 0)) == 0  # safe to run again
    assert raise_deadline_alerts(now=at(2026, 11, 23, 14, 31)) == 1
    assert raise_deadline_alerts(now=at(2026, 11, 24, 9, 0)) == 0
    assert alerts() == [("handle", "yellow"), ("handle", "red")]
    assert messages_for(world.handler_a) == [
        f"{case.number} 即将到期（期限 2026年11月23日 14:30）",
        f"{case.number} 已超期（期限 2026年11月23日 14:30），请尽快办理",
    ]
    assert messages_for(world.handler_b) == []


def test_an_extension_moves_the_deadline_and_alerts_again(world: TownWorld) -> None:
    case = dispatched_at_nine(world)
    raise_deadline_alerts(now=at(2026, 11, 23, 14, 31))
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN, now=at(2026, 11, 23, 14, 40))
    apply_action(
        case_id=case.pk,
        actor=world.handler_a,
        action=Action.REQUEST_EXTENSION,
        note="需协调",
        extension=8,
        now=at(2026, 11, 23, 14, 45),
    )
    apply_action(case_id=case.pk, actor=world.leader, action=Action.APPROVE_EXTENSION, now=at(2026, 11, 23, 15, 0))
    case.refresh_from_db()
    assert case.handle_deadline == at(2026, 11, 24, 15, 0)  # 14:30 + 8 working hours
    # 75 % of the new 12-hour limit is 540 working minutes from Monday 09:00: 420 on Monday, 120 on Tuesday.
    assert raise_deadline_alerts(now=at(2026, 11, 24, 10, 29)) == 0
    assert raise_deadline_alerts(now=at(2026, 11, 24, 10, 30)) == 1
    assert alerts() == [("handle", "red"), ("handle", "yellow")]


def test_cases_waiting_for_dispatch_alert_the_command_room(world: TownWorld) -> None:
    case = world.report(now=at(2026, 11, 23, 9, 0))  # 1 working hour to dispatch
    assert raise_deadline_alerts(now=at(2026, 11, 23, 10, 1)) == 1
    assert alerts() == [("dispatch", "red")]
    assert messages_for(world.operator) == [f"{case.number} 已超期（期限 2026年11月23日 10:00），请尽快办理"]
    assert messages_for(world.handler_a) == []


def test_suspended_and_closed_cases_raise_nothing(world: TownWorld) -> None:
    from gridgov.data.cases.enums import Status

    world.bring_to(Status.SUSPENDED, now=at(2026, 11, 23, 9, 0))
    world.bring_to(Status.CLOSED, now=at(2026, 11, 23, 9, 0))
    assert raise_deadline_alerts(now=at(2026, 12, 1, 9, 0)) == 0


def test_the_command_reports_what_it_did(world: TownWorld, capsys) -> None:
    world.report(now=at(2026, 11, 23, 9, 0))
    call_command("deadline_alerts")
    assert capsys.readouterr().out.strip() == "新增期限预警 1 条"


@pytest.mark.django_db(transaction=True)
def test_an_alert_works_out_its_messages_before_it_takes_the_write_lock(world: TownWorld) -> None:
    """As the outbox (test_outbox): the people to tell, the text and the channels' deliveries are read first; the
    alert's write transaction (on SQLite: the database's write lock) holds only its own writes."""
    dispatched_at_nine(world)
    ran: list[tuple[bool, str]] = []  # (inside a transaction?, the statement)

    def record(execute, sql, params, many, context):
        ran.append((connection.in_atomic_block, sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert raise_deadline_alerts(now=at(2026, 11, 23, 12, 0)) == 1
    inside = SimpleNamespace(captured_queries=[{"sql": sql} for atomic, sql in ran if atomic])
    assert shapes(inside) == [
        "SELECT cases_deadlinealert",  # get_or_create: another run's alert?
        "INSERT cases_deadlinealert",
        "INSERT cases_notification",
        "SELECT cases_notification",  # their keys, for the deliveries
    ]
    assert messages_for(world.handler_a) == [
        f"{DeadlineAlert.objects.get().case.number} 即将到期（期限 2026年11月23日 14:30）"
    ]


def test_a_misconfigured_channel_never_holds_an_alert(world: TownWorld, settings, caplog) -> None:
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email", "dingtalk_robot"]
    settings.GRIDGOV_NOTIFY_ROBOTS = "值班群|dingtalk|https://example.invalid/robot"  # no secret, no scope
    case = dispatched_at_nine(world)
    assert raise_deadline_alerts(now=at(2026, 11, 23, 12, 0)) == 1
    assert messages_for(world.handler_a) == [f"{case.number} 即将到期（期限 2026年11月23日 14:30）"]
    assert Delivery.objects.count() == 0  # the channels' deliveries could not be worked out: left out …
    logged = [record.getMessage().split("：", 1)[0] for record in caplog.records if record.levelname == "ERROR"]
    assert logged == ["无法安排外部渠道推送"]  # … and said so
