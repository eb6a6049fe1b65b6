"""Houses and rectifications for the rentals tests, on the shared town world (``tests.factories``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action
from gridgov.data.org.models import Area
from gridgov.data.people.enums import HouseUse
from gridgov.data.people.models import House
from gridgov.data.rentals.domain import RectificationInput, accept, record_rectification, rectify
from gridgov.data.rentals.enums import Problem
from gridgov.data.rentals.models import Rectification
from gridgov.data.taxonomy.models import Category
from tests.factories import MONDAY_0900, TownWorld, photo

PROBLEMS = (Problem.BLOCKED_EXIT, Problem.INDOOR_CHARGING)


def make_house(
    world: TownWorld,
    address: str = "双合村3组12号",
    *,
    use: HouseUse = HouseUse.GROUP_RENTAL,
    rooms: int = 8,
    village: Area | None = None,
    grid: Area | None = None,
) -> House:
    """A house of the register (written directly: the register's own domain is another part of issue 15)."""
    village = village or world.village_a
    if grid is None and village == world.village_a:
        grid = world.grid_a
    return House.objects.create(
        town=world.town,
        village=village,
        grid=grid,
        address=address,
        use=use,
        rooms=rooms,
        created_at=MONDAY_0900,
        updated_at=MONDAY_0900,
    )


def fire_safety_by(world: TownWorld) -> None:
    """The town's fire-safety cases (消防安全/群租房) go to department B (村镇建设办, handler B)."""
    Category.objects.filter(town=world.town, code="0705").update(default_department=world.dept_b)


def record(
    world: TownWorld, house: House, *, rooms: int = 3, now: datetime = MONDAY_0900, found_on: date | None = None
) -> Rectification:
    return record_rectification(
        actor=world.operator,
        data=RectificationInput(house=house, rooms=rooms, problems=PROBLEMS, found_on=found_on),
        now=now,
    )


def close(world: TownWorld, rectification: Rectification, when: datetime) -> None:
    """Signed, rectified (整改) and accepted (验收) through the engine, a minute apart from ``when``."""
    apply_action(case_id=rectification.case_id, actor=world.handler_b, action=Action.SIGN, now=when)
    rectify(
        rectification=rectification,
        actor=world.handler_b,
        measures="清理通道，增设集中充电桩",
        rectified_on=when.date(),
        photos=photo(),
        now=when + timedelta(minutes=1),
    )
    accept(rectification=rectification, actor=world.operator, now=when + timedelta(minutes=2))
