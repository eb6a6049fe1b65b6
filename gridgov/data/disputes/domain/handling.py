"""Handling a registered dispute beyond the engine's steps: the mediation recorded, a backlog case cleared
(积案化解), a petition's one extension requested."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain import reference
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.domain.personal_data import REVEAL_ROLES
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.cases.scope import capacities
from gridgov.data.disputes.domain.categories import PETITION_EXTENSION_DAYS
from gridgov.data.disputes.enums import DisputeType, Method, Outcome
from gridgov.data.disputes.models import Dispute
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.models import User
from gridgov.data.worktime.enums import TimeUnit


def record_mediation(
    *,
    dispute: Dispute,
    actor: User,
    method: Method | str,
    outcome: Outcome | str,
    note: str = "",
    now: datetime | None = None,
) -> CaseAction:
    """Record how the dispute was mediated and with what result (a comment in the case's audit chain)."""
    if method not in Method.values:
        raise InvalidInput(_("请选择调处方式"), field="method")
    if outcome not in Outcome.values:
        raise InvalidInput(_("请选择调处结果"), field="outcome")
    text = _("调处方式：%(m)s；结果：%(o)s") % {"m": Method(method).label, "o": Outcome(outcome).label}
    if note.strip():
        text += _("；说明：%(n)s") % {"n": note.strip()}
    with transaction.atomic():
        row = apply_action(case_id=dispute.case_id, actor=actor, action=Action.COMMENT, note=text, now=now)
        Dispute.objects.filter(pk=dispute.pk).update(method=method, outcome=outcome, outcome_note=note.strip())
    dispute.method, dispute.outcome, dispute.outcome_note = str(method), str(outcome), note.strip()
    return row


def clear_backlog(*, dispute: Dispute, actor: User, note: str = "", now: datetime | None = None) -> CaseAction:
    """积案化解: a backlog case whose case is closed is marked cleared (a comment in the audit chain)."""
    now = now or timezone.now()
    if not dispute.backlog:
        raise NotAllowed(_("该件不是积案"))
    if dispute.backlog_cleared_at is not None:
        raise NotAllowed(_("该积案已化解销号"))
    if dispute.case.status != Status.CLOSED:
        raise NotAllowed(_("积案须办结（核查通过）后才能化解销号"))
    if not capacities(actor, dispute.case) & REVEAL_ROLES:
        raise NotAllowed(_("只有镇指挥室或领导可以确认积案化解"))
    with transaction.atomic():
        row = apply_action(
            case_id=dispute.case_id, actor=actor, action=Action.COMMENT, note=note or _("积案化解销号"), now=now
        )
        Dispute.objects.filter(pk=dispute.pk).update(backlog_cleared_at=now)
    dispute.backlog_cleared_at = now
    return row


def request_petition_extension(
    *, dispute: Dispute, actor: User, note: str, days: int = PETITION_EXTENSION_DAYS, now: datetime | None = None
) -> CaseAction:
    """信访: the 60-day limit may be extended once, by at most 30 days, with approval.

    ``days`` counts in the unit the case's handling limit is set in (as every extension does). The law's 30 days
    are calendar days whatever that unit is: a town that sets petitions in 工作日 may ask for as many working
    days as end within 30 days of the current deadline, not for 30 working days."""
    if dispute.type != DisputeType.PETITION:
        raise NotAllowed(_("只有信访件适用延期30日的规定"))
    if days < 1 or not _within_the_petition_extension(dispute.case, days):
        raise InvalidInput(_("信访件延期不得超过%(n)s日") % {"n": PETITION_EXTENSION_DAYS}, field="extension")
    if dispute.case.extension_count >= 1:
        raise NotAllowed(_("信访件只能延期一次"))
    return apply_action(
        case_id=dispute.case_id, actor=actor, action=Action.REQUEST_EXTENSION, extension=days, note=note, now=now
    )


def _within_the_petition_extension(case: Case, days: int) -> bool:
    """Whether extending ``case``'s handling limit by ``days`` of its unit ends within 30 calendar days of the
    deadline it has now."""
    unit = case.handle_limit_unit or TimeUnit.CALENDAR_DAYS
    if unit == TimeUnit.CALENDAR_DAYS or case.handle_deadline is None:
        return days <= PETITION_EXTENSION_DAYS
    extended = reference.calendar().add_limit(case.handle_deadline, days, unit)
    return extended - case.handle_deadline <= timedelta(days=PETITION_EXTENSION_DAYS)
