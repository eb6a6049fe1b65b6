"""The day × dimension rollup of cases: the counts every indicator is made of, kept with each case change.

``DailyRollup`` holds, per town, day and one dimension member (a village, a grid, a department, a grid
worker, a category, a major category, a channel, or the whole town), how many cases were reported, registered,
closed, … It is a projection of the cases table written in the same transaction as every case write (the engine,
the bulk path, the re-calendaring: ``cases.domain.rollups``), so it belongs to the cases app: the writer imports
it downwards. The metrics app reads it (``metrics.counting``) and rebuilds and checks it against a recount
(``metrics.rollups``). The table keeps its name from when metrics owned it (``metrics_dailyrollup``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.org.models import Area


class Dim(models.TextChoices):
    TOWN = "town", _("全镇")
    VILLAGE = "village", _("村/社区")
    GRID = "grid", _("网格")
    DEPARTMENT = "department", _("处置部门")
    GRID_WORKER = "grid_worker", _("网格员")
    CATEGORY = "category", _("小类")
    MAJOR_CATEGORY = "major_category", _("大类")
    CHANNEL = "channel", _("来源渠道")


# The case column each dimension's members are read from (the town's one member is every case of the town).
DIM_COLUMNS: dict[str, str] = {
    Dim.VILLAGE: "village_id",
    Dim.GRID: "grid_id",
    Dim.DEPARTMENT: "department_id",
    Dim.GRID_WORKER: "reporter_id",
    Dim.CATEGORY: "category_id",
    Dim.MAJOR_CATEGORY: "major_category_id",
    Dim.CHANNEL: "channel",
}


# The count columns of a rollup row, in a fixed order (the SQL of cases.domain.rollups relies on it).
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
        db_table = "metrics_dailyrollup"
        verbose_name = _("指标日汇总")
        verbose_name_plural = _("指标日汇总")
        constraints = [
            models.UniqueConstraint(fields=["town", "dim", "member", "day"], name="daily_rollup_unique"),
            models.CheckConstraint(condition=models.Q(dim__in=Dim.values), name="daily_rollup_dim_valid"),
        ]
        indexes = [models.Index(fields=["town", "dim", "day"], name="daily_rollup_dim_day")]

    def __str__(self) -> str:
        return f"{self.town_id}/{self.dim}/{self.member}/{self.day}"
