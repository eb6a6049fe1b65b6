"""Year figures of the group-rental rectifications: "整改群租房N间" counted from the closed cases."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gridgov.data.cases.figures import Figure, closed_by, local_bounds
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area
from gridgov.data.people.revitalisation import revitalised
from gridgov.data.rentals.models import Rectification


def rectified_rooms(*, town: Area, year: int, as_of: datetime | None = None) -> Figure:
    """The rooms of the rectification cases closed (验收) in ``year`` and still closed at its end (or at
    ``as_of``, when that is earlier), with those cases behind the number."""
    start, end = local_bounds(date(year, 1, 1), date(year + 1, 1, 1))
    moment = min(end, as_of or timezone.now())
    # The cases of the town's rectifications (looked up by key: the status at ``moment`` is worked out for them
    # alone, not for every case of the town first).
    rectifications = Rectification.objects.filter(case__town=town).values("case_id")
    in_year = Case.objects.filter(pk__in=rectifications, closed_at__gte=start, closed_at__lt=end)
    cases = closed_by(in_year, as_of=moment)
    rooms = Rectification.objects.filter(case__in=cases.values("pk")).aggregate(n=Sum("rooms"))["n"] or 0
    return Figure(_("整改群租房"), rooms, _("间"), cases)


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """The ledgers' shape (``cases.figures``) for the year that ``start`` opens: the rooms rectified (with their
    cases), and the idle farmhouses revitalised with their added income (houses, not cases: ``revitalised``
    gives them, behind both numbers)."""
    farmhouses = revitalised(town=town, year=start.year)
    houses = farmhouses.houses
    return {
        "rental_rooms_rectified": rectified_rooms(town=town, year=start.year, as_of=as_of),
        "farmhouses_revitalised": Figure(
            _("盘活闲置农房"), farmhouses.households, pgettext("unit", "户"), records=houses
        ),
        "farmhouses_added_income": Figure(_("农户增收"), farmhouses.added_income, _("元"), records=houses),
    }
