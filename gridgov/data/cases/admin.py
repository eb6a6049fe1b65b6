"""Read-only admin views of cases: state changes go through the engine, never through a form."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gridgov.data.cases.models import Attachment, Case, CaseAction, DeadlineAlert, Notification


class ReadOnlyAdmin[M: Any](admin.ModelAdmin[M]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseActionInline(admin.TabularInline[CaseAction, Case]):
    model = CaseAction
    extra = 0
    fields = ("seq", "created_at", "action", "from_status", "to_status", "actor_name", "actor_role", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
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
