"""Year figures of the people register, as the work report counts them — with the records behind each number:

- managed_persons: "纳管人员N人" — the distinct residents of the town brought under management in [start, end):
  a membership of a key group (重点人员) whose ``since`` falls in the period.

A membership has no time of writing (no ``created_at``): ``as_of`` narrows them only by their ``since`` (a
membership from a day after ``as_of`` is not counted), not by when the row was written.

``HARDSHIP_GROUP_CODES`` names the care groups whose members are the work report's 困难对象 (困难家庭, 低保/低边);
``visits.figures`` counts the households visited among them.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gridgov.data.cases.figures import Figure
from gridgov.data.org.models import Area
from gridgov.data.people.enums import GroupKind
from gridgov.data.people.models import GroupMembership

# The groups (by code, as ``people.domain.groups.DEFAULT_GROUPS`` installs them) of the report's 困难对象.
HARDSHIP_GROUP_CODES: tuple[str, ...] = ("poor_family", "minimum_living")


def managed_memberships(*, town: Area, start: date, end: date, as_of: datetime) -> QuerySet[GroupMembership]:
    """The key-group memberships of ``town`` that began in [start, end) and by the day of ``as_of``."""
    known_by = timezone.localtime(as_of).date()
    return GroupMembership.objects.filter(
        town=town, group__kind=GroupKind.KEY, since__gte=start, since__lt=end, since__lte=known_by
    )


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """The ledgers' shape (``cases.figures``): the persons brought under management, with their memberships (a
    person who joined two key groups in the year is one person)."""
    memberships = managed_memberships(town=town, start=start, end=end, as_of=as_of)
    persons = memberships.order_by().values("resident_id").distinct().count()
    return {"managed_persons": Figure(_("纳管人员"), persons, pgettext("unit", "人"), records=memberships)}
