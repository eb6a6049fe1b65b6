"""岱西镇's 2022 people records, as the 2023 work report counts them: 整改群租房1278间, 盘活闲置农房205户 (农户年增收
240余万元), 纳管人员1406人, 走访困难对象170户, 发放慰问金21万元, 低保低边及生活补助共计167万元, 社会养老保险、医疗保险
补助61人次, 301名退役军人优待证申领及发放, 16名残疾人享受日间照料服务 — each figure counted from the records written
here.

The register behind them (houses, households, residents: synthetic names and phones, valid synthetic ID numbers of
岱山县, encrypted by the model fields and found again by ``id_digest`` = ``privacy.blind_index`` as the register does)
is spread over every grid of the town. It is another set of people than this year's demo register
(``ops.demo.people``: other addresses, 户号 and ID numbers, ``import_key`` "demo2022:…"), so both live side by side.
The 2022 cohort's group memberships have ended since (帮教期满, 矫正期满, 成年, 动态调整退出), and the rectified
group-rental houses were let as ordinary rentals after 验收, so this year's due lists stay those of this year's
register.

Everything is planned in memory first (the checks of the domain: ``check_rectification``, ``check_payment``,
``check_card``; the rectifications' cases replayed by the engine's rules), then written a slice at a time with bulk
inserts — each slice one short transaction (its houses, households, residents and their records together; or its
group-rental houses with their cases, hash-chained by the bulk path, and rectification rows). The plan is the same
for the same random stream, and a slice whose houses exist is skipped: run again (after an interruption or not), the
build writes only what is missing and the figures stay exact.
"""

from __future__ import annotations

import functools
import gc
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from gridgov.data.assistance.domain import PaymentInput, check_card, check_payment
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.assistance.models import DayCareAttendance
from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.bulk import CaseRecord, store_photo, write_cases
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action, AttachmentKind
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area
from gridgov.data.people.domain import install_default_groups
from gridgov.data.people.enums import HouseUse, Relation, ResidentKind, Revitalisation, Sex
from gridgov.data.people.models import GroupMembership, House, Household, Resident
from gridgov.data.privacy import blind_index
from gridgov.data.rentals.domain import RectificationInput, check_rectification, rectification_row
from gridgov.data.rentals.enums import Problem
from gridgov.data.rentals.models import Rectification
from gridgov.data.visits.models import Visit
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import Clock
from gridgov.ops.demo.ledgers_2022.problemlists import _jpeg, is_current
from gridgov.ops.demo.organisation import Town, load_organisation
from gridgov.ops.demo.people import MARK_2022, demo_id_number, demo_name, demo_phone

log = logging.getLogger("gridgov.demo")
SHANGHAI = ZoneInfo("Asia/Shanghai")

RECTIFIED_ROOMS = 1278  # 整改群租房1278间
REVITALISED = 205  # 盘活闲置农房205户
ADDED_INCOME = Decimal(2_416_800)  # 农户年增收240余万元
IDLE_NOT_REVITALISED = 24
# 纳管人员1406人: new members of the key groups in the year — mostly released prisoners (安置帮教) and youth at
# risk; the sensitive groups (社区矫正, 吸毒, 严重精神障碍) a small share.
KEY_MEMBERS = {
    "released_prisoner": 560,
    "key_youth": 600,
    "community_correction": 110,
    "drug_user": 60,
    "mental_disorder": 76,
}
SENSITIVE = frozenset({"community_correction", "drug_user", "mental_disorder"})
# 走访困难对象170户: households of 低保/低边 (80 低保, 30 低边) and of families in hardship.
DIBAO_HOUSEHOLDS, DIBIAN_HOUSEHOLDS, POOR_HOUSEHOLDS = 80, 30, 60
CONDOLENCE_TOTAL = Decimal(210_000)  # 发放慰问金21万元
LIVING_TOTAL = Decimal(1_670_000)  # 低保低边及生活补助共计167万元
MEDICAL_SUBSIDIES, PENSION_SUBSIDIES = 41, 20  # 社会养老保险、医疗保险补助61人次
VETERANS = 301  # 301名退役军人优待证申领及发放
VETERANS_CONDOLED = 36  # of them, visited with a 慰问金 for 八一
DAY_CARE = 16  # 16名残疾人享受日间照料服务
DAY_CARE_PROVIDER = "岱西镇残疾人之家"

