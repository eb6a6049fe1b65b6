"""The 2022 register, planned in memory for ``people``: houses, households and residents (synthetic names, phones
and valid ID numbers of 岱山县, never an ID number the town already has) and the records of one person — group
memberships, the grid worker's visits, payments checked by ``check_payment`` — gathered into the ``Slice`` one
transaction writes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Model
from django.utils import timezone

from gridgov.data.assistance.domain import PaymentInput, check_payment
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.cases.domain.bulk import CaseRecord
from gridgov.data.org.models import Area
from gridgov.data.people.domain import install_default_groups
from gridgov.data.people.enums import HouseUse, Relation, ResidentKind, Sex
from gridgov.data.people.models import GroupMembership, House, Household, Resident
from gridgov.data.privacy import blind_index
from gridgov.data.rentals.models import Rectification
from gridgov.data.sheets.cells import SHANGHAI
from gridgov.data.visits.models import Visit
from gridgov.ops.demo.ledgers_2022.problemlists import weekday
from gridgov.ops.demo.organisation import Town
from gridgov.ops.demo.people import MARK_2022, demo_id_number, demo_name, demo_phone

PREFIXES = {"house": "H", "household": "F", "resident": "R", "card": "V"}


@dataclass
class Slice:
    """What one transaction writes; ``houses[0]``'s import_key marks it written.

    A slice is planned as a run of units, each with its own house — a family with its records, a farmhouse, a
    group-rental house with its case — closed by ``close_unit``; ``units`` takes them apart again, ``joined`` puts
    a few back together, so that the writer may group them into shorter transactions."""

    houses: list[House] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)
    rows: list[Model] = field(default_factory=list)  # memberships, visits, payments, cards, day care
    rentals: list[tuple[CaseRecord, Rectification]] = field(default_factory=list)
    ends: list[tuple[int, ...]] = field(default_factory=list)  # the lengths of the lists after each unit

    def _lengths(self) -> tuple[int, ...]:
        return (len(self.houses), len(self.households), len(self.residents), len(self.rows), len(self.rentals))

    def close_unit(self) -> None:
        """What was added since the last unit is one unit: never split between two transactions."""
        self.ends.append(self._lengths())

    def units(self) -> list[Slice]:
        """The slice's units, one slice each, in order."""
        assert self.ends, "a slice is planned in units"
        assert self.ends[-1] == self._lengths(), "every row of a slice belongs to a closed unit"
        units: list[Slice] = []
        start: tuple[int, ...] = (0, 0, 0, 0, 0)
        for end in self.ends:
            a, b, c, d, e = (slice(s, t) for s, t in zip(start, end, strict=True))
            unit = Slice(self.houses[a], self.households[b], self.residents[c], self.rows[d], self.rentals[e])
            unit.close_unit()
            units.append(unit)
            start = end
        return units

    @classmethod
    def joined(cls, units: list[Slice]) -> Slice:
        """``units`` written in one transaction, in their order."""
        whole = cls()
        for unit in units:
            whole.houses += unit.houses
            whole.households += unit.households
            whole.residents += unit.residents
            whole.rows += unit.rows
            whole.rentals += unit.rentals
            whole.close_unit()
        return whole

    def row_count(self) -> int:
        """The rows a transaction writing the slice inserts: with each rental case its actions, photos and
        rectification row."""
        cases = sum(1 + len(r.actions) + sum(len(a.files) for a in r.actions) + 1 for r, _row in self.rentals)
        return len(self.houses) + len(self.households) + len(self.residents) + len(self.rows) + cases


def split_total(total: Decimal, parts: int, rng: random.Random, *, step: int, spread: float) -> list[Decimal]:
    """``total`` in ``parts`` amounts, multiples of ``step`` (the last absorbs the rounding), each about the
    average ± ``spread``; adding up to ``total`` exactly."""
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(parts)]
    whole = sum(weights)
    amounts = [Decimal(int(float(total) * w / whole) // step * step) for w in weights]
    amounts[-1] += total - sum(amounts)
    assert all(a > 0 for a in amounts)
    return amounts


def moment(day: date, rng: random.Random, *, start: int = 9, end: int = 17) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(start, end - 1), rng.randint(0, 59), tzinfo=SHANGHAI)


class Register:
    """The register of a past year and the records of one person, in memory, in the order they are written."""

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
        self, part: Slice, grid: Area, *, age: tuple[int, int], male: float, child: bool = False, kind: str = ""
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

    def visits(self, part: Slice, resident: Resident, grid: Area, since: date, every: int) -> None:
        """The grid worker's visits of the year to a member, about every ``every`` days from ``since``."""
        worker = self.org.grid_workers[grid.pk]
        village = grid.parent
        day = max(since, self.first) + timedelta(days=self.rng.randint(3, 20))
        while day <= self.last:
            at = moment(weekday(day), self.rng)
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

    def member(self, part: Slice, resident: Resident, code: str, since: date, until: date) -> None:
        part.rows.append(
            GroupMembership(town=self.town, resident=resident, group=self.groups[code], since=since, until=until)
        )

    def payment(
        self,
        part: Slice,
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
        row.created_at = moment(paid_on, self.rng)
        part.rows.append(row)


VISIT_NOTES = (
    "入户走访，了解生活情况，身体状况良好",
    "走访了解近况，宣传相关政策",
    "上门走访，家中情况稳定",
    "电话预约后入户，了解就业和生活需求",
    "走访时本人在家，未发现异常",
)
