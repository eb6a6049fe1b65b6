"""The demo's people register: built through the register's domain functions, valid, and showing every feature."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from gridgov.data.assistance.models import Payment
from gridgov.data.cases.enums import Status
from gridgov.data.idcard import parse_id_number
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.data.people.enums import HouseUse, Revitalisation
from gridgov.data.people.models import GroupMembership, House, Household, Resident
from gridgov.data.rentals.models import Rectification
from gridgov.data.visits.domain import Lamp, due_list
from gridgov.data.visits.models import Visit
from gridgov.ops.demo.organisation import load_organisation
from gridgov.ops.demo.people import HOUSES_PER_GRID, MARK_2022, build_people

pytestmark = pytest.mark.django_db


def test_the_demo_register_is_valid_and_shows_every_feature(django_capture_on_commit_callbacks) -> None:
    call_command("demo_town", "--cases", "5", "--seed", "3", "--no-2022", "--no-ledgers")
    town = load_organisation(Area.objects.get(level=AreaLevel.TOWN))
    now = timezone.now()
    # The build analyses the tables it filled once it commits (PostgreSQL): without it, a database that an earlier
    # test left "analysed empty" plans the visit round's joins for empty tables (minutes, not ms).
    with django_capture_on_commit_callbacks(execute=True):
        made = build_people(town=town, rng=random.Random(15), now=now)

    assert made.houses == House.objects.count() == HOUSES_PER_GRID * len(town.grids)
    assert made.residents == Resident.objects.count()
    assert Household.objects.count() == made.houses - House.objects.filter(use=HouseUse.IDLE).count()
    today = timezone.localdate()
    for resident in Resident.objects.all():  # every synthetic number passes GB 11643 and gave birth date and sex
        number = parse_id_number(resident.id_number, today=today)
        assert (resident.birth_date, resident.sex) == (number.birth_date, number.sex)
    assert made.members == GroupMembership.objects.count() > 0
    assert made.visits == Visit.objects.count() > 0
    assert made.payments == Payment.objects.count() > 0
    rectification = Rectification.objects.select_related("case").get()
    assert rectification.case.status == Status.DISPATCHED
    assert House.objects.filter(revitalisation=Revitalisation.REVITALISED).count() == 1

    lamps = {item.lamp for worker in town.grid_workers.values() for item in due_list(worker=worker, today=today)}
    worker = town.grid_workers[town.grids[0].pk]
    assert worker.username == "wgy-shuanghe-1"  # the README's example of a visit round
    first = due_list(worker=worker, today=today)
    assert [item.lamp for item in first if item.resident is not None][:1] == [Lamp.RED]
    assert [item.reasons for item in first if item.house is not None] == [("群租房",)]
    # never-visited members are overdue, the group-rental houses fall due today, the visited ones later
    assert lamps == {Lamp.RED, Lamp.YELLOW, Lamp.GREEN}

    again = build_people(town=town, rng=random.Random(15), now=now)
    assert (again.houses, again.residents, House.objects.count()) == (0, 0, made.houses)


def test_this_years_register_is_built_beside_a_2022_register_built_first() -> None:
    call_command("demo_town", "--cases", "5", "--seed", "3", "--no-2022", "--no-ledgers")
    town = load_organisation(Area.objects.get(level=AreaLevel.TOWN))
    House.objects.create(
        town=town.town,
        village=town.villages[0],
        grid=town.grids[0],
        address="2022年登记的房屋",
        import_key=f"{MARK_2022}:H00001",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    made = build_people(town=town, rng=random.Random(15))
    assert (made.houses, House.objects.count()) == (HOUSES_PER_GRID * len(town.grids), made.houses + 1)
