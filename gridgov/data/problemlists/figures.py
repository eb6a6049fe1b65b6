"""Year figures of the problem lists (keys per yearkeys.md)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from gridgov.data.cases.enums import Status
from gridgov.data.cases.figures import Figure, closed_by
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """Items found in [start, end) (rejected ones left out), those 销号 by ``as_of`` and the rate."""
    found = Case.objects.filter(
        town=town, problem_item__found_on__gte=start, problem_item__found_on__lt=end, reported_at__lte=as_of
    ).exclude(status=Status.REJECTED)
    rectified = closed_by(found, as_of=as_of)
    n, fixed = found.count(), rectified.count()
    rate = Decimal(fixed) / Decimal(n) if n else None
    return {
        "problem_items": Figure(_("问题清单报送"), n, _("条"), found),
        "problem_rectified": Figure(_("问题清单已销号"), fixed, _("条"), rectified),
        "problem_rate": Figure(_("问题清单整改完成率"), rate, "%", rectified),
    }
