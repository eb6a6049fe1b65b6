"""The shape in which every data app hands a figure to reports (year in review, bulletins, dashboards).

A ledger app (enterprises, inspections, problemlists, disputes) exposes
``gridgov/data/<app>/figures.py`` with::

    def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]

so that the year in review can write its sentences from it and link each number to the cases behind it. A
figure counted from records that are not cases (payments, houses, visits …) carries them in ``records``
instead; the pages that list them are the UI's business.
The ledgers count with ``closed_by`` (the cases closed at a moment T: the 销号/化解 figures "by T") over the
``local_bounds`` of the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import CharField, Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case, CaseAction


@dataclass(frozen=True)
class Figure:
    """One number of a report: its value (None when its denominator is zero), unit and the cases behind it — or,
    for a number counted from other records, those records (a count of distinct persons or households keeps
    the rows it was counted from: memberships, visits, attendances)."""

    label: str
    value: int | Decimal | None
    unit: str
    cases: QuerySet[Case] | None = None
    records: QuerySet[Model] | None = None


def status_then(as_of: datetime) -> Subquery:
    """A case's status at ``as_of``: that after its last action up to then (None before its first)."""
    last_status = (
        CaseAction.objects.filter(case_id=OuterRef("pk"), created_at__lte=as_of)
        .order_by("-seq")
        .values("to_status")[:1]
    )
    return Subquery(last_status, output_field=CharField())


def closed_by(cases: QuerySet[Case], *, as_of: datetime) -> QuerySet[Case]:
    """Those of ``cases`` whose status at ``as_of`` (after their last action up to then) was closed."""
    return cases.annotate(_status_then=status_then(as_of)).filter(_status_then=Status.CLOSED)


def closed_then() -> Q:
    """On ``cases.annotate(_status_then=status_then(as_of))``: closed at that moment (as ``closed_by``), for a
    conditional count beside the others of one aggregate query."""
    return Q(_status_then=Status.CLOSED)


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end) dates → aware datetimes at local midnight (a datetime is kept as it is)."""

    def moment(day: date) -> datetime:
        if isinstance(day, datetime):
            return day if timezone.is_aware(day) else timezone.make_aware(day)
        return timezone.make_aware(datetime.combine(day, time.min))

    return moment(start), moment(end)
