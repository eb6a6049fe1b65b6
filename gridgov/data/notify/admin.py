"""Admin pages: deliveries with their attempts (status and failures), users' channel accounts, preferences."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gridgov.data.notify.enums import DeliveryStatus
from gridgov.data.notify.models import Attempt, ChannelAccount, Delivery, DigestRun, Preference
from gridgov.data.privacy import mask_phone


class AttemptInline(admin.TabularInline[Attempt, Delivery]):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ("at", "outcome", "error")
    readonly_fields = ("at", "outcome", "error")

    def has_add_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """Where every message stands: sent, waiting for a retry, given up (with the reason), skipped."""

    list_display = (
        "created_at",
        "channel",
        "kind",
        "recipient_key",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    )
    list_filter = ("status", "channel", "kind")
    search_fields = ("event_key", "recipient_key", "title", "last_error")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    inlines = [AttemptInline]
    actions = ["send_again"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("重新发送所选的已放弃/已跳过投递"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = queryset.filter(status__in=[DeliveryStatus.GAVE_UP, DeliveryStatus.SKIPPED]).update(
            status=DeliveryStatus.RETRY, next_attempt_at=timezone.now(), claimed_at=None, attempts=0
        )
        self.message_user(request, gettext("已安排重新发送 %(count)s 条。") % {"count": count}, messages.SUCCESS)


@admin.register(ChannelAccount)
class ChannelAccountAdmin(admin.ModelAdmin[ChannelAccount]):
    list_display = ("user", "dingtalk_userid", "wecom_userid", "masked_mobile", "language")
    search_fields = ("user__username", "user__full_name", "dingtalk_userid", "wecom_userid")
    raw_id_fields = ("user",)

    @admin.display(description=_("手机号"))
    def masked_mobile(self, obj: ChannelAccount) -> str:
        return mask_phone(obj.mobile) if obj.mobile else ""


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin[Preference]):
    list_display = ("user", "kind", "channel", "enabled")
    list_filter = ("kind", "channel", "enabled")
    raw_id_fields = ("user",)


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin[DigestRun]):
    list_display = ("day", "kind", "deliveries", "created_at")
    list_filter = ("kind",)
    readonly_fields = ("kind", "day", "created_at", "deliveries")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