PREFIXES = {"house": "H", "household": "F", "resident": "R", "card": "V"}
HOUSEHOLDS_PER_SLICE = 50  # about 140 residents and their records: well under 200 ms of write lock
RENTALS_PER_SLICE = 40  # cases of five steps each


@dataclass(frozen=True, slots=True)
class PeopleMade2022:
    houses: int
    residents: int
    rectifications: int
    seconds: float
    longest_slice: float = 0.0  # seconds of the longest write transaction


@dataclass
class _Slice:
    """What one transaction writes; ``houses[0]``'s import_key marks it written."""

    houses: list[House] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)
    rows: list[Model] = field(default_factory=list)  # memberships, visits, payments, cards, day care
    rentals: list[tuple[CaseRecord, Rectification]] = field(default_factory=list)


def split_total(total: Decimal, parts: int, rng: random.Random, *, step: int, spread: float) -> list[Decimal]:
    """``total`` in ``parts`` amounts, multiples of ``step`` (the last absorbs the rounding), each about the
    average ± ``spread``; adding up to ``total`` exactly."""
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(parts)]
    whole = sum(weights)
    amounts = [Decimal(int(float(total) * w / whole) // step * step) for w in weights]
    amounts[-1] += total - sum(amounts)
    assert all(a > 0 for a in amounts)
    return amounts


def _moment(day: date, rng: random.Random, *, start: int = 9, end: int = 17) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(start, end - 1), rng.randint(0, 59), tzinfo=SHANGHAI)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


class _Planner:
    """The year's register and records, in memory, in the order they are written."""

    def __init__(self, org: Town, rng: random.Random, year: int, now: datetime) -> None:
        self.org, self.rng, self.year = org, rng, year
        self.town = org.town
        self.today = timezone.localdate(now)
        self.first, self.last = date(year, 1, 1), date(year, 12, 28)
        self.middle = date(year, 7, 1)
        self.groups = {g.code: g for g in install_default_groups(town=org.town)}
        self.social = org.departments.get("SHB")
        self.numbers = {"house": 0, "household": 0, "resident": 0, "card": 0}
        self.per_village: dict[int, int] = {}
        # ID numbers already registered in the town (this year's demo people): never given twice.
        self.taken = set(
            Resident.objects.filter(town=org.town)
            .exclude(import_key__startswith=f"{MARK_2022}:")
            .exclude(id_digest="")
            .values_list("id_digest", flat=True)
        )
        self.registered_at = datetime(year, 1, 4, 9, 0, tzinfo=SHANGHAI)

    # -- the register ---------------------------------------------------------------------------------

    def key(self, kind: str) -> str:
        self.numbers[kind] += 1
        return f"{MARK_2022}:{PREFIXES[kind]}{self.numbers[kind]:05d}"

    def house(self, grid: Area, use: HouseUse, *, rooms: int = 4) -> House:
        village = grid.parent
        assert village is not None
        n = self.per_village[village.pk] = self.per_village.get(village.pk, 100) + 1
        zu = self.org.grids.index(grid) % 3 * 3 + n % 3 + 1
        return House(
            town=self.town,
            village=village,
            grid=grid,
            address=f"{village.name}{zu}组{n:03d}号",
            use=use,
            rooms=rooms,
            import_key=self.key("house"),
            created_at=self.registered_at,
            updated_at=self.registered_at,
        )

    def grid(self, n: int) -> Area:
        return self.org.grids[n % len(self.org.grids)]

    def born(self, low: int, high: int) -> date:
        return self.middle - timedelta(days=self.rng.randint(low * 365, high * 365))

    def person(
        self, household: Household, *, age: tuple[int, int], relation: Relation, male: float = 0.5, kind: str = ""
    ) -> Resident:
        sex = Sex.MALE if self.rng.random() < male else Sex.FEMALE
        while True:
            birth = self.born(*age)
            number = demo_id_number(self.rng, birth, sex)
            digest = blind_index(number)
            if digest not in self.taken:
                self.taken.add(digest)
                break
        adult = birth <= self.middle - timedelta(days=18 * 365)
        return Resident(
            town=self.town,
            household=household,
            name=demo_name(self.rng),
            id_number=number,
            id_digest=digest,
            birth_date=birth,
            sex=sex,
            phone=demo_phone(self.rng) if adult else "",
            kind=kind or ResidentKind.REGISTERED,
            relation=relation,
            import_key=self.key("resident"),
            created_at=self.registered_at,
            updated_at=self.registered_at,
        )

    def family(
        self, part: _Slice, grid: Area, *, age: tuple[int, int], male: float, child: bool = False, kind: str = ""
    ) -> Resident:
        """A house and a household in ``grid``, with the person the records are about (the head, or a child of
        the head when ``child``) and the people living with them; returns that person."""
        house = self.house(grid, HouseUse.OWN, rooms=self.rng.randint(3, 6))
        key = self.key("household")
        household = Household(
            town=self.town,
            house=house,
            number=f"DX22-{key[-5:]}",
            import_key=key,
            created_at=self.registered_at,
            updated_at=self.registered_at,
        )
        part.houses.append(house)
        part.households.append(household)
        rng = self.rng
        people: list[Resident] = []
        if child:
            head = self.person(household, age=(age[1] + 20, age[1] + 35), relation=Relation.HEAD, kind=kind)
            subject = self.person(household, age=age, relation=Relation.CHILD, male=male, kind=kind)
            people += [head, subject]
            if rng.random() < 0.7:
                people.append(self.person(household, age=(age[1] + 20, age[1] + 35), relation=Relation.SPOUSE))
        else:
            subject = self.person(household, age=age, relation=Relation.HEAD, male=male, kind=kind)
            people.append(subject)
            subject_age = (self.middle - (subject.birth_date or self.middle)).days // 365
            if rng.random() < 0.6:
                people.append(
                    self.person(household, age=(max(18, subject_age - 5), subject_age + 5), relation=Relation.SPOUSE)
                )
            if subject_age >= 28 and rng.random() < 0.5:
                people.append(self.person(household, age=(1, min(subject_age - 20, 40)), relation=Relation.CHILD))
            if subject_age <= 45 and rng.random() < 0.25:
                people.append(
                    self.person(household, age=(subject_age + 22, subject_age + 35), relation=Relation.PARENT)
                )
        part.residents += people
        return subject

    def day(self, low: date, high: date) -> date:
        return low + timedelta(days=self.rng.randint(0, max(0, (high - low).days)))

    def until(self, since: date, *, years: tuple[float, float]) -> date:
        """When a membership of the year ended: some time later, but before today."""
        end = since + timedelta(days=round(365 * self.rng.uniform(*years)))
        return max(since, min(end, self.today - timedelta(days=self.rng.randint(30, 300))))

    def visits(self, part: _Slice, resident: Resident, grid: Area, since: date, every: int) -> None:
        """The grid worker's visits of the year to a member, about every ``every`` days from ``since``."""
        worker = self.org.grid_workers[grid.pk]
        village = grid.parent
        day = max(since, self.first) + timedelta(days=self.rng.randint(3, 20))
        while day <= self.last:
            at = _moment(_weekday(day), self.rng)
            if at.date() > self.last:
                break
            part.rows.append(
                Visit(
                    town=self.town,
                    worker=worker,
                    resident=resident,
                    village=village,
                    grid=grid,
                    visited_at=at,
                    note=self.rng.choice(VISIT_NOTES),
                    created_at=at + timedelta(minutes=self.rng.randint(2, 30)),
                )
            )
            day += timedelta(days=every + self.rng.randint(-5, 5))

    def member(self, part: _Slice, resident: Resident, code: str, since: date, until: date) -> None:
        part.rows.append(
            GroupMembership(town=self.town, resident=resident, group=self.groups[code], since=since, until=until)
        )

    def payment(
        self,
        part: _Slice,
        resident: Resident,
        kind: PaymentKind,
        amount: Decimal,
        paid_on: date,
        source: str,
        note: str = "",
    ) -> None:
        data = PaymentInput(
            household=resident.household,
            kind=kind,
            amount=amount,
            paid_on=paid_on,
            resident=resident,
            source=source,
            department=self.social,
            note=note,
        )
        row = check_payment(town=self.town, data=data, today=self.today, actor=self.org.operator)
        row.created_at = _moment(paid_on, self.rng)
        part.rows.append(row)

    # -- the year ---------------------------------------------------------------------------------------

    def slices(self) -> Iterator[_Slice]:
        """Rentals first (their cases), then idle farmhouses, then the households, a slice at a time."""
        yield from self.rentals()
        yield self.farmhouses()
        yield from self.households()

    def households(self) -> Iterator[_Slice]:
        plans: list[Callable[[_Slice, int], None]] = []
        for code, count in KEY_MEMBERS.items():
            plans += [functools.partial(self.key_member, code=code)] * count
        care = ["dibao"] * DIBAO_HOUSEHOLDS + ["dibian"] * DIBIAN_HOUSEHOLDS + ["poor"] * POOR_HOUSEHOLDS
        self.care_amounts()
        plans += [functools.partial(self.care, what=what) for what in care]
        plans += [self.veteran] * VETERANS
        plans += [self.disabled] * DAY_CARE
        self.rng.shuffle(plans)
        part = _Slice()
        for n, plan in enumerate(plans):
            plan(part, n)
            if len(part.households) >= HOUSEHOLDS_PER_SLICE:
                yield part
                part = _Slice()
        if part.houses:
            yield part

    def key_member(self, part: _Slice, n: int, code: str) -> None:
        rng = self.rng
        grid = self.grid(n)
        if code == "key_youth":
            subject = self.family(part, grid, age=(12, 17), male=0.7, child=True)
            years = (0.5, 2.5)
        else:
            age = {"mental_disorder": (20, 70), "drug_user": (22, 55)}.get(code, (22, 60))
            male = {"mental_disorder": 0.55}.get(code, 0.85)
            kind = ResidentKind.FLOATING if code == "released_prisoner" and rng.random() < 0.15 else ""
            subject = self.family(part, grid, age=age, male=male, kind=kind)
            years = {"community_correction": (0.5, 2.0), "mental_disorder": (1.0, 3.0)}.get(code, (1.0, 3.5))
        since = self.day(self.first + timedelta(days=3), date(self.year, 12, 20))
        self.member(part, subject, code, since, self.until(since, years=years))
        if code not in SENSITIVE:  # the sensitive groups are visited by their departments, not the grid worker
            self.visits(part, subject, grid, since, 90)

    def care_amounts(self) -> None:
        """The year's 生活补助 (what 低保 and 低边 leave of 167万元) and 慰问金 (21万元), split in advance."""
        rng = self.rng
        self.dibao = [Decimal(rng.choice((1010, 1060, 1120, 1180))) for _ in range(DIBAO_HOUSEHOLDS)]
        self.dibian = [Decimal(rng.choice((520, 580, 640))) for _ in range(DIBIAN_HOUSEHOLDS)]
        base = 12 * (sum(self.dibao) + sum(self.dibian))
        self.living = split_total(LIVING_TOTAL - base, POOR_HOUSEHOLDS * 4, rng, step=10, spread=0.3)
        care = DIBAO_HOUSEHOLDS + DIBIAN_HOUSEHOLDS + POOR_HOUSEHOLDS
        self.condolences = split_total(CONDOLENCE_TOTAL, care + VETERANS_CONDOLED, rng, step=100, spread=0.5)
        self.insured = 0
        self.veterans_condoled = 0

    def care(self, part: _Slice, n: int, what: str) -> None:
        year = self.year
        grid = self.grid(n)
        subject = self.family(part, grid, age=(45, 85), male=0.5)
        code = "poor_family" if what == "poor" else "minimum_living"
        since = self.day(date(year - 4, 3, 1), date(year - 1, 12, 1))
        self.member(part, subject, code, since, self.until(date(year + 1, 1, 1), years=(0.2, 2.5)))
        self.visits(part, subject, grid, self.first, 30 if code == "poor_family" else 90)
        if what == "dibao":
            amount = self.dibao.pop()
            for month in range(1, 13):
                self.payment(part, subject, PaymentKind.MINIMUM_LIVING, amount, date(year, month, 10), "县级财政")
        elif what == "dibian":
            amount = self.dibian.pop()
            for month in range(1, 13):
                self.payment(part, subject, PaymentKind.MARGINAL, amount, date(year, month, 10), "县级财政")
        else:
            for quarter in range(4):
                paid = date(year, quarter * 3 + 3, 20)
                self.payment(part, subject, PaymentKind.LIVING_ALLOWANCE, self.living.pop(), paid, "镇财政")
        spring = self.day(date(year, 1, 17), date(year, 1, 28))
        self.payment(part, subject, PaymentKind.CONDOLENCE, self.condolences.pop(), spring, "镇慈善分会", "春节慰问")
        if what != "poor" and self.insured < MEDICAL_SUBSIDIES + PENSION_SUBSIDIES:
            self.insured += 1
            if self.insured <= MEDICAL_SUBSIDIES:
                paid, kind, amount = (
                    self.day(date(year, 10, 10), date(year, 11, 30)),
                    PaymentKind.MEDICAL_SUBSIDY,
                    Decimal(350),
                )
            else:
                paid, kind, amount = (
                    self.day(date(year, 5, 10), date(year, 6, 30)),
                    PaymentKind.PENSION_SUBSIDY,
                    Decimal(200),
                )
            self.payment(part, subject, kind, amount, paid, "县医保局" if amount == 350 else "县人社局")

    def veteran(self, part: _Slice, n: int) -> None:
        year = self.year
        subject = self.family(part, self.grid(n), age=(25, 88), male=0.96)
        applied = self.day(date(year, 3, 1), date(year, 11, 15))
        issued = min(applied + timedelta(days=self.rng.randint(10, 40)), self.last)
        self.numbers["card"] += 1
        card = check_card(
            town=self.town,
            resident=subject,
            applied_on=applied,
            issued_on=issued,
            today=self.today,
            number=f"ZJ{year}{self.numbers['card']:05d}",
            department=self.social,
            import_key=f"{MARK_2022}:{PREFIXES['card']}{self.numbers['card']:05d}",
        )
        card.created_at = _moment(applied, self.rng)
        part.rows.append(card)
        if self.veterans_condoled < VETERANS_CONDOLED:
            self.veterans_condoled += 1
            day = self.day(date(year, 7, 25), date(year, 7, 31))
            self.payment(part, subject, PaymentKind.CONDOLENCE, self.condolences.pop(), day, "镇财政", "八一慰问")

    def disabled(self, part: _Slice, n: int) -> None:
        year, rng = self.year, self.rng
        subject = self.family(part, self.grid(n), age=(18, 60), male=0.55)
        day = _weekday(self.day(date(year, 1, 4), date(year, 6, 30)))
        weekdays = sorted(rng.sample(range(5), rng.choice((2, 3))))
        while day <= self.last:
            if day.weekday() in weekdays:
                part.rows.append(
                    DayCareAttendance(
                        town=self.town,
                        resident=subject,
                        department=self.social,
                        day=day,
                        provider=DAY_CARE_PROVIDER,
                        created_at=_moment(day, rng, start=16, end=18),
                    )
                )
            day += timedelta(days=1)

    def farmhouses(self) -> _Slice:
        """The idle farmhouses: 205 revitalised in the year (民宿, 农家乐, 仓储 …) with the households' added income,
        a few still idle."""
        part = _Slice()
        incomes = split_total(ADDED_INCOME, REVITALISED, self.rng, step=100, spread=0.6)
        for n in range(REVITALISED + IDLE_NOT_REVITALISED):
            house = self.house(self.grid(n * 7), HouseUse.IDLE, rooms=self.rng.randint(3, 8))
            if n < REVITALISED:
                house.revitalisation = Revitalisation.REVITALISED
                house.revitalised_on = self.day(date(self.year, 2, 10), date(self.year, 12, 20))
                house.added_income = incomes[n]
                house.note = self.rng.choice(FARMHOUSE_USES)
                house.updated_at = _moment(house.revitalised_on, self.rng)
            part.houses.append(house)
        return part

    def rentals(self) -> Iterator[_Slice]:
        """Group-rental houses found with fire-safety problems in the year, rectified and accepted: 1278 rooms."""
        rng, org = self.rng, self.org
        calendar = WorkCalendar.load()
        department = org.departments.get("YJB")
        upload = Upload(name="after.jpg", data=_jpeg((51, 153, 102)), kind=AttachmentKind.AFTER)
        after = (store_photo(town=self.town, upload=upload),)  # stored once, referred to by every case
        left, n = RECTIFIED_ROOMS, 0
        part = _Slice()
        category = None
        while left > 0:
            rooms = left if left <= 12 else rng.randint(4, 12)
            left -= rooms
            house = self.house(self.grid(n * 5), HouseUse.GROUP_RENTAL, rooms=rooms + rng.randint(0, 3))
            problems = tuple(rng.sample(list(Problem)[:-1], rng.randint(1, 3)))
            found = _weekday(self.day(date(self.year, 2, 7), date(self.year, 11, 30)))
            data = RectificationInput(
                house=house, rooms=rooms, problems=problems, found_on=found, department=department,
                measures=rng.choice(MEASURES),
            )  # fmt: skip
            at = _moment(found, rng, start=9, end=11)
            filing = check_rectification(actor=org.operator, data=data, now=at, category=category)
            category = filing.category
            handler = org.handlers[filing.department.pk]
            replay = Replay(town=self.town, reporter=org.operator, now=at, calendar=calendar, **filing.fields)
            for action, extra in filing.steps():
                replay.act(actor=org.operator, action=action, note=filing.note, now=at, **extra)
            signed = at + timedelta(minutes=rng.randint(20, 120))
            replay.act(actor=handler, action=Action.SIGN, now=signed)
            done = calendar.add(signed, rng.randint(120, 1200), Clock.WORKING)
            replay.act(actor=handler, action=Action.RESOLVE, note=data.measures, photos=after, now=done)
            accepted = done + timedelta(hours=rng.randint(2, 48))
            replay.act(actor=org.operator, action=Action.VERIFY_PASS, note="群租房整改验收合格", now=accepted)
            row = rectification_row(
                case=Case(), data=data, filing=filing, import_key=house.import_key, rectified_on=done.date()
            )
            part.houses.append(house)
            part.rentals.append((replay.record(), row))
            n += 1
            if len(part.rentals) >= RENTALS_PER_SLICE:
                yield part
                part = _Slice()
        if part.houses:
            yield part


VISIT_NOTES = (
    "入户走访，了解生活情况，身体状况良好",
    "走访了解近况，宣传相关政策",
    "上门走访，家中情况稳定",
    "电话预约后入户，了解就业和生活需求",
    "走访时本人在家，未发现异常",
)
FARMHOUSE_USES = ("改建为民宿", "出租为农家乐", "村集体统一流转，改作仓储", "改建为共享书屋", "出租为来料加工点")
MEASURES = (
    "清理消防通道，设置电动车集中充电点",
    "每间加装独立式烟感报警器，配置灭火器",
    "拆除易燃隔断，重新敷设电线",
    "打开防盗窗逃生口，张贴疏散指示",
)


def _write(part: _Slice) -> None:
    """One slice in one transaction: houses, households, residents, then their records (or the rentals' cases)."""
    with transaction.atomic():
        House.objects.bulk_create(part.houses)
        Household.objects.bulk_create(part.households)
        Resident.objects.bulk_create(part.residents)
        by_model: dict[type[Model], list[Model]] = {}
        for row in part.rows:
            by_model.setdefault(type(row), []).append(row)
        for model, rows in by_model.items():
            model._default_manager.bulk_create(rows)
        if part.rentals:
            details = [row for _record, row in part.rentals]

            def rows_of(cases: list[Case]) -> None:
                for row, case in zip(details, cases, strict=True):
                    row.case = case
                Rectification.objects.bulk_create(details)

            town = part.houses[0].town
            write_cases(town=town, records=[record for record, _row in part.rentals], then=rows_of)
            # After 验收 the houses were let as ordinary rentals (each room to at most two people).
            House.objects.filter(pk__in=[h.pk for h in part.houses]).update(
                use=HouseUse.RENTED, note="群租房整改验收合格后按规定改为普通出租"
            )


def build(*, town: Area, rng: random.Random, year: int = 2022) -> None:
    """The ledger builder of ``year2022.LEDGER_BUILDERS`` (``build_year``)."""
    build_year(town=town, rng=rng, year=year)


def build_year(*, town: Area, rng: random.Random, year: int = 2022, now: datetime | None = None) -> PeopleMade2022:
    """The people records of a past ``year`` (the current year's register is ``ops.demo.people``'s): only the
    slices not written before."""
    started = time.monotonic()
    if is_current(year):
        return PeopleMade2022(0, 0, 0, 0.0)
    planner = _Planner(load_organisation(town), rng, year, now or timezone.now())
    written = set(
        House.objects.filter(town=town, import_key__startswith=f"{MARK_2022}:").values_list("import_key", flat=True)
    )
    houses = residents = rectifications = 0
    longest = 0.0
    for part in planner.slices():
        if part.houses[0].import_key in written:
            continue
        # A full garbage collection of a big process takes a few hundred ms: let it wait until the slice is
        # committed, so the write lock is held only for the inserts.
        gc.disable()
        try:
            began = time.monotonic()
            _write(part)
            longest = max(longest, time.monotonic() - began)
        finally:
            gc.enable()
        houses += len(part.houses)
        residents += len(part.residents)
        rectifications += len(part.rentals)
    seconds = time.monotonic() - started
    log.info(
        "%d年实有人口：房屋 %d 处，人口 %d 人，群租房整改 %d 件，用时 %.1f 秒（单次写入最长 %.0f 毫秒）",
        year, houses, residents, rectifications, seconds, longest * 1000,
    )  # fmt: skip
    return PeopleMade2022(houses, residents, rectifications, seconds, longest)
