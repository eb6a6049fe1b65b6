"""The grid worker's task pages: home, my reports, verification (核查) with pass/fail and conflicts, photos."""

from __future__ import annotations

import re

from django.urls import reverse

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case
from tests.factories import MONDAY_0900, TownWorld, signed_in
from tests.ui.phone.conftest import jpeg_file

VERSION = re.compile(r'name="expected_version" value="(\d+)"')


def test_home_shows_tasks_and_my_reports_with_big_buttons(world: TownWorld) -> None:
    waiting = world.bring_to(Status.RESOLVED)  # reported by grid worker A in grid A
    mine_open = world.report()
    elsewhere = world.bring_to(Status.RESOLVED, reporter=world.grid_worker_b)
    Case.objects.filter(pk=elsewhere.pk).update(area=world.grid_b, area_path=world.grid_b.path)
    page = signed_in(world.grid_worker_a).get("/m/")
    assert page.status_code == 200
    text = page.text
    for label in ("上报事件", "待核查", "我的上报"):
        assert f">{label}" in text
    assert '<b class="count" id="verify-count">1</b>' in text
    to_verify = text[text.index('id="to-verify"') : text.index("我最近的上报")]
    assert (waiting.number in to_verify, elsewhere.number in to_verify) == (True, False)
    mine = text[text.index('id="my-reports"') :]
    assert (mine_open.number in mine, waiting.number in mine) == (True, True)
    assert 'class="lamp lamp-green"' in mine or 'class="lamp lamp-red"' in mine


def test_home_and_lists_use_a_constant_number_of_queries(world: TownWorld, django_assert_max_num_queries) -> None:
    world.bring_to(Status.RESOLVED)
    world.report()
    client = signed_in(world.grid_worker_a)
    counts = {}
    for url in ("/m/", "/m/verify/", "/m/mine/"):
        with django_assert_max_num_queries(12) as baseline:
            assert client.get(url).status_code == 200
        counts[url] = len(baseline.captured_queries)
    for _ in range(4):
        world.bring_to(Status.RESOLVED)
        world.report()
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            client.get(url)


def test_my_reports_filter_by_status(world: TownWorld) -> None:
    closed = world.bring_to(Status.CLOSED)
    fresh = world.report()
    page = signed_in(world.grid_worker_a).get("/m/mine/", {"status": "closed"}).text
    assert (closed.number in page, fresh.number in page) == (True, False)


