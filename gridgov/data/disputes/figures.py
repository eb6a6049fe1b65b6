"""Year figures of petitions and disputes (keys per yearkeys.md).

- petitions_*: 信访 received in [start, end); backlog petitions cleared (积案化解) in the period;
- disputes_*: 矛盾纠纷 and 劳资纠纷 received in the period, those resolved (closed) by ``as_of``, 化解率;
- labour_*: 劳资纠纷 received in the period and resolved by ``as_of`` ("妥善解决…N起"), and their amount.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from gridgov.data.cases.enums import Status
from gridgov.data.cases.figures import Figure, closed_by, closed_then, local_bounds, status_then
from gridgov.data.cases.models import Case
from gridgov.data.disputes.enums import DisputeType
from gridgov.data.disputes.models import Dispute
from gridgov.data.org.models import Area


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    # Looked up from the period's disputes by key, not by reading every case of the town for its dispute.
    in_period = Dispute.objects.filter(case__town=town, received_on__gte=start, received_on__lt=end)
    received = Case.objects.filter(pk__in=in_period.values("case_id"), reported_at__lte=as_of).exclude(
        status=Status.REJECTED
    )
    petitions = received.filter(dispute__type=DisputeType.PETITION)
    since, until = local_bounds(start, end)
    cleared = Case.objects.filter(
        town=town,
        dispute__backlog=True,
        dispute__backlog_cleared_at__gte=since,
        dispute__backlog_cleared_at__lt=until,
        dispute__backlog_cleared_at__lte=as_of,
    )
    disputes = received.filter(dispute__type__in=[DisputeType.CONFLICT, DisputeType.LABOUR])
    resolved = closed_by(disputes, as_of=as_of)
    labour = closed_by(received.filter(dispute__type=DisputeType.LABOUR), as_of=as_of)
    # One query for the received ones (each count is that of the queryset behind its figure), one for the backlog.
    kinds = Q(dispute__type__in=[DisputeType.CONFLICT, DisputeType.LABOUR])
    labour_closed = Q(dispute__type=DisputeType.LABOUR) & closed_then()
    counted = received.annotate(_status_then=status_then(as_of)).aggregate(
        petitions=Count("pk", filter=Q(dispute__type=DisputeType.PETITION)),
        n=Count("pk", filter=kinds),
        fixed=Count("pk", filter=kinds & closed_then()),
        labour=Count("pk", filter=labour_closed),
        amount=Sum("dispute__amount", filter=labour_closed),
    )
    n, fixed, amount = counted["n"], counted["fixed"], counted["amount"]
    return {
        "petitions_received": Figure(_("受理信访"), counted["petitions"], _("件"), petitions),
        "petition_backlog_cleared": Figure(_("化解信访积案"), cleared.count(), _("件"), cleared),
        "disputes_received": Figure(_("受理矛盾纠纷"), n, _("起"), disputes),
        "disputes_resolved": Figure(_("化解矛盾纠纷"), fixed, _("起"), resolved),
        "disputes_rate": Figure(_("矛盾纠纷化解率"), Decimal(fixed) / Decimal(n) if n else None, "%", resolved),
        "labour_disputes": Figure(_("解决劳资纠纷"), counted["labour"], _("起"), labour),
        "labour_amount": Figure(_("劳资纠纷涉及金额"), Decimal(amount or 0), _("元"), labour),
    }
