"""The REST API for cases: list with filters and scope, detail, create (idempotent), actions, attachments."""

from __future__ import annotations

import base64
from datetime import timedelta

from django.test import Client

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Channel, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.enterprises.categories import install_enterprise_categories
from gridgov.data.projects.supervision import install_project_category
from tests.factories import MONDAY_0900, TownWorld, jpeg


def photo_json(kind: str = "before") -> dict[str, str]:
    return {"name": f"{kind}.jpg", "data_base64": base64.b64encode(jpeg()).decode(), "kind": kind}


def new_case_body(**extra: object) -> dict[str, object]:
    body: dict[str, object] = {"category": "1201", "description": "路口垃圾堆积", "address": "双合村村口"}
    body.update(extra)
    return body


def test_requests_without_credentials_get_401_json(world: TownWorld) -> None:
    response = Client().get("/api/cases")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    bad = Client(HTTP_AUTHORIZATION="Bearer ggt_nonsense").get("/api/cases")
    assert (bad.status_code, bad.json()["code"]) == (401, "unauthenticated")


def test_a_401_says_how_to_authenticate(world: TownWorld) -> None:
    """RFC 9110 §11.6.1: a 401 carries WWW-Authenticate; the scheme is the Bearer token of docs/api.md (RFC 6750:
    no credentials — the realm alone; a token refused — error="invalid_token")."""
    anonymous = Client().get("/api/cases")
    assert anonymous["WWW-Authenticate"] == 'Bearer realm="GridGov"'
    posted = Client().post("/api/cases", new_case_body(), content_type="application/json")
    assert (posted.status_code, posted["WWW-Authenticate"]) == (401, 'Bearer realm="GridGov"')
    refused = Client(HTTP_AUTHORIZATION="Bearer ggt_nonsense").get("/api/cases")
    assert refused["WWW-Authenticate"] == (
        'Bearer realm="GridGov", error="invalid_token", error_description="The access token is not valid"'
    )
    other_scheme = Client(HTTP_AUTHORIZATION="Basic b3BlcmF0b3I6eA==").get("/api/me")
    assert (other_scheme.status_code, other_scheme["WWW-Authenticate"]) == (401, 'Bearer realm="GridGov"')
    signed_out = Client()
    signed_out.cookies["sessionid"] = "no-such-session"
    assert signed_out.get("/api/me")["WWW-Authenticate"] == 'Bearer realm="GridGov"'
    signed_in = Client()
    signed_in.force_login(world.operator)
    answered = signed_in.get("/api/me")
    assert (answered.status_code, answered.has_header("WWW-Authenticate")) == (200, False)
    not_found = signed_in.get("/api/cases/999999")
    assert (not_found.status_code, not_found.has_header("WWW-Authenticate")) == (404, False)


def test_session_auth_works_for_the_browser(world: TownWorld) -> None:
    client = Client()
    client.force_login(world.operator)
    response = client.get("/api/me")
    assert response.status_code == 200
    assert response.json()["username"] == "operator"
    assert response.json()["memberships"][0]["role"] == "operator"


def test_list_is_scoped_like_the_web(world: TownWorld, as_user) -> None:
    mine = world.report(reporter=world.grid_worker_a, area=world.grid_a)
    other = world.report(reporter=world.grid_worker_b, area=world.grid_b)
    gw = as_user(world.grid_worker_a).get("/api/cases").json()
    assert [row["number"] for row in gw["results"]] == [mine.number]
    assert gw["count"] == 1
    op = as_user(world.operator).get("/api/cases").json()
    assert {row["number"] for row in op["results"]} == {mine.number, other.number}
    handler = as_user(world.handler_a).get("/api/cases").json()
    assert handler["count"] == 0


