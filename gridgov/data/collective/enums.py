from django.db import models
from django.utils.translation import gettext_lazy as _


class IncomeKind(models.TextChoices):
    """The kinds of a village's collective income, as the town's 村级集体经济 statements split it."""

    OPERATING = "operating", _("经营性收入")
    NON_OPERATING = "non_operating", _("非经营性收入")
    SUBSIDY = "subsidy", _("补助收入")


class SupportKind(models.TextChoices):
    """How enterprises help a village (企业助农): a pairing of a village and an enterprise (村企结对), or a common
    prosperity workshop (共富工坊) that brings work to the village."""

    PAIRING = "pairing", _("村企结对")
    WORKSHOP = "workshop", _("共富工坊")
