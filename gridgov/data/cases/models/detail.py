"""What a ledger's detail row of a case declares: the ledger keeps its own facts (a dispute's type and outcome, an
inspection problem's deduction, a rectification's rooms …) in a row beside the case, which carries the workflow,
the deadlines and the audit chain. The enterprise ledgers' hazards and requests link their case the same way; their
town and import key are older columns of their own (``source_key``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from gridgov.data.cases.models.case import Case
from gridgov.data.org.fields import import_key_field
from gridgov.data.org.models import town_link

_CASE = _("事件")


def case_link(related_name: str, *, verbose_name: StrOrPromise = _CASE) -> models.OneToOneField[Case, Case]:
    """The case a detail row belongs to: one row a case, read back from the case as ``related_name``; a case is not
    deleted while its detail row is there."""
    return models.OneToOneField(Case, verbose_name=verbose_name, on_delete=models.PROTECT, related_name=related_name)


class CaseDetail(models.Model):
    """A ledger's detail row of one case (its ``case_link``): the town it belongs to, and the key a spreadsheet
    import finds it again by (its index: ``org.fields.import_key_index``)."""

    town = town_link()
    import_key = import_key_field()

    class Meta:
        abstract = True
