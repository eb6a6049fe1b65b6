"""Admin pages for the working calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gridgov.data.worktime.calendar import WorkCalendar, schedule_reminders
from gridgov.data.worktime.models import CalendarDay, CalendarYear

if TYPE_CHECKING:
    _DayAdminBase = admin.ModelAdmin[CalendarDay]
    _YearAdminBase = admin.ModelAdmin[CalendarYear]
else:  # ModelAdmin is not subscriptable at runtime without django_stubs_ext.
    _DayAdminBase = _YearAdminBase = admin.ModelAdmin

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


@admin.register(CalendarYear)
class CalendarYearAdmin(_YearAdminBase):
    """Years whose holiday schedule administrators have entered."""

    list_display = ("year", "confirmed", "updated_at", "note")
    list_filter = ("confirmed",)
    search_fields = ("=year", "note")
    readonly_fields = ("updated_at",)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, object] | None = None) -> Any:
        """Remind the administrator of the years still on the provisional calendar."""
        for text in schedule_reminders(today=timezone.localdate(), calendar=WorkCalendar.load()):
            self.message_user(request, text, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: ModelForm[CalendarYear], change: bool) -> None:
        """Confirming a year makes the provisional deadlines that reach into it final (recomputed once)."""
        from gridgov.data.cases.domain.recalendar import recompute_provisional_deadlines

        super().save_model(request, obj, form, change)
        if not obj.confirmed:
            return
        numbers = recompute_provisional_deadlines(
            reason=gettext("管理员确认了%(year)s年的节假日与调休安排") % {"year": obj.year}
        )
        if numbers:
            self.message_user(
                request,
                gettext("已按%(year)s年的正式安排重新计算 %(n)s 件事件的暂定期限：%(numbers)s")
                % {"year": obj.year, "n": len(numbers), "numbers": "、".join(numbers[:20])},
                messages.SUCCESS,
            )
