"""The task worker and the deadline-alerts loop wait out a locked database instead of dying, log it, and write
the heartbeats that /healthz reports."""

from __future__ import annotations

import logging
import signal
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gridgov.data.cases.domain import notifications, rollups
from gridgov.data.cases.enums import Status
from gridgov.data.cases.management.commands.task_worker import SteadyWorker
from gridgov.data.cases.models import DeadlineAlert, Notification
from gridgov.data.metrics.rollups import check
from gridgov.data.notify.domain.alerts import raise_deadline_alerts
from gridgov.db.workers import DEADLINE_ALERTS, TASKS, Backoff, Heartbeat, read_heartbeats, run_steadily
from tests.factories import MONDAY_0900, TownWorld, build_world
from tests.locks import short_lock_wait, write_lock_held

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_heartbeats_from_other_tests() -> None:
    cache.clear()


@pytest.fixture
def queued(settings, monkeypatch) -> TownWorld:
    """A world whose notifications wait in the outbox, with the delivery task in django-tasks-db's queue, as in
    production; the task's short deferral (one wake-up per window) is over."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(notifications, "_next_wake", 0.0)  # a wake-up window left open by an earlier test
    world = build_world()
    world.bring_to(Status.DISPATCHED)
    DBTaskResult.objects.update(run_after=timezone.now())
    return world


def worker(max_tasks: int | None = None) -> SteadyWorker:
    return SteadyWorker(
        queue_names=["default"],
        interval=0.01,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def test_the_worker_waits_out_a_locked_database_then_delivers_the_notifications(queued: TownWorld, caplog) -> None:
    assert DBTaskResult.objects.ready().count() == 1  # one delivery task for the report, registration, dispatch
    assert notifications.pending().count() == 3
    assert Notification.objects.filter(user=queued.handler_a).count() == 0
    steady = worker()
    with (
        caplog.at_level(logging.INFO, logger="gridgov.db.workers"),
        short_lock_wait(100),
        write_lock_held(seconds=1.0),  # an import holds the lock for a second
    ):
        run_steadily(
            TASKS,
            steady.run_one,
            interval=0.01,
            keep_going=lambda: DBTaskResult.objects.ready().exists(),
            backoff=Backoff(first=0.2),
        )
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert notifications.pending().count() == 0
    assert Notification.objects.filter(user=queued.handler_a, case__status=Status.DISPATCHED).count() == 1
    messages = [r.getMessage() for r in caplog.records if r.name == "gridgov.db.workers"]
    retry = next(m for m in messages if m.startswith("tasks：数据库暂时不可用（"))
    assert retry.endswith("），0.2 秒后第 1 次重试"), messages
    assert "tasks：数据库恢复，继续运行" in messages


@task
def answer_without_writing() -> int:
    """A task that writes nothing itself: only recording its result needs the write lock."""
    return 42


def test_a_result_that_cannot_be_recorded_at_once_is_recorded_when_the_database_frees(settings, caplog) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    answer_without_writing.enqueue()
    steady = worker()
    steady.record_backoff = Backoff(first=0.2)
    claimed = steady.ready_tasks().get()
    claimed.claim(steady.worker_id)
    with caplog.at_level(logging.WARNING), short_lock_wait(100), write_lock_held(seconds=1.5):
        steady.run_task(claimed)  # the library's three quick tries fail; ours wait until the lock is gone
    stored = DBTaskResult.objects.get(pk=claimed.pk)
    assert (stored.status, stored.return_value) == (TaskResultStatus.SUCCESSFUL, 42)
    assert any(r.getMessage().startswith("记录任务结果时数据库暂时不可用（") for r in caplog.records)


def test_the_worker_command_runs_the_queue_and_beats(queued: TownWorld, monkeypatch) -> None:
    monkeypatch.setattr(rollups, "_last_pending_run", 0.0)  # a round an earlier test ran, not yet due again
    ready = DBTaskResult.objects.ready().count()
    assert rollups.reports_to_count() == 1
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("task_worker", "--interval", "0.01", "--max-tasks", str(ready))
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    assert DBTaskResult.objects.ready().count() == 0
    assert Notification.objects.filter(user=queued.handler_a).count() == 1
    assert rollups.reports_to_count() == 0  # and added the report's day counts to the rollups
    assert check(town=queued.town) == []
    beat = read_heartbeats([TASKS])[TASKS]
    assert beat is not None
    assert (beat["state"], beat["every"]) == ("ok", 10.0)


def test_the_alerts_loop_waits_out_a_locked_database(caplog) -> None:
    world = build_world()
    world.bring_to(Status.DISPATCHED)
    later = MONDAY_0900 + timedelta(days=30)  # long overdue
    with (
        caplog.at_level(logging.INFO, logger="gridgov.db.workers"),
        short_lock_wait(100),
        write_lock_held(seconds=1.0),
    ):
        run_steadily(
            DEADLINE_ALERTS,
            lambda: bool(raise_deadline_alerts(now=later)),
            interval=0.01,
            keep_going=lambda: not DeadlineAlert.objects.exists(),
            backoff=Backoff(first=0.2),
        )
    assert DeadlineAlert.objects.count() == 1
    messages = [r.getMessage() for r in caplog.records if r.name == "gridgov.db.workers"]
    assert messages[1].startswith("deadline_alerts：数据库暂时不可用（"), messages
    assert messages[1].endswith("），0.2 秒后第 1 次重试"), messages
    assert "deadline_alerts：数据库恢复，继续运行" in messages


def test_a_worker_says_it_is_starting_before_its_first_round(db) -> None:
    """The first round may take a while (a backlog, a database busy with a batch): /healthz must not call the
    worker missing meanwhile."""
    seen: list[tuple[str, str] | None] = []
    rounds = iter([True, False])

    def step() -> bool:
        beat = read_heartbeats(["probe"])["probe"]
        seen.append(None if beat is None else (beat["state"], beat["detail"]))
        return next(rounds)

    run_steadily("probe", step, interval=0.01, keep_going=lambda: len(seen) < 2, sleep=lambda _seconds: None)
    assert seen == [("starting", ""), ("ok", "")]


def test_a_heartbeat_is_written_at_once_on_a_change_of_state_and_otherwise_every_period(db) -> None:
    beat = Heartbeat("probe", every=3600)
    beat.beat(now=MONDAY_0900)
    beat.beat(now=MONDAY_0900 + timedelta(minutes=1))  # within the period: not written again
    first = read_heartbeats(["probe"])["probe"]
    assert first is not None
    assert first["at"] == "2026-11-23T09:00:00+08:00"
    beat.beat(state="retrying", detail="connection refused", now=MONDAY_0900 + timedelta(minutes=2))
    stored = read_heartbeats(["probe", "never"])
    assert stored["never"] is None
    assert stored["probe"] is not None
    assert (stored["probe"]["at"], stored["probe"]["state"], stored["probe"]["detail"]) == (
        "2026-11-23T09:02:00+08:00",
        "retrying",
        "connection refused",
    )


def test_backoff_doubles_up_to_its_limit_and_starts_over_after_a_success() -> None:
    backoff = Backoff(first=1.0, most=10.0)
    assert [backoff.failed() for _ in range(6)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    backoff.succeeded()
    assert backoff.failed() == 1.0
