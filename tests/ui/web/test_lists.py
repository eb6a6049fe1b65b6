"""Lists: triage queue, department inbox, all cases, notifications — filters, search, sort, pages,
Excel export with the same filters, and a constant number of queries."""

from __future__ import annotations

import io
from datetime import datetime

from django.urls import reverse
from openpyxl import load_workbook

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Channel, Status
from gridgov.data.cases.models import Notification
from gridgov.data.org.models import User
from tests.factories import TownWorld, signed_in

INBOX_QUERIES = 9  # the inbox: session, user, memberships, categories, villages, count, page keys, rows, unread badge


def numbers_on(page: str) -> list[str]:
    return [chunk.split('"', 1)[0] for chunk in page.split('<tr data-number="')[1:]]


def test_triage_queue_holds_the_command_rooms_work(world: TownWorld) -> None:
    reported = world.report()
    registered = world.bring_to(Status.REGISTERED)
    resolved = world.bring_to(Status.RESOLVED)
    handling = world.bring_to(Status.HANDLING)
    extension = world.bring_to(Status.HANDLING)
    apply_action(
        case_id=extension.pk, actor=world.handler_a, action=Action.REQUEST_EXTENSION, note="缺材料", extension=1
    )
    world.bring_to(Status.CLOSED)
    page = signed_in(world.operator).get("/triage/?sort=number").text
    assert numbers_on(page) == [reported.number, registered.number, resolved.number, extension.number]
    assert handling.number not in page
    assert "延期待批" in page


def test_inbox_holds_the_departments_dispatched_and_handling_cases(world: TownWorld) -> None:
    dispatched = world.bring_to(Status.DISPATCHED)
    handling = world.bring_to(Status.HANDLING)
    world.bring_to(Status.RESOLVED)
    other = world.bring_to(Status.DISPATCHED, department=world.dept_b)
    page = signed_in(world.handler_a).get("/inbox/?sort=number").text
    assert numbers_on(page) == [dispatched.number, handling.number]
    assert numbers_on(signed_in(world.handler_b).get("/inbox/").text) == [other.number]


def test_the_inbox_is_the_units_own_for_a_department_and_a_village_committee_alike(world: TownWorld) -> None:
    for user in (world.handler_a, world.village_staff_a):
        page = signed_in(user).get("/inbox/").text
        assert ("<title>本单位待办", "部门待办" in page) == (page[page.index("<title>") :][:12], False)


def test_filters_search_and_sort(world: TownWorld) -> None:
    a = world.report()
    b = world.report(area=world.grid_b, reporter=world.grid_worker_b, category=world.category_days)
    c = world.report(channel=Channel.HOTLINE, reporter=world.operator)
    client = signed_in(world.operator)
    assert numbers_on(client.get(f"/cases/?village={world.village_b.pk}").text) == [b.number]
    assert numbers_on(client.get(f"/cases/?category={world.category_days.pk}").text) == [b.number]
    assert numbers_on(client.get(f"/cases/?category={world.category_days.parent_id}").text) == [b.number]
    assert numbers_on(client.get("/cases/?channel=hotline").text) == [c.number]
    assert numbers_on(client.get(f"/cases/?q={b.number}").text) == [b.number]
    assert numbers_on(client.get("/cases/?sort=number").text) == [a.number, b.number, c.number]
    assert numbers_on(client.get("/cases/?sort=-number").text) == [c.number, b.number, a.number]
    assert numbers_on(client.get("/cases/?status=reported&status=closed&sort=number").text) == [
        a.number,
        b.number,
        c.number,
    ]
    # Bad filter values are ignored, never an error page.
    bad = client.get("/cases/?village=abc&lamp=purple&sort=drop")
    assert bad.status_code == 200
    assert "选择一个有效的选项" in bad.text


def test_search_by_text(world: TownWorld) -> None:
    from gridgov.data.cases.domain.engine import report_case

    lamp = report_case(
        town=world.town,
        reporter=world.grid_worker_a,
        channel=Channel.GRID_WORKER,
        category=world.category_days,
        description="村口路灯不亮",
        area=world.grid_a,
    )
    world.report()
    assert numbers_on(signed_in(world.operator).get("/cases/?q=路灯").text) == [lamp.number]


def test_pagination_keeps_the_filters(world: TownWorld) -> None:
    for _ in range(27):
        world.report()
    client = signed_in(world.operator)
    first = client.get("/cases/?sort=number")
    assert len(numbers_on(first.text)) == 25
    assert "第 1 / 2 页" in first.text
    assert 'href="?sort=number&amp;page=2"' in first.text
    second = client.get("/cases/?sort=number&page=2")
    assert len(numbers_on(second.text)) == 2


