"""Enterprises: the companies the user may see (``enterprises.domain.visible_enterprises``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema

from gridgov.data.access.permissions import visible_enterprises
from gridgov.data.enterprises.domain.enterprises import masked_contact_phone
from gridgov.data.org.models import Enterprise
from gridgov.types import JSONObject
from gridgov.ui.api.ledgers.common import one_in, reads, ref_of
from gridgov.ui.api.schemas import Ref
from gridgov.ui.signed_in import api_user


class EnterpriseOut(Schema):
    id: int
    town_id: int
    name: str
    credit_code: str
    address: str
    village: Ref | None
    contact_name: str
    contact_phone: str = Field(description="已脱敏")
    active: bool


def _enterprise(e: Enterprise) -> JSONObject:
    return {
        "id": e.pk,
        "town_id": e.town_id,
        "name": e.name,
        "credit_code": e.credit_code,
        "address": e.address,
        "village": ref_of(e.village),
        "contact_name": e.contact_name,
        "contact_phone": masked_contact_phone(e),
        "active": e.active,
    }


@reads("/enterprises", list[EnterpriseOut], summary="企业（企业用户只见本企业）")
def list_enterprises(request: HttpRequest) -> list[JSONObject]:
    rows = visible_enterprises(api_user(request)).select_related("village").order_by("name", "id")
    return [_enterprise(e) for e in rows]


@reads("/enterprises/{enterprise_id}", EnterpriseOut, summary="企业详情")
def get_enterprise(request: HttpRequest, enterprise_id: int) -> JSONObject:
    qs = visible_enterprises(api_user(request)).select_related("village")
    return _enterprise(one_in(qs, enterprise_id, _("企业不存在或您无权查看")))
