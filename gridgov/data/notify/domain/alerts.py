"""Deadline alerts: the periodic check that turns lamps into messages.

A notification job, run by notify's ``deadline_alerts`` loop: it writes the case's ``DeadlineAlert`` and its
in-app ``Notification`` rows (cases' models, imported downwards) and plans their channel deliveries in the same
transaction — so it lives in notify, above cases, and the cases app never calls up into the channel planner.

Cases whose running phase passed its yellow mark (75 % of the limit) or its deadline get a DeadlineAlert
and the people who must act hear of it: the department for the handling phase, the command room for the
dispatch phase. Uses the stored ``*_warn_at``/``*_deadline`` columns (indexed), so it costs one query over
the open cases that are due, not a walk over all cases.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gridgov.data.cases.domain.notifications import MESSAGE_RELATED, area_people, deadline_text, department_people
from gridgov.data.cases.enums import DISPATCH_PHASE_STATUSES, HANDLE_PHASE_STATUSES
from gridgov.data.cases.models import Case, DeadlineAlert, Notification
from gridgov.data.notify.domain.planning import Draft, Recipient, draft_event, drafted, write_deliveries
from gridgov.data.notify.enums import EventKind
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Membership, User


def raise_deadline_alerts(*, now: datetime | None = None) -> int:
    """Create the alerts (and their notifications) that are due at ``now``; returns how many alerts.

    Each alert's recipients, message and channel deliveries are worked out by reads first; its short write
    transaction then creates the alert (unless another run did), the notifications and the deliveries. On
    SQLite a write transaction holds the database's write lock: a morning's batch of lamps keeps no request
    waiting longer than its writes."""
    now = now or timezone.now()
    due = Case.objects.filter(
        Q(status__in=DISPATCH_PHASE_STATUSES, dispatch_warn_at__lte=now)
        | Q(status__in=HANDLE_PHASE_STATUSES, handle_warn_at__lte=now)
    ).select_related(*MESSAGE_RELATED)  # what the channels' messages name …
    cases = list(due.defer("description", "reporter_name", "reporter_phone"))  # … and not what they leave out
    already = set(
        DeadlineAlert.objects.filter(case_id__in=[c.pk for c in cases]).values_list(
            "case_id", "phase", "level", "deadline"
        )
    )
    created = 0
    for case in cases:
        in_dispatch = case.status in DISPATCH_PHASE_STATUSES
        phase = "dispatch" if in_dispatch else "handle"
        deadline = case.dispatch_deadline if in_dispatch else case.handle_deadline
        if deadline is None:
            continue
        level = "red" if now > deadline else "yellow"
        if (case.pk, phase, level, deadline) in already:
            continue
        who = department_people(case.department_id) if not in_dispatch else None
        if who is None:
            who = area_people(case.area_path, [Role.OPERATOR])
        users = list(
            User.objects.filter(pk__in=Membership.objects.filter(who, active=True).values("user_id"))
            .order_by("pk")
            .values_list("pk", "email", "phone")
        )
        text = deadline_text(number=case.number, level=level, deadline=deadline)
        recipients = [Recipient(pk, email, phone, text) for pk, email, phone in users]
        draft = _draft_deliveries(case=case, level=level, recipients=recipients, now=now)
        with transaction.atomic():
            alert, was_created = DeadlineAlert.objects.get_or_create(
                case=case,
                phase=phase,
                level=level,
                deadline=deadline,
                defaults={"town_id": case.town_id, "created_at": now},
            )
            if not was_created:
                continue
            created += 1
            Notification.objects.bulk_create(
                [
                    text.notification(town_id=case.town_id, user_id=pk, case_id=case.pk, alert_id=alert.pk)
                    for pk, _email, _phone in users
                ],
                ignore_conflicts=True,
            )
            write_deliveries(
                draft,
                notifications=Notification.objects.filter(alert=alert),
                about=f"期限预警 {alert.pk}",
                event_key=f"alert:{alert.pk}",
            )
    return created


def _draft_deliveries(*, case: Case, level: str, recipients: list[Recipient], now: datetime) -> Draft | None:
    """The alert's channel deliveries, worked out without writing (its key is known once it is written)."""
    kind = EventKind.OVERDUE_RED if level == "red" else EventKind.OVERDUE_YELLOW
    return drafted(
        lambda: draft_event(event_key="", kind=kind, case=case, recipients=recipients, now=now),
        about=f"期限预警（案卷 {case.number}）",
    )
