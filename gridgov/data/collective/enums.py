from django.db import models
from django.utils.translation import gettext_lazy as _


class IncomeKind(models.TextChoices):
    """The kinds of a village's collective income, as the town's 村级集体经济 statements split it."""

    OPERATING = "operating", _("经营性收入")
    NON_OPERATING = "non_operating", _("非经营性收入")
    SUBSIDY = "subsidy", _("补助收入")