def test_my_reports_page_on_by_keyset(world: TownWorld) -> None:
    from datetime import timedelta

    from gridgov.ui.phone.views import LIST_ROWS

    # Ties on the report time (ordered by id) across the page boundary.
    moments = [MONDAY_0900 + timedelta(minutes=n // 3) for n in range(LIST_ROWS + 2)]
    made = [world.report(now=moment) for moment in moments]
    newest_first = [c.number for c in sorted(made, key=lambda c: (c.reported_at, c.pk), reverse=True)]
    client = signed_in(world.grid_worker_a)
    pages: list[list[str]] = []
    url = "/m/mine/"
    while url:
        text = client.get(url).text
        mine = text[text.index('id="my-reports"') :]
        pages.append(re.findall(r"DX\d{4}-\d{6}", mine[: mine.index("</ul>")]))
        found = re.search(r'id="older" href="([^"]+)"', text)
        url = "/m/mine/" + found.group(1).replace("&amp;", "&") if found else ""
    assert pages == [newest_first[:LIST_ROWS], newest_first[LIST_ROWS:]]
    assert client.get("/m/mine/", {"after": "nonsense"}).status_code == 200  # a bad keyset: the first page


def verify_page(world: TownWorld, case: Case) -> tuple[str, int]:
    page = signed_in(world.grid_worker_a).get(reverse("phone:case", args=[case.pk]))
    assert page.status_code == 200
    found = VERSION.search(page.text)
    assert found is not None
    return page.text, int(found.group(1))


def test_verify_pass_closes_the_case(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    text, version = verify_page(world, case)
    for label in ("核查通过", "核查不通过", "已清运", "处置后照片"):
        assert label in text
    client = signed_in(world.grid_worker_a)
    url = reverse("phone:verify", args=[case.pk])
    response = client.post(url, {"decision": "pass", "note": "现场已清理干净", "expected_version": version})
    assert (response.status_code, response["Location"]) == (302, "/m/verify/")
    case.refresh_from_db()
    assert (case.status, case.actions.order_by("-seq").first().note) == (Status.CLOSED, "现场已清理干净")
    assert f"事件 {case.number} 核查通过，已结案" in client.get("/m/verify/").text


def test_verify_fail_needs_a_reason_and_sends_the_case_back(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    _text, version = verify_page(world, case)
    client = signed_in(world.grid_worker_a)
    url = reverse("phone:verify", args=[case.pk])
    no_reason = client.post(url, {"decision": "fail", "note": "", "expected_version": version})
    assert no_reason.status_code == 400
    assert '<p class="error" id="note-error">核查不通过时请填写原因</p>' in no_reason.text
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    data = {"decision": "fail", "note": "垃圾仍未清运", "expected_version": version, "photos": [jpeg_file()]}
    failed = client.post(url, data)
    assert failed.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.rework_count) == (Status.HANDLING, 1)
    last = case.actions.order_by("-seq").first()
    assert (last.action, last.note, last.attachments.count()) == (Action.VERIFY_FAIL, "垃圾仍未清运", 1)


def test_a_stale_verification_shows_what_happened(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    _text, version = verify_page(world, case)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.VERIFY_PASS)  # the command room was faster
    response = signed_in(world.grid_worker_a).post(
        reverse("phone:verify", args=[case.pk]), {"decision": "pass", "expected_version": version}
    )
    assert response.status_code == 409
    assert re.search(
        rf'<div class="problem" role="alert" id="conflict">事件 {case.number} 已被 王芳 于 \d\d:\d\d 执行“核查通过”，'
        r"当前状态为“已结案”，请刷新后再操作</div>",
        response.text,
    )
    assert '<span class="status s-closed" id="case-status">已结案</span>' in response.text
    assert 'id="verify-form"' not in response.text  # nothing left to press


def test_pressing_verify_twice_acts_once(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    _text, version = verify_page(world, case)
    client = signed_in(world.grid_worker_a)
    url = reverse("phone:verify", args=[case.pk])
    assert client.post(url, {"decision": "pass", "expected_version": version}).status_code == 302
    again = client.post(url, {"decision": "pass", "expected_version": version})
    assert again.status_code == 409
    assert case.actions.filter(action=Action.VERIFY_PASS).count() == 1


def test_no_verify_form_for_a_case_not_waiting_or_another_grid(world: TownWorld) -> None:
    handling = world.bring_to(Status.HANDLING)
    page = signed_in(world.grid_worker_a).get(reverse("phone:case", args=[handling.pk]))
    assert 'id="verify-form"' not in page.text
    resolved = world.bring_to(Status.RESOLVED)
    assert signed_in(world.grid_worker_b).get(reverse("phone:case", args=[resolved.pk])).status_code == 404
    posted = signed_in(world.grid_worker_b).post(
        reverse("phone:verify", args=[resolved.pk]), {"decision": "pass", "expected_version": 1}
    )
    assert posted.status_code == 404


def test_verification_refused_to_a_role_that_may_not_verify(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    response = signed_in(world.village_staff_a).post(
        reverse("phone:verify", args=[case.pk]), {"decision": "pass", "expected_version": case.version}
    )
    assert response.status_code == 409
    assert "不能执行“核查通过”" in response.text
    case.refresh_from_db()
    assert case.status == Status.RESOLVED


def test_photos_in_three_sizes_within_scope_only(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    photo = case.attachments.get()
    client = signed_in(world.grid_worker_a)
    for size in ("thumb", "display", "original"):
        response = client.get(reverse("phone:photo", args=[case.pk, photo.pk, size]))
        assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert client.get(reverse("phone:photo", args=[case.pk, photo.pk, "huge"])).status_code == 404
    other = signed_in(world.grid_worker_b)
    assert other.get(reverse("phone:photo", args=[case.pk, photo.pk, "thumb"])).status_code == 404
