"""From a notification to its deliveries: which channels, for whom, when (preferences and quiet hours).

The in-app message (the ``Notification`` row, created by the cases outbox) is always there; each of its
recipients also gets a ``Delivery`` per external channel that the admin allows (``GRIDGOV_NOTIFY_CHANNELS``,
configured), the user has not switched off for this kind of event (``Preference``; without a row: on, except
SMS, which is on by default only for red lamps and 督办) and has an address for. Group robots hear of
dispatches, lamps and 督办 of the cases in their department or area. Planned in the same transaction as the
notifications, so a committed notification always has its deliveries on the way.

Group robots read the language configured for the case's town (``GRIDGOV_NOTIFY_TOWN_LANGUAGES``); each
user reads the language chosen on their channel account.

Quiet hours: outside working time (the working calendar) a delivery waits for the next working period;
red lamps and 督办 always go through at once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import threading
import time as monotonic_time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gridgov.data.cases.domain import reference
from gridgov.data.cases.domain.notifications import (
    NotificationText,
    actions_with_their_cases,
    department_people,
    is_reassigned_away,
    reassigned_away_text,
    reassigned_from,
    text_of,
)
from gridgov.data.cases.enums import Action, Channel, Status
from gridgov.data.cases.models import Case, CaseAction, Notification
from gridgov.data.notify.channels.registry import GROUP, ChannelName, allowed_channels
from gridgov.data.notify.channels.robots import Robot, robots
from gridgov.data.notify.domain.messages import case_message, delivery_content, reporter_message, town_language
from gridgov.data.notify.enums import URGENT, DeliveryStatus, EventKind
from gridgov.data.notify.models import ChannelAccount, Delivery, Preference
from gridgov.data.org.models import Department, Membership
from gridgov.data.worktime.calendar import WorkCalendar

log = logging.getLogger(__name__)

ROBOT_KINDS = frozenset({EventKind.DISPATCHED, EventKind.OVERDUE_YELLOW, EventKind.OVERDUE_RED, EventKind.SUPERVISED})
WAKE_EVERY_SECONDS = 2.0
# A resident who reported a case (phone page, Open311) hears of these steps by SMS, with the follow link.
REPORTER_ACTIONS = frozenset(
    {Action.REGISTER, Action.REJECT, Action.DISPATCH, Action.SUSPEND, Action.RESUME, Action.REOPEN}
)
PUBLIC_CHANNELS = (Channel.RESIDENT, Channel.OPEN311)


def kind_of_action(action: str, to_status: str) -> EventKind:
    if to_status in ("closed", "rejected"):
        return EventKind.CLOSED
    return {
        Action.DISPATCH: EventKind.DISPATCHED,
        Action.REDISPATCH: EventKind.DISPATCHED,
        Action.REOPEN: EventKind.DISPATCHED,
        Action.RETURN: EventKind.RETURNED,
        Action.SUPERVISE: EventKind.SUPERVISED,
        Action.REQUEST_EXTENSION: EventKind.EXTENSION_ASKED,
        Action.APPROVE_EXTENSION: EventKind.EXTENSION_DECIDED,
        Action.DENY_EXTENSION: EventKind.EXTENSION_DECIDED,
        Action.VERIFY_FAIL: EventKind.VERIFY_FAILED,
    }.get(Action(action), EventKind.OTHER)


def default_on(kind: str, channel: str) -> bool:
    if channel == ChannelName.SMS:
        return kind in URGENT
    return True


def wanted_channels(*, user_ids: Iterable[int], kind: str) -> dict[int, list[str]]:
    """Per user: the external channels to use for ``kind`` (allowed by the admin, not switched off)."""
    allowed = [name for name in allowed_channels() if name not in GROUP]
    ids = list(user_ids)
    choices = {(p.user_id, p.channel): p.enabled for p in Preference.objects.filter(user_id__in=ids, kind=kind)}
    return {uid: [name for name in allowed if choices.get((uid, name), default_on(kind, name))] for uid in ids}


def rate_key(channel: str, address: str) -> str:
    if channel == ChannelName.SMS:
        digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
        return f"sms:{digest[:32]}"
    if channel in (ChannelName.DINGTALK, ChannelName.WECOM):
        return channel
    return ""


def address_of(*, channel: str, user_email: str, user_phone: str, account: ChannelAccount | None) -> str:
    if channel == ChannelName.EMAIL:
        return user_email
    if account is None:
        return user_phone if channel == ChannelName.SMS else ""
    if channel == ChannelName.DINGTALK:
        return account.dingtalk_userid
    if channel == ChannelName.WECOM:
        return account.wecom_userid
    if channel == ChannelName.SMS:
        return account.mobile or user_phone
    return ""


def next_working_moment(moment: datetime, calendar: WorkCalendar) -> datetime:
    """``moment`` itself when it is in working time, else the start of the next working period."""
    local = timezone.localtime(moment, calendar.tz)
    day = local.date()
    for offset in range(60):
        current = day + timedelta(days=offset)
        if not calendar.is_workday(current):
            continue
        for start, end in calendar.periods:
            begin = datetime.combine(current, start, tzinfo=calendar.tz)
            finish = datetime.combine(current, end, tzinfo=calendar.tz)
            if finish <= local:
                continue
            return moment if begin <= local else begin
    return moment


def _robots_for(case: Case) -> list[Robot]:
    codes = {code for code in case.area_path.split("/") if code}
    dept_code = case.department.code if case.department_id and case.department else ""
    return [
        robot
        for robot in robots()
        if (robot.scope_kind == "dept" and robot.scope_code == dept_code)
        or (robot.scope_kind == "area" and robot.scope_code in codes)
    ]


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who a notification is for, with what an external channel needs to reach them."""

    user_id: int
    email: str
    phone: str
    message: NotificationText  # the in-app message (the 消息 page's line), written in the reader's language


