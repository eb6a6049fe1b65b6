"""Who hears about what, and the outbox that delivers it.

Every case action owes its notifications. The engine writes that debt in the action's own row
(``CaseAction.notify_due_at``, the outbox) in the same INSERT and transaction as the action, so a committed
action always has its notifications on the way and an action rolled back owes nothing. Delivery — working
out the recipients and creating their ``Notification`` rows — is the worker's job (``deliver_due``, run by the
``deliver_notifications`` task); a delivery that fails is recorded with its attempt count and retried later
with backoff, and nothing of it ever reaches the person who took the action. Delivering twice creates
nothing twice (one notification per user and action).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from gridgov.data.cases.enums import Action, NotificationKind
from gridgov.data.cases.models import CaseAction, Notification
from gridgov.data.cases.scope import who_sees
from gridgov.data.dates import written_moment
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Membership, User

if TYPE_CHECKING:
    from gridgov.data.notify.domain.planning import Draft

log = logging.getLogger(__name__)

# Retries: 30 s, 1 min, 2 min, … doubling up to an hour; after MAX_ATTEMPTS the row is left undelivered
# (notify_due_at cleared, notified_at empty) and the failure logged as an error.
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
MAX_ATTEMPTS = 12
BATCH = 200
# One wake-up of the worker per process per this many seconds: the woken task delivers everything due.
WAKE_EVERY_SECONDS = 2.0


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
    """Create the notifications of one action (safe to run twice); returns how many were created."""
    row = CaseAction.objects.select_related("case").filter(pk=action_id).first()
    if row is None:
        return 0
    return _notify(row)


def _notify(row: CaseAction) -> int:
    return sum(_write_notifications(row, user_ids=ids, message=message) for ids, message in _recipients(row))


# ---------------------------------------------------------------------------------------------------
# What a notification says: a kind and its parameters, written as a sentence in the reader's language when read


@dataclass(frozen=True, slots=True)
class NotificationText:
    """What a notification says: its ``kind`` and ``params`` (case number, action, deadline …), from which
    ``text()`` writes the sentence in the active language; ``stored``: that sentence in the town's language,
    kept with the row (search, the admin) — the only text of a row stored before kinds."""

    kind: str
    params: dict[str, str]
    stored: str

    def text(self) -> str:
        """The sentence in the active language (the stored one when the kind or its parameters are unknown), a
        deadline of the current year without its year (11月23日 14:30)."""
        return sentence(kind=self.kind, params=self.params, this_year=timezone.localdate().year) or self.stored

    def notification(self, **link: int | None) -> Notification:
        """A notification saying this (``link``: its town, user, case and action or alert ids), unsaved."""
        return Notification(kind=self.kind, params=self.params, message=self.stored, **link)


def _with_stored(kind: NotificationKind, params: dict[str, str]) -> NotificationText:
    with translation.override(settings.LANGUAGE_CODE):  # the town's language, whoever's request wrote it
        stored = sentence(kind=kind, params=params, this_year=None) or ""  # a deadline with its year: searched
    return NotificationText(kind=kind, params=params, stored=stored[:255])


def action_text(*, number: str, action: str, note: str) -> NotificationText:
    """A step of a case: "DX2026-000123：派遣", and the step's note (as its author wrote it)."""
    return _with_stored(NotificationKind.ACTION, {"number": number, "action": action, "note": note[:120]})


def reassigned_away_text(*, number: str) -> NotificationText:
    """A reassignment, told to the unit the case left: "DX2026-000123：已改派其他单位" — not where it went (that
    unit no longer sees the case), nor the step's note (which may say so)."""
    params = {"number": number, "action": Action.REDISPATCH.value, "note": "", "away": "1"}
    return _with_stored(NotificationKind.ACTION, params)


def is_reassigned_away(text: NotificationText) -> bool:
    """Whether ``text`` tells a unit that a case was reassigned away from it (``reassigned_away_text``)."""
    return text.kind == NotificationKind.ACTION and text.params.get("away") == "1"


