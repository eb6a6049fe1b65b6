"""Indicator weights per town; and, read from the cases app, the day × dimension rollup that keeps the indicators fast.

``DailyRollup`` (with its dimensions ``Dim`` and ``COUNT_FIELDS``) is the cases app's: the engine writes it in
the same transaction as each case change (``cases.domain.rollups``). Metrics reads it, and rebuilds and checks
it against a recount at any time (``metrics.rollups``; ``rebuild_rollups``, ``check_rollups``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.rollup_model import COUNT_FIELDS, DIM_COLUMNS, DailyRollup, Dim
from gridgov.data.org.fields import not_negative_check
from gridgov.data.org.models import Area

__all__ = ["COUNT_FIELDS", "DIM_COLUMNS", "DailyRollup", "Dim", "IndicatorWeights"]


class IndicatorWeights(models.Model):
    """The weights of 综合指标值 for one town (admin-editable); missing means the design's defaults."""

    town = models.OneToOneField(Area, verbose_name=_("乡镇"), on_delete=models.CASCADE, related_name="+")
    on_time_closure = models.DecimalField(_("按期结案率权重"), max_digits=4, decimal_places=3, default=Decimal("0.5"))
    closure = models.DecimalField(_("结案率权重"), max_digits=4, decimal_places=3, default=Decimal("0.2"))
    no_rework = models.DecimalField(_("（1−返工率）权重"), max_digits=4, decimal_places=3, default=Decimal("0.15"))
    satisfaction = models.DecimalField(_("满意率权重"), max_digits=4, decimal_places=3, default=Decimal("0.15"))
    # The village score's optional component: visit coverage (走访覆盖率, visits.domain.coverage); 0 leaves it out.
    visit_coverage = models.DecimalField(
        _("走访覆盖率权重"),
        max_digits=4,
        decimal_places=3,
        default=Decimal(0),
        help_text=_("仅用于村（社区）的综合指标值；0 表示不计入"),
    )

    class Meta:
        verbose_name = _("综合指标权重")
        verbose_name_plural = _("综合指标权重")
        constraints = [
            not_negative_check(
                "on_time_closure", "closure", "no_rework", "satisfaction", name="indicator_weights_not_negative"
            ),
            not_negative_check("visit_coverage", name="visit_coverage_weight_not_negative"),
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
