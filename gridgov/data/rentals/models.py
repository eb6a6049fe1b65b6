"""A group-rental house's fire-safety rectification (群租房整改): the detail row of a case of kind HAZARD.

The case carries the workflow (整改 = resolve, 验收 = verify pass → closed), the deadline and the audit chain;
this row carries the house, the rooms concerned, the problems found and the measures taken."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.models import CaseDetail, case_link
from gridgov.data.org.fields import date_order_check, import_key_index
from gridgov.data.people.models import House
from gridgov.data.rentals.enums import Problem


class Rectification(CaseDetail):
    case = case_link("rectification")
    house = models.ForeignKey(House, verbose_name=_("房屋"), on_delete=models.PROTECT, related_name="rectifications")
    rooms = models.PositiveSmallIntegerField(_("涉及间数"))
    problems = models.CharField(_("存在问题"), max_length=255)  # Problem values, comma-separated
    measures = models.TextField(_("整改措施"), blank=True)
    found_on = models.DateField(_("发现日期"))
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("群租房整改")
        verbose_name_plural = _("群租房整改")
        ordering = ["-found_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rooms__gte=1), name="rectification_rooms_positive"),
            date_order_check(
                "rectified_on", "found_on", name="rectification_rectified_after_found", later_optional=True
            ),
        ]
        indexes = [
            models.Index(fields=["town", "found_on"], name="rectification_found"),
            import_key_index("rectification"),
        ]

    def __str__(self) -> str:
        return f"{self.house_id}: {self.case_id}"

    @property
    def problem_list(self) -> list[Problem]:
        return [Problem(code) for code in self.problems.split(",") if code in Problem.values]

    @property
    def problem_labels(self) -> str:
        return gettext("、").join(str(p.label) for p in self.problem_list)
