"""History import, the domain part: an old case becomes a case of ours with IMPORT actions and right milestones."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.domain.history import HistoricalCase, historical_case_exists, import_historical_case
from gridgov.data.cases.enums import Action, Channel, Satisfaction, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.errors import Conflict, InvalidInput
from tests.factories import at

pytestmark = pytest.mark.django_db


def closed_record(world, **changes) -> HistoricalCase:
    record = HistoricalCase(
        number="JYS-2022-0001",
        category=world.category_days,  # 公共设施 / 路灯: 3 working days, department 村镇建设办
        area=world.grid_a,
        channel=Channel.GRID_WORKER,
        description="村道路灯不亮",
        address="双合村12号",
        status=Status.CLOSED,
        reported_at=at(2022, 3, 7, 9, 0),  # Monday
        registered_at=at(2022, 3, 7, 9, 30),
        dispatched_at=at(2022, 3, 7, 10, 0),
        resolved_at=at(2022, 3, 9, 15, 0),
        closed_at=at(2022, 3, 10, 10, 0),
        rework_count=1,
        satisfaction=Satisfaction.BASICALLY,
        department=world.dept_b,
    )
    return dataclasses.replace(record, **changes)


def test_a_closed_case_gets_its_milestones_deadline_and_import_actions(world) -> None:
    case = import_historical_case(
        town=world.town, record=closed_record(world), imported_by=world.admin, now=at(2026, 11, 25)
    )
    assert case is not None
    case.refresh_from_db()
    assert (case.number, case.year, case.status, case.imported) == ("JYS-2022-0001", 2022, Status.CLOSED, True)
    assert (case.village, case.grid, case.department) == (world.village_a, world.grid_a, world.dept_b)
    assert (case.category, case.major_category_id) == (world.category_days, world.category_days.parent_id)
    assert case.reported_at == at(2022, 3, 7, 9, 0)
    assert case.registered_at == at(2022, 3, 7, 9, 30)
    assert case.dispatched_at == at(2022, 3, 7, 10, 0)
    assert case.first_resolved_at == case.resolved_at == at(2022, 3, 9, 15, 0)
    assert case.closed_at == at(2022, 3, 10, 10, 0)
    # 3 working days from Monday 10:00 on the working calendar: Thursday 10:00.
    assert case.handle_deadline == at(2022, 3, 10, 10, 0)
    assert case.dispatch_deadline is not None
    assert (case.rework_count, case.satisfaction, case.self_resolved) == (1, Satisfaction.BASICALLY, False)
    assert case.reporter_role == "grid_worker"
    actions = list(case.actions.order_by("seq"))
    assert [(a.action, a.from_status, a.to_status, a.data["step"]) for a in actions] == [
        (Action.IMPORT, "", "reported", "report"),
        (Action.IMPORT, "reported", "registered", "register"),
        (Action.IMPORT, "registered", "dispatched", "dispatch"),
        (Action.IMPORT, "dispatched", "resolved", "resolve"),
        (Action.IMPORT, "resolved", "closed", "close"),
        (Action.IMPORT, "closed", "closed", "rate"),
    ]
    assert [a.created_at for a in actions] == [
        at(2022, 3, 7, 9, 0),
        at(2022, 3, 7, 9, 30),
        at(2022, 3, 7, 10, 0),
        at(2022, 3, 9, 15, 0),
        at(2022, 3, 10, 10, 0),
        at(2022, 3, 10, 10, 0),
    ]
    assert actions[3].data["on_time"] is True
    assert actions[5].data["rating"] == "basically"
    assert actions[0].data["imported_by"] == {"id": world.admin.pk, "name": "管理员"}
    assert (case.action_count, case.audit_head) == (6, actions[-1].hash)
    assert [broken for _c, broken in verify_chains([case])] == [None]


def test_the_old_deadline_wins_and_a_late_resolution_is_marked_late(world) -> None:
    record = closed_record(world, deadline=at(2022, 3, 8, 17, 30), satisfaction=None, rework_count=0)
    case = import_historical_case(town=world.town, record=record, imported_by=None)
    assert case is not None
    assert case.handle_deadline == at(2022, 3, 8, 17, 30)
    # Monday 10:00–12:00 and 13:30–17:30 (360 minutes), then all of Tuesday (450 minutes).
    assert case.handle_limit_minutes == 360 + 450
    resolve = CaseAction.objects.get(case=case, data__step="resolve")
    assert resolve.data["on_time"] is False


def test_a_case_closed_without_dispatch_was_resolved_on_the_spot(world) -> None:
    record = closed_record(
        world,
        registered_at=None,
        dispatched_at=None,
        resolved_at=None,
        rework_count=0,
        satisfaction=None,
        closed_at=at(2022, 3, 7, 9, 40),
    )
    case = import_historical_case(town=world.town, record=record, imported_by=None)
    assert case is not None
    assert case.self_resolved is True
    assert case.registered_at == case.reported_at == at(2022, 3, 7, 9, 0)
    assert case.resolved_at == case.closed_at == at(2022, 3, 7, 9, 40)
    assert case.department is None
    assert case.handle_deadline is None
    steps = list(case.actions.order_by("seq").values_list("data__step", "to_status"))
    assert steps == [("report", "reported"), ("self_resolve", "closed")]


def test_rejected_and_open_cases(world) -> None:
    rejected = closed_record(
        world,
        number="R1",
        status=Status.REJECTED,
        registered_at=None,
        dispatched_at=None,
        resolved_at=None,
        rework_count=0,
        satisfaction=None,
        closed_at=at(2022, 3, 7, 11, 0),
    )
    handling = closed_record(
        world, number="H1", status=Status.HANDLING, resolved_at=None, closed_at=None, rework_count=0, satisfaction=None
    )
    reworked = closed_record(world, number="H2", status=Status.HANDLING, closed_at=None, satisfaction=None)
    made = [import_historical_case(town=world.town, record=r, imported_by=None) for r in (rejected, handling, reworked)]
    assert [(c.number, c.status) for c in made if c is not None] == [
        ("R1", Status.REJECTED),
        ("H1", Status.HANDLING),
        ("H2", Status.HANDLING),
    ]
    assert made[0] is not None
    assert made[0].rejected_at == at(2022, 3, 7, 11, 0)
    assert made[0].registered_at is None
    steps = {
        c.number: list(c.actions.order_by("seq").values_list("data__step", flat=True)) for c in made if c is not None
    }
    assert steps == {
        "R1": ["report", "reject"],
        "H1": ["report", "register", "dispatch", "sign"],
        "H2": ["report", "register", "dispatch", "resolve", "rework"],
    }
    assert all(broken is None for _c, broken in verify_chains(Case.objects.all()))


def test_importing_twice_changes_nothing(world) -> None:
    record = closed_record(world)
    assert import_historical_case(town=world.town, record=record, imported_by=None) is not None
    assert historical_case_exists(town=world.town, number="JYS-2022-0001") is True
    assert import_historical_case(town=world.town, record=record, imported_by=None) is None
    assert (Case.objects.count(), CaseAction.objects.count()) == (1, 6)


def test_a_number_in_the_towns_own_pattern_keeps_its_sequence(world) -> None:
    record = closed_record(world, number="DX2022-000005")
    case = import_historical_case(town=world.town, record=record, imported_by=None)
    assert case is not None
    assert case.seq == 5
    other = import_historical_case(town=world.town, record=closed_record(world, number="OLD-1"), imported_by=None)
    assert other is not None
    assert other.seq == 6
    native = world.report(now=at(2022, 6, 1))
    assert native.number == "DX2022-000007"


def test_a_native_cases_number_cannot_be_imported(world) -> None:
    native = world.report(now=at(2022, 6, 1))
    with pytest.raises(Conflict) as caught:
        import_historical_case(town=world.town, record=closed_record(world, number=native.number), imported_by=None)
    assert str(caught.value) == f"编号 {native.number} 已被本平台的事件使用，不能作为历史事件导入"
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"closed_at": at(2022, 3, 6, 9, 0)},
            "closed_at",
            "结案时间（2022-03-06 09:00）早于处置完成时间（2022-03-09 15:00）",
        ),
        (
            {"registered_at": at(2022, 3, 7, 8, 0)},
            "registered_at",
            "立案时间（2022-03-07 08:00）早于上报时间（2022-03-07 09:00）",
        ),
        ({"closed_at": None}, "closed_at", "状态为“已结案”的事件必须有结案时间"),
        ({"status": Status.REPORTED}, "registered_at", "状态为“待受理”的事件不应有立案时间"),
        ({"status": Status.SUSPENDED}, "status", "不能导入状态为“缓办”的事件，请在原系统恢复办理后再导出"),
        ({"rework_count": -1}, "rework_count", "返工次数不能为负数"),
        ({"description": "  "}, "description", "请填写事件描述"),
        ({"number": ""}, "number", "请填写事件编号"),
        ({"deadline": at(2022, 3, 1)}, "deadline", "处置期限早于上报时间"),
        ({"reported_at": at(2099, 1, 1)}, "reported_at", "上报时间晚于当前时间"),
    ],
)
def test_inconsistent_records_are_refused_with_the_column_and_reason(world, changes, field, message) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_historical_case(town=world.town, record=closed_record(world, **changes), imported_by=None)
    assert (caught.value.field, str(caught.value)) == (field, message)
    assert Case.objects.count() == 0


def test_satisfaction_only_on_closed_cases(world) -> None:
    record = closed_record(world, status=Status.RESOLVED, closed_at=None)
    with pytest.raises(InvalidInput) as caught:
        import_historical_case(town=world.town, record=record, imported_by=None)
    assert (caught.value.field, str(caught.value)) == ("satisfaction", "只有已结案的事件才能有满意度评价")


def test_closure_rate_counts_imported_cases_like_native_ones(world) -> None:
    """办结率 = cohort closed / cohort, by registration time — recounted here over the Case fields."""
    start = at(2022, 1, 1, 0, 0)
    for n in range(4):
        import_historical_case(
            town=world.town,
            record=closed_record(world, number=f"C{n}", reported_at=at(2022, 3, 7, 9, 0) - timedelta(minutes=n)),
            imported_by=None,
        )
    import_historical_case(
        town=world.town,
        record=closed_record(world, number="OPEN", status=Status.RESOLVED, closed_at=None, satisfaction=None),
        imported_by=None,
    )
    native = world.bring_to(Status.CLOSED, now=at(2022, 5, 9))
    assert native.imported is False
    cohort = Case.objects.filter(town=world.town, registered_at__gte=start, registered_at__lt=at(2023, 1, 1, 0, 0))
    closed = cohort.filter(status=Status.CLOSED)
    assert (cohort.count(), closed.count()) == (6, 5)
