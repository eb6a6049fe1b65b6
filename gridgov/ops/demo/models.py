"""What the demo build has done, so that a build stopped at any moment (``kill -9``) is finished by a re-run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.org.models import Area


class DemoStep(models.Model):
    """One step of building the demo town's past (e.g. one ledger's 2022): started, and when it finished."""

    town = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("步骤"), max_length=64)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("演示数据生成步骤")
        verbose_name_plural = _("演示数据生成步骤")
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="demo_step_once_per_town")]

    def __str__(self) -> str:
        return self.name
