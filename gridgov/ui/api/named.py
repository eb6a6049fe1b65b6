"""What a request body names by id: the record, found where the user may name it, or a refusal on that field."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet

from gridgov.data.errors import InvalidInput, NotFound


def named[M: Model](found: M | None, message: str, *, field: str) -> M:
    """``found`` (the record the body's ``field`` names, looked up among those the user may name), or InvalidInput
    on ``field`` with ``message``: a record that does not exist and one out of the user's reach answer alike."""
    if found is None:
        raise InvalidInput(message, field=field)
    return found


def named_if[M: Model](pk: int | None, among: QuerySet[M], message: str, *, field: str) -> M | None:
    """None where the body names nothing (``pk`` None); else the record ``pk`` among ``among`` (those the user may
    name), or InvalidInput on ``field`` with ``message``."""
    return None if pk is None else named(among.filter(pk=pk).first(), message, field=field)


def named_by[M: Model](find: Callable[[], M], message: str, *, field: str) -> M:
    """What ``find`` finds (a look-up answering NotFound where the user may not see the record: ``house_for``,
    ``case_for``…), or InvalidInput on ``field`` with ``message``: a body's reference is refused, not a 404."""
    try:
        return find()
    except NotFound:
        raise InvalidInput(message, field=field) from None
