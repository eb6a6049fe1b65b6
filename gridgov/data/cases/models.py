"""Cases (事件/案卷), their append-only action log (流转记录), attachments and notifications.

Every large table carries ``town`` — the tenant key a sharded deployment distributes by.
State only changes through ``gridgov.data.cases.domain.engine``; nothing here has behaviour in save().
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.enums import Action, AttachmentKind, Channel, Kind, Satisfaction, Status

# The day rollups (a projection of cases kept in each case's transaction) are defined apart; registered here.
from gridgov.data.cases.rollup_model import DailyRollup as DailyRollup
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, Department, Enterprise
from gridgov.data.privacy import EncryptedTextField
from gridgov.data.taxonomy.enums import Priority
from gridgov.data.worktime.enums import Clock


class Case(models.Model):
    # Each index is written on every report, so the foreign keys have none of their own: town, reporter,
    # department and enterprise lead composite indexes (case_town_order, case_reporter_order, …), the category
    # is reached through case_category, areas through area_path; no page looks cases up by area, village,
    # grid, major category, handler or duplicate alone (deleting one of those rows, which the admin rarely
    # does, scans the cases once).
    town = models.ForeignKey(Area, verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+", db_index=False)
    number = models.CharField(_("案卷编号"), max_length=32)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.EVENT)
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    category = models.ForeignKey(
        "taxonomy.Category", verbose_name=_("分类"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    major_category = models.ForeignKey(
        "taxonomy.Category", verbose_name=_("大类"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    priority = models.CharField(_("紧急程度"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    title = models.CharField(_("标题"), max_length=120, blank=True)
    description = models.TextField(_("描述"))
    address = models.CharField(_("地址"), max_length=255, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    village = models.ForeignKey(
        Area,
        verbose_name=_("村/社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    grid = models.ForeignKey(
        Area, verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
        db_index=False,
    )
    reporter_role = models.CharField(_("上报人角色"), max_length=24, choices=Role.choices, blank=True)
    reporter_name = EncryptedTextField(_("上报人姓名"), blank=True)
    reporter_phone = EncryptedTextField(_("上报人电话"), blank=True)

    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REPORTED)
    status_before_suspend = models.CharField(max_length=16, choices=Status.choices, blank=True, editable=False)
    department = models.ForeignKey(
        Department,
        verbose_name=_("处置部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处置人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # The company a hazard or service request belongs to; its enterprise users may see and act on the case.
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    # Milestones (set by the engine; used by the indicators).
    reported_at = models.DateTimeField(_("上报时间"))
    registered_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    first_resolved_at = models.DateTimeField(_("首次反馈时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("最近反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("不予立案时间"), null=True, blank=True)

    # Deadlines. Each phase keeps what its deadline is derived from: the clock, the start, the limit
    # (including approved extensions) and the time the clock was stopped (suspension), all in minutes.
    dispatch_clock = models.CharField(max_length=8, choices=Clock.choices, default=Clock.WORKING)
    dispatch_started_at = models.DateTimeField(null=True, blank=True)
    dispatch_limit_minutes = models.PositiveIntegerField(default=0)
    dispatch_paused_minutes = models.PositiveIntegerField(default=0)
    dispatch_deadline = models.DateTimeField(_("派遣期限"), null=True, blank=True)
    # 暂定: the deadline was counted on a year whose holiday schedule is not yet known (worktime.calendar).
    dispatch_provisional = models.BooleanField(_("派遣期限暂定"), default=False)
    dispatch_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    handle_clock = models.CharField(max_length=8, choices=Clock.choices, default=Clock.WORKING)
    handle_limit_value = models.PositiveIntegerField(_("处置时限"), default=0)
    handle_limit_unit = models.CharField(_("时限单位"), max_length=16, blank=True)
    handle_started_at = models.DateTimeField(null=True, blank=True)
    handle_limit_minutes = models.PositiveIntegerField(default=0)
    handle_paused_minutes = models.PositiveIntegerField(default=0)
    handle_deadline = models.DateTimeField(_("处置期限"), null=True, blank=True)
    handle_provisional = models.BooleanField(_("处置期限暂定"), default=False)
    handle_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    suspended_at = models.DateTimeField(_("缓办开始"), null=True, blank=True)
    pending_extension_value = models.PositiveIntegerField(_("申请延期时长"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)

    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    supervision_count = models.PositiveSmallIntegerField(_("督办次数"), default=0)
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices, blank=True)
    self_resolved = models.BooleanField(_("自行处置"), default=False)
    imported = models.BooleanField(_("历史导入"), default=False)

    # Concurrency and audit.
    version = models.PositiveIntegerField(default=1)
    action_count = models.PositiveIntegerField(default=0)
    audit_head = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["town", "number"], name="case_number_unique"),
            models.UniqueConstraint(fields=["town", "year", "seq"], name="case_seq_unique"),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(condition=models.Q(channel__in=Channel.values), name="case_channel_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="case_kind_valid"),
            models.CheckConstraint(condition=models.Q(priority__in=Priority.values), name="case_priority_valid"),
        ]
        indexes = [
            # Lists in their default order (newest first: reported_at, id) — each part of a user's scope
            # (``scope.visible_parts``) is walked in one of these, so no list sorts every visible case:
            # everything (admins, county), a town (areas), a town's queue by status, a reporter, a department
            # (all and by status), an enterprise; the verify queue (resolved, oldest first).
            models.Index(fields=["reported_at", "id"], name="case_order"),
            models.Index(fields=["town", "reported_at", "id"], name="case_town_order"),
            models.Index(fields=["town", "status", "reported_at", "id"], name="case_queue_order"),
            models.Index(fields=["reporter", "reported_at", "id"], name="case_reporter_order"),
            # Partial where the column is empty when a case is reported (no department, company, registration or
            # deadline yet): a report writes none of these, and every query on the column implies it is set.
            models.Index(
                fields=["department", "reported_at", "id"],
                condition=models.Q(department__isnull=False),
                name="case_department_order",
            ),
            models.Index(
                fields=["department", "status", "reported_at", "id"],
                condition=models.Q(department__isnull=False),
                name="case_department_queue",
            ),
            models.Index(
                fields=["enterprise", "reported_at", "id"],
                condition=models.Q(enterprise__isnull=False),
                name="case_enterprise_order",
            ),
            models.Index(  # only the cases waiting to be verified (a report does not write it)
                fields=["town", "status", "resolved_at", "id"],
                condition=models.Q(status="resolved"),
                name="case_verify_order",
            ),
            # By area subtree; by deadline.
            # The area subtree, with the reporter: a list's count reads its area part from this index alone.
            models.Index(fields=["town", "area_path", "reporter"], name="case_area_path_reporter"),
            models.Index(
                fields=["town", "status", "handle_deadline"],
                condition=models.Q(handle_deadline__isnull=False),
                name="case_handle_deadline",
            ),
            models.Index(
                fields=["town", "registered_at"],
                condition=models.Q(registered_at__isnull=False),
                name="case_registered_at",
            ),
            # The live part of the indicators (metrics.counting._live_late): open cases of a period by status,
            # with the columns of the overdue test and of the village/grid-worker grouping (read from the index).
            models.Index(
                fields=[
                    "town",
                    "status",
                    "registered_at",
                    "handle_deadline",
                    "first_resolved_at",
                    "resolved_at",
                    "village_id",
                    "reporter_role",
                    "reporter_id",
                ],
                condition=models.Q(registered_at__isnull=False),
                name="case_status_registered_at",
            ),
            # The few open cases whose deadlines wait for a year's official holiday schedule (recalendar).
            models.Index(
                fields=["status"],
                condition=models.Q(dispatch_provisional=True) | models.Q(handle_provisional=True),
                name="case_provisional",
            ),
            models.Index(fields=["town", "category"], name="case_category"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseAction(models.Model):
    """One step in a case's life. Append-only; ``hash`` chains it to the previous step of the case."""

    # Both lead composite indexes (case_action_time; the unique case + seq): no index of their own.
    town = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_index=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions", db_index=False)
    seq = models.PositiveIntegerField(_("序号"))
    action = models.CharField(_("操作"), max_length=24, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no page lists actions by actor alone; deleting a user (rare) scans once
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=64, blank=True)
    actor_role = models.CharField(_("操作角色"), max_length=24, choices=Role.choices, blank=True)
    note = models.TextField(_("意见/说明"), blank=True)
    data = models.JSONField(_("附加数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"))
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)
    # The outbox: the notifications this action owes are written with it (same INSERT, same transaction)
    # as "due"; the worker delivers them and clears ``notify_due_at``. Not part of the hash.
    notify_due_at = models.DateTimeField(_("待发送提醒"), null=True, blank=True)
    notify_attempts = models.PositiveSmallIntegerField(_("提醒发送次数"), default=0)
    notified_at = models.DateTimeField(_("提醒送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_action_seq_unique")]
        indexes = [
            models.Index(fields=["town", "created_at"], name="case_action_time"),
            models.Index(fields=["town", "action", "created_at"], name="case_action_kind_time"),
            # Only the few undelivered rows are in this index: the worker's "what is due" is one index range.
            models.Index(
                fields=["notify_due_at"], condition=models.Q(notify_due_at__isnull=False), name="case_action_outbox"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.town_id}/{instance.sha256[:2]}/{instance.sha256}{_suffix(filename)}"


def display_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.town_id}/{instance.sha256[:2]}/{instance.sha256}.display.jpg"


