"""Bulletins (通报) and the town's economic and social indicators (targets and actuals).

Nothing here has behaviour in save(): bulletins are generated and issued by ``domain.bulletins``,
indicator values entered through ``domain.economy``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.org.fields import choice_check, month_check
from gridgov.data.org.models import acting_user, town_link
from gridgov.data.reports.enums import Accumulation, BulletinStatus, Frequency, IndicatorKind


class Bulletin(models.Model):
    """A bulletin: figures frozen at ``as_of`` for a period and scope; numbered 2026年第N期 when issued."""

    town = town_link(_("乡镇"))
    status = models.CharField(_("状态"), max_length=8, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    number = models.PositiveIntegerField(_("期数"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日（不含）"))
    period_label = models.CharField(_("统计周期"), max_length=64)
    scope_kind = models.CharField(_("范围类型"), max_length=16)
    scope_key = models.CharField(_("范围"), max_length=64, blank=True)
    scope_label = models.CharField(_("范围名称"), max_length=128)
    as_of = models.DateTimeField(_("数据截至"))
    content = models.JSONField(_("内容"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("生成时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-issued_at", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "number"], name="bulletin_number_unique"),
            choice_check("status", BulletinStatus, name="bulletin_status_valid"),
            models.CheckConstraint(
                condition=(
                    models.Q(status=BulletinStatus.DRAFT, number__isnull=True, issued_at__isnull=True)
                    | models.Q(
                        status=BulletinStatus.ISSUED,
                        number__isnull=False,
                        year__isnull=False,
                        issued_at__isnull=False,
                    )
                ),
                name="bulletin_issued_has_number",
            ),
        ]
        indexes = [models.Index(fields=["town", "status", "-issued_at"], name="bulletin_archive")]

    def __str__(self) -> str:
        return self.title


class IndicatorDefinition(models.Model):
    """An economic or social indicator of a town: 工业总产值 (万元), 固定资产投资 (万元), …"""

    town = town_link(_("乡镇"))
    code = models.CharField(_("编码"), max_length=32)
    name = models.CharField(_("指标名称"), max_length=64)
    unit = models.CharField(_("单位"), max_length=16)
    kind = models.CharField(_("类别"), max_length=16, choices=IndicatorKind.choices, default=IndicatorKind.OTHER)
    frequency = models.CharField(_("填报频次"), max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY)
    accumulation = models.CharField(
        _("数值口径"), max_length=16, choices=Accumulation.choices, default=Accumulation.PERIOD
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("经济社会指标")
        verbose_name_plural = _("经济社会指标")
        ordering = ["town_id", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["town", "code"], name="indicator_code_unique"),
            models.UniqueConstraint(fields=["town", "name"], name="indicator_name_unique"),
            choice_check("kind", IndicatorKind, name="indicator_kind_valid"),
            choice_check("frequency", Frequency, name="indicator_frequency_valid"),
            choice_check("accumulation", Accumulation, name="indicator_accumulation_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class IndicatorTarget(models.Model):
    """The yearly target of an indicator."""

    town = town_link()
    indicator = models.ForeignKey(
        IndicatorDefinition, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["indicator_id", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="indicator_target_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


class IndicatorActual(models.Model):
    """The actual of an indicator for one month (1–12) or one quarter (1–4) of a year."""

    town = town_link()
    indicator = models.ForeignKey(
        IndicatorDefinition, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="actuals"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.PositiveSmallIntegerField(_("月份/季度"))
    value = models.DecimalField(_("实际值"), max_digits=20, decimal_places=4)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    entered_by = acting_user(_("填报人"))
    entered_at = models.DateTimeField(_("填报时间"))

    class Meta:
        verbose_name = _("实际完成值")
        verbose_name_plural = _("实际完成值")
        ordering = ["indicator_id", "year", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "period"], name="indicator_actual_unique"),
            month_check("period", name="indicator_actual_period_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}/{self.period}: {self.value}"
