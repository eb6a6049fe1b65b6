"""A case (事件/案卷): where and what it is, who reported it, who handles it, its milestones and deadlines.

Every large table carries ``town`` — the tenant key a sharded deployment distributes by.
State only changes through ``gridgov.data.cases.domain.engine``; nothing here has behaviour in save().
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.enums import Channel, Kind, Satisfaction, Status
from gridgov.data.org.enums import Role
from gridgov.data.org.fields import (
    NonNegativeIntegerField,
    NonNegativeSmallIntegerField,
    choice_check,
    coordinate_field,
    not_negative_check,
    optional_link,
)
from gridgov.data.org.models import Area, Department, Enterprise, acting_user, town_link
from gridgov.data.privacy import EncryptedTextField
from gridgov.data.taxonomy.enums import Priority
from gridgov.data.worktime.enums import Clock


def _index_where_set(column: str, fields: list[str], *, name: str) -> models.Index:
    """An index of only the cases whose ``column`` is set: empty when a case is reported (no department, company,
    registration or deadline yet), so a report writes none of these, and every query on the column implies it."""
    return models.Index(fields=fields, condition=models.Q(**{f"{column}__isnull": False}), name=name)


# The columns of ``Case`` that are never below zero, checked together (``case_counts_not_negative``).
_NOT_NEGATIVE = (
    "year",
    "seq",
    "dispatch_limit_minutes",
    "dispatch_paused_minutes",
    "handle_limit_value",
    "handle_limit_minutes",
    "handle_paused_minutes",
    "pending_extension_value",
    "extension_count",
    "rework_count",
    "return_count",
    "supervision_count",
    "version",
    "action_count",
)


class Case(models.Model):
    # Each index is written on every report, so the foreign keys have none of their own: town, reporter,
    # department and enterprise lead composite indexes (case_town_order, case_reporter_order, …), the category
    # is reached through case_category, areas through area_path; no page looks cases up by area, village,
    # grid, major category, handler or duplicate alone (deleting one of those rows, which the admin rarely
    # does, scans the cases once).
    # Derived columns — town, major category, village and grid follow from the area and the category, which are
    # foreign keys checked by the database — carry no foreign-key constraint of their own: each would be one more
    # check (and a share lock on a row every report of the town touches) at every report's COMMIT. The ORM still
    # protects the rows they name (on_delete), and the engine and the bulk path derive them in one place
    # (``new_case``, ``reference.ancestors_by_level``).
    town = town_link(_("乡镇"), db_index=False, db_constraint=False)
    number = models.CharField(_("案卷编号"), max_length=32)
    year = NonNegativeSmallIntegerField(_("年度"))
    seq = NonNegativeIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.EVENT)
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    category = models.ForeignKey(
        "taxonomy.Category", verbose_name=_("分类"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    major_category = models.ForeignKey(
        "taxonomy.Category",
        verbose_name=_("大类"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    priority = models.CharField(_("紧急程度"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    title = models.CharField(_("标题"), max_length=120, blank=True)
    description = models.TextField(_("描述"))
    address = models.CharField(_("地址"), max_length=255, blank=True)
    latitude = coordinate_field(_("纬度"))
    longitude = coordinate_field(_("经度"))
    area = models.ForeignKey(
        Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    village = optional_link(Area, _("村/社区"), db_index=False, db_constraint=False)
    grid = optional_link(Area, _("网格"), db_index=False, db_constraint=False)

    reporter = acting_user(_("上报人账号"), related_name="reported_cases", db_index=False)
    reporter_role = models.CharField(_("上报人角色"), max_length=24, choices=Role.choices, blank=True)
    reporter_name = EncryptedTextField(_("上报人姓名"), blank=True)
    reporter_phone = EncryptedTextField(_("上报人电话"), blank=True)

    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REPORTED)
    status_before_suspend = models.CharField(max_length=16, choices=Status.choices, blank=True, editable=False)
    department = optional_link(Department, _("处置部门"), db_index=False)
    handler = acting_user(_("处置人"), db_index=False)
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
    enterprise = optional_link(Enterprise, _("企业"), db_index=False)

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
    dispatch_limit_minutes = NonNegativeIntegerField(default=0)
    # The unit the dispatch limit was set in (工作时, 工作日, 自然日), so the time left reads in it; written with the
    # clock (``deadlines.start_dispatch_clock``), and into the cases started before it was kept by migration 0020.
    dispatch_limit_unit = models.CharField(_("派遣时限单位"), max_length=16, blank=True)
    dispatch_paused_minutes = NonNegativeIntegerField(default=0)
    dispatch_deadline = models.DateTimeField(_("派遣期限"), null=True, blank=True)
    # 暂定: the deadline was counted on a year whose holiday schedule is not yet known (worktime.calendar).
    dispatch_provisional = models.BooleanField(_("派遣期限暂定"), default=False)
    dispatch_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    handle_clock = models.CharField(max_length=8, choices=Clock.choices, default=Clock.WORKING)
    handle_limit_value = NonNegativeIntegerField(_("处置时限"), default=0)
    handle_limit_unit = models.CharField(_("时限单位"), max_length=16, blank=True)
    handle_started_at = models.DateTimeField(null=True, blank=True)
    handle_limit_minutes = NonNegativeIntegerField(default=0)
    handle_paused_minutes = NonNegativeIntegerField(default=0)
    handle_deadline = models.DateTimeField(_("处置期限"), null=True, blank=True)
    handle_provisional = models.BooleanField(_("处置期限暂定"), default=False)
    handle_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    suspended_at = models.DateTimeField(_("缓办开始"), null=True, blank=True)
    pending_extension_value = NonNegativeIntegerField(_("申请延期时长"), null=True, blank=True)
    extension_count = NonNegativeSmallIntegerField(_("延期次数"), default=0)

    rework_count = NonNegativeSmallIntegerField(_("返工次数"), default=0)
    return_count = NonNegativeSmallIntegerField(_("退回次数"), default=0)
    supervision_count = NonNegativeSmallIntegerField(_("督办次数"), default=0)
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices, blank=True)
    self_resolved = models.BooleanField(_("自行处置"), default=False)
    imported = models.BooleanField(_("历史导入"), default=False)
    # Whether the case's report-day counts (reported, valid) are in the rollups. A report through the engine
    # leaves them to the task worker (``rollups.count_pending_reports``), so it writes no rollup row; until
    # then the indicators count the case live (``metrics.counting``). Imports and the bulk path count at once.
    report_rolled_up = models.BooleanField(_("上报计数已汇总"), default=True)

    # Concurrency and audit.
    version = NonNegativeIntegerField(default=1)
    action_count = NonNegativeIntegerField(default=0)
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
            choice_check("status", Status, name="case_status_valid"),
            choice_check("channel", Channel, name="case_channel_valid"),
            choice_check("kind", Kind, name="case_kind_valid"),
            choice_check("priority", Priority, name="case_priority_valid"),
            # Every count and length of time, in one CHECK (``NonNegativeIntegerField``).
            not_negative_check(*_NOT_NEGATIVE, name="case_counts_not_negative"),
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
            # Partial where the column is empty when a case is reported (``_index_where_set``).
            _index_where_set("department", ["department", "reported_at", "id"], name="case_department_order"),
            _index_where_set("department", ["department", "status", "reported_at", "id"], name="case_department_queue"),
            _index_where_set("enterprise", ["enterprise", "reported_at", "id"], name="case_enterprise_order"),
            models.Index(  # only the cases waiting to be verified (a report does not write it)
                fields=["town", "status", "resolved_at", "id"],
                condition=models.Q(status="resolved"),
                name="case_verify_order",
            ),
            # By area subtree; by deadline.
            # The area subtree, with the reporter: a list's count reads its area part from this index alone.
            models.Index(fields=["town", "area_path", "reporter"], name="case_area_path_reporter"),
            _index_where_set("handle_deadline", ["town", "status", "handle_deadline"], name="case_handle_deadline"),
            _index_where_set("registered_at", ["town", "registered_at"], name="case_registered_at"),
            # The live part of the indicators (metrics.counting._live_late): open cases of a period by status,
            # with the columns of the overdue test and of the village/grid-worker grouping (read from the index).
            _index_where_set(
                "registered_at",
                [
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
                name="case_status_registered_at",
            ),
            # The few open cases whose deadlines wait for a year's official holiday schedule (recalendar).
            models.Index(
                fields=["status"],
                condition=models.Q(dispatch_provisional=True) | models.Q(handle_provisional=True),
                name="case_provisional",
            ),
            models.Index(fields=["town", "category"], name="case_category"),
            # The reports whose day counts the worker has not yet added to the rollups (seconds' worth).
            models.Index(
                fields=["town", "reported_at"],
                condition=models.Q(report_rolled_up=False),
                name="case_report_not_rolled_up",
            ),
        ]

    def __str__(self) -> str:
        return self.number
