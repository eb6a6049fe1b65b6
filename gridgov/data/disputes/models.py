"""Petitions and disputes (信访 / 矛盾纠纷 / 劳资纠纷): the detail row of a case of kind DISPUTE and its
parties, whose names, phones and ID numbers are encrypted at rest and masked on display."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.cases.models import CaseDetail, case_link
from gridgov.data.disputes.enums import DisputeType, Level, Method, Outcome, PartyKind, PartyRole
from gridgov.data.org.fields import choice_check, import_key_index, not_negative_check
from gridgov.data.org.models import town_link
from gridgov.data.privacy import EncryptedTextField


class Dispute(CaseDetail):
    case = case_link("dispute")
    type = models.CharField(_("类型"), max_length=16, choices=DisputeType.choices)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, default=Level.TOWN)
    amount = models.DecimalField(_("涉及金额（元）"), max_digits=14, decimal_places=2, default=0)
    backlog = models.BooleanField(_("积案"), default=False)
    backlog_cleared_at = models.DateTimeField(_("积案化解时间"), null=True, blank=True)
    received_on = models.DateField(_("受理日期"))
    method = models.CharField(_("调处方式"), max_length=16, choices=Method.choices, blank=True)
    outcome = models.CharField(_("调处结果"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)

    class Meta:
        verbose_name = _("信访/矛盾纠纷")
        verbose_name_plural = _("信访/矛盾纠纷")
        ordering = ["-received_on", "-id"]
        constraints = [
            choice_check("type", DisputeType, name="dispute_type_valid"),
            choice_check("level", Level, name="dispute_level_valid"),
            not_negative_check("amount", name="dispute_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(backlog=True) | models.Q(backlog_cleared_at__isnull=True),
                name="dispute_cleared_only_backlog",
            ),
        ]
        indexes = [
            models.Index(fields=["town", "received_on"], name="dispute_received"),
            import_key_index("dispute"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.case_id}"


class DisputeParty(models.Model):
    town = town_link()
    dispute = models.ForeignKey(Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("身份"), max_length=16, choices=PartyRole.choices, default=PartyRole.APPLICANT)
    kind = models.CharField(_("当事人类型"), max_length=16, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = EncryptedTextField(_("姓名/单位"))
    phone = EncryptedTextField(_("电话"), blank=True)
    id_number = EncryptedTextField(_("证件号码"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["dispute_id", "sort_order", "id"]
        constraints = [
            choice_check("role", PartyRole, name="party_role_valid"),
            choice_check("kind", PartyKind, name="party_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()
