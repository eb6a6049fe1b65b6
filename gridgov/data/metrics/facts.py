"""What each indicator counts, as conditions on a case's own columns evaluated as of a moment T.

One definition serves the recount, the drill-down lists and the check of the rollups, so the three always
agree. The columns are the case's milestones kept by the engine:

- reported in the period: ``reported_at`` in [start, end) and at or before T;
- registered (立案) by T: ``registered_at`` at or before T (a case resolved on the spot counts as registered
  when it was reported) and not rejected at T (不予立案 after registration withdraws the registration);
- cohort: registered by T with ``registered_at`` in [start, end);
- closed by T: ``closed_at`` at or before T (a reopened case has none until it is closed again);
- suspended: in status 缓办 at T;
- resolved at least once by T: ``first_resolved_at`` at or before T;
- on time: the last resolution (``resolved_at``) at or before T and at or before the handling deadline after
  approved extensions (a case without a handling deadline, e.g. resolved on the spot, is on time);
- reworked: at least one failed verification (返工);
- late at T (超期), each case once: not suspended and either dispatched/handling past its deadline at T,
  or last resolved after its deadline.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q

from gridgov.data.cases.enums import SATISFIED, Status

HANDLE_PHASE = (Status.DISPATCHED, Status.HANDLING)


def rejected_at(t: datetime) -> Q:
    return Q(status=Status.REJECTED, rejected_at__lte=t)


def reported_in(start: datetime, end: datetime, t: datetime) -> Q:
    return Q(reported_at__gte=start, reported_at__lt=end, reported_at__lte=t)


def registered_by(t: datetime) -> Q:
    return Q(registered_at__lte=t) & ~rejected_at(t)


def cohort(start: datetime, end: datetime, t: datetime) -> Q:
    return Q(registered_at__gte=start, registered_at__lt=end) & registered_by(t)


def closed_by(t: datetime) -> Q:
    return Q(closed_at__lte=t)


def suspended_at(t: datetime) -> Q:
    return Q(status=Status.SUSPENDED, suspended_at__lte=t)


def resolved_by(t: datetime) -> Q:
    return Q(first_resolved_at__lte=t)


def last_resolution_late() -> Q:
    """The last resolution came after the handling deadline (independent of T)."""
    return Q(handle_deadline__isnull=False, resolved_at__gt=F("handle_deadline"))


def on_time(t: datetime) -> Q:
    return Q(resolved_at__lte=t) & (Q(handle_deadline__isnull=True) | Q(resolved_at__lte=F("handle_deadline")))


def reworked(t: datetime) -> Q:
    return Q(rework_count__gte=1) & resolved_by(t)


def rated(t: datetime) -> Q:
    return ~Q(satisfaction="") & closed_by(t)


def satisfied(t: datetime) -> Q:
    return Q(satisfaction__in=SATISFIED) & closed_by(t)


def late_resolved(t: datetime) -> Q:
    """The part of 超期 that does not depend on T once the case stops changing: last resolved late."""
    return ~suspended_at(t) & resolved_by(t) & last_resolution_late()


def late_open(t: datetime) -> Q:
    """The part of 超期 that depends on T: dispatched or handling past the deadline, not already late above."""
    not_late_resolved = (
        Q(first_resolved_at__isnull=True) | Q(first_resolved_at__gt=t) | Q(resolved_at__lte=F("handle_deadline"))
    )
    return Q(status__in=HANDLE_PHASE, handle_deadline__lt=t) & not_late_resolved


def late(t: datetime) -> Q:
    return late_resolved(t) | late_open(t)


def count_conditions(t: datetime) -> dict[str, Q]:
    """Each cohort count by name (the cohort itself is the row filter)."""
    return {
        "closed": closed_by(t),
        "suspended": suspended_at(t),
        "resolved": resolved_by(t),
        "resolved_on_time": resolved_by(t) & on_time(t),
        "closed_on_time": closed_by(t) & on_time(t),
        "reworked": reworked(t),
        "rated": rated(t),
        "satisfied": satisfied(t),
        "late_resolved": late_resolved(t),
        "late_open": late_open(t),
    }
