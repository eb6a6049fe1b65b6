"""The town's key projects (重点项目) and rural works (乡村蝶变, 土地整治 …): projects grouped (双合入岛门户 and its
21 projects), each with its milestones (立项, 开工, 主体完工, 竣工, 投用 — editable per project) and monthly
progress reports.

A milestone keeps, beside its planned date, the two days the schedule is read against (``due_on``: the planned
date, or the next working day when it falls on a day off; ``warn_on``: the 75 % mark of the working days leading
to it), computed from the working calendar when the milestone is written (``projects.schedule``), so lists filter
on them with a query. Rows are written only through ``projects.domain`` (and the demo, which calls it)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.models import Case
from gridgov.data.cases.models.attachments import hashed_path
from gridgov.data.org.fields import choice_check, month_check, not_negative_check, optional_link
from gridgov.data.org.models import Area, Department, EnteredRecord, acting_user, town_link
from gridgov.data.projects.enums import ProjectStatus, ProjectType


class ProjectGroup(models.Model):
    """Projects carried together (e.g. 双合入岛门户打造, 21 projects)."""

    town = town_link(_("所属乡镇"))
    name = models.CharField(_("名称"), max_length=64)
    year = models.PositiveSmallIntegerField(_("年度"))

    class Meta:
        verbose_name = _("项目群")
        verbose_name_plural = _("项目群")
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "year", "name"], name="project_group_unique")]

    def __str__(self) -> str:
        return self.name


class Project(EnteredRecord):
    """One key project or rural work; amounts in 元; ``quantity``/``unit`` for works counted in 亩, 公里 …"""

    group = optional_link(ProjectGroup, _("项目群"), related_name="projects")
    name = models.CharField(_("项目名称"), max_length=120)
    type = models.CharField(_("项目类型"), max_length=20, choices=ProjectType.choices)
    department = models.ForeignKey(Department, verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField(_("责任人"), max_length=32, blank=True)
    village = optional_link(Area, _("所在村"))
    total_investment = models.DecimalField(_("计划总投资（元）"), max_digits=14, decimal_places=2)
    year_investment = models.DecimalField(_("年度计划投资（元）"), max_digits=14, decimal_places=2)
    quantity = models.DecimalField(_("工程量"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=8, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)

    class Meta:
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ["-year", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year", "name"], name="project_unique_name"),
            choice_check("type", ProjectType, name="project_type_valid"),
            choice_check("status", ProjectStatus, name="project_status_valid"),
            not_negative_check("total_investment", "year_investment", name="project_investment_valid"),
        ]
        indexes = [models.Index(fields=["town", "year", "type"], name="project_town_year_type")]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A planned step of a project; ``done_on`` once reached; ``case`` the supervision case (督办) opened when it fell
    behind (one per milestone)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("节点"), max_length=32)
    order = models.PositiveSmallIntegerField(_("顺序"))
    planned_on = models.DateField(_("计划日期"))
    due_on = models.DateField(_("到期日"))
    warn_on = models.DateField(_("预警日"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    case = models.OneToOneField(
        Case, verbose_name=_("督办事件"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="milestone_order_unique")]
        indexes = [models.Index(fields=["done_on", "due_on"], name="milestone_open_due")]

    def __str__(self) -> str:
        return self.name


class ProgressReport(models.Model):
    """A month's progress of a project: the investment completed that month, in 元."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    investment = models.DecimalField(_("当月完成投资（元）"), max_digits=14, decimal_places=2)
    note = models.TextField(_("进展说明"), blank=True)
    reporter = acting_user(_("填报人"))
    created_at = models.DateTimeField(_("填报时间"))

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ["project", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="progress_report_month_unique"),
            month_check("month", name="progress_report_month"),
            not_negative_check("investment", name="progress_report_investment"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}-{self.month:02d}"


def progress_display_path(instance: ProgressPhoto, filename: str) -> str:
    return hashed_path("projects", town_id=instance.town_id, sha256=instance.sha256, suffix=".display.jpg")


def progress_thumbnail_path(instance: ProgressPhoto, filename: str) -> str:
    return hashed_path("projects", town_id=instance.town_id, sha256=instance.sha256, suffix=".thumb.jpg")


class ProgressPhoto(models.Model):
    """A site photo (工地现场照片) of a progress report: its display copy and thumbnail (upright JPEGs without
    metadata, made by ``cases.domain.images.process_photo``); the original is not kept. ``sha256`` is of the checked
    original (without GPS tags)."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("项目进展"), on_delete=models.CASCADE, related_name="photos"
    )
    town = town_link(_("所属乡镇"))
    display = models.FileField(_("显示图"), upload_to=progress_display_path, max_length=255)
    thumbnail = models.FileField(_("缩略图"), upload_to=progress_thumbnail_path, max_length=255)
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("工地现场照片")
        verbose_name_plural = _("工地现场照片")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.original_name or self.sha256[:12]
