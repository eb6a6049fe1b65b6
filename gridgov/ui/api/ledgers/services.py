"""Enterprise service requests (三服务)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_noop
from ninja import Field, Query, Schema

from gridgov.data.cases.models import Case
from gridgov.data.enterprises.domain.services import raise_request
from gridgov.data.enterprises.enums import RequestType
from gridgov.data.enterprises.models import ServiceRequest
from gridgov.types import JSONObject
from gridgov.ui.api import present
from gridgov.ui.api.endpoints import _uploads
from gridgov.ui.api.ledgers.common import (
    Ledger,
    StatusIn,
    creates,
    reads,
    ref_of,
    visible_enterprise,
    where_given,
)
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import ID, PHOTOS, CaseSummaryOut, PageOut, PhotoIn, Ref, RowId, TextIn
from gridgov.ui.signed_in import api_user


class ServiceRequestOut(Schema):
    case: CaseSummaryOut
    enterprise: Ref | None
    request_type: RequestType
    request_type_label: str
    meeting_id: int | None
    financing_amount: float


class ServicePageOut(PageOut):
    results: list[ServiceRequestOut]


class ServiceFilterIn(StatusIn):
    type: RequestType | None = None
    enterprise: int | None = ID
    year: int | None = Field(default=None, ge=1900, le=9999)


class ServiceRequestIn(TextIn):
    enterprise_id: RowId
    request_type: RequestType
    description: str = Field(min_length=1, max_length=2000)
    photos: list[PhotoIn] = PHOTOS


def _service(s: ServiceRequest, *, now: datetime) -> JSONObject:
    return {
        "case": present.case_summary(s.case, now=now),
        "enterprise": ref_of(s.enterprise),
        "request_type": s.request_type,
        "request_type_label": str(RequestType(s.request_type).label),
        "meeting_id": s.meeting_id,
        "financing_amount": float(s.financing_amount),
    }


SERVICE_REQUESTS = Ledger.of_cases(
    ServiceRequest, _service, ServiceRequestOut, "enterprise", missing=gettext_noop("诉求不存在或您无权查看")
)


@reads("/service-requests", ServicePageOut, summary="企业诉求（三服务）")
def list_service_requests(request: HttpRequest, filters: Query[ServiceFilterIn]) -> JSONObject:
    qs = where_given(
        SERVICE_REQUESTS.in_status(request, filters.status),
        request_type=filters.type,
        enterprise_id=filters.enterprise,
        case__year=filters.year,
    )
    return paged(qs.order_by("-case__reported_at", "-case_id"), filters, _service)


@reads("/service-requests/{case_id}", ServiceRequestOut, summary="企业诉求详情")
def get_service_request(request: HttpRequest, case_id: int) -> JSONObject:
    return SERVICE_REQUESTS.by_case(request, case_id)


@creates(
    "/service-requests",
    ServiceRequestOut,
    summary="提出企业诉求（企业用户为本企业，或镇工作人员代为登记；支持 Idempotency-Key）",
)
def create_service_request(request: HttpRequest, payload: ServiceRequestIn) -> HttpResponse:
    user = api_user(request)
    enterprise = visible_enterprise(user, payload.enterprise_id)
    photos = _uploads(payload.photos)

    def create() -> Case:
        return raise_request(
            actor=user,
            enterprise=enterprise,
            request_type=payload.request_type,
            description=payload.description,
            photos=photos,
        ).case

    return SERVICE_REQUESTS.reported(request, user=user, payload=payload, create=create)
