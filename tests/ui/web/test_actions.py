"""The case page's actions: exactly the allowed buttons, forms derived from the transition table, field
errors next to the field, conflicts shown as what happened — never an error page."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.domain.queries import available_actions
from gridgov.data.cases.enums import Action, AttachmentKind, Status
from gridgov.data.cases.models import Case, CaseAction
from tests.factories import TownWorld, jpeg, signed_in


def act(case: Case, action: str) -> str:
    return reverse("web:case_action", args=[case.pk, action])


def actions_of(world: TownWorld, user, case: Case) -> list[str]:
    return [str(t.action) for t in available_actions(user=user, case=case)]


def test_available_actions_follow_the_table_and_the_users_capacities(world: TownWorld) -> None:
    reported = world.report()
    assert actions_of(world, world.operator, reported) == ["register", "reject", "reclassify", "supervise", "comment"]
    assert actions_of(world, world.grid_worker_a, reported) == ["self_resolve", "comment"]
    assert actions_of(world, world.handler_a, reported) == []  # not with the department, not in its area
    handling = world.bring_to(Status.HANDLING)
    assert actions_of(world, world.handler_a, handling) == [
        "return",
        "progress",
        "resolve",
        "request_extension",
        "comment",
    ]
    assert actions_of(world, world.handler_b, handling) == []
    apply_action(
        case_id=handling.pk, actor=world.handler_a, action=Action.REQUEST_EXTENSION, note="需要采购", extension=2
    )
    handling.refresh_from_db()
    assert "request_extension" not in actions_of(world, world.handler_a, handling)
    assert actions_of(world, world.operator, handling) == [
        "reclassify",
        "redispatch",
        "approve_extension",
        "deny_extension",
        "suspend",
        "supervise",
        "comment",
    ]
    assert actions_of(world, world.leader, handling) == [
        "approve_extension",
        "deny_extension",
        "suspend",
        "supervise",
        "comment",
    ]


def test_case_page_shows_exactly_the_available_buttons(world: TownWorld) -> None:
    case = world.bring_to(Status.DISPATCHED)
    page = signed_in(world.handler_a).get(reverse("web:case_detail", args=[case.pk])).text
    buttons = [chunk.split('"', 1)[0] for chunk in page.split('data-action="')[1:]]
    assert buttons == ["return", "sign", "comment"]
    gw_page = signed_in(world.grid_worker_a).get(reverse("web:case_detail", args=[case.pk])).text
    assert [chunk.split('"', 1)[0] for chunk in gw_page.split('data-action="')[1:]] == ["comment"]


def test_operator_registers_and_dispatches_to_the_default_department(world: TownWorld) -> None:
    case = world.report()
    client = signed_in(world.operator)
    form = client.get(act(case, "register"))
    assert form.status_code == 200
    assert 'name="expected_version" value="1"' in form.text
    response = client.post(act(case, "register"), {"expected_version": 1, "note": "", "category": "", "priority": ""})
    assert (response.status_code, response["Location"]) == (302, reverse("web:case_detail", args=[case.pk]))
    case.refresh_from_db()
    assert (case.status, case.version) == (Status.REGISTERED, 2)
    dispatch_form = client.get(act(case, "dispatch"), headers={"HX-Request": "true"})
    assert "<html" not in dispatch_form.text  # the partial only, for htmx
    assert f'<option value="{world.dept_a.pk}" selected>综合行政执法中队</option>' in dispatch_form.text
    # a handler to name is shown with their unit: a name alone does not say who handles what
    assert f'<option value="{world.handler_a.pk}">赵执法（综合行政执法中队）</option>' in dispatch_form.text
    assert f'<option value="{world.handler_b.pk}">钱建设（村镇建设办）</option>' in dispatch_form.text
    client.post(act(case, "dispatch"), {"expected_version": 2, "department": world.dept_a.pk, "handler": ""})
    case.refresh_from_db()
    assert (case.status, case.department_id) == (Status.DISPATCHED, world.dept_a.pk)
    followed = client.get(reverse("web:case_detail", args=[case.pk]))
    assert "已完成“派遣”：" + case.number in followed.text


def test_register_can_change_category_and_priority(world: TownWorld) -> None:
    case = world.report()
    signed_in(world.operator).post(
        act(case, "register"),
        {"expected_version": 1, "category": world.category_days.pk, "priority": "urgent"},
    )
    case.refresh_from_db()
    assert (case.status, case.category_id, case.priority) == (Status.REGISTERED, world.category_days.pk, "urgent")


def test_reject_needs_a_reason_shown_next_to_the_field_and_keeps_the_input(world: TownWorld) -> None:
    case = world.report()
    client = signed_in(world.operator)
    response = client.post(act(case, "reject"), {"expected_version": 1, "note": "  "})
    assert response.status_code == 200
    assert 'id="id_note_errors"' in response.text
    assert "请填写意见或说明" in response.text
    case.refresh_from_db()
    assert (case.status, case.version) == (Status.REPORTED, 1)


def test_reject_as_duplicate_of_a_nearby_similar_open_case(world: TownWorld) -> None:
    first = world.report()
    second = world.report()
    other_category = world.report(category=world.category_calendar, area=world.grid_b)
    client = signed_in(world.operator)
    form = client.get(act(second, "reject")).text
    assert f'<option value="{first.pk}">{first.number}' in form
    assert f'<option value="{other_category.pk}">' not in form
    client.post(act(second, "reject"), {"expected_version": 1, "note": "重复上报", "duplicate_of": first.pk})
    second.refresh_from_db()
    assert (second.status, second.duplicate_of_id) == (Status.REJECTED, first.pk)


def test_handler_resolves_with_after_photos_and_a_missing_photo_is_a_field_error(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)
    client = signed_in(world.handler_a)
    missing = client.post(act(case, "resolve"), {"expected_version": case.version, "note": "已清运"})
    assert missing.status_code == 200
    assert missing.text.count("“处置反馈”需要上传至少一张现场照片") == 1  # beside the upload field, not again on top
    assert '<ul class="errorlist"><li>“处置反馈”需要上传至少一张现场照片</li></ul>' in missing.text
    assert "已清运</textarea>" in missing.text  # what was typed is kept
    bad = client.post(
        act(case, "resolve"),
        {
            "expected_version": case.version,
            "note": "已清运",
            "photos": [SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")],
        },
    )
    assert bad.text.count("“x.jpg”不是有效的图片") == 1
    case.refresh_from_db()
    assert case.status == Status.HANDLING
    good = client.post(
        act(case, "resolve"),
        {
            "expected_version": case.version,
            "note": "已清运",
            "photos": [SimpleUploadedFile("after.jpg", jpeg(), content_type="image/jpeg")],
        },
    )
    assert good.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    assert [(a.kind, a.original_name) for a in case.attachments.all()] == [(AttachmentKind.AFTER, "after.jpg")]
    page = client.get(reverse("web:case_detail", args=[case.pk])).text
    assert 'alt="处置后照片"' in page


def test_request_extension_then_approve(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)
    handler = signed_in(world.handler_a)
    bad = handler.post(
        act(case, "request_extension"), {"expected_version": case.version, "note": "缺材料", "extension": 0}
    )
    assert 'id="id_extension_errors"' in bad.text
    # Empty, zero or not a number: the same words as the engine's, not Django's generic 这个字段是必填项。
    said = [
        handler.post(
            act(case, "request_extension"), {"expected_version": case.version, "note": "缺材料", "extension": v}
        )
        .context["form"]
        .errors.get_json_data()["extension"][0]["message"]
        for v in ("", "0", "两天", "400")
    ]
    assert said == ["请填写延期时长（1–365）"] * 4
    handler.post(act(case, "request_extension"), {"expected_version": case.version, "note": "缺材料", "extension": 2})
    case.refresh_from_db()
    assert case.pending_extension_value == 2
    before = case.handle_deadline
    signed_in(world.operator).post(act(case, "approve_extension"), {"expected_version": case.version})
    approved = Case.objects.get(pk=case.pk)
    assert (approved.pending_extension_value, approved.extension_count) == (None, 1)
    assert before is not None
    assert approved.handle_deadline is not None
    assert approved.handle_deadline - before == timedelta(hours=2)  # 2 more working hours, same afternoon


def test_return_then_redispatch(world: TownWorld) -> None:
    case = world.bring_to(Status.DISPATCHED)
    signed_in(world.handler_a).post(act(case, "return"), {"expected_version": case.version, "note": "不属于本部门"})
    case.refresh_from_db()
    assert (case.status, case.department_id, case.return_count) == (Status.REGISTERED, None, 1)
    signed_in(world.operator).post(
        act(case, "dispatch"), {"expected_version": case.version, "department": world.dept_b.pk}
    )
    case.refresh_from_db()
    assert (case.status, case.department_id) == (Status.DISPATCHED, world.dept_b.pk)


def test_stale_version_shows_who_acted_first_instead_of_an_error_page(world: TownWorld) -> None:
    case = world.report()
    client = signed_in(world.operator)
    form_version = case.version
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER)  # someone else, first
    response = client.post(act(case, "reject"), {"expected_version": form_version, "note": "无效"})
    assert response.status_code == 409
    assert "已被 王芳 于" in response.text
    assert "执行“立案”，当前状态为“已立案”" in response.text
    assert 'data-action="dispatch"' in response.text  # the fresh case with its current buttons
    assert CaseAction.objects.filter(case=case).count() == 2


def test_double_submit_creates_one_action(world: TownWorld) -> None:
    case = world.report()
    client = signed_in(world.operator)
    first = client.post(act(case, "register"), {"expected_version": 1})
    second = client.post(act(case, "register"), {"expected_version": 1})
    assert (first.status_code, second.status_code) == (302, 409)
    assert list(CaseAction.objects.filter(case=case).values_list("action", flat=True)) == ["report", "register"]


def test_an_action_no_longer_allowed_shows_the_case_with_a_message(world: TownWorld) -> None:
    case = world.bring_to(Status.CLOSED)
    response = signed_in(world.operator).get(act(case, "register"))
    assert response.status_code == 409
    assert f"当前不能对事件 {case.number} 执行“立案”（状态：已结案）" in response.text
    unknown = signed_in(world.operator).get(act(case, "explode"))
    assert unknown.status_code == 409


def test_actions_on_a_case_out_of_scope_are_not_found(world: TownWorld) -> None:
    case = world.report(reporter=world.grid_worker_b, area=world.grid_b)
    client = signed_in(world.grid_worker_a)
    assert client.get(act(case, "comment")).status_code == 404
    assert client.post(act(case, "comment"), {"expected_version": 1, "note": "x"}).status_code == 404


def test_a_redispatch_that_takes_the_case_away_says_so(world: TownWorld, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the handler hears of the dispatch
        case = world.bring_to(Status.DISPATCHED)
    client = signed_in(world.handler_a)
    version = case.version
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_b)
    response = client.post(act(case, "sign"), {"expected_version": version}, follow=True)
    assert response.redirect_chain == [("/", 302), ("/inbox/", 302)]
    assert f"{case.number}：该事件已改派其他单位，不再由本单位处理" in response.text
    stranger = signed_in(world.handler_b).post(act(world.report(), "sign"), {"expected_version": 1})
    assert stranger.status_code == 404


def test_verify_fail_then_pass_as_grid_worker(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    gw = signed_in(world.grid_worker_a)
    gw.post(act(case, "verify_fail"), {"expected_version": case.version, "note": "垃圾仍在"})
    case.refresh_from_db()
    assert (case.status, case.rework_count) == (Status.HANDLING, 1)
    handler = signed_in(world.handler_a)
    handler.post(
        act(case, "resolve"),
        {
            "expected_version": case.version,
            "note": "已二次清运",
            "photos": [SimpleUploadedFile("again.png", _png(), content_type="image/png")],
        },
    )
    case.refresh_from_db()
    gw.post(act(case, "verify_pass"), {"expected_version": case.version})
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_pending_extension_reads_in_the_unit_it_was_asked_in(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)  # the default limit: working hours
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.REQUEST_EXTENSION, extension=2, note="缺材料")
    leader = signed_in(world.leader)
    page = leader.get(reverse("web:case_detail", args=[case.pk])).text
    assert "<dt>延期申请</dt><dd>2个工作小时 · 待审批</dd>" in page


def test_the_extension_field_names_the_unit_of_the_handling_limit(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)  # the default limit: working hours
    page = signed_in(world.handler_a).get(act(case, "request_extension")).text
    assert "延期时长（工作时）" in page


def test_a_form_shown_again_says_the_chosen_photos_were_not_kept(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)
    client = signed_in(world.handler_a)
    photo_no_note = client.post(
        act(case, "resolve"),
        {
            "expected_version": case.version,
            "note": "",
            "photos": [SimpleUploadedFile("after.jpg", jpeg(), content_type="image/jpeg")],
        },
    )
    assert photo_no_note.status_code == 200
    assert 'id="photos-lost"' in photo_no_note.text
    no_photo = client.post(act(case, "resolve"), {"expected_version": case.version, "note": ""})
    assert 'id="photos-lost"' not in no_photo.text
