"""A notification is written in its reader's language when it is read: its row keeps what it says (a kind and
its parameters) and the 消息 page, its Excel export and the API's list write the sentence in the reader's
language; a notification stored before kinds shows its stored text in every language."""

from __future__ import annotations

import io
import re

from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from gridgov.data.cases.domain import notifications
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case, Notification
from gridgov.data.notify.domain.alerts import raise_deadline_alerts
from gridgov.data.org.models import User
from tests.factories import TownWorld, at
from tests.ui.api.conftest import ApiClient

CELL = re.compile(r'<tr(?: class="unread")?>\s*<td>[^<]*</td>\s*<td><a [^>]*>[^<]*</a></td>\s*<td>(?:<strong>)?([^<]*)')


def reader(user: User, language: str) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def lines_on_page(user: User, language: str) -> list[str]:
    return CELL.findall(reader(user, language).get("/notifications/").text)


def dispatched(world: TownWorld) -> Case:
    case = world.bring_to(Status.DISPATCHED)
    notifications.deliver_due()
    return case


def test_the_same_notification_reads_in_chinese_and_in_english(world: TownWorld) -> None:
    case = dispatched(world)
    assert lines_on_page(world.handler_a, "") == [f"{case.number}：派遣"]
    assert lines_on_page(world.handler_a, "en") == [f"{case.number}: Dispatch"]
    assert lines_on_page(world.handler_a, "zh-hans") == [f"{case.number}：派遣"]
    # the row keeps what it says, and the sentence in the town's language (search, the admin)
    row = Notification.objects.get(user=world.handler_a)
    assert (row.kind, row.params, row.message) == (
        "action",
        {"number": case.number, "action": "dispatch", "note": ""},
        f"{case.number}：派遣",
    )


def test_a_note_stays_as_its_author_wrote_it(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.REQUEST_EXTENSION, note="缺材料", extension=1)
    notifications.deliver_due()
    assert lines_on_page(world.operator, "")[0] == f"{case.number}：申请延期 — 缺材料"
    assert lines_on_page(world.operator, "en")[0] == f"{case.number}: Request extension — 缺材料"


def test_deadline_alerts_read_in_each_readers_language(world: TownWorld) -> None:
    case = world.report(now=at(2026, 11, 23, 8, 50))
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=at(2026, 11, 23, 8, 55))
    apply_action(
        case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a, now=at(2026, 11, 23, 9)
    )
    raise_deadline_alerts(now=at(2026, 11, 23, 12, 0))
    raise_deadline_alerts(now=at(2026, 11, 23, 14, 31))
    alerts = Notification.objects.filter(user=world.handler_a, alert__isnull=False).order_by("id")
    assert [n.message for n in alerts] == [  # stored with the year, for the search
        f"{case.number} 即将到期（期限 2026年11月23日 14:30）",
        f"{case.number} 已超期（期限 2026年11月23日 14:30），请尽快办理",
    ]
    assert lines_on_page(world.handler_a, "")[:2] == [
        f"{case.number} 已超期（期限 11月23日 14:30），请尽快办理",
        f"{case.number} 即将到期（期限 11月23日 14:30）",
    ]
    with translation.override("en"):
        assert [notifications.notification_text(n) for n in alerts] == [
            f"{case.number} is due soon (deadline 11/23 14:30)",
            f"{case.number} is overdue (deadline 11/23 14:30): please act now",
        ]
    assert lines_on_page(world.handler_a, "en")[:2] == [
        f"{case.number} is overdue (deadline 11/23 14:30): please act now",
        f"{case.number} is due soon (deadline 11/23 14:30)",
    ]


def test_the_export_and_the_api_write_the_readers_language(world: TownWorld) -> None:
    case = dispatched(world)
    english = reader(world.handler_a, "en").get("/notifications/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(english.content)).active.iter_rows(values_only=True))
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [(case.number, f"{case.number}: Dispatch", "Unread")]
    api = ApiClient(world.handler_a)
    assert [r["message"] for r in api.get("/api/notifications").json()] == [f"{case.number}：派遣"]
    api.client.cookies["django_language"] = "en"
    assert [r["message"] for r in api.get("/api/notifications").json()] == [f"{case.number}: Dispatch"]


def test_a_notification_stored_before_kinds_shows_its_stored_text(world: TownWorld) -> None:
    case = dispatched(world)
    Notification.objects.filter(user=world.handler_a).update(kind="", params={}, message="旧消息：请尽快签收")
    assert lines_on_page(world.handler_a, "") == ["旧消息：请尽快签收"]
    assert lines_on_page(world.handler_a, "en") == ["旧消息：请尽快签收"]
    # parameters another version wrote and this one cannot read: the stored text too
    Notification.objects.filter(user=world.handler_a).update(kind="action", params={"number": case.number})
    assert lines_on_page(world.handler_a, "en") == ["旧消息：请尽快签收"]


def test_the_stored_text_is_the_towns_whatever_language_the_worker_runs_in(world: TownWorld) -> None:
    case = world.bring_to(Status.DISPATCHED)
    with translation.override("en"):  # an immediate task backend delivers inside an English request
        notifications.deliver_due()
    assert list(Notification.objects.filter(user=world.handler_a).values_list("message", flat=True)) == [
        f"{case.number}：派遣"
    ]


def test_the_page_costs_the_same_queries_in_english_however_many_lines(
    world: TownWorld, django_assert_max_num_queries
) -> None:
    dispatched(world)
    client = reader(world.handler_a, "en")
    with django_assert_max_num_queries(15) as baseline:
        client.get("/notifications/")
    for _ in range(4):
        dispatched(world)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert len(CELL.findall(client.get("/notifications/").text)) == 5
