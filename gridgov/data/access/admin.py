"""Admin: the administrator issues and revokes Open311 keys; personal API tokens are only listed."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access.models import ApiKey, ApiToken, Open311Submission
from gridgov.data.access.tokens import issue_api_key
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.types import FromDjango


class ApiKeyForm(forms.ModelForm[ApiKey]):
    class Meta:
        model = ApiKey
        fields = ["town", "name", "contact"]

    def __init__(self, *args: FromDjango, **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        if "town" in self.fields:
            town_field = self.fields["town"]
            assert isinstance(town_field, forms.ModelChoiceField)
            town_field.queryset = Area.objects.filter(level=AreaLevel.TOWN)


@admin.action(description=gettext_lazy("吊销所选密钥"))
def revoke_keys(modeladmin: FromDjango, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
    queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    form = ApiKeyForm
    list_display = ["name", "town", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["town"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = [revoke_keys]

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> FromDjango:
        if obj is None:
            return ["town", "name", "contact"]
        return ["town", "name", "contact", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        return [*self.readonly_fields, "town"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: ApiKey, form: FromDjango, change: bool) -> None:
        if change:
            obj.save(update_fields=["name", "contact"])
            return
        issued = issue_api_key(
            town=obj.town,
            name=obj.name,
            contact=obj.contact,
            issued_by=request.user if isinstance(request.user, User) else None,
        )
        obj.pk = issued.record.pk
        obj.prefix, obj.digest, obj.created_at = issued.record.prefix, issued.record.digest, issued.record.created_at
        obj._state.adding = False
        messages.warning(
            request, _("新密钥（只显示这一次，请立即复制交给客户端）：%(secret)s") % {"secret": issued.secret}
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest, obj: FromDjango = None) -> bool:
        return False


@admin.register(Open311Submission)
class Open311SubmissionAdmin(admin.ModelAdmin[Open311Submission]):
    list_display = ["token", "case", "api_key", "created_at"]
    readonly_fields = ["town", "case", "api_key", "token", "media_url", "attributes", "device_id", "created_at"]
    fields = ("town", "case", "api_key", "token", "media_url", "attributes", "device_id", "created_at")
    list_select_related = ["case", "api_key"]

    def has_add_permission(self, request: HttpRequest, obj: FromDjango = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: FromDjango = None) -> bool:
        return False
