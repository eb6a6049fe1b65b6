"""Per enterprise per year, the facts behind the work report's enterprise figures (新增规上企业4家,
重点企业固定资产投资7.7亿元, 全面完成辖区内13家低效企业整治): 规上 status and the year it was first
reached, the key enterprises' fixed-asset investment, and the 亩均论英雄 data (land, tax, output → 亩均税收,
亩均产值) with the 低效企业 classification and its rectification (整治). The town's monthly statistical totals
are ``reports``' economic indicators, not these rows.

One row per enterprise and year, written only through ``enterprises.domain.yearly`` (and the demo, which runs the
same checks). No behaviour here beyond the per-mu arithmetic."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.enterprises.enums import Measure, Rectification
from gridgov.data.org.fields import not_negative_check, note_field, positive_check
from gridgov.data.org.models import CorrectedRecord, Enterprise, acting_user, town_link

CENT = Decimal("0.01")


def per_mu(amount: Decimal, land_mu: Decimal | None) -> Decimal | None:
    """``amount`` per 亩 of ``land_mu``, to the 分 (None without a land area)."""
    if land_mu is None or land_mu <= 0:
        return None
    return (amount / land_mu).quantize(CENT, rounding=ROUND_HALF_UP)


class EnterpriseYear(CorrectedRecord):
    """One enterprise's figures of one year (年度企业数据)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(_("年度"))
    above_scale = models.BooleanField(_("规上企业"), default=False)
    above_scale_since = models.PositiveSmallIntegerField(_("首次进入规上年度"), null=True, blank=True)
    key = models.BooleanField(_("重点企业"), default=False)
    fixed_investment = models.DecimalField(_("固定资产投资（元）"), max_digits=14, decimal_places=2, default=0)
    land_mu = models.DecimalField(_("用地面积（亩）"), max_digits=10, decimal_places=2, null=True, blank=True)
    tax = models.DecimalField(_("税收（元）"), max_digits=14, decimal_places=2, default=0)
    output = models.DecimalField(_("产值（元）"), max_digits=14, decimal_places=2, default=0)
    low_efficiency = models.BooleanField(_("低效企业"), default=False)
    rectification = models.CharField(_("整治状态"), max_length=16, choices=Rectification.choices, blank=True)
    rectified_on = models.DateField(_("整治日期"), null=True, blank=True)
    measure = models.CharField(_("整治措施"), max_length=16, choices=Measure.choices, blank=True)
    note = note_field()

    class Meta:
        verbose_name = _("企业年度数据")
        verbose_name_plural = _("企业年度数据")
        ordering = ["-year", "enterprise__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="enterprise_year_unique"),
            models.CheckConstraint(
                condition=models.Q(rectification__in=["", *Rectification.values]), name="enterprise_year_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(measure__in=["", *Measure.values]), name="enterprise_year_measure_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(land_mu__isnull=True) | models.Q(land_mu__gt=0), name="enterprise_year_land_positive"
            ),
            not_negative_check("fixed_investment", "tax", "output", name="enterprise_year_amounts_not_negative"),
            models.CheckConstraint(
                condition=models.Q(above_scale=False, above_scale_since__isnull=True)
                | models.Q(above_scale=True, above_scale_since__lte=models.F("year")),
                name="enterprise_year_since_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(low_efficiency=False, rectification="")
                | models.Q(low_efficiency=True, rectification__in=Rectification.values),
                name="enterprise_year_low_has_status",
            ),
            models.CheckConstraint(
                condition=~models.Q(rectification=Rectification.DONE) | models.Q(rectified_on__isnull=False),
                name="enterprise_year_done_dated",
            ),
        ]
        indexes = [models.Index(fields=["town", "year"], name="enterprise_year_town_year")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"

    @property
    def tax_per_mu(self) -> Decimal | None:
        """亩均税收 (元/亩)."""
        return per_mu(self.tax, self.land_mu)

    @property
    def output_per_mu(self) -> Decimal | None:
        """亩均产值 (元/亩)."""
        return per_mu(self.output, self.land_mu)


class EfficiencyThreshold(models.Model):
    """A town's 亩均税收 threshold of a year (亩均论英雄): the enterprises below it are its low-efficiency candidates
    (``enterprises.domain.yearly.mark_below_threshold``)."""

    town = town_link(_("所属乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    tax_per_mu = models.DecimalField(_("亩均税收门槛（元/亩）"), max_digits=14, decimal_places=2)
    set_at = models.DateTimeField(_("设定时间"))
    set_by = acting_user(_("设定人"))

    class Meta:
        verbose_name = _("亩均税收门槛")
        verbose_name_plural = _("亩均税收门槛")
        constraints = [
            models.UniqueConstraint(fields=["town", "year"], name="efficiency_threshold_unique"),
            positive_check("tax_per_mu", name="efficiency_threshold_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.town_id} {self.year} {self.tax_per_mu}"
