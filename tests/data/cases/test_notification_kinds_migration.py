"""The migration that gives notifications a kind and parameters loses nothing either way: the messages stored
before it keep their text (and read as it, with no kind), and going back keeps every message's text."""

from __future__ import annotations

import pytest
from django.db import connection

from gridgov.data.cases.domain.notifications import notification_text
from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Notification
from tests.factories import TownWorld
from tests.migrating import migrate, migrate_to_latest

BEFORE = [("cases", "0017_report_counts_rolled_up_by_the_worker")]


@pytest.mark.django_db(transaction=True)
def test_stored_messages_survive_the_migration_both_ways(world: TownWorld) -> None:
    case = world.bring_to(Status.REGISTERED)
    row = Notification.objects.create(
        town=world.town, user=world.handler_a, case=case, action=case.actions.last(), message="旧消息：请尽快签收"
    )
    try:
        migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT message FROM cases_notification WHERE id = %s", [row.pk])
            assert cursor.fetchall() == [("旧消息：请尽快签收",)]
    finally:
        migrate_to_latest()
    again = Notification.objects.get(pk=row.pk)
    assert (again.kind, again.params, again.message) == ("", {}, "旧消息：请尽快签收")
    assert notification_text(again) == "旧消息：请尽快签收"
