"""Inspection rounds (督查, e.g. 创城督查): check items with deduction points, the problems inspectors
record (each one a case of kind INSPECTION routed to its village) and the numbered bulletins (通报).

Nothing here has behaviour in save(); the domain functions in ``domain.py`` write these rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.models import CaseDetail, case_link
from gridgov.data.inspections.enums import RoundStatus
from gridgov.data.org.fields import choice_check, date_order_check, import_key_index, not_negative_check
from gridgov.data.org.models import Area, Department, town_link


class InspectionRound(models.Model):
    town = town_link(_("乡镇"))
    name = models.CharField(_("督查名称"), max_length=120)
    bulletin_title = models.CharField(
        _("通报名称"), max_length=40, default="创城督查通报", help_text=_("例如“创城督查通报”，期号按年编排")
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("督查人员"), related_name="+")
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组织者（受理员）"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("督查发现的问题以其名义立案并派遣到村"),
    )
    base_score = models.DecimalField(_("基础分"), max_digits=6, decimal_places=1, default=Decimal(100))
    status = models.CharField(_("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("督查轮次")
        verbose_name_plural = _("督查轮次")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="inspection_round_name_unique"),
            date_order_check("end_date", "start_date", name="round_dates_order"),
            choice_check("status", RoundStatus, name="round_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class CheckItem(models.Model):
    round = models.ForeignKey(
        InspectionRound, verbose_name=_("督查轮次"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("编号"), max_length=16)
    name = models.CharField(_("检查项目"), max_length=120)
    points = models.DecimalField(_("扣分"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal(0))])
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("检查项目")
        verbose_name_plural = _("检查项目")
        ordering = ["round_id", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="check_item_code_unique"),
            not_negative_check("points", name="check_item_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InspectionProblem(CaseDetail):
    """One problem found in a round: the detail row of a case of kind INSPECTION."""

    case = case_link("inspection")
    round = models.ForeignKey(
        InspectionRound, verbose_name=_("督查轮次"), on_delete=models.PROTECT, related_name="problems"
    )
    item = models.ForeignKey(CheckItem, verbose_name=_("检查项目"), on_delete=models.PROTECT, related_name="problems")
    village = models.ForeignKey(Area, verbose_name=_("责任村"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    deduction = models.DecimalField(_("扣分"), max_digits=5, decimal_places=1)
    spot = models.CharField(_("点位"), max_length=120)
    found_at = models.DateTimeField(_("发现时间"))

    class Meta:
        verbose_name = _("督查问题")
        verbose_name_plural = _("督查问题")
        ordering = ["-found_at", "-id"]
        constraints = [not_negative_check("deduction", name="problem_deduction_positive")]
        indexes = [
            models.Index(fields=["town", "found_at"], name="inspection_problem_found"),
            import_key_index("inspection_problem"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.spot}"


class InspectionBulletin(models.Model):
    """A numbered bulletin (通报) of a round, with the ranking and problems frozen at ``as_of``."""

    town = town_link()
    round = models.ForeignKey(
        InspectionRound, verbose_name=_("督查轮次"), on_delete=models.PROTECT, related_name="bulletins"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("期号"))
    title = models.CharField(_("标题"), max_length=120)
    issued_at = models.DateTimeField(_("发布时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(_("通报内容"), default=dict)

    class Meta:
        verbose_name = _("督查通报")
        verbose_name_plural = _("督查通报")
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["town", "year", "seq"], name="inspection_bulletin_number")]

    def __str__(self) -> str:
        return self.title
