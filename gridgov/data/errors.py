"""Errors raised by domain functions.

Each carries a stable machine ``code`` (for the API) and a human message written in Chinese first
(translated through Django i18n). Views show ``message``; APIs return ``code`` and ``message``.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.utils.functional import Promise


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str | Promise, *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    code = "not_found"


def first_or_not_found[M: Model](queryset: QuerySet[M], message: str | Promise) -> M:
    """The first row of ``queryset`` (already narrowed to what the caller may see), else NotFound with ``message``:
    the domain's get_object_or_404."""
    found = queryset.first()
    if found is None:
        raise NotFound(message)
    return found


class OutOfScope(DomainError):
    """The actor's memberships do not cover the object."""

    code = "out_of_scope"


class NotAllowed(DomainError):
    """The action is not allowed in the current state or for the actor's role."""

    code = "not_allowed"


class InvalidInput(DomainError):
    """Missing or malformed input; ``field`` names the offending field when there is one."""

    code = "invalid_input"

    def __init__(self, message: str | Promise, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


class Conflict(DomainError):
    """Someone else changed the object first."""

    code = "conflict"
