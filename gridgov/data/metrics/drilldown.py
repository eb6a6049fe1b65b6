"""Drill-down: the cases behind a numerator or denominator (always equal to the counts)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput
from gridgov.data.metrics import facts
from gridgov.data.metrics.periods import Period
from gridgov.data.metrics.scope import Scope

Part = Literal["numerator", "denominator"]


def cases_behind(
    *, scope: Scope, period: Period, measure: str, part: Part, as_of: datetime | None = None
) -> QuerySet[Case]:
    """The cases counted in one indicator's numerator or denominator (equal in number to the figure).

    Callers restrict the result further to what the user may see (``cases.scope.visible_cases``).
    """
    t = as_of or timezone.now()
    start, end = period.bounds()
    reported = facts.reported_in(start, end, t)
    cohort = facts.cohort(start, end, t)
    not_suspended = ~facts.suspended_at(t)
    resolved = facts.resolved_by(t)
    table: dict[str, tuple[Q, Q | None]] = {
        "reported": (reported, None),
        "valid_rate": (reported & facts.registered_by(t), reported),
        "registered": (cohort, None),
        "completion_rate": (cohort & facts.closed_by(t), cohort),
        "closure_rate": (cohort & facts.closed_by(t), cohort & not_suspended),
        "on_time_closure_rate": (cohort & facts.closed_by(t) & facts.on_time(t), cohort & not_suspended),
        "on_time_handling_rate": (cohort & resolved & facts.on_time(t), cohort & resolved),
        "rework_rate": (cohort & facts.reworked(t), cohort & resolved),
        "overdue_rate": (cohort & facts.late(t), cohort & not_suspended),
        "satisfaction_rate": (cohort & facts.satisfied(t), cohort & facts.rated(t)),
    }
    if measure not in table:
        raise InvalidInput(_("指标“%(m)s”没有可查看的案件清单") % {"m": measure}, field="measure")
    numerator, denominator = table[measure]
    condition = numerator if part == "numerator" else denominator
    if condition is None:
        raise InvalidInput(_("指标“%(m)s”没有分母") % {"m": measure}, field="part")
    return Case.objects.filter(town=scope.town).filter(scope.case_filter()).filter(condition)
