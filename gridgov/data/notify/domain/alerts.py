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

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.notifications import area_people, department_people
from gridgov.data.cases.enums import DISPATCH_PHASE_STATUSES, HANDLE_PHASE_STATUSES
from gridgov.data.cases.models import Case, DeadlineAlert, Notification
from gridgov.data.notify.domain.planning import plan_for_alert
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Membership


def raise_deadline_alerts(*, now: datetime | None = None) -> int:
    """Create the alerts (and their notifications) that are due at ``now``; returns how many alerts."""
    now = now or timezone.now()
    due = Case.objects.filter(
        Q(status__in=DISPATCH_PHASE_STATUSES, dispatch_warn_at__lte=now)
        | Q(status__in=HANDLE_PHASE_STATUSES, handle_warn_at__lte=now)
    ).only(
        "pk", "town_id", "number", "status", "area_path", "department_id",
        "dispatch_deadline", "handle_deadline",
    )  # fmt: skip
    cases = list(due)
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
            who = department_people(case.department_id) if not in_dispatch else None
            if who is None:
                who = area_people(case.area_path, [Role.OPERATOR])
            user_ids = sorted(set(Membership.objects.filter(who, active=True).values_list("user_id", flat=True)))
            if level == "red":
                message = _("%(number)s 已超期（期限 %(deadline)s），请尽快办理")
            else:
                message = _("%(number)s 即将到期（期限 %(deadline)s）")
            text = message % {
                "number": case.number,
                "deadline": timezone.localtime(deadline).strftime("%m-%d %H:%M"),
            }
            Notification.objects.bulk_create(
                [
                    Notification(town_id=case.town_id, user_id=uid, case=case, alert=alert, message=text)
                    for uid in user_ids
                ],
                ignore_conflicts=True,
            )
            _plan_deliveries(alert_id=alert.pk, now=now)
    return created


def _plan_deliveries(*, alert_id: int, now: datetime) -> None:
    """Hand the alert's notifications to the external channels; a fault there never holds the alert."""
    try:
        with transaction.atomic():
            plan_for_alert(alert_id=alert_id, now=now)
    except Exception as error:
        logging.getLogger(__name__).error("无法安排外部渠道推送：期限预警 %s：%r", alert_id, error)
