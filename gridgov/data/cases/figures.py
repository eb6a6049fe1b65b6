"""The shape in which every data app hands a figure to reports (year in review, bulletins, dashboards).

A ledger app (enterprises, inspections, problemlists, disputes) exposes
``gridgov/data/<app>/figures.py`` with::

    def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]

so that the year in review can write its sentences from it and link each number to the cases behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from gridgov.data.cases.models import Case


@dataclass(frozen=True)
class Figure:
    """One number of a report: its value (None when its denominator is zero), unit and the cases behind it."""

    label: str
    value: int | Decimal | None
    unit: str
    cases: QuerySet[Case] | None = None
