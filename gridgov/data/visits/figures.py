"""Year figures of the grid visits, as the work report counts them — with the visits behind the number:

- hardship_households_visited: "累计走访困难对象N户" — the distinct households of the residents visited in
  [start, end) who, on the day of the visit, were members of a 困难对象 group (``people.figures.HARDSHIP_GROUP_CODES``:
  困难家庭, 低保/低边). A membership runs from ``since`` up to the day before ``until``, as the due list reads it.

Only visits made and written by ``as_of`` count, so a year in review drawn up on a day reads what was known then.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gridgov.data.cases.figures import Figure, local_bounds
from gridgov.data.org.models import Area
from gridgov.data.people.figures import HARDSHIP_GROUP_CODES
from gridgov.data.people.models import GroupMembership
from gridgov.data.visits.models import Visit


def hardship_visits(*, town: Area, start: date, end: date, as_of: datetime) -> QuerySet[Visit]:
    """The visits of [start, end) to residents who were members of a hardship group on the visit's day."""
    since, until = local_bounds(start, end)
    member_then = GroupMembership.objects.filter(
        resident_id=OuterRef("resident_id"),
        group__code__in=HARDSHIP_GROUP_CODES,
        since__lte=OuterRef("visit_day"),
    ).filter(Q(until__isnull=True) | Q(until__gt=OuterRef("visit_day")))
    # Only residents ever in a hardship group before the period's end can qualify: narrowed to them first, the
    # visit's local day (a function call per row on SQLite) is worked out for their visits alone.
    members = GroupMembership.objects.filter(group__code__in=HARDSHIP_GROUP_CODES, since__lt=end)
    return (
        Visit.objects.filter(
            town=town,
            resident__in=members.values("resident_id"),
            visited_at__gte=since,
            visited_at__lt=until,
            visited_at__lte=as_of,
            created_at__lte=as_of,
        )
        .annotate(visit_day=TruncDate("visited_at", tzinfo=timezone.get_current_timezone()))
        .filter(Exists(member_then))
    )


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """The ledgers' shape (``cases.figures``): the households visited, with the visits (two visits to one
    household count it once)."""
    visits = hardship_visits(town=town, start=start, end=end, as_of=as_of)
    households = visits.order_by().values("resident__household_id").distinct().count()
    return {
        "hardship_households_visited": Figure(_("走访困难对象"), households, pgettext("unit", "户"), records=visits)
    }
