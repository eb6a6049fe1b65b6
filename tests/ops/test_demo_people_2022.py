"""岱西镇's 2022 people records: the work report's figures, counted from the records the demo writes."""

from __future__ import annotations

import itertools
import random
import time
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from gridgov.data.assistance.figures import year_figures
from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.domain.bulk import Pacer, paced
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.idcard import parse_id_number
from gridgov.data.org.models import Area
from gridgov.data.people.enums import GroupKind, Sex
from gridgov.data.people.models import GroupMembership, House, Resident
from gridgov.data.people.revitalisation import revitalised
from gridgov.data.privacy import blind_index
from gridgov.data.rentals.figures import rectified_rooms
from gridgov.data.visits.models import Visit
from gridgov.ops.demo.ledgers_2022 import people
from gridgov.ops.demo.ledgers_2022.people_register import Slice
from gridgov.ops.demo.organisation import build_organisation

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
START, END = date(2022, 1, 1), date(2023, 1, 1)
AS_OF = datetime(2023, 1, 15, 9, tzinfo=SHANGHAI)  # the day of the work report
CARE_GROUPS = ("poor_family", "minimum_living")


def key_members(town: Area, year: int) -> int:
    """纳管人员: distinct residents with a membership of a key group whose ``since`` falls in the year."""
    return (
        Resident.objects.filter(
            town=town,
            memberships__group__kind=GroupKind.KEY,
            memberships__since__gte=date(year, 1, 1),
            memberships__since__lt=date(year + 1, 1, 1),
        )
        .distinct()
        .count()
    )


def visited_care_households(town: Area, year: int) -> int:
    """走访困难对象: distinct households of residents visited in the year who were then in a care group."""
    spans: dict[int, list[tuple[date, date | None]]] = {}
    for m in GroupMembership.objects.filter(town=town, group__code__in=CARE_GROUPS):
        spans.setdefault(m.resident_id, []).append((m.since, m.until))
    households: set[int] = set()
    start = datetime(year, 1, 1, tzinfo=SHANGHAI)
    visits = Visit.objects.filter(town=town, visited_at__gte=start, visited_at__lt=start.replace(year=year + 1))
    for resident_id, household_id, at in visits.values_list("resident_id", "resident__household_id", "visited_at"):
        day = at.astimezone(SHANGHAI).date()
        if any(since <= day and (until is None or until >= day) for since, until in spans.get(resident_id, [])):
            households.add(household_id)
    return len(households)


def figures(town: Area) -> dict[str, int | Decimal | None]:
    farmhouses = revitalised(town=town, year=2022)
    found: dict[str, int | Decimal | None] = {
        "rooms": rectified_rooms(town=town, year=2022, as_of=AS_OF).value,
        "farmhouses": farmhouses.households,
        "income": farmhouses.added_income,
        "key": key_members(town, 2022),
        "care_visited": visited_care_households(town, 2022),
    }
    found |= {k: f.value for k, f in year_figures(town=town, start=START, end=END, as_of=AS_OF).items()}
    return found


REPORT = {
    "rooms": 1278,  # 整改群租房1278间
    "farmhouses": 205,  # 盘活闲置农房205户
    "income": people.ADDED_INCOME,  # 农户年增收240余万元
    "key": 1406,  # 纳管人员1406人
    "care_visited": 170,  # 累计走访困难对象170户
    "assistance_condolence": Decimal(210_000),  # 发放慰问金21万元
    "assistance_living": Decimal(1_670_000),  # 低保低边及生活补助共计167万元
    "insurance_subsidies": 61,  # 社会养老保险、医疗保险补助共61人次
    "veteran_cards_issued": 301,  # 完成301名退役军人优待证申领及发放
    "day_care_persons": 16,  # 16名残疾人享受日间照料服务
}


