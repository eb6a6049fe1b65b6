"""Who hears about what: the recipients of each case action."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.enums import Action
from gridgov.data.cases.models import CaseAction, Notification
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Membership


def department_people(department_id: int | None) -> Q | None:
    if department_id is None:
        return None
    return Q(department_id=department_id, role__in=[Role.HANDLER, Role.VILLAGE_STAFF])


def area_people(area_path: str, roles: list[Role]) -> Q:
    # Memberships whose area path is a prefix of the case's path, i.e. one of the case's ancestors.
    codes = [code for code in area_path.split("/") if code]
    prefixes = ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
    return Q(area__path__in=prefixes, role__in=roles)


def notify_for_action(*, action_id: int) -> int:
    row = CaseAction.objects.select_related("case").filter(pk=action_id).first()
    if row is None:
        return 0
    case = row.case
    action = Action(row.action)
    who: Q | None = None
    user_ids: set[int] = set()
    if action in (Action.DISPATCH, Action.REDISPATCH, Action.SUPERVISE, Action.REOPEN):
        who = department_people(case.department_id)
    elif action == Action.VERIFY_FAIL:
        if case.handler_id:
            user_ids.add(case.handler_id)
        who = department_people(case.department_id)
    elif action == Action.RESOLVE:
        who = area_people(case.area_path, [Role.GRID_WORKER])
    elif action in (Action.RETURN, Action.REQUEST_EXTENSION, Action.REPORT):
        who = area_people(case.area_path, [Role.OPERATOR])
    elif action in (Action.APPROVE_EXTENSION, Action.DENY_EXTENSION) and case.handler_id:
        user_ids.add(case.handler_id)
    if row.to_status in ("closed", "rejected") and case.reporter_id:
        user_ids.add(case.reporter_id)
    if who is not None:
        user_ids.update(Membership.objects.filter(who, active=True).values_list("user_id", flat=True))
    user_ids.discard(row.actor_id or 0)
    message = _("%(number)s：%(action)s") % {"number": case.number, "action": Action(row.action).label}
    if row.note:
        message = f"{message} — {row.note[:120]}"
    created = Notification.objects.bulk_create(
        [
            Notification(town_id=case.town_id, user_id=uid, case=case, action=row, message=message[:255])
            for uid in sorted(user_ids)
        ],
        ignore_conflicts=True,
    )
    return len(created)


# ---------------------------------------------------------------------------------------------------
# Reading: a user's own messages only.


def notifications_for(*, user_id: int, unread_only: bool = False, search: str = "") -> QuerySet[Notification]:
    qs = Notification.objects.filter(user_id=user_id).select_related("case").order_by("-created_at", "-id")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if search.strip():
        text = search.strip()[:100]
        qs = qs.filter(Q(message__icontains=text) | Q(case__number__icontains=text))
    return qs


def unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


def mark_read(*, user_id: int, notification_ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Mark the user's messages read (all unread ones when ``notification_ids`` is None); returns how many."""
    qs = Notification.objects.filter(user_id=user_id, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=now or timezone.now())


def was_notified(*, user_id: int, case_id: int) -> bool:
    """Whether the user was told about the case (so may hear that it has moved out of their hands)."""
    return Notification.objects.filter(user_id=user_id, case_id=case_id).exists()