def test_list_filters_and_stable_paging(world: TownWorld, as_user) -> None:
    first = world.bring_to(Status.HANDLING, now=MONDAY_0900)
    second = world.report(now=MONDAY_0900 + timedelta(hours=1))
    third = world.report(now=MONDAY_0900 + timedelta(hours=2), area=world.grid_b, reporter=world.grid_worker_b)
    api = as_user(world.operator)
    page1 = api.get("/api/cases", page_size=2).json()
    page2 = api.get("/api/cases", page_size=2, page=2).json()
    assert [r["number"] for r in page1["results"]] == [third.number, second.number]
    assert [r["number"] for r in page2["results"]] == [first.number]
    assert (page1["count"], page1["pages"]) == (3, 2)
    assert [r["number"] for r in api.get("/api/cases", status="handling").json()["results"]] == [first.number]
    assert [r["number"] for r in api.get("/api/cases", village=world.village_b.pk).json()["results"]] == [third.number]
    in_a = api.get("/api/cases", area=world.village_a.pk).json()["results"]
    assert {r["number"] for r in in_a} == {first.number, second.number}
    assert api.get("/api/cases", q=second.number).json()["results"][0]["number"] == second.number
    assert api.get("/api/cases", channel="hotline").json()["count"] == 0
    major = world.category.parent_id
    assert api.get("/api/cases", category=major).json()["count"] == 3
    assert api.get("/api/cases", reported_from="2026-11-24").json()["count"] == 0
    assert api.get("/api/cases", reported_from="2026-11-23", reported_to="2026-11-23").json()["count"] == 3
    # lamps are relative to now: these 2026 cases are long overdue when the suite runs later, or green before
    lamps = {r["lamp"] for r in api.get("/api/cases").json()["results"]}
    assert api.get("/api/cases", lamp=list(lamps)).json()["count"] == 3


def test_list_rejects_bad_filters_with_json(world: TownWorld, as_user) -> None:
    api = as_user(world.operator)
    response = api.get("/api/cases", status="nonsense")
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("invalid_input", "status.0")
    bad_date = api.get("/api/cases", reported_from="2026-13-45")
    assert (bad_date.status_code, bad_date.json()["field"]) == (422, "reported_from")
    backwards = api.get("/api/cases", reported_from="2026-11-24", reported_to="2026-11-01")
    assert (backwards.status_code, backwards.json()["message"]) == (422, "开始日期不能晚于结束日期")
    assert api.get("/api/cases", page=0).status_code == 422


def test_list_query_count_does_not_grow(world: TownWorld, as_user, django_assert_max_num_queries) -> None:
    for _ in range(2):
        world.bring_to(Status.HANDLING)
    api = as_user(world.operator)
    with django_assert_max_num_queries(10) as few:
        api.get("/api/cases")
    for _ in range(5):
        world.bring_to(Status.DISPATCHED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get("/api/cases").json()["count"] == 7


def test_detail_has_timeline_deadline_and_the_reporter_as_the_timeline_names_them(world: TownWorld, as_user) -> None:
    case = world.bring_to(Status.HANDLING)
    detail = as_user(world.handler_a).get(f"/api/cases/{case.pk}").json()
    assert detail["number"] == case.number
    assert [t["action"] for t in detail["timeline"]] == ["report", "register", "dispatch", "sign"]
    assert [t["actor_name"] for t in detail["timeline"][:2]] == ["孙网格", "王芳"]
    assert detail["department"] == {"id": world.dept_a.pk, "name": "综合行政执法中队"}
    # The grid worker reported in office: named in full, as in the timeline (nothing is masked, nothing to reveal).
    assert detail["reporter"] == {"name": "孙网格", "phone": "", "masked": False}
    assert detail["deadline"]["phase"] == "handle"
    assert {a["action"] for a in detail["actions"]} == {"progress", "resolve", "request_extension", "return", "comment"}


def test_detail_names_the_unit_of_a_pending_extension(world: TownWorld, as_user) -> None:
    case = world.bring_to(Status.HANDLING)
    api = as_user(world.handler_a)
    before = api.get(f"/api/cases/{case.pk}").json()
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.REQUEST_EXTENSION, extension=3, note="缺材料")
    after = api.get(f"/api/cases/{case.pk}").json()
    assert [(d["pending_extension_value"], d["pending_extension_unit"]) for d in (before, after)] == [
        (None, None),
        (3, "work_hours"),
    ]


