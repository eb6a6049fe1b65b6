"""The monthly progress reports of a project (进展填报), with their site photos."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.amounts import parse_amount
from gridgov.data.cases.domain.attachments import MAX_PHOTOS_PER_ACTION, CheckedUpload, Upload, check_images
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.models import User
from gridgov.data.projects.domain.checks import FIRST_YEAR
from gridgov.data.projects.models import ProgressPhoto, ProgressReport, Project
from gridgov.data.projects.scope import may_report_progress
from gridgov.data.worktime.days import check_month


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressInput:
    """A month's progress report of a project."""

    project: Project
    year: int
    month: int
    investment: Decimal | int | str | None
    note: str = ""
    photos: tuple[Upload, ...] = ()


def record_progress(*, actor: User, data: ProgressInput, now: datetime | None = None) -> ProgressReport:
    """Record (or correct) a project's progress of one month. The year's completed investment may exceed the year's
    plan only with a note saying why."""
    now = now or timezone.now()
    project = data.project
    if not may_report_progress(actor, project):
        raise NotAllowed(_("只有责任部门或镇指挥室可以填报项目进展"))
    today = timezone.localdate(now)
    if not re.fullmatch(r"\d{4}", str(data.year)) or data.year < FIRST_YEAR:
        raise InvalidInput(_("年度：“%(v)s”无效") % {"v": data.year}, field="year")
    month = check_month(data.month, year=data.year, today=today)
    investment = parse_amount(data.investment, field="investment", label=_("当月完成投资"), required=True)
    note = data.note.strip()
    checked = _checked_photos(data.photos)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        others = ProgressReport.objects.filter(project=project, year=data.year).exclude(month=month).aggregate(
            total=Sum("investment")
        )["total"] or Decimal(0)
        if others + investment > project.year_investment and not note:
            raise InvalidInput(
                _(
                    "当月完成投资：本年累计完成投资（%(done)s元）将超过年度计划投资（%(plan)s元），请在进展说明中写明原因"
                )
                % {"done": others + investment, "plan": project.year_investment},
                field="note",
            )
        report, _created = ProgressReport.objects.update_or_create(
            project=project,
            year=data.year,
            month=month,
            defaults={"investment": investment, "note": note, "reporter": actor, "created_at": now},
        )
        if checked:
            _add_photos(report, checked, now=now)
    return report


def _checked_photos(photos: Sequence[Upload]) -> list[CheckedUpload]:
    """Each photo checked by content (InvalidInput naming the file, on ``photos``)."""
    if len(photos) > MAX_PHOTOS_PER_ACTION:
        raise InvalidInput(
            _("工地现场照片：每月最多 %(n)s 张，您选择了 %(count)s 张")
            % {"n": MAX_PHOTOS_PER_ACTION, "count": len(photos)},
            field="photos",
        )
    try:
        return check_images(tuple(photos))
    except InvalidInput as error:
        raise InvalidInput(_("工地现场照片：%(reason)s") % {"reason": error.message}, field="photos") from None


def _add_photos(report: ProgressReport, checked: Sequence[CheckedUpload], *, now: datetime) -> None:
    """The photos added to the month's report (a correction adds to those already there, nine at most)."""
    kept = ProgressPhoto.objects.filter(report=report).count()
    if kept + len(checked) > MAX_PHOTOS_PER_ACTION:
        raise InvalidInput(
            _("工地现场照片：%(year)s年%(month)s月已有 %(kept)s 张，每月最多 %(n)s 张")
            % {"year": report.year, "month": report.month, "kept": kept, "n": MAX_PHOTOS_PER_ACTION},
            field="photos",
        )
    for item in checked:
        photo = ProgressPhoto(
            report=report,
            town_id=report.project.town_id,
            sha256=item.sha256,
            width=item.width,
            height=item.height,
            original_name=item.upload.name[:255],
            created_at=now,
        )
        photo.display.save("display.jpg", ContentFile(item.photo.display), save=False)
        photo.thumbnail.save("thumb.jpg", ContentFile(item.photo.thumbnail), save=False)
        photo.save(force_insert=True)
