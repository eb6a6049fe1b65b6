"""The village collective economy (村级集体经济): each village's income by month and kind (经营性 / 非经营性 / 补助),
from which the town's year figures are counted ("全镇8个村实现村级集体经济收入1529万元，其中经营性收入683万元").

One row per village, year, month and kind; a second entry for the same four corrects the first
(``collective.domain.record_income``). Rows are written only through ``collective.domain`` (and the demo, which
runs the same checks).

Beside the incomes, enterprises' help to the villages (企业助农): 村企结对 and 共富工坊 records (``VillageSupport``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.collective.enums import IncomeKind, SupportKind
from gridgov.data.org.fields import choice_check, month_check, not_negative_check, note_field, optional_link
from gridgov.data.org.models import Area, CorrectedRecord, EnteredRecord, Enterprise


class VillageIncome(CorrectedRecord):
    """One village's collective income of one kind in one month, in 元."""

    village = models.ForeignKey(Area, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    kind = models.CharField(_("收入类型"), max_length=16, choices=IncomeKind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    note = note_field()

    class Meta:
        verbose_name = _("村级集体经济收入")
        verbose_name_plural = _("村级集体经济收入")
        ordering = ["-year", "-month", "village__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "month", "kind"], name="village_income_unique"),
            choice_check("kind", IncomeKind, name="village_income_kind_valid"),
            month_check("month", name="village_income_month_valid"),
            not_negative_check("amount", name="village_income_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["town", "year", "month"], name="village_income_period")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}-{self.month:02d} {self.get_kind_display()} {self.amount}"


class VillageSupport(EnteredRecord):
    """One enterprise's help to a village in a year (村企结对 or 共富工坊): the enterprise (or, when it is not in the
    town's register, the partner's name), the support in 元 and the people it gave work or help to."""

    village = models.ForeignKey(Area, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("助农类型"), max_length=16, choices=SupportKind.choices)
    enterprise = optional_link(Enterprise, _("企业"))
    partner = models.CharField(_("结对单位"), max_length=100, blank=True)
    amount = models.DecimalField(_("帮扶金额（元）"), max_digits=14, decimal_places=2)
    people = models.PositiveIntegerField(_("带动就业或受益人数"), null=True, blank=True)
    on = models.DateField(_("日期"))
    note = note_field()

    class Meta:
        verbose_name = _("企业助农")
        verbose_name_plural = _("企业助农")
        ordering = ["-on", "-id"]
        constraints = [
            choice_check("kind", SupportKind, name="village_support_kind_valid"),
            not_negative_check("amount", name="village_support_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(enterprise__isnull=False) | ~models.Q(partner=""), name="village_support_has_partner"
            ),
        ]
        indexes = [models.Index(fields=["town", "year"], name="village_support_year")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.on} {self.get_kind_display()} {self.amount}"

    @property
    def partner_name(self) -> str:
        """The enterprise's name, else the partner's as written."""
        return self.enterprise.name if self.enterprise is not None else self.partner
