"""Replaying a past year through the engine (the demo's 2022) notifies nobody; live work still notifies."""

from __future__ import annotations

from gridgov.data.cases.domain.engine import apply_action, without_notifications
from gridgov.data.cases.enums import Action
from gridgov.data.cases.models import Notification
from tests.factories import at


def test_actions_taken_without_notifications_notify_nobody(world, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True), without_notifications():
        quiet = world.report(now=at(2022, 3, 7))
        apply_action(case_id=quiet.pk, actor=world.operator, action=Action.REGISTER, now=at(2022, 3, 7, 9, 5))
        apply_action(
            case_id=quiet.pk,
            actor=world.operator,
            action=Action.DISPATCH,
            department=world.dept_a,
            now=at(2022, 3, 7, 9, 10),
        )
    assert Notification.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        live = world.report()
        apply_action(case_id=live.pk, actor=world.operator, action=Action.REGISTER)
        apply_action(case_id=live.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a)
    # The report goes to the command room, the dispatch to the department.
    assert sorted(Notification.objects.values_list("user__username", "case_id")) == [
        ("handler_a", live.pk),
        ("operator", live.pk),
    ]
