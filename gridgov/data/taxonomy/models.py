"""The two-level event taxonomy (22 major categories by default) and per-phase time limits."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.org.fields import choice_check, positive_check
from gridgov.data.org.models import Department, EnglishNamed, town_link
from gridgov.data.taxonomy.enums import Phase, Priority
from gridgov.data.worktime.enums import TimeUnit


class Category(EnglishNamed):
    """A major category (level 1, no parent) or a sub-category (level 2). Cases use sub-categories."""

    town = town_link(_("所属乡镇"))
    parent = models.ForeignKey(
        "self", verbose_name=_("大类"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("编码"), max_length=8)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    keywords = models.CharField(_("关键词"), max_length=255, blank=True)
    default_department = models.ForeignKey(
        Department, verbose_name=_("默认处置部门"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    default_priority = models.CharField(
        _("默认紧急程度"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    ledger_only = models.BooleanField(
        _("仅供台账使用"),
        default=False,
        help_text=_(
            "台账自己的分类（企业安全隐患、企业服务诉求、重点项目督办）：其事件由台账登记，不能作为一般事件上报"
        ),
    )

    class Meta:
        verbose_name = _("事件分类")
        verbose_name_plural = _("事件分类")
        ordering = ["town_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["town", "code"], name="category_code_unique_per_town"),
            choice_check("default_priority", Priority, name="category_priority_valid"),
        ]

    def __str__(self) -> str:
        if self.parent_id is not None and self.parent is not None:
            return f"{self.parent.local_name} / {self.local_name}"
        return self.local_name

    @property
    def is_major(self) -> bool:
        return self.parent_id is None


class TimeLimit(models.Model):
    """The time limit of one phase for a sub-category; ``priority`` empty means any priority."""

    category = models.ForeignKey(Category, verbose_name=_("分类"), on_delete=models.CASCADE, related_name="time_limits")
    phase = models.CharField(_("阶段"), max_length=16, choices=Phase.choices)
    priority = models.CharField(_("紧急程度"), max_length=8, choices=Priority.choices, blank=True)
    value = models.PositiveIntegerField(_("时限"))
    unit = models.CharField(_("单位"), max_length=16, choices=TimeUnit.choices)

    class Meta:
        verbose_name = _("处置时限")
        verbose_name_plural = _("处置时限")
        constraints = [
            models.UniqueConstraint(fields=["category", "phase", "priority"], name="time_limit_unique"),
            positive_check("value", name="time_limit_positive"),
            choice_check("phase", Phase, name="time_limit_phase_valid"),
            choice_check("unit", TimeUnit, name="time_limit_unit_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.get_phase_display()} {self.value}{self.get_unit_display()}"