def thumbnail_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.town_id}/{instance.sha256[:2]}/{instance.sha256}.thumb.jpg"


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower()[:8] if dot >= 0 else ""


class Attachment(models.Model):
    town = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    action = models.ForeignKey(CaseAction, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("类别"), max_length=8, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    # Upright JPEG copies without metadata for pages: ≤ 1600 px and ≤ 320 px on the long side.
    display = models.FileField(_("显示图"), upload_to=display_path, max_length=255, blank=True)
    thumbnail = models.FileField(_("缩略图"), upload_to=thumbnail_path, max_length=255, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""


class DeadlineAlert(models.Model):
    """A case's running deadline crossed a threshold: yellow (75 % of the limit used) or red (overdue).

    One row per case, phase, level and deadline, so the periodic check is safe to run any number of times,
    and a case whose deadline moved (extension, suspension) is alerted again when it crosses the new one.
    """

    town = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
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

    town = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(CaseAction, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    alert = models.ForeignKey(DeadlineAlert, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
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


class AuditRun(models.Model):
    """One verification of every audit chain (or the one-time re-hash of the chains): its result, kept."""

    class Kind(models.TextChoices):
        VERIFY = "verify", _("校验")
        REHASH = "rehash", _("重算哈希")

    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices, default=Kind.VERIFY)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    ok = models.BooleanField(_("结果完好"), null=True, blank=True)
    checked = models.PositiveIntegerField(_("已校验事件数"), default=0)
    broken_count = models.PositiveIntegerField(_("断裂事件数"), default=0)
    broken = models.JSONField(_("断裂明细"), default=list, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("审计链校验")
        verbose_name_plural = _("审计链校验")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
