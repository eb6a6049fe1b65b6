"""The 消息 page's search finds what the reader sees: notifications are written in the reader's language from their
kind and parameters, so a word is looked for in that sentence — the case number, a step's name (an English
word inflected too), the step's note, the words of a deadline alert — by a condition on the rows, in SQL."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from gridgov.data.cases.domain import notifications
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case, Notification
from gridgov.data.notify.domain.alerts import raise_deadline_alerts
from tests.factories import TownWorld, at
from tests.ui.web.test_notification_language import CELL, reader


class Messages:
    """Handler A's messages: a dispatch (with a yellow and a red lamp) and an approved extension with a note."""

    def __init__(self, world: TownWorld) -> None:
        self.world = world
        self.late = world.report(now=at(2026, 11, 23, 8, 50))
        apply_action(case_id=self.late.pk, actor=world.operator, action=Action.REGISTER, now=at(2026, 11, 23, 8, 55))
        apply_action(
            case_id=self.late.pk,
            actor=world.operator,
            action=Action.DISPATCH,
            department=world.dept_a,
            now=at(2026, 11, 23, 9),
        )
        notifications.deliver_due()
        raise_deadline_alerts(now=at(2026, 11, 23, 12, 0))
        raise_deadline_alerts(now=at(2026, 11, 23, 14, 31))
        self.extended = world.bring_to(Status.HANDLING)
        apply_action(
            case_id=self.extended.pk, actor=world.handler_a, action=Action.REQUEST_EXTENSION, note="缺材料", extension=1
        )
        apply_action(
            case_id=self.extended.pk, actor=world.operator, action=Action.APPROVE_EXTENSION, note="同意延期一天"
        )
        notifications.deliver_due()

    def found(self, search: str, language: str = "") -> list[str]:
        page = reader(self.world.handler_a, language).get(f"/notifications/?q={quote(search)}").text
        return CELL.findall(page)


@pytest.fixture
def messages(world: TownWorld) -> Messages:
    return Messages(world)


def test_a_chinese_reader_finds_the_words_they_read(messages: Messages) -> None:
    late, extended = messages.late.number, messages.extended.number
    assert messages.found("") == [
        f"{extended}：批准延期 — 同意延期一天",
        f"{extended}：派遣",
        f"{late} 已超期（期限 11月23日 14:30），请尽快办理",
        f"{late} 即将到期（期限 11月23日 14:30）",
        f"{late}：派遣",
    ]
    assert messages.found("派遣") == [f"{extended}：派遣", f"{late}：派遣"]
    assert messages.found("派发") == [f"{extended}：派遣", f"{late}：派遣"]  # another word for the step
    assert messages.found("超期") == [f"{late} 已超期（期限 11月23日 14:30），请尽快办理"]
    assert messages.found("期限 14:30") == [
        f"{late} 已超期（期限 11月23日 14:30），请尽快办理",
        f"{late} 即将到期（期限 11月23日 14:30）",
    ]
    assert messages.found("同意") == [f"{extended}：批准延期 — 同意延期一天"]
    assert messages.found(f"{extended} 延期") == [f"{extended}：批准延期 — 同意延期一天"]
    assert messages.found(f"{late[-6:]}：派遣") == [f"{late}：派遣"]  # a phrase of the sentence, whole
    assert messages.found(f"{late[-6:]}：派遣", "en") == []
    assert messages.found("dispatched") == []  # not what a Chinese reader sees


def test_an_english_reader_finds_the_words_they_read(messages: Messages) -> None:
    late, extended = messages.late.number, messages.extended.number
    assert messages.found("dispatched", "en") == [f"{extended}: Dispatch", f"{late}: Dispatch"]
    assert messages.found("Dispatch", "en") == [f"{extended}: Dispatch", f"{late}: Dispatch"]
    assert messages.found("overdue", "en") == [f"{late} is overdue (deadline 11/23 14:30): please act now"]
    assert messages.found("due", "en") == [
        f"{late} is overdue (deadline 11/23 14:30): please act now",
        f"{late} is due soon (deadline 11/23 14:30)",
    ]
    assert messages.found("approved extension", "en") == [f"{extended}: Approve extension — 同意延期一天"]
    assert messages.found("同意", "en") == [f"{extended}: Approve extension — 同意延期一天"]  # the note as written
    assert messages.found(late, "en") == [
        f"{late} is overdue (deadline 11/23 14:30): please act now",
        f"{late} is due soon (deadline 11/23 14:30)",
        f"{late}: Dispatch",
    ]
    assert messages.found("派遣", "en") == []  # the Chinese name is not what an English reader sees


def test_a_deadline_alert_is_found_by_its_date_as_shown(messages: Messages, clock) -> None:
    late = messages.late.number
    overdue, soon = f"{late} 已超期（期限 11月23日 14:30），请尽快办理", f"{late} 即将到期（期限 11月23日 14:30）"
    assert messages.found("11月23日") == [overdue, soon]
    assert messages.found("11月23日 14:30") == [overdue, soon]
    assert messages.found("超期 2026年11月23日") == [overdue]
    assert messages.found("11月24日") == []
    english = [
        f"{late} is overdue (deadline 11/23 14:30): please act now",
        f"{late} is due soon (deadline 11/23 14:30)",
    ]
    assert messages.found("11/23 14:30", "en") == english
    assert messages.found("Nov. 23", "en") == english
    # an alert written before the dates were written so (stored as 11-23 14:30) reads and is found the same way
    Notification.objects.filter(alert__isnull=False).update(message=f"{late} 已超期（期限 11-23 14:30），请尽快办理")
    assert messages.found("11月23日 14:30") == [overdue, soon]
    # the next year, the deadline is read and found with its year
    clock.move_to(at(2027, 1, 5, 9))
    assert messages.found("2026年11月23日 14:30") == [
        f"{late} 已超期（期限 2026年11月23日 14:30），请尽快办理",
        f"{late} 即将到期（期限 2026年11月23日 14:30）",
    ]
    assert messages.found("overdue Nov. 23, 2026", "en") == [
        f"{late} is overdue (deadline Nov. 23, 2026 14:30): please act now"
    ]


def test_a_message_stored_before_kinds_is_found_by_its_stored_text(messages: Messages) -> None:
    Notification.objects.filter(user=messages.world.handler_a, action__action=Action.APPROVE_EXTENSION).update(
        kind="", params={}, message="旧消息：请尽快补充材料"
    )
    assert messages.found("补充材料") == ["旧消息：请尽快补充材料"]
    assert messages.found("补充材料", "en") == ["旧消息：请尽快补充材料"]


def test_the_search_costs_the_same_queries_however_many_messages(
    world: TownWorld, django_assert_max_num_queries
) -> None:
    def dispatch() -> Case:
        case = world.bring_to(Status.DISPATCHED)
        notifications.deliver_due()
        return case

    dispatch()
    client = reader(world.handler_a, "en")
    with django_assert_max_num_queries(20) as baseline:
        client.get("/notifications/?q=dispatched")
    for _ in range(5):
        dispatch()
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert len(CELL.findall(client.get("/notifications/?q=dispatched").text)) == 6
