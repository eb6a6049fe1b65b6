"""Admin pages: deliveries with their attempts (status and failures), users' channel accounts, preferences."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gridgov.data.notify.domain.accounts import import_accounts
from gridgov.data.notify.enums import DeliveryStatus
from gridgov.data.notify.models import Attempt, ChannelAccount, Delivery, DigestRun, Preference
from gridgov.data.org.disclosure import Holder, Item, shown


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


class AccountImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


@admin.register(ChannelAccount)
class ChannelAccountAdmin(admin.ModelAdmin[ChannelAccount]):
    list_display = ("user", "dingtalk_userid", "wecom_userid", "masked_mobile", "language")
    search_fields = ("user__username", "user__full_name", "dingtalk_userid", "wecom_userid")
    raw_id_fields = ("user",)
    change_list_template = "admin/notify/channelaccount/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="notify_channelaccount_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request) or not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        form = AccountImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            result = import_accounts(content=form.cleaned_data["file"].read())
            if not result.errors:
                text = gettext("已导入：新增 %(created)s 个，更新 %(updated)s 个") % {
                    "created": result.created,
                    "updated": result.updated,
                }
                self.message_user(request, text, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:notify_channelaccount_changelist"))
            errors = result.errors
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("从 Excel 导入消息渠道账号"),
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/notify/channelaccount/import.html", context)

    @admin.display(description=_("手机号"))
    def masked_mobile(self, obj: ChannelAccount) -> str:
        # a staff member's channels (DingTalk, WeCom, their SMS number): a person in office, whose phone is masked
        return shown(obj.mobile or "", holder=Holder.OFFICIAL, item=Item.PHONE)


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
