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
``check_card``; the rectifications' cases replayed by the engine's rules), then written with bulk inserts in short
transactions of a few units each — a unit is a house with what belongs to it: a household, its residents and their
records; or a group-rental house with its case, hash-chained by the bulk path, and rectification row. A transaction
takes at most ``ROWS_PER_WRITE`` rows, fewer when the last one was slow (``bulk.Pacer``): the clock decides only
where one transaction ends and the next begins, never what is written. The plan is the same for the same random
stream, and a unit whose house exists is skipped: run again (after an interruption or not), the build writes only
what is missing and the figures stay exact.

The register and the records of one person are planned by ``people_register``; the group-rental houses by
``group_rentals``.
"""

from __future__ import annotations

import functools
import gc
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from gridgov.data.assistance.domain import check_card
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.assistance.models import DayCareAttendance
from gridgov.data.cases.domain.bulk import Pacer, paced
from gridgov.data.org.models import Area
from gridgov.data.people.enums import HouseUse, ResidentKind, Revitalisation
from gridgov.data.people.models import House, Household, Resident
from gridgov.db.analyze import analyze_after_commit
from gridgov.ops.demo.ledgers_2022.group_rentals import RECTIFIED_ROOMS, RENTALS_PER_SLICE, plan_rentals, write_rentals
from gridgov.ops.demo.ledgers_2022.people_register import PREFIXES, Register, Slice, moment, split_total
from gridgov.ops.demo.ledgers_2022.problemlists import is_current, weekday
from gridgov.ops.demo.organisation import load_organisation
from gridgov.ops.demo.people import MARK_2022

__all__ = ["RECTIFIED_ROOMS", "RENTALS_PER_SLICE", "PeopleMade2022", "build", "build_year", "split_total"]

log = logging.getLogger("gridgov.demo")

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
HOUSEHOLDS_PER_SLICE = 50  # households planned together (about 140 residents and 250 records)
# Rows one write transaction inserts at most (about 60 ms on this machine when quiet); on a busy machine ``Pacer``
# makes the transactions smaller still, from the time the last one took.
ROWS_PER_WRITE = 400


@dataclass(frozen=True, slots=True)
class PeopleMade2022:
    houses: int
    residents: int
    rectifications: int
    seconds: float
    longest_slice: float = 0.0  # seconds of the longest write transaction
    largest_slice: int = 0  # rows of the largest write transaction


class _Planner(Register):
    """The year's register and records, in memory, in the order they are written."""

    def slices(self) -> Iterator[Slice]:
        """Rentals first (their cases), then idle farmhouses, then the households, a slice at a time."""
        yield from plan_rentals(self)
        yield self.farmhouses()
        yield from self.households()

    def households(self) -> Iterator[Slice]:
        plans: list[Callable[[Slice, int], None]] = []
        for code, count in KEY_MEMBERS.items():
            plans += [functools.partial(self.key_member, code=code)] * count
        care = ["dibao"] * DIBAO_HOUSEHOLDS + ["dibian"] * DIBIAN_HOUSEHOLDS + ["poor"] * POOR_HOUSEHOLDS
        self.care_amounts()
        plans += [functools.partial(self.care, what=what) for what in care]
        plans += [self.veteran] * VETERANS
        plans += [self.disabled] * DAY_CARE
        self.rng.shuffle(plans)
        part = Slice()
        for n, plan in enumerate(plans):
            plan(part, n)
            part.close_unit()
            if len(part.households) >= HOUSEHOLDS_PER_SLICE:
                yield part
                part = Slice()
        if part.houses:
            yield part

    def key_member(self, part: Slice, n: int, code: str) -> None:
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

    def care(self, part: Slice, n: int, what: str) -> None:
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

    def veteran(self, part: Slice, n: int) -> None:
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
        card.created_at = moment(applied, self.rng)
        part.rows.append(card)
        if self.veterans_condoled < VETERANS_CONDOLED:
            self.veterans_condoled += 1
            day = self.day(date(year, 7, 25), date(year, 7, 31))
            self.payment(part, subject, PaymentKind.CONDOLENCE, self.condolences.pop(), day, "镇财政", "八一慰问")

    def disabled(self, part: Slice, n: int) -> None:
        year, rng = self.year, self.rng
        subject = self.family(part, self.grid(n), age=(18, 60), male=0.55)
        day = weekday(self.day(date(year, 1, 4), date(year, 6, 30)))
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
                        created_at=moment(day, rng, start=16, end=18),
                    )
                )
            day += timedelta(days=1)

    def farmhouses(self) -> Slice:
        """The idle farmhouses: 205 revitalised in the year (民宿, 农家乐, 仓储 …) with the households' added income,
        a few still idle."""
        part = Slice()
        incomes = split_total(ADDED_INCOME, REVITALISED, self.rng, step=100, spread=0.6)
        for n in range(REVITALISED + IDLE_NOT_REVITALISED):
            house = self.house(self.grid(n * 7), HouseUse.IDLE, rooms=self.rng.randint(3, 8))
            if n < REVITALISED:
                house.revitalisation = Revitalisation.REVITALISED
                house.revitalised_on = self.day(date(self.year, 2, 10), date(self.year, 12, 20))
                house.added_income = incomes[n]
                house.note = self.rng.choice(FARMHOUSE_USES)
                house.updated_at = moment(house.revitalised_on, self.rng)
            part.houses.append(house)
            part.close_unit()
        return part


