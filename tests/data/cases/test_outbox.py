"""The notification outbox: written with the action, delivered by the worker, retried after a failure."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.tasks import default_task_backend
from django.utils import timezone

from gridgov.data.cases.domain import notifications
from gridgov.data.cases.domain.engine import apply_action, without_notifications
from gridgov.data.cases.enums import Action
from gridgov.data.cases.models import Case, CaseAction, Notification
from gridgov.data.cases.tasks import deliver_notifications
from gridgov.data.notify.models import Delivery
from tests.data.cases.test_write_cost import shapes
from tests.factories import TownWorld

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _dispatched(world: TownWorld) -> tuple[Case, CaseAction]:
    case = world.report()
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER)
    row = apply_action(case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a)
    return case, row


def test_an_action_owes_its_notifications_until_the_worker_delivers_them(world: TownWorld) -> None:
    case, dispatch = _dispatched(world)  # no commit in this test: nobody has woken the worker
    owed = list(notifications.pending().values_list("case_id", "action"))
    assert owed == [(case.pk, "report"), (case.pk, "register"), (case.pk, "dispatch")]
    assert Notification.objects.count() == 0

    result = notifications.deliver_due()
    assert (result.delivered, result.failed) == (3, 0)
    # the report to the command room, the dispatch to the department (the register notifies nobody)
    assert sorted(Notification.objects.values_list("user__username", "action__action")) == [
        ("handler_a", "dispatch"),
        ("operator", "report"),
    ]
    dispatch.refresh_from_db()
    assert (dispatch.notify_due_at, dispatch.notify_attempts) == (None, 1)
    assert dispatch.notified_at is not None
    assert notifications.pending().count() == 0
    # running again delivers nothing twice
    assert notifications.deliver_due() == notifications.Delivery(delivered=0, failed=0, notifications=0)
    assert notifications.deliver_action(action_id=dispatch.pk) == 0
    assert Notification.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_delivery_works_out_its_messages_before_it_takes_the_write_lock(world: TownWorld, settings) -> None:
    """On SQLite a write transaction holds the database's write lock, which every writing request waits for: who
    hears of an action, the messages and the channels' deliveries are read and worked out before it; inside
    are only the claim of the action and the writes."""
    settings.TASKS = DUMMY_TASKS
    _case, dispatch = _dispatched(world)
    ran: list[tuple[bool, str]] = []  # (inside a transaction?, the statement)

    def record(execute, sql, params, many, context):
        ran.append((connection.in_atomic_block, sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert notifications.deliver_action(action_id=dispatch.pk) == 1
    before = SimpleNamespace(captured_queries=[{"sql": sql} for atomic, sql in ran if not atomic])
    inside = SimpleNamespace(captured_queries=[{"sql": sql} for atomic, sql in ran if atomic])
    assert shapes(before) == [
        "SELECT cases_caseaction",  # the action, its case and what the messages name
        "SELECT org_membership",  # the department's people
        "SELECT org_user",  # their addresses
        "SELECT notify_preference",  # the channels they chose …
        "SELECT notify_channelaccount",  # … the ids they have there …
        "SELECT notify_preference",  # … and the ones they asked for explicitly
    ]
    assert [atomic for atomic, _sql in ran] == [False] * len(shapes(before)) + [True] * len(ran[len(shapes(before)) :])
    assert shapes(inside) == [
        "UPDATE cases_caseaction",  # the claim: still owed, now delivered
        "INSERT cases_notification",
        "SELECT cases_notification",  # the new rows' keys, for the deliveries
    ]


def test_a_misconfigured_channel_never_holds_the_in_app_messages(world: TownWorld, settings, caplog) -> None:
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email", "dingtalk_robot"]
    settings.GRIDGOV_NOTIFY_ROBOTS = "值班群|dingtalk|https://example.invalid/robot"  # no secret, no scope
    _case, dispatch = _dispatched(world)
    assert notifications.deliver_action(action_id=dispatch.pk) == 1
    assert list(Notification.objects.values_list("user__username", "action__action")) == [("handler_a", "dispatch")]
    assert Delivery.objects.count() == 0  # the channels' deliveries could not be worked out: left out …
    logged = [record.getMessage().split("：", 2) for record in caplog.records if record.levelname == "ERROR"]
    assert [(what, which, error.split("(")[0]) for what, which, error in logged] == [
        ("无法安排外部渠道推送", f"流转记录 {dispatch.pk}", "ImproperlyConfigured")  # … and said so
    ]
    dispatch.refresh_from_db()
    assert (dispatch.notify_due_at, dispatch.notify_attempts) == (None, 1)  # delivered, not retried


def test_a_replayed_past_owes_nothing(world: TownWorld) -> None:
    with without_notifications():
        _dispatched(world)
    assert notifications.pending().count() == 0


def test_retry_backoff_doubles_up_to_an_hour() -> None:
    delays = [notifications.retry_delay(n) for n in (1, 2, 3, 8, 20)]
    assert delays == [
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(hours=1),
        timedelta(hours=1),
    ]


def _hold_write_lock() -> BaseDatabaseWrapper:
    """Another connection takes the lock that delivering notifications needs, and keeps it.

    SQLite: the database's write lock (what a long import holds). PostgreSQL: the notification table.
    Our own connection waits at most 0.2 s for it, instead of the production timeout.
    """
    other = connections.create_connection("default")
    other.ensure_connection()
    assert other.connection is not None
    if connection.vendor == "sqlite":
        other.connection.execute("BEGIN IMMEDIATE")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 200")
    else:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Notification._meta.db_table} IN EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
    return other


def _release(other: BaseDatabaseWrapper) -> None:
    assert other.connection is not None
    if connection.vendor == "sqlite":
        other.connection.execute("ROLLBACK")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 20000")
    else:
        other.rollback()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    other.close()


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_retried_and_delivered_on_the_next_run(world: TownWorld, settings) -> None:
    settings.TASKS = DUMMY_TASKS  # the wake-ups are only queued: the worker runs below, by hand
    case, dispatch = _dispatched(world)  # committed
    assert Case.objects.get(pk=case.pk).status == "dispatched"
    now = timezone.now()

    other = _hold_write_lock()
    try:
        first = notifications.deliver_action(action_id=dispatch.pk, now=now)  # the lock holds: it fails
    finally:
        _release(other)
    assert first is None
    assert Notification.objects.count() == 0
    dispatch.refresh_from_db()
    assert dispatch.notified_at is None  # still owed …
    assert dispatch.notify_due_at is not None
    if connection.vendor == "postgresql":
        # the attempt is recorded and the retry put off by the backoff …
        assert (dispatch.notify_attempts, dispatch.notify_due_at) == (1, now + timedelta(seconds=30))
        notifications.deliver_due(now=now + timedelta(seconds=29))  # the others are delivered, not the dispatch
        assert list(notifications.pending().values_list("pk", flat=True)) == [dispatch.pk]
    else:
        # … unless the lock also keeps the attempt from being written (SQLite locks the whole database):
        # then the row simply stays due and the next run tries again.
        assert dispatch.notify_attempts == 0

    second = notifications.deliver_due(now=now + timedelta(seconds=30))
    assert second.failed == 0
    assert sorted(Notification.objects.values_list("user__username", "action__action")) == [
        ("handler_a", "dispatch"),
        ("operator", "report"),
    ]
    assert notifications.pending().count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_run_with_failures_queues_its_own_retry(world: TownWorld, settings) -> None:
    settings.TASKS = DUMMY_TASKS
    _dispatched(world)
    default_task_backend.clear()
    other = _hold_write_lock()
    try:
        assert deliver_notifications.call() == 0  # as the worker runs it: every delivery fails
    finally:
        _release(other)
    [queued] = default_task_backend.results
    assert queued.task.name == "deliver_notifications"
    assert queued.task.run_after is not None
    assert queued.task.run_after > timezone.now()  # later, not in a loop
    # the queued run, when it comes, delivers (the backoff has passed by then on both databases)
    assert notifications.deliver_due(now=queued.task.run_after).notifications == 2


def test_a_long_backlog_is_delivered_in_runs_that_queue_the_next(world: TownWorld, settings) -> None:
    """A run stops after its time (here: at once, after one batch) and queues the next, so the worker's heartbeat,
    written between tasks, keeps beating through a backlog; the next run goes on where it stopped."""
    settings.TASKS = DUMMY_TASKS
    settings.GRIDGOV_NOTIFY_RUN_SECONDS = 0
    for _ in range(notifications.BATCH + 3):
        world.report()
    default_task_backend.clear()
    assert deliver_notifications.call() == notifications.BATCH  # one batch: each report tells the operator
    assert [r.task.name for r in default_task_backend.results] == ["deliver_notifications"]
    assert notifications.pending().count() == 3
    assert deliver_notifications.call() == 3
    assert Notification.objects.filter(user=world.operator).count() == notifications.BATCH + 3