@dataclass(slots=True)
class Draft:
    """An event's deliveries worked out (``draft_event``: reads only), to be written by ``write_event`` once the
    in-app notifications they belong to exist."""

    event_key: str
    rows: list[Delivery] = field(default_factory=list)


def draft_event(
    *,
    event_key: str,
    kind: EventKind,
    case: Case,
    recipients: list[Recipient],
    now: datetime,
    extra: list[Delivery] | None = None,
    group: list[Robot] | None = None,
    group_note: NotificationText | None = None,
) -> Draft:
    """The deliveries of one event, worked out without writing: channels, addresses, texts and when they go.
    ``group``: the group robots told (by default the case's, for the kinds they hear of); ``group_note``: their
    line (by default the first recipient's)."""
    urgent = kind in URGENT
    due = now
    draft = Draft(event_key)
    rows = draft.rows
    if not urgent:
        due = next_working_moment(now, reference.calendar())  # kept per process, as the engine's
    for row in extra or []:
        row.next_attempt_at = due
        rows.append(row)
    users = {r.user_id: r for r in recipients}
    wanted = wanted_channels(user_ids=users, kind=kind)
    accounts = {a.user_id: a for a in ChannelAccount.objects.filter(user_id__in=users)}
    explicit = set(
        Preference.objects.filter(user_id__in=users, kind=kind, enabled=True).values_list("user_id", "channel")
    )
    for uid, recipient in users.items():
        account = accounts.get(uid)
        message = case_message(
            case=case, kind=kind, note=recipient.message, language=account.language if account else ""
        )
        for channel in wanted.get(uid, []):
            address = address_of(
                channel=channel, user_email=recipient.email, user_phone=recipient.phone, account=account
            )
            if not address and (uid, channel) not in explicit:
                continue  # a default channel the user has no id for: nothing to say
            rows.append(
                Delivery(
                    user_id=uid,  # its notification is set by write_event
                    channel=channel,
                    kind=kind,
                    event_key=event_key,
                    recipient_key=f"user:{uid}",
                    rate_key=rate_key(channel, address) if address else "",
                    urgent=urgent,
                    **delivery_content(message),
                    status=DeliveryStatus.PENDING if address else DeliveryStatus.SKIPPED,
                    last_error="" if address else "用户未绑定该渠道的账号或号码",
                    next_attempt_at=due if address else None,
                    created_at=now,
                )
            )
    if group is None:
        group = _robots_for(case) if kind in ROBOT_KINDS else []
    if group:
        allowed = set(allowed_channels())
        group_robots = [robot for robot in group if robot.channel in allowed]
        if group_robots:
            note = group_note or (recipients[0].message if recipients else None)
            message = case_message(case=case, kind=kind, note=note, language=town_language(case.area_path))
            if note is not None and is_reassigned_away(note):  # a group the case left: nothing to open
                message = dataclasses.replace(message, link="", button="")
            for robot in group_robots:
                rows.append(
                    Delivery(
                        channel=robot.channel,
                        kind=kind,
                        event_key=event_key,
                        recipient_key=f"robot:{robot.name}"[:64],
                        rate_key=f"robot:{robot.name}"[:64],
                        urgent=urgent,
                        **delivery_content(message),
                        next_attempt_at=due,
                        created_at=now,
                    )
                )
    return draft


