"""Social assistance (救助帮扶) and services: what a household was paid (低保, 低边, 临时救助, 慰问金, 生活补助,
养老/医疗保险补助), veterans' preferential cards (优待证, applied → issued) and day care for persons with
disabilities (日间照料, one row per person per day).

Each row names its town and, where a department pays or serves, that department: the permission module
(``assistance.scope``) shows a handler the rows of their department and village staff those of their
village's households. The persons are residents of the people register (names and ID numbers encrypted there).
Rows are written only through ``assistance.domain`` (and its importers).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.org.fields import (
    choice_check,
    date_order_check,
    import_key_field,
    import_key_index,
    note_field,
    optional_link,
    positive_check,
)
from gridgov.data.org.models import Department, TownEntry, acting_user
from gridgov.data.people.models import Household, Resident


class Payment(TownEntry):
    """One assistance payment or subsidy to a household (and the person in it it is for, when one is)."""

    household = models.ForeignKey(Household, verbose_name=_("户"), on_delete=models.PROTECT, related_name="+")
    resident = optional_link(Resident, _("对象"))
    kind = models.CharField(_("类型"), max_length=16, choices=PaymentKind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("发放日期"))
    source = models.CharField(_("资金来源"), max_length=64, blank=True)
    department = optional_link(Department, _("发放部门"))
    note = note_field()
    recorded_by = acting_user(_("登记人"))
    import_key = import_key_field()

    class Meta:
        verbose_name = _("救助帮扶发放")
        verbose_name_plural = _("救助帮扶发放")
        ordering = ["-paid_on", "-id"]
        constraints = [
            choice_check("kind", PaymentKind, name="payment_kind_valid"),
            positive_check("amount", name="payment_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["town", "paid_on"], name="payment_paid"),
            models.Index(fields=["town", "kind", "paid_on"], name="payment_kind_paid"),
            import_key_index("payment"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class VeteranCard(TownEntry):
    """A veteran's preferential card (退役军人优待证): applied for, then issued (issued_on ≥ applied_on)."""

    resident = models.ForeignKey(Resident, verbose_name=_("退役军人"), on_delete=models.PROTECT, related_name="+")
    department = optional_link(Department, _("经办部门"))
    applied_on = models.DateField(_("申请日期"))
    issued_on = models.DateField(pgettext_lazy("card", "发放日期"), null=True, blank=True)
    number = models.CharField(_("证号"), max_length=32, blank=True)
    note = note_field()
    import_key = import_key_field()

    class Meta:
        verbose_name = _("退役军人优待证")
        verbose_name_plural = _("退役军人优待证")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["resident"], name="veteran_card_once_per_resident"),
            date_order_check("issued_on", "applied_on", name="veteran_card_issued_after_applied", later_optional=True),
        ]
        indexes = [
            models.Index(fields=["town", "issued_on"], name="veteran_card_issued"),
            models.Index(fields=["town", "applied_on"], name="veteran_card_applied"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class DayCareAttendance(TownEntry):
    """A person with disabilities at a day-care centre (日间照料) on one day."""

    resident = models.ForeignKey(Resident, verbose_name=_("服务对象"), on_delete=models.PROTECT, related_name="+")
    department = optional_link(Department, _("主管部门"))
    day = models.DateField(_("日期"))
    provider = models.CharField(_("照料机构"), max_length=64)

    class Meta:
        verbose_name = _("日间照料")
        verbose_name_plural = _("日间照料")
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["resident", "day"], name="day_care_once_per_day")]
        indexes = [models.Index(fields=["town", "day"], name="day_care_day")]

    def __str__(self) -> str:
        return f"{self.resident_id}/{self.day}"
