"""Admin pages for the working calendar's days (the years' page is in cases/admin.py: confirming a year
recomputes the cases' provisional deadlines)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gridgov.data.worktime.models import CalendarDay

if TYPE_CHECKING:
    _DayAdminBase = admin.ModelAdmin[CalendarDay]
else:  # ModelAdmin is not subscriptable at runtime without django_stubs_ext.
    _DayAdminBase = admin.ModelAdmin

_WEEKDAYS = (
    _("星期一"),
    _("星期二"),
    _("星期三"),
    _("星期四"),
    _("星期五"),
    _("星期六"),
    _("星期日"),
)


@admin.register(CalendarDay)
class CalendarDayAdmin(_DayAdminBase):
    """Single-day overrides of the working calendar."""

    list_display = ("date", "weekday", "is_workday", "name", "note")
    list_filter = ("is_workday",)
    search_fields = ("name", "note")
    date_hierarchy = "date"
    ordering = ("-date",)

    @admin.display(description=_("星期"), ordering="date")
    def weekday(self, obj: CalendarDay) -> str:
        """The day of the week, to spot weekend working days at a glance."""
        return str(_WEEKDAYS[obj.date.weekday()])
