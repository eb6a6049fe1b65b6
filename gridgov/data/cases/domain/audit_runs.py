"""Verifying every audit chain: on demand (command, admin page) and daily (the deadline loop queues it).

A run checks every case's chain, its attachments' files on disk and the signed checkpoints; it records the
result (every broken case, up to a limit in detail) in an ``AuditRun``. A passing run appends a new signed
checkpoint; a failing one alerts the administrators (log at ERROR, and mail to settings.ADMINS).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import mail_admins
from django.db.models import QuerySet

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.domain.checkpoints import read_anchors, write_checkpoint
from gridgov.data.cases.models import AuditRun, Case
from gridgov.data.org.models import User

logger = logging.getLogger("gridgov.audit")

DETAIL_LIMIT = 1000


def verify_all(
    *,
    run: AuditRun,
    now: datetime,
    cases: QuerySet[Case] | None = None,
    limit: int = DETAIL_LIMIT,
    check_files: bool = True,
    checkpoint: bool = True,
) -> AuditRun:
    """Verify ``cases`` (default: all), record the result on ``run``; checkpoint when everything passed."""
    anchors = read_anchors()
    queryset = cases if cases is not None else Case.objects.order_by("pk")
    broken: list[str] = []
    count = 0
    checked = 0
    for line in anchors.bad_lines:
        count += 1
        broken.append(f"检查点文件第{line}行签名无效（被修改，或 GRIDGOV_AUDIT_KEY 不是写入时的密钥）")
    for _case, link in verify_chains(queryset.iterator(chunk_size=500), anchors=anchors.heads, check_files=check_files):
        checked += 1
        if link is not None:
            count += 1
            if len(broken) < limit:
                broken.append(str(link))
    run.checked = checked
    run.broken_count = count
    run.broken = broken
    run.ok = count == 0
    run.finished_at = now
    if run.ok and checkpoint and cases is None:
        recorded = write_checkpoint(now=now)
        run.note = f"已写入签名检查点（更新 {recorded} 件）"
    run.save()
    if not run.ok:
        alert_admins(run)
    else:
        logger.info("审计链校验完好：%s 件", checked)
    return run


def alert_admins(run: AuditRun) -> None:
    head = "\n".join(run.broken[:50])
    logger.error("审计链校验失败：%s 件断裂（共校验 %s 件）\n%s", run.broken_count, run.checked, head)
    try:
        mail_admins(
            f"审计链校验失败：{run.broken_count} 件断裂",
            f"共校验 {run.checked} 件事件，{run.broken_count} 件审计链断裂：\n\n{head}",
        )
    except OSError:  # no mail server: the ERROR log line above is the alert
        logger.exception("审计链校验失败的邮件提醒未能发出")


def start_verification(*, user: User | None, now: datetime) -> AuditRun:
    """Record a requested verification and queue it for the task worker."""
    from gridgov.data.cases.tasks import verify_audit_chains

    run = AuditRun.objects.create(kind=AuditRun.Kind.VERIFY, requested_by=user, created_at=now)
    verify_audit_chains.enqueue(run.pk)
    return run


def queue_daily_verification(*, now: datetime) -> AuditRun | None:
    """Queue a verification when the last one started more than ``AUDIT_VERIFY_HOURS`` ago (0: never)."""
    hours: int = settings.AUDIT_VERIFY_HOURS
    if hours <= 0:
        return None
    last = AuditRun.objects.filter(kind=AuditRun.Kind.VERIFY).order_by("-created_at").first()
    if last is not None and last.created_at > now - timedelta(hours=hours):
        return None
    return start_verification(user=None, now=now)