def deadline_text(*, number: str, level: str, deadline: datetime) -> NotificationText:
    """A deadline alert: yellow (due soon) or red (overdue), with the deadline as Chinese users write it (11月23日
    14:30; 2025年11月23日 14:30 when it is not the reader's current year — ``dates.written_moment``). The stored
    sentence always has the year, so the 消息 search finds the alert by any part of the date as shown."""
    return _with_stored(NotificationKind.DEADLINE, {"number": number, "level": level, "deadline": deadline.isoformat()})


# The sentences, translated when read: a step of a case, and a deadline alert by its level (yellow: due soon).
ACTION_SENTENCE = gettext_lazy("%(number)s：%(action)s")
REASSIGNED_AWAY_SENTENCE = gettext_lazy("%(number)s：已改派其他单位")
DEADLINE_SENTENCES = {
    "red": gettext_lazy("%(number)s 已超期（期限 %(deadline)s），请尽快办理"),
    "yellow": gettext_lazy("%(number)s 即将到期（期限 %(deadline)s）"),
}


def sentence(*, kind: str, params: dict[str, str], this_year: int | None) -> str | None:
    """The notification's sentence in the active language, a deadline's year left out when it is ``this_year``
    (None: always written); None when ``kind`` is none (stored text only) or its parameters do not make one (a
    row written by another version)."""
    try:
        if kind == NotificationKind.ACTION and params.get("away") == "1":
            return str(REASSIGNED_AWAY_SENTENCE) % {"number": params["number"]}
        if kind == NotificationKind.ACTION:
            text = str(ACTION_SENTENCE) % {"number": params["number"], "action": Action(params["action"]).label}
            return f"{text} — {params['note']}" if params.get("note") else text
        if kind == NotificationKind.DEADLINE:
            deadline = written_moment(datetime.fromisoformat(params["deadline"]), this_year=this_year)
            message = DEADLINE_SENTENCES["red" if params["level"] == "red" else "yellow"]
            return str(message) % {"number": params["number"], "deadline": deadline}
    except (KeyError, TypeError, ValueError):
        return None
    return None


def text_of(notification: Notification) -> NotificationText:
    return NotificationText(kind=notification.kind, params=notification.params, stored=notification.message)


def notification_text(notification: Notification) -> str:
    """What ``notification`` says, in the active language (the reader's)."""
    return text_of(notification).text()


def _recipients(row: CaseAction) -> list[tuple[list[int], NotificationText]]:
    """Who hears of the action ``row`` (its case loaded with it), and what their message says: reads only. A
    reassignment is told to the unit it went to as the step, and to the unit it left as having gone away
    (``reassigned_away_text``), each person once: the step's news wins. Someone of the unit it left who still
    sees the case another way (the scope check: village staff of the case's village, say) hears of the step too."""
    told, message = _told_of_step(row)
    still, gone = _left_behind(row, told=told)
    groups = [(sorted({*told, *still}), message)]
    if gone:
        groups.append((gone, reassigned_away_text(number=row.case.number)))
    return groups


def reassigned_from(row: CaseAction) -> int | None:
    """The department the reassignment ``row`` took its case from (None for any other step, or when the case is
    back with that department)."""
    left = row.data.get("from_department") if row.action == Action.REDISPATCH else None
    if not isinstance(left, int) or left == row.case.department_id:
        return None
    return left


def _left_behind(row: CaseAction, *, told: list[int]) -> tuple[list[int], list[int]]:
    """The people of the unit a reassignment took the case from (``reassigned_from``), but for those told of the
    step and the actor: those who still see the case (``who_sees``), and those who no longer do."""
    left = reassigned_from(row)
    if left is None:
        return [], []
    who = department_people(left)
    ids = set(Membership.objects.filter(who, active=True).values_list("user_id", flat=True)) - set(told)
    ids.discard(row.actor_id or 0)
    still = who_sees(row.case, user_ids=ids)
    return sorted(still), sorted(ids - still)


def _told_of_step(row: CaseAction) -> tuple[list[int], NotificationText]:
    """Who hears of the action ``row`` itself, and its message."""
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
    elif action == Action.RECALENDAR:  # a provisional deadline made final: whoever runs the clock now
        if row.to_status in ("reported", "registered"):
            who = area_people(case.area_path, [Role.OPERATOR])
        else:
            who = department_people(case.department_id)
    if row.to_status in ("closed", "rejected") and case.reporter_id:
        user_ids.add(case.reporter_id)
    if who is not None:
        user_ids.update(Membership.objects.filter(who, active=True).values_list("user_id", flat=True))
    user_ids.discard(row.actor_id or 0)
    return sorted(user_ids), action_text(number=case.number, action=row.action, note=row.note)


