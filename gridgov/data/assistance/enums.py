"""The choices of social assistance (救助帮扶)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentKind(models.TextChoices):
    MINIMUM_LIVING = "dibao", _("低保")
    MARGINAL = "dibian", _("低边")
    TEMPORARY = "temporary", _("临时救助")
    CONDOLENCE = "condolence", _("慰问金")
    LIVING_ALLOWANCE = "living", _("生活补助")
    PENSION_SUBSIDY = "pension", _("养老保险补助")
    MEDICAL_SUBSIDY = "medical", _("医疗保险补助")


# The report's sentences: 低保低边及生活补助共计…万元; 社会养老保险、医疗保险补助共…人次.
LIVING_KINDS = (PaymentKind.MINIMUM_LIVING, PaymentKind.MARGINAL, PaymentKind.LIVING_ALLOWANCE)
INSURANCE_KINDS = (PaymentKind.PENSION_SUBSIDY, PaymentKind.MEDICAL_SUBSIDY)
