"""Indicator weights per town and the day × dimension rollup that keeps the indicators fast.

``DailyRollup`` holds, per town, day and one dimension member (a village, a grid, a department, a grid
worker, a category, a major category, a channel, or the whole town), the counts every indicator is made of.
It is maintained by ``gridgov.data.metrics.rollups`` in the same transaction as each case change, and can
be rebuilt and checked against a recount at any time (``rebuild_rollups``, ``check_rollups``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.org.models import Area


class IndicatorWeights(models.Model):
    """The weights of 综合指标值 for one town (admin-editable); missing means the design's defaults."""

    town = models.OneToOneField(Area, verbose_name=_("乡镇"), on_delete=models.CASCADE, related_name="+")
    on_time_closure = models.DecimalField(_("按期结案率权重"), max_digits=4, decimal_places=3, default=Decimal("0.5"))
    closure = models.DecimalField(_("结案率权重"), max_digits=4, decimal_places=3, default=Decimal("0.2"))
    no_rework = models.DecimalField(_("（1−返工率）权重"), max_digits=4, decimal_places=3, default=Decimal("0.15"))
    satisfaction = models.DecimalField(_("满意率权重"), max_digits=4, decimal_places=3, default=Decimal("0.15"))

    class Meta:
        verbose_name = _("综合指标权重")
        verbose_name_plural = _("综合指标权重")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(on_time_closure__gte=0, closure__gte=0, no_rework__gte=0, satisfaction__gte=0),
                name="indicator_weights_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(on_time_closure__gt=0)
                | models.Q(closure__gt=0)
                | models.Q(no_rework__gt=0)
                | models.Q(satisfaction__gt=0),
                name="indicator_weights_not_all_zero",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.town_id}: {self.on_time_closure}/{self.closure}/{self.no_rework}/{self.satisfaction}"


class Dim(models.TextChoices):
    TOWN = "town", _("全镇")
    VILLAGE = "village", _("村/社区")
    GRID = "grid", _("网格")
    DEPARTMENT = "department", _("处置部门")
    GRID_WORKER = "grid_worker", _("网格员")
    CATEGORY = "category", _("小类")
    MAJOR_CATEGORY = "major_category", _("大类")
    CHANNEL = "channel", _("来源渠道")


# The count columns of a rollup row, in a fixed order (the SQL of rollups.py relies on it).
COUNT_FIELDS = (
    "reported",  # reported that day
    "valid",  # reported that day and registered (not rejected)
    "cohort",  # registered that day (立案) and not rejected — the cohort
    "closed",
    "suspended",
    "resolved",  # resolved at least once
    "resolved_on_time",  # resolved, last resolution at or before the handling deadline
    "closed_on_time",
    "reworked",  # at least one failed verification
    "rated",
    "satisfied",  # rated 满意 or 基本满意
    "late_resolved",  # not suspended and last resolved after the deadline (the part of 超期 not depending on now)
)


class DailyRollup(models.Model):
    town = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+", db_index=False)  # leads the unique
    dim = models.CharField(max_length=16, choices=Dim.choices)
    member = models.CharField(max_length=32, blank=True)  # the member's id (channel: its value); "" for the town
    day = models.DateField()
    reported = models.IntegerField(default=0)
    valid = models.IntegerField(default=0)
    cohort = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    suspended = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    closed_on_time = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    late_resolved = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("指标日汇总")
        verbose_name_plural = _("指标日汇总")
        constraints = [
            models.UniqueConstraint(fields=["town", "dim", "member", "day"], name="daily_rollup_unique"),
            models.CheckConstraint(condition=models.Q(dim__in=Dim.values), name="daily_rollup_dim_valid"),
        ]
        indexes = [models.Index(fields=["town", "dim", "day"], name="daily_rollup_dim_day")]

    def __str__(self) -> str:
        return f"{self.town_id}/{self.dim}/{self.member}/{self.day}"
