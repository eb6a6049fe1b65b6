from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.org.models import town_link


class JobMode(models.TextChoices):
    DRY_RUN = "dry_run", _("检查")
    IMPORT = "import", _("导入")


class JobState(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ImportJob(models.Model):
    """One upload of a ledger sheet: checked (dry run) and, once confirmed, imported as a background task."""

    town = town_link(_("所属乡镇"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    importer = models.CharField(_("台账"), max_length=64)
    filename = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("文件内容"))
    mode = models.CharField(_("方式"), max_length=16, choices=JobMode.choices)
    state = models.CharField(_("状态"), max_length=16, choices=JobState.choices, default=JobState.PENDING)
    done = models.PositiveIntegerField(_("已处理行数"), default=0)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    message = models.CharField(_("进度说明"), max_length=200, blank=True)
    report = models.JSONField(_("结果"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["town", "importer", "-created_at"], name="importjob_town_importer")]

    def __str__(self) -> str:
        return f"{self.importer} · {self.filename}"
