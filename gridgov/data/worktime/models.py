"""The working calendar as administered in the database.

The ``chinese_calendar`` package knows the official holiday schedule of the years it was
released for. Administrators add to it here:

- ``CalendarDay`` overrides single days (a local holiday, or a schedule the package got wrong).
  An override always wins.
- ``CalendarYear`` confirms that the full schedule of a year the package does not know has been
  entered as ``CalendarDay`` rows. In a confirmed year unknown to the package, days without an
  override follow the plain week: Monday to Friday working, Saturday and Sunday off.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """One day whose working status is set by an administrator."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否工作日"),
        default=False,
        help_text=_("勾选表示当天上班（如调休补班），不勾选表示当天休息（如法定节假日）。"),
    )
    name = models.CharField(_("名称"), max_length=32, blank=True, help_text=_("如：国庆节、国庆调休。"))
    note = models.CharField(_("备注"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ("date",)

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("休息")
        label = f"{self.date.isoformat()} {kind}"
        return f"{label}（{self.name}）" if self.name else label


class CalendarYear(models.Model):
    """A year whose full holiday schedule has been entered by an administrator."""

    year = models.PositiveSmallIntegerField(
        _("年度"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    confirmed = models.BooleanField(
        _("已确认"),
        default=False,
        help_text=_("确认本年度的节假日与调休已全部录入“工作日历调整”。未确认且系统未内置的年度无法按工作日计算期限。"),
    )
    note = models.CharField(_("备注"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ("-year",)

    def __str__(self) -> str:
        return f"{self.year}"