def write_event(draft: Draft, *, notification_ids: dict[int, int], event_key: str = "") -> int:
    """Write a drafted event's deliveries, each user's tied to that user's notification (``notification_ids``:
    user → notification); returns how many are new (call inside the transaction that has the notifications).
    ``event_key``: the event's key when only its writing makes it known (an alert's, from its new row)."""
    if event_key:
        draft.event_key = event_key
        for row in draft.rows:
            row.event_key = event_key
    if not draft.rows:
        return 0
    for row in draft.rows:
        if row.user_id is not None:
            row.notification_id = notification_ids[row.user_id]
    before = Delivery.objects.filter(event_key=draft.event_key).count()
    Delivery.objects.bulk_create(draft.rows, ignore_conflicts=True)
    created = Delivery.objects.filter(event_key=draft.event_key).count() - before
    if created:
        transaction.on_commit(wake_sender)
    return created


def drafted(make: Callable[[], Draft], *, about: str) -> Draft | None:
    """``make()`` — an event's deliveries worked out — or None when that fails (a channel misconfigured): logged
    (``about``: which event), and the in-app messages go out without them."""
    try:
        return make()
    except Exception as error:
        log.error("无法安排外部渠道推送：%s：%r", about, error)
        return None


def write_deliveries(
    draft: Draft | None, *, notifications: QuerySet[Notification], about: str, event_key: str = ""
) -> None:
    """Write a drafted event's deliveries, tied to ``notifications`` (the event's, just written), in the caller's
    transaction; a fault here never holds those in-app messages: it is logged (``about``) and skipped."""
    if draft is None:
        return
    try:
        with transaction.atomic():
            ids = dict(notifications.values_list("user_id", "id"))
            write_event(draft, notification_ids=ids, event_key=event_key)
    except Exception as error:
        log.error("无法安排外部渠道推送：%s：%r", about, error)


def plan_for_action(*, action_id: int, now: datetime | None = None) -> int:
    """The deliveries of one case action's notifications, once they exist (safe to run twice)."""
    now = now or timezone.now()
    action = actions_with_their_cases().filter(pk=action_id).first()
    if action is None:
        return 0
    notifications = list(Notification.objects.filter(action_id=action_id).select_related("user").order_by("user_id"))
    recipients = [Recipient(n.user_id, n.user.email, n.user.phone, text_of(n)) for n in notifications]
    draft = draft_for_action(action=action, recipients=recipients, now=now)
    return write_event(draft, notification_ids={n.user_id: n.pk for n in notifications})


