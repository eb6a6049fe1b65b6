"""/healthz: database reachability, each worker's heartbeat (stale or not) and the task queue, as JSON, without
signing in; 503 when something expected is not there."""

from __future__ import annotations

import os
import socket
import subprocess
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gridgov.data.cases.domain import notifications
from gridgov.data.cases.enums import Status
from gridgov.db.workers import _KEY, DEADLINE_ALERTS, TASKS, Heartbeat
from tests.factories import build_world


@pytest.fixture(autouse=True)
def _no_heartbeats_from_other_tests() -> None:
    cache.clear()


def health(query: str = "") -> tuple[int, dict[str, Any]]:
    response = Client().get("/healthz" + query)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    body.pop("checked_at")
    return response.status_code, body


def beaten(body: dict[str, Any], name: str) -> dict[str, Any]:
    worker = dict(body["workers"][name])
    assert 0 <= worker.pop("age_seconds") < worker["stale_after_seconds"]
    return worker


def test_no_sign_in_needed_and_a_missing_alerts_loop_is_unhealthy(db) -> None:
    status, body = health()
    assert (status, body) == (
        503,
        {
            "status": "unhealthy",
            "database": {"ok": True, "vendor": body["database"]["vendor"]},
            "workers": {
                # the tests run tasks at once (no queue): no task worker is expected
                TASKS: {"expected": False, "ok": False, "state": "missing", "last_beat": None},
                DEADLINE_ALERTS: {"expected": True, "ok": False, "state": "missing", "last_beat": None},
            },
            "queue": {"ready": 0, "oldest_ready_seconds": None, "notifications_due": 0, "reports_to_count": 0},
        },
    )


def test_a_fresh_heartbeat_is_healthy_and_an_old_one_stale(db) -> None:
    moment = timezone.now()
    Heartbeat(DEADLINE_ALERTS, every=60).beat(now=moment)
    status, body = health()
    assert (status, body["status"]) == (200, "ok")
    assert beaten(body, DEADLINE_ALERTS) == {
        "expected": True,
        "ok": True,
        "state": "ok",
        "last_beat": moment.isoformat(),
        "stale_after_seconds": 180,
        "detail": "",
        "host": socket.gethostname(),
        "pid": os.getpid(),
    }
    Heartbeat(DEADLINE_ALERTS, every=60).beat(now=moment - timedelta(minutes=10))
    status, body = health()
    assert (status, body["status"]) == (503, "unhealthy")
    alerts = body["workers"][DEADLINE_ALERTS]
    assert (alerts["ok"], alerts["state"], alerts["age_seconds"] >= 600) == (False, "stale", True)


def test_a_worker_whose_process_ended_is_stopped_at_once(db) -> None:
    Heartbeat(DEADLINE_ALERTS, every=60).beat()
    key = _KEY.format(name=DEADLINE_ALERTS)
    cache.set(key, cache.get(key) | {"pid": _pid_of_an_ended_process()}, timeout=None)
    status, body = health()
    alerts = body["workers"][DEADLINE_ALERTS]
    assert (status, alerts["ok"], alerts["state"]) == (503, False, "stopped")
    cache.set(key, cache.get(key) | {"host": "another-app-server"}, timeout=None)  # judged by its age there
    status, body = health()
    assert (status, body["workers"][DEADLINE_ALERTS]["state"]) == (200, "ok")


def _pid_of_an_ended_process() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_with_the_database_queue_the_task_worker_is_expected_and_the_queue_counted(
    transactional_db, settings, monkeypatch
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(notifications, "_next_wake", 0.0)  # a wake-up window left open by an earlier test
    world = build_world()
    world.bring_to(Status.REGISTERED)  # the report and the registration owe notifications; one delivery task
    DBTaskResult.objects.update(run_after=timezone.now())  # its short deferral is over
    Heartbeat(DEADLINE_ALERTS, every=60).beat()
    status, body = health()
    queue = body["queue"]
    assert (
        status,
        body["workers"][TASKS]["state"],
        queue["ready"],
        queue["notifications_due"],
        queue["reports_to_count"],
    ) == (
        503,
        "missing",
        1,
        2,
        1,  # the report's day counts, for the worker to add
    )
    assert body["queue"]["oldest_ready_seconds"] >= 0
    Heartbeat(TASKS, every=10).beat(state="retrying", detail="database is locked")
    status, body = health()
    assert status == 200
    assert beaten(body, TASKS) | {"host": "", "pid": 0} == {
        "expected": True,
        "ok": True,
        "state": "retrying",  # reported, but beating: not (yet) unhealthy
        "last_beat": body["workers"][TASKS]["last_beat"],
        "stale_after_seconds": 60,
        "detail": "database is locked",
        "host": "",
        "pid": 0,
    }


def test_a_load_balancer_asks_only_about_the_database(db) -> None:
    status, body = health("?only=database")
    assert (status, body) == (200, {"status": "ok", "database": {"ok": True, "vendor": body["database"]["vendor"]}})
