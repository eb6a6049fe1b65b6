"""The demo town's people register as it stands this year: in every grid a few houses (one let out in rooms, one
idle farmhouse in some villages), a household in each with two to four residents — synthetic names and phones,
valid synthetic ID numbers of 岱山县 (330921) — the default key and care groups with members, the grid workers'
visits of the last months (a member of every grid overdue, so a due list shows the lamps), the year's assistance
payments to the poorest households, a group-rental rectification in the hands of the fire-safety department and
a revitalised idle farmhouse.

Everything is entered through the domain functions, as the town's command room and grid workers would, one short
transaction per record: the register checks every ID number, digest and scope as it does for a person at a desk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from gridgov.data.assistance.domain import PaymentInput, record_payment
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.idcard import check_digit
from gridgov.data.org.models import Department
from gridgov.data.people.domain import (
    HouseholdInput,
    HouseInput,
    ResidentInput,
    install_default_groups,
    join_group,
    register_house,
    register_household,
    register_resident,
)
from gridgov.data.people.enums import HouseUse, Relation, ResidentKind, Sex
from gridgov.data.people.models import House, PersonGroup, Resident
from gridgov.data.people.revitalisation import revitalise_house
from gridgov.data.rentals.domain import RectificationInput, record_rectification
from gridgov.data.rentals.enums import Problem
from gridgov.data.visits.domain import VisitInput, record_visit
from gridgov.db.analyze import analyze_after_commit
from gridgov.ops.demo.organisation import Town

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅海燕建国志春花秋菊冬国庆晓东"
HOUSES_PER_GRID = 4
MIXED_USES = (HouseUse.GROUP_RENTAL, HouseUse.RENTED, HouseUse.OWN, HouseUse.IDLE)
# Care and key groups the demo puts people in (the sensitive ones are kept by their departments, not the demo).
DEMO_GROUPS = ("elderly_alone", "disabled", "minimum_living", "poor_family", "veteran", "left_behind_child")


# The import_key prefix of every row of the 2022 register (``ledgers_2022.people``).
MARK_2022 = "demo2022"


@dataclass(frozen=True, slots=True)
class PeopleMade:
    houses: int
    residents: int
    members: int
    visits: int
    payments: int


def demo_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def demo_id_number(rng: random.Random, birth: date, sex: Sex) -> str:
    """A valid number of 岱山县 (330921): the birth date, a sequence whose last digit says the sex, the check digit."""
    sequence = rng.randint(0, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if sex == Sex.MALE else (0, 2, 4, 6, 8))
    body = f"330921{birth:%Y%m%d}{sequence:03d}"
    return body + check_digit(body)


def demo_phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "158", "187", "135")) + f"{rng.randint(0, 99_999_999):08d}"


def _born(rng: random.Random, today: date, *, low: int, high: int) -> date:
    return today - timedelta(days=rng.randint(low * 365, high * 365))


def build_people(*, town: Town, rng: random.Random, now: datetime | None = None) -> PeopleMade:
    """The register of ``town`` for the demo (nothing when it already has this year's houses; the 2022 register,
    ``ledgers_2022.people``, marks its rows and is not counted)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if House.objects.filter(town=town.town).exclude(import_key__startswith=f"{MARK_2022}:").exists():
        return PeopleMade(0, 0, 0, 0, 0)
    install_default_groups(town=town.town)
    groups = {g.code: g for g in PersonGroup.objects.filter(town=town.town, code__in=DEMO_GROUPS)}
    operator = town.operator
    houses: list[House] = []
    residents: list[Resident] = []
    members: list[tuple[Resident, PersonGroup]] = []
    for g, grid in enumerate(town.grids):
        village = next(v for v in town.villages if grid.path.startswith(v.path))
        for n in range(HOUSES_PER_GRID):
            use = MIXED_USES[n] if g % 3 == 0 else HouseUse.OWN  # every third grid: a let house and an idle one
            house = register_house(
                actor=operator,
                data=HouseInput(
                    town=town.town,
                    village=village,
                    grid=grid,
                    address=f"{village.name}{g % 9 + 1}组{n + 1:02d}号",
                    use=use,
                    rooms={HouseUse.GROUP_RENTAL: 8, HouseUse.RENTED: 3}.get(use, 4),
                ),
                now=now,
            )
            houses.append(house)
            if use == HouseUse.IDLE:
                continue
            household = register_household(
                actor=operator, data=HouseholdInput(house=house, number=f"DX{g:03d}{n:02d}"), now=now
            )
            size = rng.randint(2, 4)
            for i in range(size):
                sex = rng.choice((Sex.MALE, Sex.FEMALE))
                birth = _born(rng, today, low=30, high=80) if i == 0 else _born(rng, today, low=3, high=70)
                resident = register_resident(
                    actor=operator,
                    data=ResidentInput(
                        household=household,
                        name=demo_name(rng),
                        id_number=demo_id_number(rng, birth, sex),
                        phone=demo_phone(rng) if i < 2 else "",
                        kind=ResidentKind.FLOATING if use == HouseUse.GROUP_RENTAL else ResidentKind.REGISTERED,
                        relation=Relation.HEAD if i == 0 else rng.choice((Relation.SPOUSE, Relation.CHILD)),
                    ),
                    now=now,
                )
                residents.append(resident)
                first_of_grid = not any(r.household.house.grid_id == grid.pk for r, _g in members)
                if i == 0 and use != HouseUse.GROUP_RENTAL and (first_of_grid or rng.random() < 0.5):
                    group = groups[rng.choice(DEMO_GROUPS)]
                    since = today - timedelta(days=rng.randint(20, 300))
                    join_group(actor=operator, resident=resident, group=group, since=since, now=now)
                    members.append((resident, group))
    visits = _visits(town=town, rng=rng, members=members, now=now)
    payments = _payments(town=town, rng=rng, members=members, now=now)
    _rental_and_farmhouse(town=town, houses=houses, now=now)
    analyze_after_commit()  # planner statistics of the register just filled (PostgreSQL)
    return PeopleMade(len(houses), len(residents), len(members), visits, payments)


