from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class IndicatorKind(models.TextChoices):
    INDUSTRY = "industry", _("工业经济")
    INVESTMENT = "investment", _("投资项目")
    FISCAL = "fiscal", _("财政税收")
    AGRICULTURE = "agriculture", _("农业渔业")
    TRADE = "trade", _("商贸消费")
    SOCIAL = "social", _("社会民生")
    OTHER = "other", _("其他")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("按月")
    QUARTERLY = "quarterly", _("按季")


class Accumulation(models.TextChoices):
    """How an actual relates to the year: each period's own amount (the year is their sum), or the
    year-to-date figure that statistics offices publish (the year is the latest one)."""

    PERIOD = "period", _("当期值（全年为各期之和）")
    CUMULATIVE = "cumulative", _("累计值（全年取最新一期）")
