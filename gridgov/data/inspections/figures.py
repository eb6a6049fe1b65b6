"""Year figures of the inspection ledger (keys per yearkeys.md), and each round's counts for the rounds list."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from gridgov.data.cases.enums import Status
from gridgov.data.cases.figures import Figure, closed_by, closed_then, local_bounds, status_then
from gridgov.data.cases.models import Case
from gridgov.data.inspections.models import InspectionBulletin, InspectionProblem, InspectionRound
from gridgov.data.org.models import Area


def with_counts(rounds: QuerySet[InspectionRound]) -> QuerySet[InspectionRound]:
    """``rounds`` newest first, each with ``n_problems`` (rejected ones excluded), ``n_fixed`` (closed) and
    ``n_bulletins``."""
    return rounds.annotate(
        n_problems=Count("problems", filter=~Q(problems__case__status=Status.REJECTED), distinct=True),
        n_fixed=Count("problems", filter=Q(problems__case__status=Status.CLOSED), distinct=True),
        n_bulletins=Count("bulletins", distinct=True),
    ).order_by("-start_date", "-id")  # Meta.ordering does not apply to a GROUP BY query


def bulletins_issued(*, town: Area, start: date, end: date) -> QuerySet[InspectionBulletin]:
    """The town's inspection bulletins issued in [start, end)."""
    since, until = local_bounds(start, end)
    return InspectionBulletin.objects.filter(town=town, issued_at__gte=since, issued_at__lt=until)


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """Rounds started and bulletins issued in [start, end); problems found then (rejected ones excluded)
    and those of them rectified (closed) by ``as_of``."""
    since, until = local_bounds(start, end)
    rounds = InspectionRound.objects.filter(town=town, start_date__gte=since.date(), start_date__lt=until.date())
    bulletins = bulletins_issued(town=town, start=start, end=end)
    problem_ids = InspectionProblem.objects.filter(town=town, found_at__gte=since, found_at__lt=until).values("case_id")
    found = Case.objects.filter(pk__in=problem_ids, reported_at__lte=as_of).exclude(status=Status.REJECTED)
    rectified = closed_by(found, as_of=as_of)
    problems = found.annotate(_status_then=status_then(as_of)).aggregate(
        n=Count("pk"), fixed=Count("pk", filter=closed_then())
    )
    return {
        "inspection_rounds": Figure(_("督查轮次"), rounds.count(), _("轮")),
        "inspection_bulletins": Figure(_("督查通报"), bulletins.count(), _("期")),
        "inspection_problems": Figure(_("督查发现问题"), problems["n"], _("条"), found),
        "inspection_rectified": Figure(_("督查问题已整改"), problems["fixed"], _("条"), rectified),
    }