FARMHOUSE_USES = ("改建为民宿", "出租为农家乐", "村集体统一流转，改作仓储", "改建为共享书屋", "出租为来料加工点")


def _write(part: Slice) -> float:
    """One slice in one transaction: houses, households, residents, then their records (or the rentals' houses and
    cases). Returns how long the transaction held the write lock: from its start (on SQLite BEGIN IMMEDIATE, which
    may first wait for another writer — that wait holds nothing) to its commit."""
    if part.rentals:
        return write_rentals(part)
    with transaction.atomic():
        began = time.monotonic()
        House.objects.bulk_create(part.houses)
        Household.objects.bulk_create(part.households)
        Resident.objects.bulk_create(part.residents)
        by_model: dict[type[Model], list[Model]] = {}
        for row in part.rows:
            by_model.setdefault(type(row), []).append(row)
        for model, rows in by_model.items():
            model._default_manager.bulk_create(rows)
    return time.monotonic() - began


def build(*, town: Area, rng: random.Random, year: int = 2022) -> None:
    """The ledger builder of ``year2022.LEDGER_BUILDERS`` (``build_year``)."""
    build_year(town=town, rng=rng, year=year)


def build_year(*, town: Area, rng: random.Random, year: int = 2022, now: datetime | None = None) -> PeopleMade2022:
    """The people records of a past ``year`` (the current year's register is ``ops.demo.people``'s): only the
    units not written before."""
    started = time.monotonic()
    if is_current(year):
        return PeopleMade2022(0, 0, 0, 0.0)
    planner = _Planner(load_organisation(town), rng, year, now or timezone.now())
    written = set(
        House.objects.filter(town=town, import_key__startswith=f"{MARK_2022}:").values_list("import_key", flat=True)
    )
    houses = residents = rectifications = largest = 0
    longest = 0.0
    # The planned slices are taken apart into their units (a family, a farmhouse, a group-rental house) and
    # written a few at a time: as many rows as the last transaction's pace fits in ``SLICE_SECONDS``, at most
    # ``ROWS_PER_WRITE``; a unit whose house exists was written before.
    pacer = Pacer(most=ROWS_PER_WRITE)
    for planned in planner.slices():
        units = [u for u in planned.units() if u.houses[0].import_key not in written]
        for group in paced(units, pacer=pacer, rows=Slice.row_count):
            part = Slice.joined(group)
            # A full garbage collection of a big process takes a few hundred ms: let it wait until the slice is
            # committed, so the write lock is held only for the inserts.
            gc.disable()
            try:
                seconds = _write(part)
            finally:
                gc.enable()
            pacer.took(seconds, rows=part.row_count())
            longest = max(longest, seconds)
            largest = max(largest, part.row_count())
            houses += len(part.houses)
            residents += len(part.residents)
            rectifications += len(part.rentals)
    analyze_after_commit()  # planner statistics of the register just filled (PostgreSQL)
    seconds = time.monotonic() - started
    log.info(
        "%d年实有人口：房屋 %d 处，人口 %d 人，群租房整改 %d 件，用时 %.1f 秒（单次写入最长 %.0f 毫秒，最多 %d 行）",
        year, houses, residents, rectifications, seconds, longest * 1000, largest,
    )  # fmt: skip
    return PeopleMade2022(houses, residents, rectifications, seconds, longest, largest)
