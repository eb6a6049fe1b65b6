"""Small helpers the civic ledgers (inspections, problem lists, disputes) share.

- ``closed_by``: the cases of a queryset that were closed at a moment T (a case reopened after T still
  counts; one reopened before T and not closed again does not) — the 销号/化解 figures "by T";
- ``local_bounds``: a [start, end) of dates as aware datetimes in the town's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case, CaseAction


def closed_by(cases: QuerySet[Case], *, as_of: datetime) -> QuerySet[Case]:
    """Those of ``cases`` whose status at ``as_of`` (after their last action up to then) was closed."""
    last_status = (
        CaseAction.objects.filter(case_id=OuterRef("pk"), created_at__lte=as_of)
        .order_by("-seq")
        .values("to_status")[:1]
    )
    return cases.annotate(_status_then=Subquery(last_status)).filter(_status_then=Status.CLOSED)


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end) dates → aware datetimes at local midnight (a datetime is kept as it is)."""

    def moment(day: date) -> datetime:
        if isinstance(day, datetime):
            return day if timezone.is_aware(day) else timezone.make_aware(day)
        return timezone.make_aware(datetime.combine(day, time.min))

    return moment(start), moment(end)
