"""Background side effects of case actions. Tasks take ids, are thin, and are safe to run twice."""

from __future__ import annotations

from django.tasks import task

from gridgov.data.cases.domain.notifications import deliver_action, deliver_due


@task()
def deliver_notifications() -> int:
    """Deliver the outbox: the notifications of every case action that is due; returns how many were created."""
    return deliver_due().notifications


@task()
def notify_case_action(action_id: int) -> int:
    """Deliver one case action's notifications if still owed (kept for tasks queued before the outbox)."""
    return deliver_action(action_id=action_id) or 0
