"""Sending the deliveries: claimed one by one, rate-limited per channel, retried with backoff, given up.

Each due delivery is claimed (``pending``/``retry`` → ``sending``, a compare-and-set, so two workers never
send the same row), sent outside any transaction, and its outcome recorded with an ``Attempt`` row. A failing
channel holds only its own messages: an unreachable provider defers that channel's other deliveries in the
same run; every other channel goes on.

The rule against sending twice: a row is unique per channel, event and recipient, and is sent only after its
claim is committed. If the worker dies between the provider's answer and the record (the row stays
``sending``), the row is, after ``STALE``, sent again only on a channel whose provider drops repeats
(``idempotent``: WeCom's ``enable_duplicate_check``; the log-only SMS); on every other channel it is given up
with the outcome "unknown" — at most once rather than twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from gridgov.data.cases.models import Case
from gridgov.data.notify.channels.base import ChannelError, Message
from gridgov.data.notify.channels.registry import ChannelName, channel_for
from gridgov.data.notify.domain.planning import address_of
from gridgov.data.notify.enums import AttemptOutcome, DeliveryStatus
from gridgov.data.notify.models import Attempt, ChannelAccount, Delivery, RateKey

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
MAX_ATTEMPTS = 8
STALE = timedelta(minutes=10)
TRANSPORT_PAUSE = timedelta(minutes=1)
BATCH = 100
DUE = (DeliveryStatus.PENDING, DeliveryStatus.RETRY)
UNKNOWN_REASON = "发送中断，结果不明；为免重复，不再重发"


@dataclass(frozen=True, slots=True)
class SendRun:
    sent: int
    failed: int
    deferred: int  # over a rate limit, or the channel unreachable this run
    skipped: int
    gave_up: int


def retry_delay(attempts: int) -> timedelta:
    delay: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, LONGEST_RETRY)


def rate_limits(channel: str) -> list[tuple[int, timedelta]]:
    """(messages, window) limits of a channel, per ``rate_key`` (a robot, a mobile number, an app)."""
    minute, hour, day = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
    if channel in (ChannelName.DINGTALK_ROBOT, ChannelName.WECOM_ROBOT):
        return [(settings.GRIDGOV_ROBOT_PER_MINUTE, minute)]
    if channel == ChannelName.SMS:
        return [
            (settings.GRIDGOV_SMS_PER_NUMBER_MINUTE, minute),
            (settings.GRIDGOV_SMS_PER_NUMBER_HOUR, hour),
            (settings.GRIDGOV_SMS_PER_NUMBER_DAY, day),
        ]
    if channel == ChannelName.DINGTALK:
        return [(settings.GRIDGOV_DINGTALK_PER_MINUTE, minute)]
    if channel == ChannelName.WECOM:
        return [(settings.GRIDGOV_WECOM_PER_MINUTE, minute)]
    return []


def over_limit_until(*, delivery: Delivery, now: datetime) -> datetime | None:
    """When ``delivery`` may go without passing its channel's limits (None: now), counting the sends reserved
    (``counted_at``) by every worker for the same ``rate_key``."""
    if not delivery.rate_key:
        return None
    latest: datetime | None = None
    for count, window in rate_limits(delivery.channel):
        counted = list(
            Delivery.objects.filter(rate_key=delivery.rate_key, counted_at__gt=now - window)
            .exclude(pk=delivery.pk)
            .order_by("-counted_at")
            .values_list("counted_at", flat=True)[:count]
        )
        oldest = counted[-1] if len(counted) >= count else None
        if oldest is not None:
            free_at = oldest + window  # the oldest of the last ``count`` leaves the window
            if latest is None or free_at > latest:
                latest = free_at
    return latest


def reserve(*, delivery: Delivery, now: datetime) -> datetime | None:
    """Count ``delivery`` against its limits before it is sent: None when it may go (its ``counted_at`` is set),
    else when it may. Exact with several workers: one short transaction holds the rate key's row (SELECT … FOR
    UPDATE on PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock), so two workers count one after
    the other. A reserved send counts even if it then fails: the provider counted the attempt too."""
    if not delivery.rate_key or not rate_limits(delivery.channel):
        return None
    RateKey.objects.bulk_create([RateKey(key=delivery.rate_key)], ignore_conflicts=True)
    with transaction.atomic():
        RateKey.objects.select_for_update().get(key=delivery.rate_key)
        free_at = over_limit_until(delivery=delivery, now=now)
        if free_at is None:
            Delivery.objects.filter(pk=delivery.pk).update(counted_at=now)
    return free_at


def _address(delivery: Delivery) -> str:
    if delivery.recipient_key.startswith("robot:"):
        return delivery.recipient_key.removeprefix("robot:")
    if delivery.recipient_key.startswith("reporter:"):
        case_id = int(delivery.recipient_key.removeprefix("reporter:"))
        phone = Case.objects.filter(pk=case_id).values_list("reporter_phone", flat=True).first()
        return phone or ""
    if delivery.user_id is None:
        return ""
    account = ChannelAccount.objects.filter(user_id=delivery.user_id).first()
    user = delivery.user
    if user is None:
        return ""
    return address_of(channel=delivery.channel, user_email=user.email, user_phone=user.phone, account=account)


def _finish(delivery_id: int, *, now: datetime, outcome: str, error: str = "", **fields: object) -> None:
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery_id).update(**fields)
        Attempt.objects.create(delivery_id=delivery_id, at=now, outcome=outcome, error=error[:255])


def recover_stale(*, now: datetime) -> int:
    """Rows left ``sending`` by a worker that died: sent again where the provider drops repeats, else given up."""
    stale = list(
        Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE).values_list("id", "channel")
    )
    for delivery_id, channel in stale:
        if channel_for(channel).idempotent:
            _finish(
                delivery_id, now=now, outcome=AttemptOutcome.UNKNOWN, error="发送中断，服务商可去重，重新发送",
                status=DeliveryStatus.RETRY, next_attempt_at=now, claimed_at=None,
            )  # fmt: skip
        else:
            _finish(
                delivery_id, now=now, outcome=AttemptOutcome.UNKNOWN,
                error=UNKNOWN_REASON,
                status=DeliveryStatus.GAVE_UP, last_error=UNKNOWN_REASON, next_attempt_at=None,
            )  # fmt: skip
    return len(stale)


def _release(delivery_id: int, *, at: datetime) -> None:
    Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.RETRY, next_attempt_at=at, claimed_at=None
    )


def send_one(*, delivery_id: int, now: datetime, unreachable: set[str]) -> str:
    """Claim and send one delivery; returns what happened ("sent", "failed", "deferred", "skipped", "gave_up")."""
    claimed = Delivery.objects.filter(pk=delivery_id, status__in=DUE).update(
        status=DeliveryStatus.SENDING,
        claimed_at=timezone.now(),  # the real moment: what ``STALE`` measures
    )
    if not claimed:
        return "skipped"  # another worker has it, or it is done
    try:
        delivery = Delivery.objects.select_related("user").get(pk=delivery_id)
        if delivery.channel in unreachable:
            _release(delivery_id, at=now + TRANSPORT_PAUSE)
            return "deferred"
        free_at = reserve(delivery=delivery, now=now)
        if free_at is not None:
            _release(delivery_id, at=free_at)
            return "deferred"
        address = _address(delivery)
    except Exception:  # nothing was sent: the row goes back to the queue
        log.exception("消息投递准备失败，稍后重试：投递 %s", delivery_id)
        _release(delivery_id, at=now + FIRST_RETRY)
        return "deferred"
    if not address:
        _finish(
            delivery_id, now=now, outcome=AttemptOutcome.FAILED, error="用户未绑定该渠道的账号或号码",
            status=DeliveryStatus.SKIPPED, last_error="用户未绑定该渠道的账号或号码", next_attempt_at=None,
        )  # fmt: skip
        return "skipped"
    message = Message(
        title=delivery.title, text=delivery.text, link=delivery.link, short=delivery.short, button=delivery.button
    )
    try:
        result = channel_for(delivery.channel).send(address=address, message=message, key=f"gridgov-{delivery_id}")
    except Exception as error:
        if isinstance(error, ChannelError):
            reason, retry = error.reason, error.retry
            if error.transport:
                unreachable.add(delivery.channel)
        else:
            reason, retry = f"{type(error).__name__}: {error}", True
            log.exception("消息渠道 %s 出错：投递 %s", delivery.channel, delivery_id)
        attempts = delivery.attempts + 1
        if not retry or attempts >= MAX_ATTEMPTS:
            log.error("消息投递放弃（第 %s 次）：%s 投递 %s：%s", attempts, delivery.channel, delivery_id, reason)
            _finish(
                delivery_id, now=now, outcome=AttemptOutcome.FAILED, error=reason,
                status=DeliveryStatus.GAVE_UP, attempts=attempts, last_error=reason[:255], next_attempt_at=None,
            )  # fmt: skip
            return "gave_up"
        log.warning(
            "消息投递失败（第 %s 次），稍后重试：%s 投递 %s：%s", attempts, delivery.channel, delivery_id, reason
        )
        _finish(
            delivery_id, now=now, outcome=AttemptOutcome.FAILED, error=reason,
            status=DeliveryStatus.RETRY, attempts=attempts, last_error=reason[:255],
            next_attempt_at=now + retry_delay(attempts), claimed_at=None,
        )  # fmt: skip
        return "failed"
    _finish(
        delivery_id, now=now, outcome=AttemptOutcome.SENT,
        status=DeliveryStatus.SENT, attempts=F("attempts") + 1, sent_at=now,
        provider_id=result.provider_id[:128], next_attempt_at=None,
    )  # fmt: skip
    return "sent"


def send_due(*, now: datetime | None = None, limit: int = BATCH) -> SendRun:
    """Send every delivery due at ``now`` (oldest first, at most ``limit``); never raises for a channel.

    Without ``now`` (the worker), each send is counted against the rate limits at the moment it is made, not
    at the start of the run: a long run never counts a send as older than it is."""
    fixed = now
    now = now or timezone.now()
    recover_stale(now=now)
    ids = list(
        Delivery.objects.filter(status__in=DUE, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    unreachable: set[str] = set()
    counts = {"sent": 0, "failed": 0, "deferred": 0, "skipped": 0, "gave_up": 0}
    for delivery_id in ids:
        moment = fixed or timezone.now()
        counts[send_one(delivery_id=delivery_id, now=moment, unreachable=unreachable)] += 1
    return SendRun(**counts)


def next_due() -> datetime | None:
    """When the earliest waiting delivery is due (None: nothing waits)."""
    value: datetime | None = Delivery.objects.filter(status__in=DUE).aggregate(m=Min("next_attempt_at"))["m"]
    return value


def wake_if_due(*, now: datetime | None = None) -> bool:
    """From the periodic loop: wake the sending task when a delivery is due (a wake-up lost, a retry come due)."""
    from gridgov.data.notify.domain.planning import wake_sender

    due = next_due()
    if due is None or due > (now or timezone.now()):
        return False
    wake_sender()
    return True
