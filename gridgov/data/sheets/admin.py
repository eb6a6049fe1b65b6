from django.contrib import admin
from django.http import HttpRequest

from gridgov.data.sheets.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    list_display = ["created_at", "importer", "filename", "mode", "state", "user", "town"]
    list_filter = ["importer", "mode", "state"]
    exclude = ["content"]
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "content"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False
