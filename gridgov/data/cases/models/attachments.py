"""A case's files (附件): the original as uploaded and its display copy and thumbnail, stored by content hash."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.enums import AttachmentKind
from gridgov.data.cases.models.case import Case
from gridgov.data.cases.models.log import CaseAction
from gridgov.data.org.fields import optional_link
from gridgov.data.org.models import town_link


def hashed_path(folder: str, *, town_id: int, sha256: str, suffix: str) -> str:
    """Where an uploaded file (a case's, a visit's or a progress report's photo) is stored: by town and content
    hash, spread over folders named by the hash's first two digits."""
    return f"{folder}/{town_id}/{sha256[:2]}/{sha256}{suffix}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return hashed_path("cases", town_id=instance.town_id, sha256=instance.sha256, suffix=_suffix(filename))


def display_path(instance: Attachment, filename: str) -> str:
    return hashed_path("cases", town_id=instance.town_id, sha256=instance.sha256, suffix=".display.jpg")


def thumbnail_path(instance: Attachment, filename: str) -> str:
    return hashed_path("cases", town_id=instance.town_id, sha256=instance.sha256, suffix=".thumb.jpg")


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower()[:8] if dot >= 0 else ""


class Attachment(models.Model):
    town = town_link()
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    action = optional_link(CaseAction, related_name="attachments")
    kind = models.CharField(_("类别"), max_length=8, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    # Upright JPEG copies without metadata for pages: ≤ 1600 px and ≤ 320 px on the long side.
    display = models.FileField(_("显示图"), upload_to=display_path, max_length=255, blank=True)
    thumbnail = models.FileField(_("缩略图"), upload_to=thumbnail_path, max_length=255, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""