def draft_for_action(*, action: CaseAction, recipients: list[Recipient], now: datetime) -> Draft:
    """The deliveries of one case action (loaded by ``actions_with_their_cases``) to ``recipients``, worked out
    without writing — the outbox does this before its write transaction and writes them with the notifications.
    A reassignment is a dispatch only to the unit the case went to: the rest of the unit it left hear of it as
    "其他流转" (``EventKind.OTHER``) — those who still see the case another way with the step and its link, the
    others told that it went away; so does that unit's group robot, without a link to the case."""
    kind = kind_of_action(action.action, action.to_status or "")
    case = action.case
    event_key = f"action:{action.pk}"
    reporter = _reporter_delivery(
        case=case, action=action.action, to_status=action.to_status or "", event_key=event_key, now=now
    )
    rest = [r for r in recipients if is_reassigned_away(r.message)]
    told = [r for r in recipients if not is_reassigned_away(r.message)]
    old_department = reassigned_from(action)
    if old_department is not None:  # those of the unit left who still see the case: a step, not a dispatch
        new_unit = _in_department(case.department_id, user_ids=[r.user_id for r in told])
        rest += [r for r in told if r.user_id not in new_unit]
        told = [r for r in told if r.user_id in new_unit]
    draft = Draft(event_key)
    if told or kind in ROBOT_KINDS or reporter is not None:
        extra = [reporter] if reporter is not None else []
        draft = draft_event(event_key=event_key, kind=kind, case=case, recipients=told, now=now, extra=extra)
    group = _robots_left(case, department_id=old_department)
    if rest or group:
        gone = reassigned_away_text(number=case.number)
        away = draft_event(
            event_key=event_key, kind=EventKind.OTHER, case=case, recipients=rest, now=now, group=group, group_note=gone
        )
        draft.rows += away.rows
    return draft


def _in_department(department_id: int | None, *, user_ids: list[int]) -> set[int]:
    """Those of ``user_ids`` who are the people of the department ``department_id`` (``department_people``)."""
    who = department_people(department_id)
    if who is None or not user_ids:
        return set()
    return set(Membership.objects.filter(who, active=True, user_id__in=user_ids).values_list("user_id", flat=True))


def _robots_left(case: Case, *, department_id: int | None) -> list[Robot]:
    """The group robots of the department a reassignment took ``case`` from (``department_id``), but for those
    that still hear of the case (an area robot, a robot of the new department too)."""
    configured = robots()
    if department_id is None or not configured:
        return []
    code = Department.objects.filter(pk=department_id).values_list("code", flat=True).first()
    staying = {robot.name for robot in _robots_for(case)}
    return [r for r in configured if r.scope_kind == "dept" and r.scope_code == code and r.name not in staying]


def _reporter_delivery(*, case: Case, action: str, to_status: str, event_key: str, now: datetime) -> Delivery | None:
    """The SMS to the resident who reported the case, when its public status changed (and SMS is allowed)."""
    if case.channel not in PUBLIC_CHANNELS or not case.reporter_phone:
        return None
    if action not in REPORTER_ACTIONS and to_status != Status.CLOSED:
        return None
    if ChannelName.SMS not in allowed_channels():
        return None
    message = reporter_message(case=case, status=to_status)
    return Delivery(
        channel=ChannelName.SMS,
        kind=EventKind.REPORTER_STATUS,
        event_key=event_key,
        recipient_key=f"reporter:{case.pk}",
        rate_key=rate_key(ChannelName.SMS, case.reporter_phone),
        title=message.title,
        text=message.text,
        short=message.short[:140],
        link=message.link[:255],
        created_at=now,
    )


_wake_lock = threading.Lock()
_next_wake = 0.0


def wake_sender() -> None:
    """After a commit: make sure the sending task runs soon (at most one queued per process per 2 s)."""
    global _next_wake
    from django.tasks import default_task_backend

    from gridgov.data.notify.tasks import send_channel_messages

    try:
        if not default_task_backend.supports_defer:
            send_channel_messages.enqueue()
            return
        with _wake_lock:
            moment = monotonic_time.monotonic()
            if moment < _next_wake:
                return
            _next_wake = moment + WAKE_EVERY_SECONDS
        send_channel_messages.using(run_after=timezone.now() + timedelta(seconds=WAKE_EVERY_SECONDS)).enqueue()
    except Exception as error:  # the deliveries stay due; the next wake-up or the loop sends them
        with _wake_lock:
            _next_wake = 0.0
        log.warning("无法通知后台任务推送消息（稍后补发）：%r", error)
