"""``/healthz``: is this GridGov up and doing its background work? JSON, no sign-in, 503 when not healthy.

- ``database``: a ``SELECT 1`` answered;
- ``workers``: each long-running worker's last heartbeat (gridgov.db.workers), its age and whether it is stale
  (no beat for a while) or ``stopped`` (its process, on this host, no longer exists: known at once) —
  ``tasks`` (``manage.py task_worker``, expected when tasks go through the database queue) and
  ``deadline_alerts`` (``manage.py deadline_alerts --loop``);
- ``queue``: background tasks ready to run, how long the oldest has waited, and the actions whose notifications
  the outbox still owes (``notifications_due``) and the reports whose day counts it has yet to add to the
  rollups (``reports_to_count``).

A load balancer deciding whether to send requests to this app server asks ``/healthz?only=database``: a
stopped worker is not a reason to stop serving pages.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.tasks import task_backends
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from gridgov.data.cases.domain import notifications, rollups
from gridgov.db.workers import DEADLINE_ALERTS, TASKS, read_heartbeats, stale_after
from gridgov.types import JSONObject


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    database = _database()
    report: JSONObject = {"status": "ok", "checked_at": now.isoformat(timespec="seconds"), "database": database}
    healthy = database["ok"]
    if request.GET.get("only") != "database":
        workers = _workers(now)
        queue = _queue(now)
        report |= {"workers": workers, "queue": queue}
        healthy = healthy and all(w["ok"] for w in workers.values() if w["expected"])
    if not healthy:
        report["status"] = "unhealthy"
    return JsonResponse(report, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})


def _database() -> JSONObject:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)[:300]}
    return {"ok": True, "vendor": connection.vendor}


def _workers(now: datetime) -> dict[str, JSONObject]:
    expected = {TASKS: _tasks_use_the_database(), DEADLINE_ALERTS: True}
    try:
        beats = read_heartbeats(list(expected))
    except DatabaseError:
        beats = dict.fromkeys(expected)
    workers: dict[str, JSONObject] = {}
    for name, is_expected in expected.items():
        beat = beats[name]
        if beat is None:
            workers[name] = {"expected": is_expected, "ok": False, "state": "missing", "last_beat": None}
            continue
        age = (now - datetime.fromisoformat(beat["at"])).total_seconds()
        stale = age > stale_after(float(beat["every"]))
        stopped = not stale and _gone(beat)
        workers[name] = {
            "expected": is_expected,
            "ok": not (stale or stopped),
            "state": "stale" if stale else "stopped" if stopped else beat["state"],
            "last_beat": beat["at"],
            "age_seconds": round(age),
            "stale_after_seconds": round(stale_after(float(beat["every"]))),
            "detail": beat["detail"],
            "host": beat["host"],
            "pid": beat["pid"],
        }
    return workers


def _gone(beat: JSONObject) -> bool:
    """True when the worker beat from this host and its process has ended (a worker on another host is judged
    by its heartbeat's age alone)."""
    if beat.get("host") != socket.gethostname() or not isinstance(beat.get("pid"), int):
        return False
    try:
        os.kill(beat["pid"], 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


def _tasks_use_the_database() -> bool:
    return isinstance(task_backends["default"], DatabaseBackend)


def _queue(now: datetime) -> JSONObject:
    try:
        ready = DBTaskResult.objects.ready()
        count = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        due = notifications.pending(now=now).count()
        to_count = rollups.reports_to_count()
    except DatabaseError:
        return {"ready": None, "oldest_ready_seconds": None, "notifications_due": None, "reports_to_count": None}
    return {
        "ready": count,
        "oldest_ready_seconds": None if oldest is None else round((now - oldest).total_seconds()),
        "notifications_due": due,  # actions whose notifications the outbox still owes (due now)
        "reports_to_count": to_count,  # reports whose day counts the worker has yet to add to the rollups
    }
