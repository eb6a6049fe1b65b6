"""Whom a grid worker may visit: their grids, and the people register's scope there (``people/scope.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gridgov.data.cases.scope import memberships_of
from gridgov.data.errors import OutOfScope
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, User
from gridgov.data.people import scope as people_scope
from gridgov.data.people.models import House, PersonGroup, Resident


@dataclass(frozen=True, slots=True)
class VisitScope:
    """What a grid worker may visit: their grids, and the residents, houses and groups they may see there
    (querysets, not yet read)."""

    worker: User
    town_id: int
    grids: tuple[Area, ...]
    residents: QuerySet[Resident]
    houses: QuerySet[House]
    groups: QuerySet[PersonGroup]


def scope_of(worker: User) -> VisitScope | None:
    """The grid worker's visiting scope; None for a user who patrols no grid (no query: memberships are read
    once per request)."""
    grids = tuple(
        m.area for m in memberships_of(worker) if m.role == Role.GRID_WORKER and m.area is not None and m.area.town_id
    )
    if not grids:
        return None
    town_id = grids[0].town_id
    assert town_id is not None
    grid_ids = [g.pk for g in grids]
    return VisitScope(
        worker=worker,
        town_id=town_id,
        grids=grids,
        residents=people_scope.visible_residents(worker).filter(household__house__grid_id__in=grid_ids),
        houses=people_scope.visible_houses(worker).filter(grid_id__in=grid_ids),
        groups=people_scope.visible_groups(worker),
    )


def require_scope(worker: User) -> VisitScope:
    scope = scope_of(worker)
    if scope is None:
        raise OutOfScope(_("只有网格员可以登记走访"))
    return scope
