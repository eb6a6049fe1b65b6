"""Investment attraction (招商引资): the town's leads (招商项目/线索) from first contact to production, the funds
arrived (到位资金) for each by month, and each stage move.

A lead moves 线索 → 洽谈 → 签约 → 落地 → 投产, keeping the day it reached each stage; signing needs the signed amount.
**亿元项目 is derived, not stored**: a lead whose signed amount is at least ``BILLION`` (``Lead.is_billion``, and the
query ``billion_q()``), so the flag can never disagree with the amount. 重大产业项目 is a decision, stored. A landed
lead's new company is an ``org.Enterprise`` (registered through the enterprise ledger, credit code checked), with the
day it was registered. Rows are written only through ``investment.domain`` (and the demo, which runs its checks).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.investment.enums import STAGE_ORDER, Industry, Source, Stage
from gridgov.data.org.fields import choice_check, month_check, note_field, optional_link, positive_check
from gridgov.data.org.models import Area, CorrectedRecord, Department, EnteredRecord, Enterprise, acting_user

#: 亿元项目: a signed amount of at least this, in 元.
BILLION = Decimal(100_000_000)
_SIGNED_OR_LATER = [s.value for s in STAGE_ORDER[STAGE_ORDER.index(Stage.SIGNED) :]]


def billion_q(prefix: str = "") -> models.Q:
    """The leads (``prefix`` "lead__" for their arrivals) that are 亿元项目."""
    return models.Q(**{f"{prefix}signed_amount__gte": BILLION})


class Lead(EnteredRecord):
    """One investment project of the town, from a lead to production."""

    name = models.CharField(_("项目名称"), max_length=100)
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices, default=Stage.LEAD)
    source = models.CharField(_("招商方式"), max_length=16, choices=Source.choices)
    industry = models.CharField(_("产业类别"), max_length=16, choices=Industry.choices)
    signed_amount = models.DecimalField(_("签约金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    major_industrial = models.BooleanField(_("重大产业项目"), default=False)
    enclave = models.BooleanField(_("飞地项目"), default=False)
    enclave_place = models.CharField(_("飞地所在地"), max_length=100, blank=True)
    department = optional_link(Department, _("责任部门"))
    person = models.CharField(_("责任人"), max_length=32, blank=True)
    village = optional_link(Area, _("所在村"))
    lead_on = models.DateField(_("线索日期"))
    talks_on = models.DateField(_("洽谈日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    landed_on = models.DateField(_("落地日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("新增企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enterprise_on = models.DateField(_("企业注册日期"), null=True, blank=True)
    note = note_field()

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["-lead_on", "-pk"]
        constraints = [
            choice_check("stage", Stage, name="lead_stage_valid"),
            choice_check("source", Source, name="lead_source_valid"),
            choice_check("industry", Industry, name="lead_industry_valid"),
            models.CheckConstraint(
                condition=~models.Q(stage__in=_SIGNED_OR_LATER)
                | models.Q(signed_amount__gt=0, signed_on__isnull=False),
                name="lead_signed_has_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(enterprise__isnull=True) | models.Q(enterprise_on__isnull=False),
                name="lead_enterprise_has_date",
            ),
        ]
        indexes = [models.Index(fields=["town", "signed_on"], name="lead_town_signed")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_billion(self) -> bool:
        """亿元项目: signed for at least 1亿元."""
        return self.signed_amount is not None and self.signed_amount >= BILLION


class StageChange(models.Model):
    """One move of a lead to its next stage: who moved it, when, and the day the stage was reached."""

    lead = models.ForeignKey(Lead, verbose_name=_("招商项目"), on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=Stage.choices)
    reached_on = models.DateField(_("到达日期"))
    at = models.DateTimeField(_("操作时间"))
    by = acting_user(_("操作人"))

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ["lead_id", "reached_on", "pk"]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.from_stage}→{self.to_stage}"


class FundArrival(CorrectedRecord):
    """The funds of one lead arrived (到位资金) in one month, in 元; a second entry for the month corrects it."""

    lead = models.ForeignKey(Lead, verbose_name=_("招商项目"), on_delete=models.PROTECT, related_name="arrivals")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    amount = models.DecimalField(_("到位资金（元）"), max_digits=14, decimal_places=2)
    note = note_field()

    class Meta:
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")
        ordering = ["-year", "-month", "lead_id"]
        constraints = [
            models.UniqueConstraint(fields=["lead", "year", "month"], name="fund_arrival_unique"),
            month_check("month", name="fund_arrival_month_valid"),
            positive_check("amount", name="fund_arrival_amount_positive"),
        ]
        indexes = [models.Index(fields=["town", "year", "month"], name="fund_arrival_period")]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.year}-{self.month:02d} {self.amount}"
