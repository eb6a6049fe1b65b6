"""Import jobs: an upload is checked and, once confirmed, imported by the task worker with progress.

Progress is written to the job row while rows are being checked. While the rows are being written the
import holds one open transaction (all or nothing), so progress cannot go through the database (on SQLite
the write lock is taken); it goes to a small file under ``var/jobs/`` instead, which the progress page
reads. A single-machine deployment (SQLite) sees every step; with several app servers the page shows the
checking progress and then "正在写入" until the worker commits.

The uploaded file is kept only while it is needed (registers hold names, ID numbers and phones in plain text):
until its job has run, and for a dry run that passed until it is confirmed or a day has gone by
(``KEEP_UNCONFIRMED``). Afterwards the job keeps its report, not the file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gridgov.data.errors import DomainError, NotAllowed, NotFound
from gridgov.data.org.models import Area, User
from gridgov.data.sheets.framework import dry_run, import_sheet
from gridgov.data.sheets.importer import ImportContext, get_importer
from gridgov.data.sheets.models import ImportJob, JobMode, JobState
from gridgov.data.sheets.report import ImportReport
from gridgov.db.busy import is_lock_timeout

# How long a dry run that passed keeps its file for the 确认导入 step.
KEEP_UNCONFIRMED = timedelta(days=1)


@dataclass(frozen=True)
class JobProgress:
    state: str
    done: int
    total: int
    message: str

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        return 0 if self.total <= 0 else min(100, int(self.done * 100 / self.total))


def _progress_file(job_id: int) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / f"import-{job_id}.json"


def start_job(*, importer_name: str, user: User, town: Area, filename: str, content: bytes, mode: JobMode) -> ImportJob:
    """Record an upload and queue its check or import (the task runs after this transaction commits)."""
    from gridgov.data.sheets.tasks import run_import_job

    importer = get_importer(importer_name)
    if not importer.allowed(user):
        raise NotAllowed(_("您没有导入“%(title)s”的权限") % {"title": importer.title})
    job = ImportJob.objects.create(
        town=town, user=user, importer=importer.name, filename=filename[:255], content=content, mode=mode
    )
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def confirm_job(*, job: ImportJob, user: User) -> ImportJob:
    """Import the rows of a dry run that found no errors (the same file, checked again on the way in)."""
    if job.mode != JobMode.DRY_RUN or job.state != JobState.DONE or not job.report or job.report.get("errors"):
        raise NotAllowed(_("只有检查通过的文件才能导入"))
    content = bytes(job.content)
    if not content:
        raise NotAllowed(_("检查结果已超过一天，文件已删除，请重新上传"))
    started = start_job(
        importer_name=job.importer,
        user=user,
        town=job.town,
        filename=job.filename,
        content=content,
        mode=JobMode.IMPORT,
    )
    ImportJob.objects.filter(pk=job.pk).update(content=b"")  # the import job holds the file now
    return started


def forget_files(*, now: datetime) -> int:
    """Delete the files of finished jobs no longer needed: every finished job's but those of dry runs that passed
    less than ``KEEP_UNCONFIRMED`` ago (they wait for 确认导入). Returns how many files were deleted."""
    finished = ImportJob.objects.annotate(size=Length("content")).filter(
        state__in=[JobState.DONE, JobState.FAILED], size__gt=0
    )
    waiting = finished.filter(mode=JobMode.DRY_RUN, state=JobState.DONE, finished_at__gt=now - KEEP_UNCONFIRMED)
    waiting_ids = [job.pk for job in waiting.only("pk", "report") if not (job.report or {}).get("errors")]
    return finished.exclude(pk__in=waiting_ids).update(content=b"")


def get_job(*, job_id: int, user: User) -> ImportJob:
    """A job its uploader (or a superuser) may see."""
    job = ImportJob.objects.select_related("town").filter(pk=job_id).first()
    if job is None or (job.user_id != user.pk and not user.is_superuser):
        raise NotFound(_("导入任务不存在"))
    return job


def job_progress(job: ImportJob) -> JobProgress:
    if job.state == JobState.RUNNING:
        try:
            data = json.loads(_progress_file(job.pk).read_text(encoding="utf-8"))
            return JobProgress(job.state, int(data["done"]), int(data["total"]), str(data["message"]))
        except (OSError, ValueError, KeyError):
            pass
    return JobProgress(job.state, job.done, job.total, job.message)


def _write_progress(job_id: int, done: int, total: int, message: str) -> None:
    path = _progress_file(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"done": done, "total": total, "message": message}), encoding="utf-8")
    os.replace(temporary, path)


def run_job(*, job_id: int) -> ImportReport | None:
    """Run one queued job; safe to call twice (a finished job is left alone)."""
    job = ImportJob.objects.select_related("town", "user").filter(pk=job_id).first()
    if job is None or job.state in (JobState.DONE, JobState.FAILED):
        return None
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, message=_("开始处理"))
    job.state = JobState.RUNNING
    ctx = ImportContext(town=job.town, user=job.user, now=timezone.now())

    def progress(done: int, total: int, message: str) -> None:
        _write_progress(job.pk, done, total, message)

    try:
        importer = get_importer(job.importer)  # NotFound when no longer registered
        if job.mode == JobMode.DRY_RUN:
            report = dry_run(importer=importer, content=bytes(job.content), ctx=ctx, progress=progress)
        else:
            report = import_sheet(importer=importer, content=bytes(job.content), ctx=ctx, progress=progress)
    except DomainError as error:
        _failed(job, error.message)
        return None
    except Exception as error:
        # Not the file's known fault: the job must not be left "running" for ever, nor keep the file; the worker
        # logs the error. The import was one transaction, so nothing of it is written.
        if is_lock_timeout(error):
            _failed(job, _("系统繁忙，没有导入任何数据，请稍后重新上传。"))
        else:
            _failed(job, _("处理文件时出错，没有导入任何数据。请检查文件后重新上传；如仍出错，请联系系统管理员。"))
        raise
    ImportJob.objects.filter(pk=job.pk).update(
        state=JobState.DONE,
        done=report.total,
        total=report.total,
        message=ngettext("发现%(n)s处问题", "发现%(n)s处问题", len(report.errors)) % {"n": len(report.errors)}
        if report.errors
        else _("完成"),
        report=report.as_dict(),
        finished_at=timezone.now(),
    )
    _progress_file(job.pk).unlink(missing_ok=True)
    forget_files(now=timezone.now())
    return report


def _failed(job: ImportJob, message: str) -> None:
    """Mark ``job`` failed with ``message`` and forget its file."""
    ImportJob.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, message=message[:200], finished_at=timezone.now(), content=b""
    )
    _progress_file(job.pk).unlink(missing_ok=True)
    forget_files(now=timezone.now())


def home_town(user: User) -> Area | None:
    """The town a user imports into: that of their first membership with a town (a superuser without one:
    the only town, when there is exactly one)."""
    from gridgov.data.org.enums import AreaLevel

    membership = user.memberships.filter(active=True, town__isnull=False).select_related("town").first()
    if membership is not None:
        return membership.town
    if user.is_superuser:
        towns = list(Area.objects.filter(level=AreaLevel.TOWN)[:2])
        return towns[0] if len(towns) == 1 else None
    return None
