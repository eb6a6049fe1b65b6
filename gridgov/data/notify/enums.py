from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    DISPATCHED = "dispatched", _("派遣给我")
    RETURNED = "returned", _("退回")
    OVERDUE_YELLOW = "overdue_yellow", _("临期（黄灯）")
    OVERDUE_RED = "overdue_red", _("超期（红灯）")
    SUPERVISED = "supervised", _("督办")
    EXTENSION_ASKED = "extension_asked", _("申请延期")
    EXTENSION_DECIDED = "extension_decided", _("延期审批结果")
    VERIFY_FAILED = "verify_failed", _("核查不通过")
    CLOSED = "closed", _("结案")
    OTHER = "other", _("其他流转")
    DIGEST = "digest", _("每日/每周汇总")
    REPORTER_STATUS = "reporter_status", _("群众反映问题的进展（短信）")


#: Always delivered, even in quiet hours.
URGENT = frozenset({EventKind.OVERDUE_RED, EventKind.SUPERVISED})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    RETRY = "retry", _("等待重试")
    GAVE_UP = "gave_up", _("已放弃")
    SKIPPED = "skipped", _("已跳过")


class AttemptOutcome(models.TextChoices):
    SENT = "sent", _("成功")
    FAILED = "failed", _("失败")
    UNKNOWN = "unknown", _("结果不明")