def test_htmx_filter_returns_only_the_results(world: TownWorld) -> None:
    world.report()
    response = signed_in(world.operator).get("/cases/?q=垃圾", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text


def test_export_has_the_same_rows_as_the_list(world: TownWorld) -> None:
    world.report()
    b = world.report(area=world.grid_b, reporter=world.grid_worker_b)
    closed = world.bring_to(Status.CLOSED)
    client = signed_in(world.operator)
    page = client.get(f"/cases/?village={world.village_a.pk}&sort=number").text
    assert f'href="/cases/?village={world.village_a.pk}&amp;sort=number&amp;format=xlsx"' in page
    response = client.get(f"/cases/?village={world.village_a.pk}&sort=number&format=xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''cases-")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("编号", "状态", "期限灯", "剩余/超期", "大类")
    assert [r[0] for r in rows[1:]] == numbers_on(page)
    assert b.number not in [r[0] for r in rows]
    closed_row = next(r for r in rows if r[0] == closed.number)
    assert closed_row[1] == "已结案"
    assert closed_row[14] == datetime(2026, 11, 23, 9, 0)  # 上报时间 as a real date cell, local time
    assert closed_row[16] == datetime(2026, 11, 23, 9, 5)  # 结案时间


def test_export_is_scoped(world: TownWorld) -> None:
    mine = world.report()
    world.report(area=world.grid_b, reporter=world.grid_worker_b)
    response = signed_in(world.grid_worker_a).get("/cases/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [mine.number]


def test_list_queries_do_not_grow_with_rows(world: TownWorld, django_assert_max_num_queries) -> None:
    world.bring_to(Status.DISPATCHED)
    world.report()
    for url, user in (("/triage/", world.operator), ("/inbox/", world.handler_a), ("/cases/", world.operator)):
        client = signed_in(user)
        with django_assert_max_num_queries(15) as baseline:
            assert client.get(url).status_code == 200
        counts = len(baseline.captured_queries)
        for _ in range(4):
            world.bring_to(Status.DISPATCHED)
            world.report()
        with django_assert_max_num_queries(counts):
            client.get(url)
        with django_assert_max_num_queries(counts):
            client.get(url + "?format=xlsx")


def test_notifications_page_marks_read_searches_and_exports(
    world: TownWorld, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = world.bring_to(Status.DISPATCHED)
        second = world.bring_to(Status.DISPATCHED)
    client = signed_in(world.handler_a)
    with django_assert_max_num_queries(10):
        page = client.get("/notifications/").text
    assert f"{second.number}：派遣" in page
    assert f"{first.number}：派遣" in page
    assert '<span class="badge" aria-label="2 条未读">2</span>' in page
    searched = client.get(f"/notifications/?q={first.number}").text
    assert second.number not in searched.split("<tbody>")[1]
    one = Notification.objects.get(user=world.handler_a, case=first)
    client.post(reverse("web:notifications_read"), {"id": one.pk, "next": "/notifications/"})
    unread = client.get("/notifications/?unread=1").text
    assert first.number not in unread.split("<tbody>")[1]
    assert second.number in unread.split("<tbody>")[1]
    export = client.get("/notifications/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [(r[1], r[3]) for r in rows[1:]] == [(second.number, "未读"), (first.number, "已读")]
    client.post(reverse("web:notifications_read"))
    assert Notification.objects.filter(user=world.handler_a, read_at__isnull=True).count() == 0
    # Another user's message cannot be marked through an id.
    other = Notification.objects.create(
        town=world.town, user=world.handler_b, case=first, action=one.action, message="x"
    )
    client.post(reverse("web:notifications_read"), {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None


def test_pending_extension_filter(world: TownWorld) -> None:
    asking = world.bring_to(Status.HANDLING)
    world.bring_to(Status.HANDLING)
    apply_action(case_id=asking.pk, actor=world.handler_a, action=Action.REQUEST_EXTENSION, note="缺材料", extension=1)
    assert numbers_on(signed_in(world.leader).get("/cases/?extension=on").text) == [asking.number]
    assert "<strong>1</strong>延期待批</a>" in signed_in(world.leader).get("/").text


def test_the_village_filter_offers_a_village_worker_their_own_village_and_the_command_room_every_village(
    world: TownWorld,
) -> None:
    def offered(user: User) -> list[str]:
        page = signed_in(user).get("/cases/").text
        select = page[page.index('name="village"') :]
        select = select[: select.index("</select>")]
        return [name for name in ("双合村", "火箭村") if f">{name}</option>" in select]

    assert offered(world.village_staff_a) == ["双合村"]
    assert offered(world.grid_worker_b) == ["火箭村"]
    assert offered(world.operator) == ["双合村", "火箭村"]
    assert offered(world.handler_a) == ["双合村", "火箭村"]


def test_the_inbox_costs_the_same_queries_for_one_case_or_five(world: TownWorld, django_assert_num_queries) -> None:
    """A department's and a village committee's inbox: the same exact query count with one case and with five, a
    dispatched and a handling one among them (the list reads each status's part through its index, then one
    page of rows with what the rows show)."""
    units = ((world.handler_a, world.dept_a), (world.village_staff_a, world.committee_a))
    for _user, unit in units:
        world.bring_to(Status.HANDLING, department=unit)
    clients = [signed_in(user) for user, _unit in units]
    shown = []
    for client in clients:
        client.get("/inbox/")  # warms the per-process caches (calendar, categories)
        with django_assert_num_queries(INBOX_QUERIES):
            shown.append(len(numbers_on(client.get("/inbox/").text)))
    for _ in range(4):
        for _user, unit in units:
            world.bring_to(Status.DISPATCHED, department=unit)
    for client in clients:
        with django_assert_num_queries(INBOX_QUERIES):
            shown.append(len(numbers_on(client.get("/inbox/").text)))
    assert shown == [1, 1, 5, 5]
