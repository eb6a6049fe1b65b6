"""What a case tells people: deadline alerts (期限预警) and the in-app notifications (消息提醒) of its steps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.enums import NotificationKind
from gridgov.data.cases.models.case import Case
from gridgov.data.cases.models.log import CaseAction
from gridgov.data.org.models import town_link


class DeadlineAlert(models.Model):
    """A case's running deadline crossed a threshold: yellow (75 % of the limit used) or red (overdue).

    One row per case, phase, level and deadline, so the periodic check is safe to run any number of times,
    and a case whose deadline moved (extension, suspension) is alerted again when it crosses the new one.
    """

    town = town_link()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadline_alerts")
    phase = models.CharField(_("阶段"), max_length=16)
    level = models.CharField(_("级别"), max_length=8, choices=[("yellow", _("临期")), ("red", _("超期"))])
    deadline = models.DateTimeField(_("期限"))
    created_at = models.DateTimeField(_("提醒时间"))

    class Meta:
        verbose_name = _("期限预警")
        verbose_name_plural = _("期限预警")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "phase", "level", "deadline"], name="deadline_alert_once"),
            models.CheckConstraint(condition=models.Q(level__in=["yellow", "red"]), name="deadline_alert_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.phase} {self.level}"


class Notification(models.Model):
    """A message for one user about a step of a case (delivered from the action's outbox) or a deadline alert."""

    town = town_link()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(CaseAction, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    alert = models.ForeignKey(DeadlineAlert, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # What the message says (its kind and parameters: case number, action, deadline …), written as a sentence in
    # the reader's language when read (``domain.notifications.notification_text``); ``message`` is that sentence
    # in the town's language, kept for search and the admin — and the only text of rows stored before kinds.
    kind = models.CharField(_("消息类型"), max_length=16, blank=True, default="", choices=NotificationKind.choices)
    params = models.JSONField(_("消息参数"), default=dict, blank=True)
    message = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("消息提醒")
        verbose_name_plural = _("消息提醒")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "action"], name="notification_once_per_action"),
            models.UniqueConstraint(fields=["user", "alert"], name="notification_once_per_alert"),
            models.CheckConstraint(
                condition=models.Q(action__isnull=False) | models.Q(alert__isnull=False),
                name="notification_has_a_cause",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message