def _write_notifications(row: CaseAction, *, user_ids: list[int], message: NotificationText) -> int:
    """The action's notifications, one per user (those already there are kept); returns how many are new."""
    created = Notification.objects.bulk_create(
        [
            message.notification(town_id=row.case.town_id, user_id=uid, case_id=row.case_id, action_id=row.pk)
            for uid in user_ids
        ],
        ignore_conflicts=True,
    )
    return len(created)


# ---------------------------------------------------------------------------------------------------
# The outbox: delivery by the worker, with retries


@dataclass(frozen=True, slots=True)
class Delivery:
    delivered: int  # actions whose notifications were delivered
    failed: int  # actions whose delivery failed this time (retried later, or given up)
    notifications: int  # notification rows created


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed delivery."""
    delay: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, LONGEST_RETRY)


def pending(*, now: datetime | None = None) -> QuerySet[CaseAction]:
    """Actions whose notifications are due at ``now`` (all undelivered ones when ``now`` is None)."""
    qs = CaseAction.objects.filter(notify_due_at__isnull=False)
    if now is not None:
        qs = qs.filter(notify_due_at__lte=now)
    return qs.order_by("notify_due_at", "id")


# What a notification's message says of a case beyond the case's own columns (``notify.domain.messages``).
MESSAGE_RELATED = ("category", "village", "department", "town")


def actions_with_their_cases() -> QuerySet[CaseAction]:
    """Case actions with their case and its ``MESSAGE_RELATED``."""
    return CaseAction.objects.select_related(*(f"case__{name}" for name in MESSAGE_RELATED))


def deliver_action(*, action_id: int, now: datetime | None = None) -> int | None:
    """Deliver one action's notifications if they are still owed.

    Returns the number of notifications created, or None when the delivery failed (the failure is recorded
    on the row — attempts, next due moment — and logged; it is never raised).

    Who hears of it, the messages and the external channels' deliveries are worked out first, by reads
    alone; then one short transaction claims the action (it is still owed: no other worker delivered it
    meanwhile) and writes them. On SQLite a write transaction holds the database's write lock, which every
    request that writes waits for: the delivery holds it only while it writes.
    """
    now = now or timezone.now()
    try:
        row = actions_with_their_cases().filter(pk=action_id, notify_due_at__isnull=False).first()
        if row is None:
            return 0  # delivered already (or owes nothing)
        told = _recipients(row)
        draft = _draft_deliveries(row, told=told, now=now)
        with transaction.atomic():
            claimed = CaseAction.objects.filter(pk=row.pk, notify_due_at__isnull=False).update(
                notify_due_at=None, notified_at=now, notify_attempts=F("notify_attempts") + 1
            )
            if not claimed:
                return 0  # another worker delivered it since it was read
            created = sum(_write_notifications(row, user_ids=ids, message=message) for ids, message in told)
            _write_deliveries(row, draft)
        return created
    except Exception as error:  # any failure is retried, and logged; never raised
        _record_failure(action_id=action_id, now=now, error=error)
        return None


def _draft_deliveries(
    row: CaseAction, *, told: list[tuple[list[int], NotificationText]], now: datetime
) -> Draft | None:
    """The external channels' deliveries of the action (e-mail, DingTalk, …) to those ``told`` of it, each with
    their message, worked out without writing."""
    from gridgov.data.notify.domain.planning import Recipient, draft_for_action, drafted

    messages = {uid: message for ids, message in told for uid in ids}
    users = User.objects.filter(pk__in=messages).values_list("pk", "email", "phone")
    recipients = [Recipient(pk, email, phone, messages[pk]) for pk, email, phone in users]
    return drafted(lambda: draft_for_action(action=row, recipients=recipients, now=now), about=f"流转记录 {row.pk}")


def _write_deliveries(row: CaseAction, draft: Draft | None) -> None:
    """Write the drafted deliveries with the action's notifications, same transaction."""
    from gridgov.data.notify.domain.planning import write_deliveries

    write_deliveries(draft, notifications=Notification.objects.filter(action_id=row.pk), about=f"流转记录 {row.pk}")


