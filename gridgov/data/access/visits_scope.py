"""The visit round's scope, as the permission module answers it: who walks a round (records visits), and which
visits a user may see.

A visit is seen by whoever may see the visited resident or house (the people register's rule,
``people/scope.py``), and by the worker who recorded it. A round is walked by grid workers, over their grids
(``visits.domain.scope_of``, which the domain functions enforce themselves).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gridgov.data.org.models import User
from gridgov.data.people.scope import visible_houses, visible_residents
from gridgov.data.visits.domain import scope_of
from gridgov.data.visits.models import Visit

__all__ = ["may_record_visits", "visible_visits"]


def may_record_visits(user: User) -> bool:
    """Whether ``user`` walks a visit round: a grid worker of at least one grid."""
    return scope_of(user) is not None


def visible_visits(user: User, queryset: QuerySet[Visit] | None = None) -> QuerySet[Visit]:
    """The visits ``user`` may see: of the residents and houses they may see, and their own."""
    qs = Visit.objects.all() if queryset is None else queryset
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(
        Q(resident__in=visible_residents(user).values("pk"))
        | Q(house__in=visible_houses(user).values("pk"))
        | Q(worker=user)
    )
