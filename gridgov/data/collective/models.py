"""The village collective economy (村级集体经济): each village's income by month and kind (经营性 / 非经营性 / 补助),
from which the town's year figures are counted ("全镇8个村实现村级集体经济收入1529万元，其中经营性收入683万元").

One row per village, year, month and kind; a second entry for the same four corrects the first
(``collective.domain.record_income``). Rows are written only through ``collective.domain`` (and the demo, which
runs the same checks)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.collective.enums import IncomeKind
from gridgov.data.org.models import Area, User


class VillageIncome(models.Model):
    """One village's collective income of one kind in one month, in 元."""

    town = models.ForeignKey(Area, verbose_name=_("所属乡镇"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Area, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    kind = models.CharField(_("收入类型"), max_length=16, choices=IncomeKind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("登记时间"))
    created_by = models.ForeignKey(
        User, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更正时间"), null=True, blank=True)
    updated_by = models.ForeignKey(
        User, verbose_name=_("更正人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("村级集体经济收入")
        verbose_name_plural = _("村级集体经济收入")
        ordering = ["-year", "-month", "village__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "month", "kind"], name="village_income_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=IncomeKind.values), name="village_income_kind_valid"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="village_income_month_valid"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="village_income_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["town", "year", "month"], name="village_income_period")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}-{self.month:02d} {self.get_kind_display()} {self.amount}"
