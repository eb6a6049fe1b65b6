"""Background side effects of case actions. Tasks take ids, are thin, and are safe to run twice."""

from __future__ import annotations

from django.tasks import task

from gridgov.data.cases.domain.notifications import notify_for_action


@task()
def notify_case_action(action_id: int) -> int:
    """Create the notifications for one case action; returns how many were created."""
    return notify_for_action(action_id=action_id)