def _visits(*, town: Town, rng: random.Random, members: list[tuple[Resident, PersonGroup]], now: datetime) -> int:
    """Every member but the first of each grid (overdue: a red lamp on every due list) visited once in the last two
    months by their grid's worker, two of three times."""
    made = 0
    grids_seen: set[int] = set()
    for resident, _group in members:
        grid_id = resident.household.house.grid_id or 0
        worker = town.grid_workers.get(grid_id)
        first = grid_id not in grids_seen
        grids_seen.add(grid_id)
        if worker is None or first or rng.random() < 1 / 3:
            continue
        at = now - timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 6))
        record_visit(
            worker=worker,
            data=VisitInput(visited_at=at, resident_id=resident.pk, note="入户走访，了解生活情况，身体状况良好"),
            now=now,
        )
        made += 1
    return made


def _payments(*, town: Town, rng: random.Random, members: list[tuple[Resident, PersonGroup]], now: datetime) -> int:
    """The year's monthly 低保 to the members of 低保/低边 so far, and a 慰问金 to each family in hardship."""
    civil = (
        Department.objects.filter(town=town.town, name__contains="民政").first()
        or Department.objects.filter(town=town.town, name__contains="社会事务").first()
    )
    today = timezone.localtime(now).date()
    made = 0
    for resident, group in members:
        household = resident.household
        if group.code == "minimum_living":
            for month in range(1, today.month):
                paid_on = date(today.year, month, 10)
                data = PaymentInput(
                    household=household,
                    kind=PaymentKind.MINIMUM_LIVING,
                    amount=Decimal(rng.choice((980, 1080, 1180))),
                    paid_on=paid_on,
                    resident=resident,
                    source="县级财政",
                    department=civil,
                )
                record_payment(town=town.town, actor=town.operator, data=data, now=now)
                made += 1
        elif group.code == "poor_family":
            data = PaymentInput(
                household=household,
                kind=PaymentKind.CONDOLENCE,
                amount=Decimal(1000),
                paid_on=today - timedelta(days=rng.randint(1, 90)),
                resident=resident,
                source="镇慈善分会",
                department=civil,
            )
            record_payment(town=town.town, actor=town.operator, data=data, now=now)
            made += 1
    return made


def _rental_and_farmhouse(*, town: Town, houses: list[House], now: datetime) -> None:
    """The first group-rental house's fire-safety check, sent to the department; the first idle farmhouse put to
    use as a homestay (民宿) with the household's added income."""
    rental = next((h for h in houses if h.use == HouseUse.GROUP_RENTAL), None)
    if rental is not None:
        fire = Department.objects.filter(town=town.town, name__contains="应急").first()
        record_rectification(
            actor=town.operator,
            data=RectificationInput(
                house=rental,
                rooms=3,
                problems=(Problem.INDOOR_CHARGING, Problem.NO_SMOKE_ALARM),
                measures="限期清理室内充电设施，每间加装独立式烟感报警器",
                found_on=timezone.localtime(now).date() - timedelta(days=2),
                department=fire,
            ),
            now=now,
        )
    idle = next((h for h in houses if h.use == HouseUse.IDLE), None)
    if idle is not None:
        revitalise_house(
            actor=town.operator,
            house=idle,
            on=timezone.localtime(now).date() - timedelta(days=40),
            added_income="3.5万元",
            now=now,
        )
