"""A case's append-only action log (流转记录), each step chained to the one before by its hash, and the kept
results of verifying those chains (审计链校验).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models.case import Case
from gridgov.data.org.enums import Role
from gridgov.data.org.fields import optional_link
from gridgov.data.org.models import User, acting_user, town_link


class CaseAction(models.Model):
    """One step in a case's life. Append-only; ``hash`` chains it to the previous step of the case."""

    # Both lead composite indexes (case_action_time; the unique case + seq): no index of their own. The town is the
    # case's (no foreign-key check of its own at every action's COMMIT; see ``Case.town``).
    town = town_link(db_index=False, db_constraint=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions", db_index=False)
    seq = models.PositiveIntegerField(_("序号"))
    action = models.CharField(_("操作"), max_length=24, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices)
    # No page lists actions by actor alone; deleting a user (rare) scans once.
    actor = optional_link(User, _("操作人"), db_index=False)
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


class AuditRun(models.Model):
    """One verification of every audit chain (or the one-time re-hash of the chains): its result, kept."""

    class Kind(models.TextChoices):
        VERIFY = "verify", _("校验")
        REHASH = "rehash", _("重算哈希")

    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices, default=Kind.VERIFY)
    requested_by = acting_user(_("发起人"))
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