def _record_failure(*, action_id: int, now: datetime, error: Exception) -> None:
    try:
        with transaction.atomic():
            row = CaseAction.objects.filter(pk=action_id).values("notify_attempts").first()
            attempts = (row["notify_attempts"] if row else 0) + 1
            if attempts >= MAX_ATTEMPTS:
                log.error("通知发送失败 %s 次，放弃：流转记录 %s：%r", attempts, action_id, error)
                due: datetime | None = None
            else:
                log.warning("通知发送失败（第 %s 次），稍后重试：流转记录 %s：%r", attempts, action_id, error)
                due = now + retry_delay(attempts)
            CaseAction.objects.filter(pk=action_id).update(notify_attempts=attempts, notify_due_at=due)
    except Exception as second:  # the row stays due as it was; the next run tries again
        log.warning("通知发送失败，且无法记录失败（稍后重试）：流转记录 %s：%r / %r", action_id, error, second)


def deliver_due(*, now: datetime | None = None, limit: int = BATCH) -> Delivery:
    """Deliver the notifications of every action due at ``now`` (oldest first, at most ``limit``)."""
    now = now or timezone.now()
    ids = list(pending(now=now).values_list("id", flat=True)[:limit])
    delivered = failed = notifications = 0
    for action_id in ids:
        created = deliver_action(action_id=action_id, now=now)
        if created is None:
            failed += 1
        else:
            delivered += 1
            notifications += created
    return Delivery(delivered=delivered, failed=failed, notifications=notifications)


def retry_later(*, now: datetime | None = None) -> datetime | None:
    """After a run with failures: queue the next delivery for when the earliest owed action is due.

    Each failed attempt queues one follow-up, so retries happen even when no new action wakes the worker.
    Only with a backend that can defer (the database queue); returns the moment queued, or None.
    """
    from django.tasks import default_task_backend

    from gridgov.data.cases.tasks import deliver_notifications

    now = now or timezone.now()
    try:
        if not default_task_backend.supports_defer:
            return None
        earliest = pending().values_list("notify_due_at", flat=True).first()
        if earliest is None:
            return None
        run_after = max(earliest, now + timedelta(seconds=5))
        deliver_notifications.using(run_after=run_after).enqueue()
        return run_after
    except Exception as error:  # the rows stay owed; the next wake-up delivers them
        log.warning("无法安排提醒重试：%r", error)
        return None


def continue_later() -> None:
    """Queue the next delivery run at once (a run that stopped with a backlog left)."""
    from gridgov.data.cases.tasks import deliver_notifications

    try:
        deliver_notifications.enqueue()
    except Exception as error:  # the rows stay owed; the next wake-up delivers them
        log.warning("无法安排后续提醒发送：%r", error)


_wake_lock = threading.Lock()
_next_wake = 0.0  # time.monotonic() before which this process has a delivery task waiting already


def wake_worker() -> None:
    """After a commit: make sure a delivery task will run. Never raises (the action is committed).

    With a backend that can defer (the database queue), one task per process per ``WAKE_EVERY_SECONDS``
    is enough: it is deferred to the end of that window, so it starts after every action committed in it.
    """
    global _next_wake
    from django.tasks import default_task_backend

    from gridgov.data.cases.tasks import deliver_notifications

    try:
        if not default_task_backend.supports_defer:
            deliver_notifications.enqueue()
            return
        with _wake_lock:
            moment = time.monotonic()
            if moment < _next_wake:
                return
            _next_wake = moment + WAKE_EVERY_SECONDS
        run_after = timezone.now() + timedelta(seconds=WAKE_EVERY_SECONDS)
        deliver_notifications.using(run_after=run_after).enqueue()
    except Exception as error:  # the outbox row stays due; the next wake-up or sweep delivers it
        with _wake_lock:
            _next_wake = 0.0
        log.warning("无法通知后台任务发送提醒（稍后由下一次任务补发）：%r", error)