def test_detail_out_of_scope_is_404(world: TownWorld, as_user) -> None:
    case = world.report(area=world.grid_b, reporter=world.grid_worker_b)
    response = as_user(world.grid_worker_a).get(f"/api/cases/{case.pk}")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "事件不存在或您无权查看",
        "message_en": "Not found, or not visible to you.",
        "field": None,
    }
    assert as_user(world.operator).get("/api/cases/999999999").status_code == 404


def test_create_case_with_photo(world: TownWorld, as_user) -> None:
    api = as_user(world.grid_worker_a)
    response = api.post("/api/cases", new_case_body(area_id=world.grid_a.pk, photos=[photo_json()]))
    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get(number=body["number"])
    assert (case.channel, case.status, case.reporter_id, case.grid_id) == (
        Channel.GRID_WORKER,
        Status.REPORTED,
        world.grid_worker_a.pk,
        world.grid_a.pk,
    )
    # the answer is compact: what a client needs to follow the case; the whole case is at links.self
    assert body == {
        "id": case.pk,
        "number": case.number,
        "status": "reported",
        "status_label": "待受理",
        "version": 1,
        "reported_at": body["reported_at"],
        "attachments": 1,
        "links": {
            "self": f"/api/cases/{case.pk}",
            "actions": f"/api/cases/{case.pk}/actions",
            "attachments": f"/api/cases/{case.pk}/attachments",
        },
    }
    assert response["Location"] == f"/api/cases/{case.pk}"
    detail = api.get(body["links"]["self"]).json()
    assert detail["timeline"][0]["attachments"][0]["kind"] == "before"
    url = detail["timeline"][0]["attachments"][0]["url"]
    download = api.client.get(url)
    assert (download.status_code, download["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(download.streaming_content) == jpeg()
    # someone outside the case's scope cannot download the photo
    assert as_user(world.grid_worker_b).client.get(url).status_code == 404


def test_create_is_idempotent_with_the_same_key_and_body(world: TownWorld, as_user) -> None:
    api = as_user(world.grid_worker_a)
    first = api.post("/api/cases", new_case_body(), **{"Idempotency-Key": "abc-1"})
    again = api.post("/api/cases", new_case_body(), **{"Idempotency-Key": "abc-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    other = api.post("/api/cases", new_case_body(description="另一件事"), **{"Idempotency-Key": "abc-1"})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1
    # the key is per user: another user's same key makes their own case
    assert (
        as_user(world.grid_worker_b).post("/api/cases", new_case_body(), **{"Idempotency-Key": "abc-1"}).status_code
        == 201
    )
    assert Case.objects.count() == 2


def test_only_the_command_room_names_another_channel(world: TownWorld, as_user) -> None:
    worker = as_user(world.grid_worker_a)
    hotline = worker.post("/api/cases", new_case_body(channel="hotline"))
    assert (hotline.status_code, hotline.json()["field"], hotline.json()["message"]) == (
        422,
        "channel",
        "只有指挥室可以登记“12345热线”渠道的事件；您上报的事件渠道为“网格员上报”",
    )
    assert Case.objects.count() == 0
    own = worker.post("/api/cases", new_case_body(channel="grid_worker"))
    registered = as_user(world.operator).post("/api/cases", new_case_body(channel="hotline"))
    assert (own.status_code, registered.status_code) == (201, 201)
    assert list(Case.objects.order_by("pk").values_list("channel", flat=True)) == ["grid_worker", "hotline"]


def test_a_report_without_area_or_point_goes_to_the_field_worker_s_own_grid(world: TownWorld, as_user) -> None:
    worker = as_user(world.grid_worker_a).post("/api/cases", new_case_body())
    operator = as_user(world.operator).post("/api/cases", new_case_body())
    areas = [Case.objects.get(pk=answer.json()["id"]).area for answer in (worker, operator)]
    assert areas == [world.grid_a, world.town]


def test_a_ledger_s_own_category_is_refused_for_a_report(world: TownWorld, as_user) -> None:
    install_enterprise_categories(town=world.town)
    install_project_category(town=world.town)
    for code, name in (("YH01", "消防安全"), ("FW02", "融资"), ("2301", "项目节点督办")):
        refused = as_user(world.operator).post("/api/cases", new_case_body(category=code))
        assert (refused.status_code, refused.json()["field"], refused.json()["message"]) == (
            422,
            "category",
            f"“{name}”是台账专用分类，请在相应台账中登记，或选择其他事件分类",
        )
    assert Case.objects.count() == 0


def test_create_failure_writes_nothing_and_says_why(world: TownWorld, as_user) -> None:
    api = as_user(world.grid_worker_a)
    unknown = api.post("/api/cases", new_case_body(category="9999"), **{"Idempotency-Key": "k2"})
    assert (unknown.status_code, unknown.json()["field"]) == (422, "category")
    assert unknown.json()["message"] == "事件分类“9999”不存在或已停用，请选择一个小类"
    bad_photo = api.post("/api/cases", new_case_body(photos=[{"name": "x.jpg", "data_base64": "bm90IGFuIGltYWdl"}]))
    assert (bad_photo.status_code, bad_photo.json()["field"]) == (422, "photos")
    too_long = api.post("/api/cases", new_case_body(description="长" * 2001))
    assert (too_long.status_code, too_long.json()["field"]) == (422, "description")
    open311 = api.post("/api/cases", new_case_body(channel="open311"))
    assert (open311.status_code, open311.json()["field"]) == (422, "channel")
    assert Case.objects.count() == 0
    # a failed attempt does not burn the key
    assert api.post("/api/cases", new_case_body(), **{"Idempotency-Key": "k2"}).status_code == 201


def square(west: float, south: float) -> dict[str, object]:
    ring = [[west, south], [west + 0.01, south], [west + 0.01, south + 0.01], [west, south + 0.01], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_grid_worker_reports_only_into_their_grid_also_by_a_point(world: TownWorld, as_user) -> None:
    world.grid_a.boundary = square(122.05, 30.24)
    world.grid_a.save()
    world.grid_b.boundary = square(122.07, 30.24)
    world.grid_b.save()
    api = as_user(world.grid_worker_a)
    by_area = api.post("/api/cases", new_case_body(area_id=world.grid_b.pk))
    assert (by_area.status_code, by_area.json()["field"]) == (422, "area_id")
    by_point = api.post("/api/cases", new_case_body(latitude=30.245, longitude=122.075))
    assert (by_point.status_code, by_point.json()["field"]) == (422, "latitude")
    assert by_point.json()["message"] == "网格员只能在自己负责的网格内上报事件：区域“火箭村第1网格”不在您的网格内"
    assert Case.objects.count() == 0
    inside = api.post("/api/cases", new_case_body(latitude=30.245, longitude=122.055))
    assert inside.status_code == 201
    assert Case.objects.get().area == world.grid_a
    operator = as_user(world.operator).post("/api/cases", new_case_body(latitude=30.245, longitude=122.075))
    assert operator.status_code == 201
    assert Case.objects.get(pk=operator.json()["id"]).area == world.grid_b
    far = as_user(world.operator).post("/api/cases", new_case_body(latitude=39.9, longitude=116.4))  # Beijing
    assert (far.status_code, far.json()["field"], far.json()["message"]) == (
        422,
        "latitude",
        "该位置不在岱西镇范围内，请重新定位或在地图上选点",
    )
    assert Case.objects.count() == 2


def test_whole_workflow_through_the_api(world: TownWorld, as_user) -> None:
    case = world.report()
    op, handler, gw = as_user(world.operator), as_user(world.handler_a), as_user(world.grid_worker_a)
    url = f"/api/cases/{case.pk}/actions"
    assert [a["action"] for a in op.get(url).json()] == ["register", "reject", "reclassify", "supervise", "comment"]
    r = op.post(url, {"action": "register", "expected_version": 1})
    assert (r.status_code, r.json()["status"]) == (200, "registered")
    r = op.post(url, {"action": "dispatch", "department_id": world.dept_a.pk, "expected_version": r.json()["version"]})
    assert (r.status_code, r.json()["department"]["name"]) == (200, "综合行政执法中队")
    assert handler.post(url, {"action": "sign"}).json()["status"] == "handling"
    no_photo = handler.post(url, {"action": "resolve", "note": "已清运"})
    assert (no_photo.status_code, no_photo.json()["field"]) == (422, "photos")
    resolved = handler.post(url, {"action": "resolve", "note": "已清运", "photos": [photo_json("after")]})
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["timeline"][-1]["attachments"][0]["kind"] == "after"
    closed = gw.post(url, {"action": "verify_pass"})
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert list(CaseAction.objects.filter(case=case).values_list("action", flat=True)) == [
        Action.REPORT,
        Action.REGISTER,
        Action.DISPATCH,
        Action.SIGN,
        Action.RESOLVE,
        Action.VERIFY_PASS,
    ]


def test_an_action_that_takes_the_case_out_of_scope_answers_what_it_did(world: TownWorld, as_user) -> None:
    case = world.bring_to(Status.HANDLING)
    handler = as_user(world.handler_a)
    url = f"/api/cases/{case.pk}/actions"
    returned = handler.post(url, {"action": "return", "note": "不属于本部门职责", "expected_version": case.version})
    assert returned.status_code == 200
    body = returned.json()
    assert (body["status"], body["department"], body["actions"]) == ("registered", None, [])
    assert (body["timeline"][-1]["action"], body["timeline"][-1]["note"]) == ("return", "不属于本部门职责")
    assert handler.get(f"/api/cases/{case.pk}").status_code == 404  # from now on out of the department's scope
    assert list(CaseAction.objects.filter(case=case).values_list("action", flat=True))[-1] == Action.RETURN


def test_stale_version_is_a_409_with_a_message(world: TownWorld, as_user) -> None:
    case = world.bring_to(Status.REGISTERED)
    api = as_user(world.operator)
    response = api.post(f"/api/cases/{case.pk}/actions", {"action": "reject", "note": "重复", "expected_version": 1})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "王芳" in response.json()["message"]
    assert "立案" in response.json()["message"]
    case.refresh_from_db()
    assert case.status == Status.REGISTERED


def test_actions_not_allowed_or_out_of_scope(world: TownWorld, as_user) -> None:
    case = world.report()
    wrong_role = as_user(world.handler_b).post(f"/api/cases/{case.pk}/actions", {"action": "register"})
    assert wrong_role.status_code == 404  # the case is not visible to that handler at all
    gw = as_user(world.grid_worker_a).post(f"/api/cases/{case.pk}/actions", {"action": "register"})
    assert (gw.status_code, gw.json()["code"]) == (403, "not_allowed")
    unknown = as_user(world.operator).post(f"/api/cases/{case.pk}/actions", {"action": "fly"})
    assert (unknown.status_code, unknown.json()["field"]) == (422, "action")
    foreign_dept = as_user(world.operator).post(f"/api/cases/{case.pk}/actions", {"action": "register"})
    assert foreign_dept.status_code == 200
    bad_dept = as_user(world.operator).post(
        f"/api/cases/{case.pk}/actions", {"action": "dispatch", "department_id": 999999}
    )
    assert (bad_dept.status_code, bad_dept.json()["field"]) == (422, "department_id")


def test_upload_attachment_multipart(world: TownWorld, as_user) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = world.report()
    api = as_user(world.grid_worker_a)
    response = api.client.post(
        f"/api/cases/{case.pk}/attachments",
        {"note": "补充现场照片", "kind": "before", "files": [SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")]},
    )
    assert response.status_code == 200
    listed = api.get(f"/api/cases/{case.pk}/attachments").json()
    assert [(a["kind"], a["name"], a["action_seq"]) for a in listed] == [("before", "a.jpg", 2)]
    not_image = api.client.post(
        f"/api/cases/{case.pk}/attachments",
        {"note": "x", "files": [SimpleUploadedFile("a.jpg", b"text", "image/jpeg")]},
    )
    assert (not_image.status_code, not_image.json()["field"]) == (422, "photos")


def test_reveal_contact_is_for_the_command_room_and_logged(world: TownWorld, as_user) -> None:
    from gridgov.data.org.enums import SecurityEventKind
    from gridgov.data.org.models import SecurityEvent

    case = world.report()
    url = f"/api/cases/{case.pk}/reveal-contact"
    assert as_user(world.operator).post(url, {}).json() == {"name": "孙网格", "phone": "", "masked": False}
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PERSONAL_DATA_REVEALED)
    assert (event.user, event.detail["case"]) == (world.operator, case.number)
    refused = as_user(world.grid_worker_a).post(url, {})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_allowed")
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_REVEALED).count() == 1


def test_notifications_list(world: TownWorld, as_user, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = world.bring_to(Status.DISPATCHED)
    rows = as_user(world.handler_a).get("/api/notifications").json()
    assert [r["case_number"] for r in rows] == [case.number]
    assert rows[0]["read_at"] is None
    assert as_user(world.handler_a).get("/api/notifications", unread="true").json() == rows


def test_mark_notifications_read(world: TownWorld, as_user, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        world.bring_to(Status.DISPATCHED)
        world.bring_to(Status.DISPATCHED)
    handler = as_user(world.handler_a)
    first, second = handler.get("/api/notifications").json()
    other = as_user(world.operator)
    assert other.post("/api/notifications/read", {"ids": [first["id"]]}).json() == {"marked": 0}  # not theirs
    assert handler.post("/api/notifications/read", {"ids": [first["id"]]}).json() == {"marked": 1}
    assert [r["id"] for r in handler.get("/api/notifications", unread="true").json()] == [second["id"]]
    assert handler.post("/api/notifications/read", {}).json() == {"marked": 1}
    assert handler.get("/api/notifications", unread="true").json() == []
    for garbage in ({"ids": "all"}, {"ids": [1, "x"]}, {"ids": [2**63]}, {"ids": [-1]}, "{", "\x00"):
        response = handler.post("/api/notifications/read", garbage)
        assert response.status_code in (400, 422), garbage
        assert response.json()["message"]


def test_session_post_needs_csrf(world: TownWorld) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.grid_worker_a)
    response = client.post("/api/cases", data=new_case_body(), content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert Case.objects.count() == 0
    client.get("/api/tokens/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    ok = client.post(
        "/api/cases", data=new_case_body(), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert ok.status_code == 201


def test_list_keyset_pages_match_numbered_pages(world: TownWorld, as_user) -> None:
    for _ in range(5):
        world.report()
    api = as_user(world.operator)
    numbered = [
        [row["id"] for row in api.get(f"/api/cases?page_size=2&page={page}").json()["results"]] for page in (1, 2, 3)
    ]
    first = api.get("/api/cases?page_size=2").json()
    walked = [[row["id"] for row in first["results"]]]
    after = first["next_after"]
    while after:
        body = api.get(f"/api/cases?page_size=2&after={after}").json()
        assert body["count"] == 5
        walked.append([row["id"] for row in body["results"]])
        after = body["next_after"]
    assert walked == numbered
    assert [len(page) for page in numbered] == [2, 2, 1]
    bad = api.get("/api/cases?after=not-a-cursor")
    assert bad.status_code == 422
    assert bad.json()["field"] == "after"