def test_2022_people_records_read_like_the_work_report(django_capture_on_commit_callbacks) -> None:
    if connection.vendor == "postgresql":  # the rows are this test's own, uncommitted: autovacuum never counts them,
        with connection.cursor() as cursor:  # and stale counts from earlier tests made the planner loop row by row
            cursor.execute("SET LOCAL enable_nestloop = off")
    org = build_organisation(random.Random(1))
    # A build stopped after a few slices (kill -9 between two transactions) ...
    planner = people._Planner(org, random.Random(7), 2022, timezone.now())
    first = list(itertools.islice(planner.slices(), 3))
    for part in first:
        people._write(part)
    assert {len(part.rentals) for part in first} == {people.RENTALS_PER_SLICE}
    # ... is finished by running it again with the same random stream: the rest is written, nothing twice.
    started = time.monotonic()
    # The build analyses the tables it filled once committed (PostgreSQL): without their numbers the planner may
    # join the visits row by row for minutes.
    with django_capture_on_commit_callbacks(execute=True):
        made = people.build_year(town=org.town, rng=random.Random(7), year=2022)
    elapsed = time.monotonic() - started
    print(f"2022 people: {elapsed:.1f}s, {made.residents} residents, longest slice {made.longest_slice * 1000:.0f} ms")
    assert 0 < made.largest_slice <= people.ROWS_PER_WRITE
    assert figures(org.town) == REPORT
    assert Decimal(2_400_000) < people.ADDED_INCOME < Decimal(2_500_000)

    # The rectifications went through the engine's steps in 2022, and their audit chains hold.
    cases = Case.objects.filter(town=org.town, rectification__isnull=False)
    written_before = sum(len(part.rentals) for part in first)
    assert cases.count() == written_before + made.rectifications
    assert cases.count() == cases.filter(status=Status.CLOSED, closed_at__year=2022).count()
    steps = CaseAction.objects.filter(case__in=cases).values_list("action", flat=True)
    assert set(steps) == {
        Action.REPORT,
        Action.REGISTER,
        Action.DISPATCH,
        Action.SIGN,
        Action.RESOLVE,
        Action.VERIFY_PASS,
    }
    assert all(broken is None for _case, broken in verify_chains(cases))

    # Valid synthetic ID numbers, stored encrypted, found again by their digest; ages fit the groups.
    residents = Resident.objects.filter(town=org.town)
    assert residents.count() == made.residents > 4000
    sample = list(residents.order_by("pk")[:: max(1, made.residents // 300)])
    for resident in sample:
        number = parse_id_number(resident.id_number)
        assert (number.birth_date, number.sex) == (resident.birth_date, Sex(resident.sex))
        assert resident.id_digest == blind_index(number.number)
    with connection.cursor() as cursor:  # at rest: ciphertext, never the number
        cursor.execute(f"SELECT id_number, name FROM {Resident._meta.db_table} WHERE id = %s", [sample[0].pk])
        stored_number, stored_name = cursor.fetchone()
    assert stored_number.startswith(("v1:", "s1:"))
    assert sample[0].id_number not in stored_number
    assert stored_name.startswith(("v1:", "s1:"))
    youth = GroupMembership.objects.filter(town=org.town, group__code="key_youth").select_related("resident")
    assert all(12 <= (date(2022, 7, 1) - m.resident.birth_date).days // 365 <= 17 for m in youth)  # type: ignore[operator]  # every synthetic resident has a birth date
    # Sensitive groups are a small share of the new key members; nobody from 2022 still needs a visit today.
    sensitive = GroupMembership.objects.filter(town=org.town, group__sensitive=True, since__year=2022).count()
    assert 0 < sensitive < 1406 * 0.2
    assert not GroupMembership.objects.filter(town=org.town, until__isnull=True).exists()
    assert not Visit.objects.filter(Q(resident__memberships__group__sensitive=True), town=org.town).exists()
    # Every visit is by the grid worker of the resident's grid, where the resident lives.
    assert Visit.objects.exclude(grid_id=F("resident__household__house__grid_id")).count() == 0
    workers = {grid.pk: worker.pk for grid, worker in ((g, org.grid_workers[g.pk]) for g in org.grids)}
    assert all(workers[grid] == worker for grid, worker in Visit.objects.values_list("grid_id", "worker_id"))

    # Built again (a re-run after an interruption, or twice): nothing added, the same figures.
    houses = House.objects.count()
    again = people.build_year(town=org.town, rng=random.Random(7), year=2022)
    assert (again.houses, again.residents, House.objects.count()) == (0, 0, houses)
    assert figures(org.town) == REPORT


def test_the_years_plan_is_written_in_whole_units_never_more_than_rows_per_write_at_once() -> None:
    """The register is planned in slices larger than one write may be (one of 50 households has over 600 rows);
    the build takes them apart into units — one house with its household, residents and records, or with its
    group-rental case — and writes a few units at a time, never more than ``ROWS_PER_WRITE`` rows."""
    org = build_organisation(random.Random(1))
    planner = people._Planner(org, random.Random(7), 2022, AS_OF)
    planned = list(planner.slices())
    assert max(part.row_count() for part in planned) > people.ROWS_PER_WRITE
    pacer = Pacer(most=people.ROWS_PER_WRITE)
    for part in planned:
        units = part.units()
        assert {len(unit.houses) for unit in units} == {1}
        assert Slice.joined(units) == part  # the same rows, in the same order
        groups = list(paced(units, pacer=pacer, rows=Slice.row_count))
        assert [unit for group in groups for unit in group] == units
        assert max(Slice.joined(group).row_count() for group in groups) <= people.ROWS_PER_WRITE
