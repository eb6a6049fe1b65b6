"""Background side effects of case actions. Tasks take ids, are thin, and are safe to run twice."""

from __future__ import annotations

import time

from django.conf import settings
from django.tasks import task

from gridgov.data.cases.domain.notifications import BATCH, continue_later, deliver_action, deliver_due, retry_later


@task()
def deliver_notifications() -> int:
    """Deliver the outbox: the notifications of every case action that is due; returns how many were created.

    Works through the backlog a batch at a time for up to ``GRIDGOV_NOTIFY_RUN_SECONDS`` (20 s), then queues the
    next run for what is left — the worker's heartbeat, written between tasks and read by /healthz as stale after
    a minute, keeps beating through a long backlog; when some delivery failed, stops and queues the next run for
    when the earliest owed action is due.
    """
    created = 0
    started = time.monotonic()
    budget = float(settings.GRIDGOV_NOTIFY_RUN_SECONDS)
    while True:
        result = deliver_due()
        created += result.notifications
        if result.failed:
            retry_later()
            return created
        if result.delivered < BATCH:
            return created
        if time.monotonic() - started >= budget:
            continue_later()
            return created


@task()
def notify_case_action(action_id: int) -> int:
    """Deliver one case action's notifications if still owed (kept for tasks queued before the outbox)."""
    return deliver_action(action_id=action_id) or 0


@task()
def verify_audit_chains(run_id: int) -> bool:
    """Verify every audit chain for the recorded run (started from the admin page or the daily loop)."""
    from django.utils import timezone

    from gridgov.data.cases.domain.audit_runs import verify_all
    from gridgov.data.cases.models import AuditRun

    run = AuditRun.objects.filter(pk=run_id, finished_at__isnull=True).first()
    if run is None:
        return True
    return bool(verify_all(run=run, now=timezone.now()).ok)
