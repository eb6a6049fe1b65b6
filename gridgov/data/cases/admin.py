"""Read-only admin views of cases: state changes go through the engine, never through a form."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.audit_runs import start_verification
from gridgov.data.cases.domain.recalendar import recompute_provisional_deadlines
from gridgov.data.cases.models import Attachment, AuditRun, Case, CaseAction, DeadlineAlert, Notification
from gridgov.data.org.models import User
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.models import CalendarYear
from gridgov.data.worktime.schedule import schedule_reminders
from gridgov.types import FromDjango


class ReadOnlyAdmin[M: Any](admin.ModelAdmin[M]):  # Any: any model the read-only admin shows
    def has_add_permission(self, request: HttpRequest, obj: FromDjango = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: FromDjango = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: FromDjango = None) -> bool:
        return False


class CaseActionInline(admin.TabularInline[CaseAction, Case]):
    model = CaseAction
    extra = 0
    fields = ("seq", "created_at", "action", "from_status", "to_status", "actor_name", "actor_role", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: FromDjango = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin[Case]):
    list_display = ["number", "status", "category", "village", "department", "reported_at", "handle_deadline"]
    list_filter = ["status", "channel", "priority", "kind", "town"]
    search_fields = ["number", "description", "address"]
    list_select_related = ["category", "village", "department"]
    date_hierarchy = "reported_at"
    exclude = ["reporter_name", "reporter_phone"]
    inlines = [CaseActionInline]


@admin.register(CaseAction)
class CaseActionAdmin(ReadOnlyAdmin[CaseAction]):
    list_display = ["case", "seq", "action", "from_status", "to_status", "actor_name", "created_at"]
    list_filter = ["action", "town"]
    search_fields = ["case__number"]
    list_select_related = ["case"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin[Attachment]):
    list_display = ["case", "kind", "original_name", "content_type", "size", "created_at"]
    list_select_related = ["case"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin[Notification]):
    list_display = ["user", "case", "message", "created_at", "read_at"]
    list_select_related = ["user", "case"]


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(ReadOnlyAdmin[DeadlineAlert]):
    list_display = ["case", "phase", "level", "deadline", "created_at"]
    list_filter = ["level", "phase"]
    list_select_related = ["case"]


@admin.register(AuditRun)
class AuditRunAdmin(ReadOnlyAdmin[AuditRun]):
    """The audit chain verifications: the last results, and a button that starts one in the background."""

    list_display = ["created_at", "kind", "requested_by", "finished_at", "ok", "checked", "broken_count"]
    list_filter = ["kind", "ok"]
    readonly_fields = [
        "kind",
        "requested_by",
        "created_at",
        "finished_at",
        "ok",
        "checked",
        "broken_count",
        "broken",
        "note",
    ]
    change_list_template = "admin/cases/auditrun/change_list.html"

    def has_view_permission(self, request: HttpRequest, obj: FromDjango = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def get_urls(self) -> list[URLPattern]:
        start = path("start/", self.admin_site.admin_view(self.start_view), name="cases_auditrun_start")
        return [start, *super().get_urls()]

    def start_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        user = request.user if isinstance(request.user, User) else None
        run = start_verification(user=user, now=timezone.now())
        run.refresh_from_db()
        if run.finished_at is None:
            messages.info(request, _("已开始校验审计链（后台任务），完成后刷新本页查看结果"))
        elif run.ok:
            messages.success(request, _("审计链完好：已校验 %(n)s 件事件") % {"n": run.checked})
        else:
            messages.error(request, _("审计链断裂：%(n)s 件") % {"n": run.broken_count})
        return HttpResponseRedirect(reverse("admin:cases_auditrun_changelist"))


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin[CalendarYear]):
    """Years whose holiday schedule administrators have entered (here, not in worktime: confirming a year
    recomputes the provisional deadlines of the cases that reach into it)."""

    list_display = ("year", "confirmed", "updated_at", "note")
    list_filter = ("confirmed",)
    search_fields = ("=year", "note")
    readonly_fields = ("updated_at",)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, object] | None = None) -> FromDjango:
        """Remind the administrator of the years still on the provisional calendar."""
        for text in schedule_reminders(today=timezone.localdate(), calendar=WorkCalendar.load()):
            self.message_user(request, text, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: ModelForm[CalendarYear], change: bool) -> None:
        """Confirming a year makes the provisional deadlines that reach into it final (recomputed once)."""
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
