"""The worker's side of the channels: send what is due, and come back when the next delivery is due."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.tasks import task

log = logging.getLogger(__name__)


@task()
def send_channel_messages() -> int:
    """Send every delivery that is due; queue the next run for the earliest one still waiting. Returns sent."""
    from django.tasks import default_task_backend
    from django.utils import timezone

    from gridgov.data.notify.domain.deliveries import BATCH, next_due, send_due

    sent = 0
    started = time.monotonic()
    while True:
        run = send_due()
        sent += run.sent
        if run.sent + run.failed + run.deferred + run.skipped + run.gave_up < BATCH:
            break
        if time.monotonic() - started >= settings.GRIDGOV_NOTIFY_RUN_SECONDS:  # the heartbeat must keep beating
            try:
                send_channel_messages.enqueue()
            except Exception as error:  # the rows stay due; the next wake-up sends them
                log.warning("无法安排后续消息推送：%r", error)
            return sent
    try:
        upcoming = next_due()
        if upcoming is not None and default_task_backend.supports_defer:
            now = timezone.now()
            send_channel_messages.using(run_after=max(upcoming, now + timedelta(seconds=5))).enqueue()
    except Exception as error:  # the rows stay due; the next wake-up sends them
        log.warning("无法安排下一次消息推送：%r", error)
    return sent


@task()
def send_digests() -> int:
    """Plan today's digests when due (08:30 on working days; the weekly one on the week's first working day)."""
    from gridgov.data.notify.domain.digests import plan_digests

    return plan_digests()
