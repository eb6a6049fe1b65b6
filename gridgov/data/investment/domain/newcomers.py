"""新增企业: the company a landed lead became, linked to (or created in) the enterprise ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.enterprises.domain.enterprises import create_enterprise
from gridgov.data.errors import Conflict, InvalidInput
from gridgov.data.investment.domain.checks import check_may_keep, check_not_future
from gridgov.data.investment.enums import Stage
from gridgov.data.investment.models import Lead
from gridgov.data.org.credit_code import normalise_credit_code
from gridgov.data.org.models import Enterprise, User


@dataclass(frozen=True)
class NewEnterpriseInput:
    """The company a landed lead became: its unified social credit code, name and the day it was registered."""

    credit_code: str
    name: str
    registered_on: date | None
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""


LANDED_STAGES = (Stage.LANDED, Stage.PRODUCING)


def register_enterprise(*, actor: User, lead: Lead, data: NewEnterpriseInput, now: datetime) -> Enterprise:
    """Link the landed ``lead`` to its company in the enterprise ledger — the record with the same credit code,
    or a new one created there (name and code checked by the enterprise ledger) — see the module."""
    check_may_keep(actor, lead.town)
    with transaction.atomic():
        current = Lead.objects.select_for_update(of=("self",)).select_related("town", "village").get(pk=lead.pk)
        if current.stage not in LANDED_STAGES:
            raise InvalidInput(
                _("新增企业：项目“%(name)s”尚未落地，落地后方可登记企业") % {"name": current.name}, field="stage"
            )
        if current.enterprise_id is not None:
            raise Conflict(_("项目“%(name)s”已登记新增企业") % {"name": current.name})
        code = normalise_credit_code(data.credit_code)
        if data.registered_on is None:
            raise InvalidInput(_("企业注册日期：必填项为空"), field="registered_on")
        today = timezone.localdate(now)
        check_not_future(data.registered_on, today=today, field="registered_on", label=_("企业注册日期"))
        enterprise = Enterprise.objects.filter(town=current.town, credit_code=code).first()
        if enterprise is None:
            enterprise = create_enterprise(
                town=current.town,
                name=data.name,
                credit_code=code,
                address=data.address,
                village=current.village,
                contact_name=data.contact_name,
                contact_phone=data.contact_phone,
            )
        else:
            other = Lead.objects.filter(enterprise=enterprise).first()
            if other is not None:
                raise Conflict(
                    _("统一社会信用代码 %(code)s 的企业已是项目“%(name)s”的新增企业")
                    % {"code": code, "name": other.name}
                )
        current.enterprise = enterprise
        current.enterprise_on = data.registered_on
        current.save(update_fields=["enterprise", "enterprise_on"])
    return enterprise
