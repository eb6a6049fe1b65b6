"""Problem lists (问题清单, e.g. the seven lists 七张问题清单) and their items, each item the detail row of a
case of kind PROBLEM_LIST: dispatched to the responsible unit, progress reported, 销号 by verification."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.models import CaseDetail, case_link
from gridgov.data.org.fields import choice_check, date_order_check, import_key_index
from gridgov.data.org.models import Department, town_link
from gridgov.data.problemlists.enums import Source


class ProblemList(models.Model):
    town = town_link(_("乡镇"))
    name = models.CharField(_("清单名称"), max_length=80)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("问题清单")
        verbose_name_plural = _("问题清单")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="problem_list_name_unique")]

    def __str__(self) -> str:
        return self.name


class ProblemItem(CaseDetail):
    case = case_link("problem_item")
    problem_list = models.ForeignKey(
        ProblemList, verbose_name=_("所属清单"), on_delete=models.PROTECT, related_name="items"
    )
    source = models.CharField(_("问题来源"), max_length=16, choices=Source.choices)
    department = models.ForeignKey(Department, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    responsible_person = models.CharField(_("责任人"), max_length=32)
    plan = models.TextField(_("整改方案"))
    deadline = models.DateField(_("整改时限"))
    found_on = models.DateField(_("发现日期"))

    class Meta:
        verbose_name = _("清单问题")
        verbose_name_plural = _("清单问题")
        ordering = ["-found_on", "-id"]
        constraints = [
            choice_check("source", Source, name="problem_item_source_valid"),
            date_order_check("deadline", "found_on", name="problem_item_deadline_after_found"),
        ]
        indexes = [
            models.Index(fields=["town", "found_on"], name="problem_item_found"),
            import_key_index("problem_item"),
        ]

    def __str__(self) -> str:
        return f"{self.problem_list_id}: {self.case_id}"
