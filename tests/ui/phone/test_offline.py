"""The phone as an offline app: manifest, service worker, the offline data set (scoped), and the outbox's
sends through the phone's own form views — once per Idempotency-Key, conflicts answered, refusals explained."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from gridgov.data.access.models import IdempotencyRecord
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.org.models import Area
from tests.factories import MONDAY_0900, WORLD_NOW, TownWorld, signed_in
from tests.ui.frontend import needs_frontend_build
from tests.ui.phone.conftest import IN_GRID_B, jpeg_file


def test_manifest_makes_the_phone_pages_an_installable_app(world: TownWorld) -> None:
    response = Client().get("/m/manifest.webmanifest")
    assert (response.status_code, response["Content-Type"]) == (200, "application/manifest+json")
    data = json.loads(response.content)
    picked = {k: data[k] for k in ("name", "short_name", "start_url", "scope", "display", "theme_color")}
    assert picked == {
        "name": "基层智治",
        "short_name": "网格通",
        "start_url": "/m/",
        "scope": "/m/",
        "display": "standalone",
        "theme_color": "#b91c1c",
    }
    assert [(i["src"], i["sizes"], i["purpose"]) for i in data["icons"]] == [
        ("/static/phone/icon-192.png", "192x192", "any"),
        ("/static/phone/icon-512.png", "512x512", "any"),
        ("/static/phone/icon-maskable-512.png", "512x512", "maskable"),
    ]


@needs_frontend_build
def test_service_worker_is_served_from_the_root_for_the_phone_scope_only(world: TownWorld) -> None:
    response = Client().get("/sw.js")
    body = response.content
    headers = (
        response.status_code,
        response["Content-Type"],
        response["Service-Worker-Allowed"],
        response["Cache-Control"],
    )
    assert headers == (200, "text/javascript; charset=utf-8", "/m/", "no-cache")
    assert b"gridgov-phone-" in body
    assert b"gridgov-outbox" in body


def test_phone_pages_register_the_offline_code_and_public_pages_do_not(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    for url in ("/m/", "/m/report/", "/m/verify/", "/m/mine/", "/m/outbox/"):
        text = client.get(url).text
        assert ('id="offline-script"' in text, 'rel="manifest"' in text, 'id="offline-strings-bar"' in text) == (
            True,
            True,
            True,
        ), url
    public = Client().get(f"/m/public/report/?town={world.town.pk}").text
    assert ('id="offline-script"' in public, 'rel="manifest"' in public) == (False, False)
    desk_user = signed_in(world.handler_a).get("/m/")  # not a grid worker: no offline app for them
    assert (desk_user.status_code, 'id="offline-script"' in desk_user.text) == (403, False)


def test_the_content_security_policy_allows_our_own_worker_and_manifest(world: TownWorld) -> None:
    policy = signed_in(world.grid_worker_a).get("/m/")["Content-Security-Policy"]
    parts = dict(p.strip().split(" ", 1) for p in policy.split(";") if p.strip())
    assert (parts["worker-src"], parts["manifest-src"]) == ("'self'", "'self'")


def test_offline_data_holds_the_workers_categories_grids_and_tasks_in_scope(bounded: TownWorld) -> None:
    world = bounded
    mine = world.bring_to(Status.RESOLVED)  # grid A: grid worker A verifies it
    other = world.bring_to(Status.RESOLVED, reporter=world.grid_worker_b)
    Case.objects.filter(pk=other.pk).update(area=world.grid_b, area_path=world.grid_b.path)
    response = signed_in(world.grid_worker_a).get(reverse("phone:offline_data"))
    assert (response.status_code, response["Cache-Control"]) == (200, "private, no-store")
    data = response.json()
    assert (data["user"], data["town"]["id"], data["fetched_label"]) == (
        world.grid_worker_a.pk,
        world.town.pk,
        f"数据更新于 {WORLD_NOW.month}月{WORLD_NOW.day}日 {WORLD_NOW:%H:%M}",  # the world's clock, Beijing time
    )
    assert [t["number"] for t in data["tasks"]["verify"]] == [mine.number]
    assert data["tasks"]["verify"][0]["version"] == mine.version
    assert [t["number"] for t in data["tasks"]["mine"]] == [mine.number]
    areas = {a["id"]: (a["level"], a["mine"], a["report"]) for a in data["areas"]}
    assert areas == {  # a grid worker reports only in their own grid
        world.village_a.pk: ("village", False, False),
        world.grid_a.pk: ("grid", True, True),
        world.village_b.pk: ("village", False, False),
        world.grid_b.pk: ("grid", False, False),
    }
    village = signed_in(world.village_staff_a).get(reverse("phone:offline_data")).json()
    assert [a["report"] for a in village["areas"]] == [True, True, True, True]  # a village cadre anywhere
    entry = next(c for c in data["categories"] if c["id"] == world.category.pk)
    assert (entry["label"], "bllj" in entry["initials"]) == ("市容环卫 / 暴露垃圾", True)
    assert data["strings"]["located"] == "离线定位：%s（联网后服务器将复核）"
    assert "reporter" not in json.dumps(data)
    assert "phone" not in json.dumps(data)

    data_b = signed_in(world.grid_worker_b).get(reverse("phone:offline_data")).json()
    assert ([t["number"] for t in data_b["tasks"]["verify"]], [t["number"] for t in data_b["tasks"]["mine"]]) == (
        [other.number],
        [other.number],
    )


def test_offline_data_is_only_for_signed_in_field_users(world: TownWorld) -> None:
    url = reverse("phone:offline_data")
    assert Client().get(url).status_code == 302  # to sign in
    assert signed_in(world.handler_a).get(url).status_code == 403


def test_session_gives_the_outbox_its_user_and_csrf_token(world: TownWorld) -> None:
    data = signed_in(world.grid_worker_a).get(reverse("phone:offline_session")).json()
    assert (data["user"], len(data["csrf"]) > 20) == (world.grid_worker_a.pk, True)


def _report_fields(world: TownWorld, **extra: object) -> dict[str, object]:
    return {"category": world.category.pk, "description": "离线上报：码头边垃圾堆放", "address": "", **extra}


# Without photos a report is written by the prepared path (on PostgreSQL its number drawn by the database in the
# batch that writes it); with photos, by the ORM inside Django's transaction. Neither stores its answer: a resend
# rebuilds it from the case as its report left it, however the case has moved on meanwhile.
@pytest.mark.parametrize("with_photo", [True, False], ids=["photo", "no-photo"])
def test_an_outbox_report_sent_twice_creates_one_case_and_answers_the_same(
    bounded: TownWorld, with_photo: bool
) -> None:
    world = bounded
    client = signed_in(world.grid_worker_b)
    url = reverse("phone:report")
    headers = {"Idempotency-Key": "phone-outbox-1", "Accept": "application/json"}
    lat, lng = IN_GRID_B

    def send() -> tuple[int, bytes, str]:
        photos = {"photos": jpeg_file()} if with_photo else {}
        fields = _report_fields(world, latitude=lat, longitude=lng, **photos)
        response = client.post(url, fields, headers=headers)
        return response.status_code, response.content, response["Idempotent-Replayed"]

    first = send()
    case = Case.objects.get()
    assert list(IdempotencyRecord.objects.values_list("case_id", "response_body")) == [(case.pk, None)]
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_b)
    second = send()
    assert (first[0], json.loads(first[1]), first[2]) == (
        201,
        {
            "ok": True,
            "number": case.number,
            "status": "reported",
            "status_label": "待受理",
            "url": f"/m/cases/{case.pk}/",
            "message": f"上报成功，事件编号 {case.number}",
        },
        "false",
    )
    assert second == (200, first[1], "true")
    assert (Case.objects.count(), case.grid_id, case.attachments.count()) == (1, world.grid_b.pk, int(with_photo))
    assert Case.objects.values_list("status", flat=True).get() == Status.DISPATCHED


def test_an_outbox_report_from_another_grid_is_refused_with_the_reason_and_writes_nothing(bounded: TownWorld) -> None:
    world = bounded
    client = signed_in(world.grid_worker_a)
    lat, lng = IN_GRID_B
    fields = _report_fields(world, latitude=lat, longitude=lng)
    refused = client.post(reverse("phone:report"), fields, headers={"Idempotency-Key": "phone-outbox-3"})
    assert (refused.status_code, refused.json()["ok"], refused.json()["error"]) == (
        422,
        False,
        "网格员只能在自己负责的网格内上报事件：区域“火箭村第1网格”不在您的网格内",
    )
    assert (Case.objects.count(), IdempotencyRecord.objects.count()) == (0, 0)


def test_an_outbox_key_reused_for_another_report_is_refused_with_a_reason(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    headers = {"Idempotency-Key": "phone-outbox-2"}
    assert client.post(reverse("phone:report"), _report_fields(world), headers=headers).status_code == 201
    again = client.post(reverse("phone:report"), _report_fields(world, description="另一件事"), headers=headers)
    assert (again.status_code, again.json()["ok"], "已用于另一个不同内容的请求" in again.json()["error"]) == (
        422,
        False,
        True,
    )
    assert Case.objects.count() == 1


def test_an_invalid_outbox_report_is_refused_with_the_forms_reason(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    response = client.post(
        reverse("phone:report"), {"description": "没有分类"}, headers={"Idempotency-Key": "phone-outbox-3"}
    )
    assert (response.status_code, response.json()["error"], response.json()["fields"]) == (
        422,
        "请选择事件分类",
        {"category": ["请选择事件分类"]},
    )
    assert (Case.objects.count(), IdempotencyRecord.objects.count()) == (0, 0)


def test_a_self_resolution_from_the_outbox_closes_once(world: TownWorld) -> None:
    """Resolved on the spot, the first answer says closed; it is stored (nothing on the case tells that resolution
    for certain from a later 自行处置), so a resend after the case was reopened still gets it."""
    client = signed_in(world.grid_worker_a)
    fields = _report_fields(world, resolve_on_spot="on", resolution_note="已当场清理")
    headers = {"Idempotency-Key": "phone-outbox-4"}
    first = client.post(reverse("phone:report"), {**fields, "after_photos": jpeg_file()}, headers=headers)
    case = Case.objects.get()
    assert (case.status, first.json()["status"]) == (Status.CLOSED, "closed")
    assert first.json()["message"] == f"已上报并自行处置，事件编号 {case.number}"
    assert list(IdempotencyRecord.objects.values_list("response_body", flat=True)) == [first.json()]
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REOPEN, note="现场又有垃圾")
    second = client.post(reverse("phone:report"), {**fields, "after_photos": jpeg_file()}, headers=headers)
    assert (first.status_code, second.status_code, second["Idempotent-Replayed"]) == (201, 200, "true")
    assert second.json() == first.json()  # equal, not to the byte: PostgreSQL's jsonb keeps its own key order
    assert (Case.objects.count(), Case.objects.values_list("status", flat=True).get()) == (1, Status.HANDLING)


def test_an_outbox_verification_is_taken_once_and_replayed(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    client = signed_in(world.grid_worker_a)
    url = reverse("phone:verify", args=[case.pk])
    fields = {"decision": "pass", "note": "离线核查：已清理", "expected_version": case.version}
    first = client.post(url, fields, headers={"Idempotency-Key": "verify-1"})
    second = client.post(url, fields, headers={"Idempotency-Key": "verify-1"})
    assert (first.status_code, second.status_code, second.json()) == (201, 200, first.json())
    assert first.json()["message"] == f"事件 {case.number} 核查通过，已结案"
    assert CaseAction.objects.filter(case=case, action=Action.VERIFY_PASS).count() == 1


def test_an_outbox_verification_of_a_case_changed_meanwhile_gets_the_conflict(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    seen_version = case.version
    apply_action(  # while the worker was offline, the command room wrote on the case
        case_id=case.pk,
        actor=world.operator,
        action=Action.COMMENT,
        note="现场仍有垃圾",
        now=MONDAY_0900,
    )
    response = signed_in(world.grid_worker_a).post(
        reverse("phone:verify", args=[case.pk]),
        {"decision": "pass", "note": "离线核查", "expected_version": seen_version},
        headers={"Idempotency-Key": "verify-2"},
    )
    case.refresh_from_db()
    answer = response.json()
    assert (response.status_code, answer["ok"], answer["conflict"], answer["number"]) == (409, False, True, case.number)
    assert (answer["status_label"], case.status, bool(answer["error"])) == ("待核查", Status.RESOLVED, True)
    assert answer["happened"][0] == "备注 · 王芳 · 2026年11月23日 09:00 · 现场仍有垃圾"
    assert len(answer["happened"]) == 3  # the latest steps, newest first: what became of the case
    assert CaseAction.objects.filter(case=case, action=Action.VERIFY_PASS).count() == 0


def test_a_progress_note_from_the_outbox_and_from_the_page(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)
    client = signed_in(world.grid_worker_a)
    url = reverse("phone:note", args=[case.pk])
    headers = {"Idempotency-Key": "note-1"}
    first = client.post(url, {"note": "已联系责任人"}, headers=headers)
    second = client.post(url, {"note": "已联系责任人"}, headers=headers)
    assert (first.status_code, second.status_code, second.json()["message"]) == (201, 200, "已添加进展备注")
    page = client.post(url, {"note": "明早清理"})
    assert (page.status_code, page["Location"]) == (302, f"/m/cases/{case.pk}/")
    notes = list(CaseAction.objects.filter(case=case, action=Action.COMMENT).values_list("note", flat=True))
    assert notes == ["已联系责任人", "明早清理"]


def test_an_outbox_action_on_a_case_out_of_scope_is_refused(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    Case.objects.filter(pk=case.pk).update(area=world.grid_b, area_path=world.grid_b.path, reporter=world.grid_worker_b)
    response = signed_in(world.grid_worker_a).post(
        reverse("phone:note", args=[case.pk]), {"note": "看不到的事件"}, headers={"Idempotency-Key": "note-2"}
    )
    assert (response.status_code, response.json()["ok"]) == (404, False)


def test_the_locate_partial_shows_the_gps_accuracy(bounded: TownWorld) -> None:
    lat, lng = IN_GRID_B
    url = f"{reverse('phone:locate')}?town={bounded.town.pk}&latitude={lat}&longitude={lng}&accuracy=18"
    text = signed_in(bounded.grid_worker_a).get(url).text
    assert ("（定位精度约 18 米）" in text, Area.objects.get(pk=bounded.grid_b.pk).name in text) == (True, True)


def test_an_outbox_report_from_an_account_without_a_field_role_is_refused_in_json(world: TownWorld) -> None:
    response = signed_in(world.handler_a).post(
        reverse("phone:report"), _report_fields(world), headers={"Idempotency-Key": "phone-outbox-5"}
    )
    assert (response.status_code, response.json()["error"]) == (403, "此账号没有网格员或村干部身份，不能上报")
    assert Case.objects.count() == 0


def test_the_pages_kept_for_offline_use_carry_no_reporters_personal_data(world: TownWorld) -> None:
    """The service worker keeps the phone pages and the open tasks' case pages: none shows a reporter's name or
    number, masked or not (the phone pages never show them)."""
    case = world.bring_to(Status.RESOLVED)
    Case.objects.filter(pk=case.pk).update(reporter_name="李秀英", reporter_phone="13812345678")
    client = signed_in(world.grid_worker_a)
    data = client.get(reverse("phone:offline_data")).json()
    kept = [task["url"] for task in data["tasks"]["verify"] + data["tasks"]["mine"]]
    assert kept == [f"/m/cases/{case.pk}/", f"/m/cases/{case.pk}/"]
    for url in [*set(kept), "/m/", "/m/report/", "/m/verify/", "/m/mine/", "/m/outbox/"]:
        text = client.get(url).text
        assert ("李秀英" in text, "13812345678" in text, "138****5678" in text) == (False, False, False), url
