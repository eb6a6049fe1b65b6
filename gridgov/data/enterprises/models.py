"""Typed details of the enterprise ledgers: hazards (隐患台账, 两本账) and service requests (三服务), and the
town head's meetings with enterprises (乡镇长有约). Each hazard and request is a case of the case engine
(kind hazard / service); these rows hold what the statistics need. No behaviour here: see ``domain``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.models import case_link
from gridgov.data.enterprises.enums import Book, Grade, RequestType
from gridgov.data.org.fields import choice_check, date_order_check, not_negative_check, optional_link
from gridgov.data.org.models import Enterprise, town_link


class Hazard(models.Model):
    case = case_link("hazard", verbose_name=_("案卷"))
    town = town_link(_("乡镇"))
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="hazards")
    book = models.CharField(_("台账"), max_length=16, choices=Book.choices)
    grade = models.CharField(_("隐患等级"), max_length=8, choices=Grade.choices, default=Grade.GENERAL)
    location = models.CharField(_("隐患部位"), max_length=120)
    found_on = models.DateField(_("发现日期"))
    responsible = models.CharField(_("整改责任人"), max_length=64, blank=True)
    deadline = models.DateField(_("整改期限"))
    measures = models.TextField(_("整改措施"), blank=True)
    funds = models.DecimalField(_("整改资金（元）"), max_digits=14, decimal_places=2, default=0)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    acceptor = models.CharField(_("验收人"), max_length=64, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    source_key = models.CharField(_("导入识别码"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-found_on", "-id"]
        constraints = [
            choice_check("book", Book, name="hazard_book_valid"),
            choice_check("grade", Grade, name="hazard_grade_valid"),
            not_negative_check("funds", name="hazard_funds_not_negative"),
            date_order_check("accepted_on", "found_on", name="hazard_accepted_after_found", later_optional=True),
            models.UniqueConstraint(
                fields=["town", "source_key"], condition=~models.Q(source_key=""), name="hazard_source_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["town", "book", "found_on"], name="hazard_book_found"),
            models.Index(fields=["enterprise", "book"], name="hazard_enterprise_book"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.location}"


class Meeting(models.Model):
    """A 乡镇长有约 meeting: the town head meets enterprises (every two months); requests raised there
    become service cases linked to it."""

    town = town_link(_("乡镇"))
    title = models.CharField(_("名称"), max_length=120)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    attendees = models.TextField(_("参会人员"), blank=True)
    enterprises = models.ManyToManyField(Enterprise, verbose_name=_("参会企业"), related_name="meetings", blank=True)
    note = models.TextField(_("会议纪要"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("乡镇长有约")
        verbose_name_plural = _("乡镇长有约")
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["town", "held_on", "title"], name="meeting_unique")]

    def __str__(self) -> str:
        return self.title


class ServiceRequest(models.Model):
    case = case_link("service_request", verbose_name=_("案卷"))
    town = town_link(_("乡镇"))
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="service_requests"
    )
    request_type = models.CharField(_("诉求类型"), max_length=16, choices=RequestType.choices)
    meeting = optional_link(Meeting, _("提出会议"), related_name="requests")
    financing_amount = models.DecimalField(_("协调融资（元）"), max_digits=16, decimal_places=2, default=0)
    source_key = models.CharField(_("导入识别码"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["-id"]
        constraints = [
            choice_check("request_type", RequestType, name="service_type_valid"),
            not_negative_check("financing_amount", name="service_financing_not_negative"),
            models.UniqueConstraint(
                fields=["town", "source_key"], condition=~models.Q(source_key=""), name="service_source_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.request_type}"


from gridgov.data.enterprises.models_yearly import EfficiencyThreshold, EnterpriseYear  # noqa: E402  # the yearly figures

__all__ = ["EfficiencyThreshold", "EnterpriseYear", "Hazard", "Meeting", "ServiceRequest"]
