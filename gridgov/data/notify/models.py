"""Deliveries of notifications to channels, their attempts, users' channel accounts and preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.notify.channels.registry import ChannelName
from gridgov.data.notify.enums import AttemptOutcome, DeliveryStatus, EventKind
from gridgov.data.privacy import EncryptedTextField


class Delivery(models.Model):
    """One message of one event to one recipient over one channel, and where its sending stands.

    ``event_key`` names the event ("action:12", "alert:7", "digest:dept:3:2026-11-23"), ``recipient_key`` the
    recipient ("user:5", "robot:qiaotou"): one row per channel, event and recipient (unique), so an event is
    never sent twice to the same person over the same channel. The address (user id, mobile, e-mail) is read
    at send time from the user's account; only a keyed hash of it (``rate_key``) is kept, for rate limits.
    """

    notification = models.ForeignKey(
        "cases.Notification",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("站内消息"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("接收人"),
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=ChannelName.choices)
    kind = models.CharField(_("事件类型"), max_length=20, choices=EventKind.choices)
    event_key = models.CharField(_("事件"), max_length=64)
    recipient_key = models.CharField(_("接收方"), max_length=64)
    rate_key = models.CharField(_("限流键"), max_length=64, blank=True)
    urgent = models.BooleanField(_("紧急（免打扰时段照发）"), default=False)
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("内容"))
    short = models.CharField(_("短信内容"), max_length=140, blank=True)
    link = models.CharField(_("链接"), max_length=255, blank=True)
    button = models.CharField(_("按钮文字"), max_length=16, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送成功时间"), null=True, blank=True)
    counted_at = models.DateTimeField(_("计入限流的时间"), null=True, blank=True)
    provider_id = models.CharField(_("服务商消息编号"), max_length=128, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "event_key", "recipient_key"], name="notify_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_delivery_due"),
            models.Index(fields=["rate_key", "sent_at"], name="notify_delivery_rate"),
            models.Index(fields=["rate_key", "counted_at"], name="notify_delivery_counted"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.recipient_key} {self.event_key}"


class RateKey(models.Model):
    """One row per rate-limited sender (a robot, a mobile number's hash, an app): locked while a send is
    counted against its limits, so that several workers count one after another (``deliveries.reserve``)."""

    key = models.CharField(_("限流键"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("限流键")
        verbose_name_plural = _("限流键")

    def __str__(self) -> str:
        return self.key


class Attempt(models.Model):
    """One try of a delivery: sent, failed (with the reason), or unknown (interrupted between send and record)."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_rows", verbose_name=_("投递")
    )
    at = models.DateTimeField(_("时间"))
    outcome = models.CharField(_("结果"), max_length=8, choices=AttemptOutcome.choices)
    error = models.CharField(_("错误"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("发送尝试")
        verbose_name_plural = _("发送尝试")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.outcome}"


class ChannelAccount(models.Model):
    """A user's ids on the channels: DingTalk and WeCom user ids, mobile number (encrypted at rest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_account", verbose_name=_("用户")
    )
    dingtalk_userid = models.CharField(_("钉钉用户ID"), max_length=64, blank=True)
    wecom_userid = models.CharField(_("企业微信用户ID"), max_length=64, blank=True)
    mobile = EncryptedTextField(_("接收短信的手机号"), blank=True)
    language = models.CharField(
        _("消息语言"), max_length=8, blank=True, choices=[("zh-hans", "简体中文"), ("en", "English")]
    )

    class Meta:
        verbose_name = _("消息渠道账号")
        verbose_name_plural = _("消息渠道账号")

    def __str__(self) -> str:
        return str(self.user_id)


class Preference(models.Model):
    """A user's choice of one channel for one kind of event (no row: the channel's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preferences", verbose_name=_("用户")
    )
    kind = models.CharField(_("事件类型"), max_length=20, choices=EventKind.choices)
    channel = models.CharField(_("渠道"), max_length=16, choices=ChannelName.choices)
    enabled = models.BooleanField(_("接收"), default=True)

    class Meta:
        verbose_name = _("消息偏好")
        verbose_name_plural = _("消息偏好")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="notify_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.channel} {self.enabled}"


class DigestRun(models.Model):
    """One day's (or week's) digests, planned once: the row is taken in the transaction that plans them."""

    kind = models.CharField(_("类别"), max_length=8, choices=[("daily", _("每日汇总")), ("weekly", _("每周汇总"))])
    day = models.DateField(_("日期"))
    created_at = models.DateTimeField(_("生成时间"))
    deliveries = models.PositiveIntegerField(_("投递数"), default=0)

    class Meta:
        verbose_name = _("汇总推送")
        verbose_name_plural = _("汇总推送")
        constraints = [models.UniqueConstraint(fields=["kind", "day"], name="notify_digest_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"
