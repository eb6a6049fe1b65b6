"""The engine: lifecycle, required input, errors that leave the case unchanged, numbering, notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.enums import Action, AttachmentKind, Channel, Status
from gridgov.data.cases.models import Attachment, Case, CaseAction, Notification
from gridgov.data.errors import Conflict, InvalidInput, NotAllowed, OutOfScope
from gridgov.data.taxonomy.models import Category
from tests.factories import MONDAY_0900, TownWorld, at, photo


def test_full_life_of_a_case(world: TownWorld, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = world.report(now=MONDAY_0900)
        steps = [
            (world.operator, Action.REGISTER, {}),
            (world.operator, Action.DISPATCH, {"department": world.dept_a}),
            (world.handler_a, Action.SIGN, {}),
            (world.handler_a, Action.RESOLVE, {"note": "已清运", "photos": photo()}),
            (world.grid_worker_a, Action.VERIFY_FAIL, {"note": "仍有残留"}),
            (world.handler_a, Action.RESOLVE, {"note": "已返工", "photos": photo()}),
            (world.grid_worker_a, Action.VERIFY_PASS, {}),
            (world.operator, Action.RATE, {"rating": "satisfied"}),
        ]
        for minutes, (actor, action, kwargs) in enumerate(steps, start=1):
            apply_action(
                case_id=case.pk, actor=actor, action=action, now=MONDAY_0900 + timedelta(minutes=10 * minutes), **kwargs
            )
    case.refresh_from_db()
    assert case.number == "DX2026-000001"
    assert case.status == Status.CLOSED
    assert case.rework_count == 1
    assert case.satisfaction == "satisfied"
    assert case.version == 9
    assert case.registered_at == MONDAY_0900 + timedelta(minutes=10)
    assert case.first_resolved_at == MONDAY_0900 + timedelta(minutes=40)
    assert case.resolved_at == MONDAY_0900 + timedelta(minutes=60)
    assert case.closed_at == MONDAY_0900 + timedelta(minutes=70)
    assert case.handler == world.handler_a
    assert list(CaseAction.objects.filter(case=case).values_list("action", "from_status", "to_status")) == [
        ("report", "", "reported"),
        ("register", "reported", "registered"),
        ("dispatch", "registered", "dispatched"),
        ("sign", "dispatched", "handling"),
        ("resolve", "handling", "resolved"),
        ("verify_fail", "resolved", "handling"),
        ("resolve", "handling", "resolved"),
        ("verify_pass", "resolved", "closed"),
        ("rate", "closed", "closed"),
    ]
    assert Attachment.objects.filter(case=case, kind=AttachmentKind.AFTER).count() == 2
    # Side effects ran after commit: the handler heard of the dispatch, the grid worker of the results.
    assert Notification.objects.filter(user=world.handler_a, action__action="dispatch").count() == 1
    assert Notification.objects.filter(user=world.grid_worker_a, action__action="resolve").count() == 2


def test_self_resolve_on_the_spot_counts_as_registered_when_reported(world: TownWorld) -> None:
    case = report_case(
        town=world.town,
        reporter=world.grid_worker_a,
        channel=Channel.GRID_WORKER,
        category=world.category,
        description="井盖松动，已现场加固",
        area=world.grid_a,
        photos=photo(AttachmentKind.BEFORE),
        resolve_on_spot=True,
        resolution_note="已现场处置",
        resolution_photos=photo(AttachmentKind.AFTER),
        now=MONDAY_0900,
    )
    assert (case.status, case.self_resolved, case.registered_at, case.closed_at) == (
        Status.CLOSED,
        True,
        MONDAY_0900,
        MONDAY_0900,
    )
    assert list(case.actions.values_list("action", "actor_role")) == [
        ("report", "grid_worker"),
        ("self_resolve", "grid_worker"),
    ]


def test_self_resolve_without_photo_leaves_nothing_behind(world: TownWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        report_case(
            town=world.town,
            reporter=world.grid_worker_a,
            channel=Channel.GRID_WORKER,
            category=world.category,
            description="井盖松动",
            area=world.grid_a,
            resolve_on_spot=True,
            resolution_note="已现场处置",
            now=MONDAY_0900,
        )
    assert error.value.field == "photos"
    assert "照片" in error.value.message
    assert Case.objects.count() == 0
    # The case number was not used up either: the next case still gets 000001.
    assert world.report().number == "DX2026-000001"


@pytest.mark.parametrize("description", ["", "  \u3000 ", "\u200b\u200b", "\ufeff\u200d \u2060"])
def test_a_description_that_shows_nothing_is_refused(world: TownWorld, description: str) -> None:
    with pytest.raises(InvalidInput) as error:
        report_case(
            town=world.town,
            reporter=world.grid_worker_a,
            channel=Channel.GRID_WORKER,
            category=world.category,
            description=description,
            now=MONDAY_0900,
        )
    assert (error.value.field, error.value.message) == ("description", "请填写事件描述")
    assert Case.objects.count() == 0


def test_missing_note_is_refused_and_case_unchanged(world: TownWorld) -> None:
    case = world.bring_to(Status.REPORTED)
    with pytest.raises(InvalidInput) as error:
        apply_action(case_id=case.pk, actor=world.operator, action=Action.REJECT, note="  ")
    assert (error.value.field, error.value.message) == ("note", "“不予立案”需要填写意见或说明")
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version, fresh.action_count) == (Status.REPORTED, 1, 1)


def test_missing_department_and_foreign_department(world: TownWorld) -> None:
    case = world.bring_to(Status.REGISTERED)
    with pytest.raises(InvalidInput) as error:
        apply_action(case_id=case.pk, actor=world.operator, action=Action.DISPATCH)
    assert error.value.message == "请选择处置部门"
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED


def test_bad_photo_is_refused_before_anything_is_written(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)
    with pytest.raises(InvalidInput) as error:
        apply_action(
            case_id=case.pk,
            actor=world.handler_a,
            action=Action.RESOLVE,
            note="已处理",
            photos=[Upload(name="fake.jpg", data=b"<html>not an image</html>")],
        )
    assert error.value.message == "“fake.jpg”不是有效的图片（支持 JPEG、PNG、WEBP、GIF）"
    assert Case.objects.get(pk=case.pk).status == Status.HANDLING
    assert Attachment.objects.filter(case=case).count() == 0


def test_unknown_category_is_a_clear_error(world: TownWorld) -> None:
    major = Category.objects.get(town=world.town, code="12")
    with pytest.raises(InvalidInput) as error:
        world.report(category=major)
    assert error.value.field == "category"
    assert "市容环卫" in error.value.message
    assert Case.objects.count() == 0


def test_out_of_scope_actor_is_refused(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    with pytest.raises(OutOfScope) as error:
        apply_action(case_id=case.pk, actor=world.grid_worker_b, action=Action.VERIFY_PASS)
    assert error.value.message == f"事件 {case.number} 不在您的管辖范围内"
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED


def test_handler_of_another_department_cannot_sign(world: TownWorld) -> None:
    case = world.bring_to(Status.DISPATCHED)
    with pytest.raises(OutOfScope):
        apply_action(case_id=case.pk, actor=world.handler_b, action=Action.SIGN)


def test_stale_version_is_a_conflict_that_says_what_happened(world: TownWorld) -> None:
    case = world.bring_to(Status.DISPATCHED)
    seen_version = case.version
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN, expected_version=seen_version)
    with pytest.raises(Conflict) as error:
        apply_action(
            case_id=case.pk,
            actor=world.operator,
            action=Action.REDISPATCH,
            department=world.dept_b,
            expected_version=seen_version,
        )
    assert "赵执法" in error.value.message
    assert "“签收”" in error.value.message
    assert "当前状态为“处置中”" in error.value.message
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.department_id, fresh.version) == (Status.HANDLING, world.dept_a.pk, seen_version + 1)


def test_reject_as_duplicate_links_the_original(world: TownWorld) -> None:
    original = world.report()
    duplicate = world.report()
    apply_action(
        case_id=duplicate.pk, actor=world.operator, action=Action.REJECT, note="重复上报", duplicate_of=original
    )
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of_id) == (Status.REJECTED, original.pk)
    assert duplicate.actions.last().data == {"duplicate_of": original.number}


def test_reject_as_duplicate_of_itself_is_refused(world: TownWorld) -> None:
    case = world.report()
    with pytest.raises(InvalidInput):
        apply_action(case_id=case.pk, actor=world.operator, action=Action.REJECT, note="重复", duplicate_of=case)
    assert Case.objects.get(pk=case.pk).status == Status.REPORTED


def test_return_goes_back_to_the_command_room_and_redispatch_restarts_the_clock(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING, department=world.dept_b)
    apply_action(
        case_id=case.pk, actor=world.handler_b, action=Action.RETURN, note="不属于本部门", now=at(2026, 11, 23, 10)
    )
    case.refresh_from_db()
    assert (case.status, case.department_id, case.return_count) == (Status.REGISTERED, None, 1)
    apply_action(
        case_id=case.pk,
        actor=world.operator,
        action=Action.DISPATCH,
        department=world.dept_a,
        now=at(2026, 11, 23, 10, 30),
    )
    case.refresh_from_db()
    # 暴露垃圾: 4 working hours from 10:30 → 11:00-12:00 lunch 13:30 → 16:00
    assert case.handle_deadline == at(2026, 11, 23, 16, 0)


def test_extension_request_then_approval_moves_the_deadline(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)
    assert case.handle_deadline == at(2026, 11, 23, 14, 32)  # dispatched 09:02 + 4 working hours
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.REQUEST_EXTENSION, note="需协调", extension=2)
    with pytest.raises(NotAllowed):  # one pending request at a time
        apply_action(case_id=case.pk, actor=world.handler_a, action=Action.REQUEST_EXTENSION, note="再延", extension=1)
    apply_action(case_id=case.pk, actor=world.leader, action=Action.APPROVE_EXTENSION)
    case.refresh_from_db()
    assert case.handle_deadline == at(2026, 11, 23, 16, 32)  # + 2 working hours
    assert (case.extension_count, case.pending_extension_value) == (1, None)


def test_deny_extension_keeps_the_deadline(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.REQUEST_EXTENSION, note="需协调", extension=2)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.DENY_EXTENSION, note="请按期办结")
    case.refresh_from_db()
    assert (case.handle_deadline, case.extension_count, case.pending_extension_value) == (
        at(2026, 11, 23, 14, 32),
        0,
        None,
    )


def test_supervise_and_comment_do_not_change_status(world: TownWorld) -> None:
    case = world.bring_to(Status.HANDLING)
    apply_action(case_id=case.pk, actor=world.leader, action=Action.SUPERVISE, note="请今日办结")
    apply_action(case_id=case.pk, actor=world.grid_worker_a, action=Action.COMMENT, note="现场已有人处理")
    case.refresh_from_db()
    assert (case.status, case.supervision_count) == (Status.HANDLING, 1)


def test_reopen_a_closed_case_restarts_handling(world: TownWorld) -> None:
    case = world.bring_to(Status.CLOSED)
    apply_action(
        case_id=case.pk, actor=world.operator, action=Action.REOPEN, note="群众反映问题复发", now=at(2026, 11, 24, 9)
    )
    case.refresh_from_db()
    assert (case.status, case.closed_at, case.handle_deadline) == (Status.HANDLING, None, at(2026, 11, 24, 14, 30))


def test_case_numbers_restart_each_year_and_per_town(world: TownWorld) -> None:
    first = world.report(now=at(2026, 12, 31, 16))
    second = world.report(now=at(2026, 12, 31, 16, 30))
    assert (first.number, second.number) == ("DX2026-000001", "DX2026-000002")
    assert (first.year, second.seq) == (2026, 2)


def test_coordinates_out_of_range_are_refused(world: TownWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        report_case(
            town=world.town,
            reporter=world.grid_worker_a,
            channel=Channel.GRID_WORKER,
            category=world.category,
            description="x",
            latitude=123.0,
            longitude=122.1,
            now=MONDAY_0900,
        )
    assert (error.value.field, error.value.message) == ("latitude", "经纬度超出范围")


def test_point_inside_a_grid_boundary_places_the_case_in_that_grid(world: TownWorld) -> None:
    world.grid_b.boundary = {
        "type": "Polygon",
        "coordinates": [[[122.0, 30.0], [122.1, 30.0], [122.1, 30.1], [122.0, 30.1], [122.0, 30.0]]],
    }
    world.grid_b.save()
    case = report_case(
        town=world.town,
        reporter=None,
        channel=Channel.RESIDENT,
        category=world.category,
        description="路灯不亮",
        latitude=30.05,
        longitude=122.05,
        reporter_phone="13800138000",
        now=MONDAY_0900,
    )
    assert (case.grid_id, case.village_id, case.area_path) == (world.grid_b.pk, world.village_b.pk, world.grid_b.path)


def test_reporter_personal_data_is_encrypted_at_rest(world: TownWorld) -> None:
    from django.db import connection

    case = report_case(
        town=world.town,
        reporter=None,
        channel=Channel.HOTLINE,
        category=world.category,
        description="路灯不亮",
        reporter_name="张三",
        reporter_phone="13800138000",
        now=MONDAY_0900,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_phone FROM cases_case WHERE id = %s", [case.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:")
    assert "13800138000" not in stored
    assert Case.objects.get(pk=case.pk).reporter_phone == "13800138000"


def test_an_action_costs_the_same_queries_however_long_the_history(world: TownWorld, django_assert_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def comment_cost(case: Case) -> int:
        with CaptureQueriesContext(connection) as queries:
            apply_action(case_id=case.pk, actor=world.operator, action=Action.COMMENT, note="跟进")
        return len(queries.captured_queries)

    short = world.bring_to(Status.REPORTED)
    long = world.bring_to(Status.CLOSED)
    for _ in range(5):
        apply_action(case_id=long.pk, actor=world.operator, action=Action.COMMENT, note="多次跟进")
    assert comment_cost(short) == comment_cost(long)


def test_dispatch_to_a_named_handler_must_be_someone_of_that_department(world: TownWorld) -> None:
    case = world.bring_to(Status.REGISTERED)
    with pytest.raises(InvalidInput) as error:
        apply_action(
            case_id=case.pk,
            actor=world.operator,
            action=Action.DISPATCH,
            department=world.dept_a,
            handler=world.handler_b,
        )
    assert (error.value.field, error.value.message) == ("handler", "钱建设 不是综合行政执法中队的处置人员")
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED
    apply_action(
        case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a, handler=world.handler_a
    )
    case.refresh_from_db()
    assert (case.department_id, case.handler_id) == (world.dept_a.pk, world.handler_a.pk)


def test_resolve_category_names_what_is_wrong(world: TownWorld) -> None:
    from gridgov.data.taxonomy.domain import resolve_category

    assert resolve_category(town=world.town, code="1201") == world.category
    with pytest.raises(InvalidInput) as error:
        resolve_category(town=world.town, code="9999")
    assert (error.value.field, error.value.message) == ("category", "事件分类“9999”不存在或已停用，请选择一个小类")
    with pytest.raises(InvalidInput) as error:
        resolve_category(town=world.town, code="12")  # a major category is not enough
    assert error.value.message == "事件分类“12”不存在或已停用，请选择一个小类"
    with pytest.raises(InvalidInput) as error:
        resolve_category(town=world.town)
    assert error.value.message == "请选择事件分类"


def test_a_grid_worker_reports_only_in_their_own_grids_whatever_the_way_in(world: TownWorld) -> None:
    """The rule is the engine's, so the phone, its outbox and the API all hold it: a grid worker files into their
    own grid; the command room and a village cadre anywhere; a ledger's own filing is its ledger's business."""
    kwargs = {"town": world.town, "category": world.category, "description": "路边垃圾桶满溢", "now": MONDAY_0900}
    with pytest.raises(InvalidInput) as refused:
        report_case(reporter=world.grid_worker_a, channel=Channel.GRID_WORKER, area=world.grid_b, **kwargs)
    assert (refused.value.field, refused.value.message) == (
        "area",
        "网格员只能在自己负责的网格内上报事件：区域“火箭村第1网格”不在您的网格内",
    )
    with pytest.raises(InvalidInput):
        report_case(reporter=world.grid_worker_a, channel=Channel.GRID_WORKER, area=world.village_a, **kwargs)
    assert Case.objects.count() == 0
    own = report_case(reporter=world.grid_worker_a, channel=Channel.GRID_WORKER, area=world.grid_a, **kwargs)
    by_staff = report_case(reporter=world.village_staff_a, channel=Channel.OTHER, area=world.grid_b, **kwargs)
    by_room = report_case(reporter=world.operator, channel=Channel.OTHER, area=world.village_b, **kwargs)
    by_ledger = report_case(
        reporter=world.grid_worker_a, channel=Channel.GRID_WORKER, area=world.grid_b, by_ledger=True, **kwargs
    )
    assert [c.area for c in (own, by_staff, by_room, by_ledger)] == [
        world.grid_a,
        world.grid_b,
        world.village_b,
        world.grid_b,
    ]


def test_a_report_dated_in_the_past_was_last_updated_by_its_report_step(world: TownWorld) -> None:
    """``updated_at`` is the report step's time, as an action leaves it — not the moment the row was written
    (Open311's updated_datetime of a demo's or an import's report would otherwise be the day it was built)."""
    plain = world.report(now=MONDAY_0900)
    with_photo = report_case(
        town=world.town,
        reporter=world.grid_worker_a,
        channel=Channel.GRID_WORKER,
        category=world.category,
        description="井盖缺失",
        area=world.grid_a,
        photos=photo(AttachmentKind.BEFORE),
        now=MONDAY_0900 + timedelta(minutes=5),
    )
    stored = dict(Case.objects.filter(pk__in=[plain.pk, with_photo.pk]).values_list("pk", "updated_at"))
    assert stored == {plain.pk: MONDAY_0900, with_photo.pk: MONDAY_0900 + timedelta(minutes=5)}
    assert (plain.updated_at, with_photo.updated_at) == (MONDAY_0900, MONDAY_0900 + timedelta(minutes=5))
