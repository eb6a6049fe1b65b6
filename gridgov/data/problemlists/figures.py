"""Year figures of the problem lists (keys per yearkeys.md)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from gridgov.data.cases.enums import Status
from gridgov.data.cases.figures import Figure, closed_by, closed_then, status_then
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area
from gridgov.data.problemlists.models import ProblemItem


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """Items found in [start, end) (rejected ones left out), those 销号 by ``as_of`` and the rate."""
    # Looked up from the period's items by key, not by reading every case of the town for its item.
    items = ProblemItem.objects.filter(case__town=town, found_on__gte=start, found_on__lt=end)
    found = Case.objects.filter(pk__in=items.values("case_id"), reported_at__lte=as_of).exclude(status=Status.REJECTED)
    rectified = closed_by(found, as_of=as_of)
    counted = found.annotate(_status_then=status_then(as_of)).aggregate(
        n=Count("pk"), fixed=Count("pk", filter=closed_then())
    )
    n, fixed = counted["n"], counted["fixed"]
    rate = Decimal(fixed) / Decimal(n) if n else None
    return {
        "problem_items": Figure(_("问题清单报送"), n, _("条"), found),
        "problem_rectified": Figure(_("问题清单已销号"), fixed, _("条"), rectified),
        "problem_rate": Figure(_("问题清单整改完成率"), rate, "%", rectified),
    }
