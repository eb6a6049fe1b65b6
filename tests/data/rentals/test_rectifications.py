"""Group-rental rectifications (群租房整改): recorded as a hazard case registered and dispatched with the
category's deadline, the bad input refused with nothing written, the life through the engine (整改 → 验收),
"整改群租房N间" from the closed cases of a year, and who sees them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gridgov.data.access.permissions import visible_records
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Channel, Kind, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import Role
from gridgov.data.people.enums import HouseUse
from gridgov.data.rentals.domain import RectificationInput, plan_rectification, record_rectification, rectify
from gridgov.data.rentals.enums import Problem
from gridgov.data.rentals.figures import rectified_rooms
from gridgov.data.rentals.models import Rectification
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import TimeUnit
from tests.data.rentals.builders import PROBLEMS, close, fire_safety_by, make_house, record
from tests.factories import MONDAY_0900, TownWorld, at, photo


@pytest.fixture
def rentals(world: TownWorld) -> TownWorld:
    fire_safety_by(world)
    return world


def test_recorded_as_a_hazard_case_registered_and_dispatched_with_the_category_deadline(rentals: TownWorld) -> None:
    w = rentals
    house = make_house(w)
    row = record(w, house, rooms=3)
    case = Case.objects.select_related("category", "department").get(pk=row.case_id)
    assert (case.kind, case.channel, case.status, case.category.code, case.department) == (
        Kind.HAZARD,
        Channel.INSPECTION,
        Status.DISPATCHED,
        "0705",
        w.dept_b,
    )
    assert (case.area_id, case.address, case.title) == (w.grid_a.pk, "双合村3组12号", "群租房整改：双合村3组12号")
    assert case.description == "群租房3间存在：消防通道堵塞、电动车室内充电"
    # 消防安全/群租房: three working days from the dispatch (Monday 09:00 → Thursday 09:00)
    expected = WorkCalendar.load().add_limit(MONDAY_0900, 3, TimeUnit.WORK_DAYS)
    assert (case.handle_deadline, case.handle_deadline.date()) == (expected, date(2026, 11, 26))
    steps = list(CaseAction.objects.filter(case=case).order_by("seq").values_list("action", flat=True))
    assert steps == [Action.REPORT, Action.REGISTER, Action.DISPATCH]
    assert (row.town, row.house, row.rooms, row.problem_list, row.found_on) == (
        w.town,
        house,
        3,
        [Problem.BLOCKED_EXIT, Problem.INDOOR_CHARGING],
        MONDAY_0900.date(),
    )


def test_a_department_given_is_dispatched_to(world: TownWorld) -> None:
    house = make_house(world)
    row = record_rectification(
        actor=world.operator,
        data=RectificationInput(house=house, rooms=1, problems=(Problem.NO_SMOKE_ALARM,), department=world.dept_a),
        now=MONDAY_0900,
    )
    assert row.case.department == world.dept_a


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"house": "own"}, "house", "房屋“双合村3组12号”不是群租房"),
        ({"rooms": 0}, "rooms", "涉及间数至少为1间"),
        ({"rooms": 9}, "rooms", "涉及间数不能超过该房屋的间数（8间）"),
        ({"problems": ()}, "problems", "请至少选择一项存在问题"),
        ({"problems": ("smoking",)}, "problems", "存在问题“smoking”无效"),
        ({"found_on": date(2026, 11, 24)}, "found_on", "发现日期不能晚于今天"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    rentals: TownWorld, change: dict[str, object], field: str, message: str
) -> None:
    w = rentals
    house = make_house(w, use=HouseUse.OWN if change.get("house") else HouseUse.GROUP_RENTAL)
    values: dict[str, object] = {"house": house, "rooms": 2, "problems": PROBLEMS}
    values.update({k: v for k, v in change.items() if k != "house"})
    data = RectificationInput(**values)
    with pytest.raises(InvalidInput) as error:
        record_rectification(actor=w.operator, data=data, now=MONDAY_0900)
    assert (error.value.field, error.value.message) == (field, message)
    assert (Case.objects.count(), Rectification.objects.count()) == (0, 0)


def test_without_a_fire_safety_department_the_department_is_asked_for(world: TownWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        record(world, make_house(world))
    assert (error.value.field, error.value.message) == ("department", "本镇未设消防安全的处置部门，请选择承办部门")
    assert Case.objects.count() == 0


@pytest.mark.parametrize("role", [Role.HANDLER, Role.GRID_WORKER, Role.VILLAGE_STAFF, Role.LEADER, Role.RESIDENT])
def test_only_the_command_room_records(rentals: TownWorld, role: Role) -> None:
    house = make_house(rentals)
    data = RectificationInput(house=house, rooms=1, problems=PROBLEMS)
    with pytest.raises(NotAllowed):
        record_rectification(actor=rentals.persona(role), data=data, now=MONDAY_0900)
    assert Case.objects.count() == 0


def test_life_through_the_engine_rectify_then_accept_closes(rentals: TownWorld) -> None:
    w = rentals
    row = record(w, make_house(w))
    when = MONDAY_0900 + timedelta(minutes=5)
    apply_action(case_id=row.case_id, actor=w.handler_b, action=Action.SIGN, now=when)
    with pytest.raises(InvalidInput) as error:
        rectify(rectification=row, actor=w.handler_b, measures=" ", rectified_on=when.date(), photos=photo(), now=when)
    assert error.value.field == "measures"
    with pytest.raises(InvalidInput) as error:
        rectify(
            rectification=row,
            actor=w.handler_b,
            measures="拆除隔断",
            rectified_on=date(2026, 11, 22),
            photos=photo(),
            now=when,
        )
    assert (error.value.field, error.value.message) == ("rectified_on", "整改完成日期不能早于发现日期")
    rectify(
        rectification=row, actor=w.handler_b, measures="拆除隔断", rectified_on=when.date(), photos=photo(), now=when
    )
    row.refresh_from_db()
    assert (row.case.status, row.measures, row.rectified_on) == (Status.RESOLVED, "拆除隔断", when.date())
    # 验收 is the case's verify pass: the handler may not accept their own work
    with pytest.raises(NotAllowed):
        apply_action(case_id=row.case_id, actor=w.handler_b, action=Action.VERIFY_PASS, now=when)
    close_at = when + timedelta(minutes=1)
    apply_action(case_id=row.case_id, actor=w.operator, action=Action.VERIFY_PASS, now=close_at)
    row.case.refresh_from_db()
    assert (row.case.status, row.case.closed_at) == (Status.CLOSED, close_at)


def test_rectified_rooms_counts_the_rooms_of_cases_closed_in_the_year(rentals: TownWorld) -> None:
    w = rentals
    houses = [make_house(w, f"双合村3组{n}号", rooms=10) for n in range(1, 6)]
    closed_now = record(w, houses[0], rooms=4)
    close(w, closed_now, MONDAY_0900 + timedelta(minutes=10))
    open_row = record(w, houses[1], rooms=5)  # rectified, not yet accepted: not counted
    apply_action(case_id=open_row.case_id, actor=w.handler_b, action=Action.SIGN, now=MONDAY_0900)
    rectify(rectification=open_row, actor=w.handler_b, measures="整改", rectified_on=MONDAY_0900.date(), photos=photo())
    last_year = record(w, houses[2], rooms=2, now=at(2025, 12, 29))
    close(w, last_year, at(2025, 12, 30))
    across = record(w, houses[3], rooms=7, now=at(2025, 12, 30))  # found in 2025, accepted in 2026
    close(w, across, at(2026, 1, 5))
    record(w, houses[4], rooms=9)  # just dispatched

    this_year = rectified_rooms(town=w.town, year=2026)
    assert (this_year.value, this_year.unit, this_year.label) == (11, "间", "整改群租房")
    assert this_year.cases is not None
    assert sorted(this_year.cases.values_list("pk", flat=True)) == sorted([closed_now.case_id, across.case_id])
    assert rectified_rooms(town=w.town, year=2025).value == 2
    # as the year stood before the accepting this morning
    assert rectified_rooms(town=w.town, year=2026, as_of=MONDAY_0900).value == 7


def test_plan_rectification_replays_the_same_filing_in_memory(rentals: TownWorld) -> None:
    w = rentals
    house = make_house(w)
    planned = plan_rectification(
        actor=w.operator,
        data=RectificationInput(house=house, rooms=2, problems=PROBLEMS),
        now=MONDAY_0900,
        calendar=WorkCalendar.load(),
    )
    case = planned.record.case
    assert (case.status, case.department, case.kind, case.category.code) == (
        Status.DISPATCHED,
        w.dept_b,
        Kind.HAZARD,
        "0705",
    )
    assert case.handle_deadline == WorkCalendar.load().add_limit(MONDAY_0900, 3, TimeUnit.WORK_DAYS)
    assert (Case.objects.count(), Rectification.objects.count()) == (0, 0)
    with pytest.raises(InvalidInput):
        plan_rectification(
            actor=w.operator,
            data=RectificationInput(house=house, rooms=20, problems=PROBLEMS),
            now=MONDAY_0900,
            calendar=WorkCalendar.load(),
        )


def test_who_sees_a_rectification(rentals: TownWorld) -> None:
    """Through its case: the town's command room and leaders, the department it was dispatched to, and the
    village and grid it is in; not the other department, village or grid, nor residents and companies."""
    w = rentals
    row = record(w, make_house(w))
    people = {
        "operator": w.operator,
        "leader": w.leader,
        "admin": w.admin,
        "handler_a": w.handler_a,
        "handler_b": w.handler_b,
        "grid_worker_a": w.grid_worker_a,
        "grid_worker_b": w.grid_worker_b,
        "village_staff_a": w.village_staff_a,
        "village_staff_b": w.village_staff_b,
        "resident": w.resident,
        "enterprise": w.enterprise,
    }
    seeing = sorted(name for name, user in people.items() if visible_records(user, Rectification).filter(pk=row.pk))
    assert seeing == ["admin", "grid_worker_a", "handler_b", "leader", "operator", "village_staff_a"]
