"""Who walks a round and who sees which visits, per role (through the permission module)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gridgov.data.access import permissions
from gridgov.data.org.enums import Role
from gridgov.data.people.enums import HouseUse
from gridgov.data.visits.domain import VisitInput, record_visit
from tests.data.visits.builders import house, resident
from tests.factories import TownWorld

pytestmark = pytest.mark.django_db


def test_visits_are_seen_with_the_visited_and_by_their_worker(world: TownWorld) -> None:
    now = timezone.now()
    in_a = record_visit(
        worker=world.grid_worker_a, data=VisitInput(resident_id=resident(world).pk, visited_at=now), now=now
    )
    rental_b = house(world, grid=world.grid_b, use=HouseUse.GROUP_RENTAL)
    in_b = record_visit(worker=world.grid_worker_b, data=VisitInput(house_id=rental_b.pk, visited_at=now), now=now)

    def seen(role: Role) -> set[int]:
        return set(permissions.visible_visits(world.persona(role)).values_list("pk", flat=True))

    assert seen(Role.GRID_WORKER) == {in_a.pk}
    assert set(permissions.visible_visits(world.grid_worker_b).values_list("pk", flat=True)) == {in_b.pk}
    assert seen(Role.VILLAGE_STAFF) == {in_a.pk}
    assert seen(Role.LEADER) == {in_a.pk, in_b.pk}
    assert seen(Role.OPERATOR) == {in_a.pk, in_b.pk}
    assert seen(Role.RESIDENT) == set()
    assert seen(Role.ENTERPRISE) == set()


def test_only_grid_workers_walk_a_round(world: TownWorld) -> None:
    walkers = {role for role in Role if permissions.may_record_visits(world.persona(role))}
    assert walkers == {Role.GRID_WORKER}
