"""Recording a visit (scope, place, time, photo) and making its finding a case, once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.images import gps_of
from gridgov.data.cases.enums import Channel, Status
from gridgov.data.cases.models import Attachment, Case
from gridgov.data.errors import Conflict, InvalidInput, NotFound, OutOfScope
from gridgov.data.people.enums import HouseUse
from gridgov.data.visits.domain import VisitInput, finding_to_case, record_visit
from gridgov.data.visits.models import Visit
from tests.data.visits.builders import group, house, member, resident
from tests.data.visits.conftest import IN_GRID_A, IN_GRID_B
from tests.factories import TownWorld, jpeg

pytestmark = pytest.mark.django_db


def point(where: tuple[str, str]) -> dict[str, Decimal]:
    return {"latitude": Decimal(where[0]), "longitude": Decimal(where[1])}


def test_a_visit_is_recorded_at_the_place_of_the_visited(bounded: TownWorld) -> None:
    world, now = bounded, timezone.now()
    person = resident(world, name="张三")
    member(person, group(world, code="elderly", every=30), since=timezone.localdate())

    visit = record_visit(
        worker=world.grid_worker_a,
        data=VisitInput(
            resident_id=person.pk,
            visited_at=now - timedelta(minutes=5),
            **point(IN_GRID_A),
            photo=Upload(name="door.jpg", data=jpeg()),
            note=" 老人身体尚可 ",
            findings="门前路灯不亮",
        ),
        now=now,
    )

    stored = Visit.objects.get()
    assert stored == visit
    assert (stored.worker, stored.resident, stored.house) == (world.grid_worker_a, person, None)
    assert (stored.grid_id, stored.village_id, stored.town_id) == (world.grid_a.pk, world.village_a.pk, world.town.pk)
    assert (stored.note, stored.findings) == ("老人身体尚可", "门前路灯不亮")
    assert (stored.latitude, stored.longitude) == (Decimal(IN_GRID_A[0]), Decimal(IN_GRID_A[1]))
    assert stored.photo.name.startswith(f"visits/{world.town.pk}/")
    with stored.photo.open("rb") as kept:
        assert gps_of(kept.read()) is None


def test_a_group_rental_house_is_visited_too(world: TownWorld) -> None:
    now = timezone.now()
    rental = house(world, use=HouseUse.GROUP_RENTAL)

    visit = record_visit(worker=world.grid_worker_a, data=VisitInput(house_id=rental.pk, visited_at=now), now=now)

    assert (visit.house, visit.resident, visit.grid_id) == (rental, None, world.grid_a.pk)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"where": IN_GRID_B}, "latitude", "位置不在您的网格内"),
        ({"grid": "b"}, "resident", "该人员不在您的走访范围内"),
        ({"later": timedelta(minutes=1)}, "visited_at", "走访时间不能晚于当前时间"),
        ({"both": True}, "resident", "请选择走访对象（人员或房屋，二选一）"),
        ({"findings": "问" * 2001}, "findings", "发现问题不能超过 2000 字"),
    ],
)
def test_refused_visits_write_nothing(bounded: TownWorld, change: dict[str, object], field: str, message: str) -> None:
    world, now = bounded, timezone.now()
    person = resident(world, grid=world.grid_b if change.get("grid") == "b" else world.grid_a)
    where = change.get("where", IN_GRID_A)
    assert isinstance(where, tuple)
    later = change.get("later", timedelta(0))
    assert isinstance(later, timedelta)
    data = VisitInput(
        resident_id=person.pk,
        house_id=person.household.house_id if change.get("both") else None,
        visited_at=now + later,
        **point(where),
        findings=str(change.get("findings", "")),
    )

    with pytest.raises(InvalidInput) as refused:
        record_visit(worker=world.grid_worker_a, data=data, now=now)

    assert (refused.value.field, refused.value.message) == (field, message)
    assert Visit.objects.count() == 0


def test_only_a_grid_worker_records_visits(world: TownWorld) -> None:
    now = timezone.now()
    person = resident(world)
    with pytest.raises(OutOfScope):
        record_visit(worker=world.operator, data=VisitInput(resident_id=person.pk, visited_at=now), now=now)


def test_a_finding_becomes_one_case(bounded: TownWorld) -> None:
    world, now = bounded, timezone.now()
    person = resident(world)
    visit = record_visit(
        worker=world.grid_worker_a,
        data=VisitInput(
            resident_id=person.pk,
            visited_at=now,
            **point(IN_GRID_A),
            photo=Upload(name="lamp.jpg", data=jpeg()),
            findings="门前路灯不亮",
        ),
        now=now,
    )

    case = finding_to_case(
        worker=world.grid_worker_a, visit=visit, category=world.category_days, description="", now=now
    )

    assert Visit.objects.get().case == case
    assert (case.status, case.channel, case.reporter, case.category) == (
        Status.REPORTED,
        Channel.GRID_WORKER,
        world.grid_worker_a,
        world.category_days,
    )
    assert (case.description, case.grid_id, case.address) == (
        "门前路灯不亮",
        world.grid_a.pk,
        person.household.house.address,
    )
    assert (case.latitude, case.longitude) == (Decimal(IN_GRID_A[0]), Decimal(IN_GRID_A[1]))
    assert Attachment.objects.filter(case=case).count() == 1

    with pytest.raises(Conflict) as again:
        finding_to_case(worker=world.grid_worker_a, visit=visit, category=world.category, description="再报", now=now)
    assert again.value.message == f"该走访已转为事件 {case.number}，不能重复上报"
    assert Case.objects.count() == 1


def test_only_one_s_own_visit_becomes_a_case(world: TownWorld) -> None:
    now = timezone.now()
    visit = record_visit(
        worker=world.grid_worker_a, data=VisitInput(resident_id=resident(world).pk, visited_at=now), now=now
    )
    with pytest.raises(NotFound):
        finding_to_case(worker=world.grid_worker_b, visit=visit, category=world.category, description="x", now=now)
    assert Case.objects.count() == 0


def test_a_visit_is_of_a_resident_or_of_a_house_never_both_nor_neither(world: TownWorld) -> None:
    person = resident(world)
    now = timezone.now()
    fields = {"town": world.town, "worker": world.grid_worker_a, "visited_at": now, "created_at": now}
    for both_or_neither in ({"resident": person, "house": person.household.house}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Visit.objects.create(**fields, **both_or_neither)


def test_a_house_visit_s_finding_is_placed_at_the_house(world: TownWorld) -> None:
    now = timezone.now()
    rental = house(world, use=HouseUse.GROUP_RENTAL, point=IN_GRID_A)
    visit = record_visit(
        worker=world.grid_worker_a,
        data=VisitInput(house_id=rental.pk, visited_at=now, findings="楼道堆放电动车电池"),
        now=now,
    )

    case = finding_to_case(worker=world.grid_worker_a, visit=visit, category=world.category, description="", now=now)

    assert (case.address, case.latitude, case.longitude) == (rental.address, rental.latitude, rental.longitude)
    assert (case.description, case.grid_id, Visit.objects.get().case) == ("楼道堆放电动车电池", world.grid_a.pk, case)
