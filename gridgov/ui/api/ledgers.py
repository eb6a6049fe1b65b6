"""Ledger endpoints: enterprises, hazards (两本账), service requests (三服务), inspection rounds and their
problems, problem lists and items, disputes. Every record hangs off a case, so every read goes through
``access.permissions.visible_cases`` (an enterprise user sees only its company's records); enterprises through
``enterprises.domain.visible_enterprises``; writes through the ledgers' domain functions."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from gridgov.data.access.idempotency import create_once
from gridgov.data.access.permissions import town_roles, visible_cases, visible_enterprises
from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from gridgov.data.disputes.domain import PartyInput, parties_masked, register_dispute, reveal_parties
from gridgov.data.disputes.enums import DisputeType, Level, PartyRole
from gridgov.data.disputes.models import Dispute, DisputeParty
from gridgov.data.enterprises.categories import HAZARD_MAJOR
from gridgov.data.enterprises.domain.enterprises import masked_contact_phone
from gridgov.data.enterprises.domain.hazards import HazardInput, record_hazard
from gridgov.data.enterprises.domain.services import raise_request
from gridgov.data.enterprises.enums import Book, Grade, RequestType
from gridgov.data.enterprises.models import Hazard, ServiceRequest
from gridgov.data.errors import InvalidInput, NotFound
from gridgov.data.inspections.domain import MANAGER_ROLES
from gridgov.data.inspections.enums import RoundStatus
from gridgov.data.inspections.models import InspectionProblem, InspectionRound
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Department, Enterprise, User
from gridgov.data.org.security import Client
from gridgov.data.problemlists.domain import add_item
from gridgov.data.problemlists.enums import Source
from gridgov.data.problemlists.models import ProblemItem, ProblemList
from gridgov.data.taxonomy.models import Category
from gridgov.ui.api import present
from gridgov.ui.api.api import api
from gridgov.ui.api.endpoints import ERRORS, IDEMPOTENCY_HEADER, _area, _case_id, _reporting_town, _uploads, _user
from gridgov.ui.api.schemas import CaseSummaryOut, PhotoIn, Ref, TextIn

ID = Field(default=None, ge=1, le=2**62)
CASE_RELATIONS = ("case__category", "case__major_category", "case__area", "case__village", "case__department")

# ---------------------------------------------------------------------------------------------------
# Shapes


class PageIn(TextIn):
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=50, ge=1, le=200)


class StatusIn(PageIn):
    status: str = Field(default="", max_length=16, description="open（未办结）、closed 或任一事件状态")


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


class HazardOut(Schema):
    case: CaseSummaryOut
    enterprise: Ref
    book: Book
    book_label: str
    grade: Grade
    grade_label: str
    location: str
    found_on: date
    responsible: str
    deadline: date
    measures: str
    funds: float
    rectified_on: date | None
    acceptor: str
    accepted_on: date | None


class HazardPageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[HazardOut]


class HazardFilterIn(StatusIn):
    book: Book | None = None
    grade: Grade | None = None
    enterprise: int | None = ID
    village: int | None = ID
    year: int | None = Field(default=None, ge=1900, le=9999, description="发现年度")


class HazardIn(TextIn):
    enterprise_id: int = Field(ge=1, le=2**62)
    book: Book = Book.SELF
    grade: Grade = Grade.GENERAL
    category: str = Field(max_length=16, description="隐患小类编码（YH 大类下）")
    location: str = Field(max_length=120)
    description: str = Field(max_length=2000)
    found_on: date = Field(ge=date(2000, 1, 1), description="发现日期（不晚于今天）")
    responsible: str = Field(default="", max_length=64)
    deadline: date | None = Field(default=None, le=date(2099, 12, 31), description="缺省按分类和等级计算")
    measures: str = Field(default="", max_length=2000)
    funds: Decimal = Field(default=Decimal(0), ge=0, le=Decimal("999999999999.99"), decimal_places=2)
    photos: list[PhotoIn] = Field(default_factory=list, max_length=9)


class ServiceRequestOut(Schema):
    case: CaseSummaryOut
    enterprise: Ref | None
    request_type: RequestType
    request_type_label: str
    meeting_id: int | None
    financing_amount: float


class ServicePageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[ServiceRequestOut]


class ServiceFilterIn(StatusIn):
    type: RequestType | None = None
    enterprise: int | None = ID
    year: int | None = Field(default=None, ge=1900, le=9999)


class ServiceRequestIn(TextIn):
    enterprise_id: int = Field(ge=1, le=2**62)
    request_type: RequestType
    description: str = Field(min_length=1, max_length=2000)
    photos: list[PhotoIn] = Field(default_factory=list, max_length=9)


class PartyOut(Schema):
    role: str
    name: str
    phone: str
    id_number: str
    masked: bool


class DisputeOut(Schema):
    id: int
    case: CaseSummaryOut
    type: DisputeType
    type_label: str
    level: str
    amount: float
    backlog: bool
    backlog_cleared_at: datetime | None
    received_on: date
    method: str
    outcome: str
    outcome_note: str
    parties: list[PartyOut] = Field(description="当事人（已脱敏，与网页相同）")


class DisputePageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[DisputeOut]


class DisputeFilterIn(StatusIn):
    type: DisputeType | None = None
    backlog: bool | None = None


class PartyIn(TextIn):
    name: str = Field(min_length=1, max_length=64)
    phone: str = Field(default="", max_length=32)
    id_number: str = Field(default="", max_length=18)
    role: PartyRole = PartyRole.APPLICANT


class DisputeIn(TextIn):
    town_id: int | None = Field(default=None, ge=1, le=2**62, description="乡镇 id（只属于一个乡镇时可省略）")
    type: DisputeType
    description: str = Field(min_length=1, max_length=2000)
    parties: list[PartyIn] = Field(min_length=1, max_length=50, description="当事人（加密保存，返回时脱敏）")
    level: Level = Level.TOWN
    amount: Decimal = Field(default=Decimal(0), ge=0, le=Decimal("999999999999.99"), decimal_places=2)
    backlog: bool = False
    received_on: date | None = Field(default=None, ge=date(2000, 1, 1), description="受理日期（缺省今天）")
    department_id: int | None = Field(default=None, ge=1, le=2**62, description="承办部门")
    area_id: int | None = Field(default=None, ge=1, le=2**62)


class RoundOut(Schema):
    id: int
    town_id: int
    name: str
    bulletin_title: str
    start_date: date
    end_date: date
    status: RoundStatus
    base_score: float
    created_at: datetime


class InspectionProblemOut(Schema):
    id: int
    case: CaseSummaryOut
    item: Ref
    village: Ref
    department: Ref
    deduction: float
    spot: str
    found_at: datetime


class RoundDetailOut(RoundOut):
    problems: list[InspectionProblemOut] = Field(description="您有权查看的督查问题")


class RoundProblemsIn(TextIn):
    village: int | None = ID
    status: str = Field(default="", max_length=16)


class ProblemListOut(Schema):
    id: int
    town_id: int
    name: str
    description: str
    sort_order: int


class ProblemItemOut(Schema):
    id: int
    case: CaseSummaryOut
    problem_list: Ref
    source: Source
    source_label: str
    department: Ref
    responsible_person: str
    plan: str
    deadline: date
    found_on: date


class ProblemItemPageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[ProblemItemOut]


class ProblemItemIn(TextIn):
    problem_list_id: int = Field(ge=1, le=2**62)
    source: Source
    description: str = Field(min_length=1, max_length=2000)
    title: str = Field(default="", max_length=100)
    department_id: int = Field(ge=1, le=2**62, description="责任单位")
    responsible_person: str = Field(max_length=32)
    plan: str = Field(max_length=2000)
    deadline: date = Field(ge=date(2000, 1, 1), le=date(2099, 12, 31))
    found_on: date | None = Field(default=None, ge=date(2000, 1, 1), le=date(2099, 12, 31))


class ProblemItemFilterIn(StatusIn):
    problem_list: int | None = ID
    source: Source | None = None
    department: int | None = ID


# ---------------------------------------------------------------------------------------------------
# Helpers


def _visible(user: User) -> QuerySet[Case]:
    return visible_cases(user).values("pk")  # type: ignore[return-value]


def _status[M: Model](qs: QuerySet[M], status: str) -> QuerySet[M]:
    """The ledger pages' status filter: open (not closed or rejected), or one case status."""
    if not status:
        return qs
    if status == "open":
        return qs.exclude(case__status__in=[Status.CLOSED, Status.REJECTED])
    if status in Status.values:
        return qs.filter(case__status=status)
    raise InvalidInput(_("状态“%(s)s”无效") % {"s": status}, field="status")


def _page[M: Model](qs: QuerySet[M], params: PageIn, row: Any) -> dict[str, Any]:
    count = qs.count()
    start = (params.page - 1) * params.page_size
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "pages": math.ceil(count / params.page_size) if count else 0,
        "results": [row(obj) for obj in qs[start : start + params.page_size]],
    }


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, "name", None) or str(obj)}


def _found[M: Model](qs: QuerySet[M], pk: int, message: str) -> M:
    found = qs.filter(pk=_case_id(pk)).first()
    if found is None:
        raise NotFound(message)
    return found


def _create(
    request: HttpRequest,
    *,
    user: User,
    body: dict[str, Any],
    create: Callable[[], Case],
    render: Callable[[Case], dict[str, Any]],
) -> HttpResponse:
    """Create once per Idempotency-Key, as ``POST /api/cases`` does: replay → 200 with the first answer."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return api.create_response(request, render(create()), status=201)
    answer = create_once(user=user, key=key, body=body, create=create, render=render)
    response = api.create_response(request, answer.body, status=200 if answer.replayed else answer.status)
    response["Idempotent-Replayed"] = "true" if answer.replayed else "false"
    return response


# ---------------------------------------------------------------------------------------------------
# Enterprises


def _enterprise(e: Enterprise) -> dict[str, Any]:
    return {
        "id": e.pk,
        "town_id": e.town_id,
        "name": e.name,
        "credit_code": e.credit_code,
        "address": e.address,
        "village": _ref(e.village),
        "contact_name": e.contact_name,
        "contact_phone": masked_contact_phone(e),
        "active": e.active,
    }


@api.get(
    "/enterprises", response={200: list[EnterpriseOut], **ERRORS}, tags=["台账"], summary="企业（企业用户只见本企业）"
)
def list_enterprises(request: HttpRequest) -> list[dict[str, Any]]:
    rows = visible_enterprises(_user(request)).select_related("village").order_by("name", "id")
    return [_enterprise(e) for e in rows]


@api.get("/enterprises/{enterprise_id}", response={200: EnterpriseOut, **ERRORS}, tags=["台账"], summary="企业详情")
def get_enterprise(request: HttpRequest, enterprise_id: int) -> dict[str, Any]:
    qs = visible_enterprises(_user(request)).select_related("village")
    return _enterprise(_found(qs, enterprise_id, _("企业不存在或您无权查看")))


# ---------------------------------------------------------------------------------------------------
# Hazards


def _hazard(h: Hazard, *, now: datetime) -> dict[str, Any]:
    return {
        "case": present.case_summary(h.case, now=now),
        "enterprise": _ref(h.enterprise),
        "book": h.book,
        "book_label": str(Book(h.book).label),
        "grade": h.grade,
        "grade_label": str(Grade(h.grade).label),
        "location": h.location,
        "found_on": h.found_on,
        "responsible": h.responsible,
        "deadline": h.deadline,
        "measures": h.measures,
        "funds": float(h.funds),
        "rectified_on": h.rectified_on,
        "acceptor": h.acceptor,
        "accepted_on": h.accepted_on,
    }


def _hazards(user: User) -> QuerySet[Hazard]:
    return Hazard.objects.filter(case__in=_visible(user)).select_related("enterprise", *CASE_RELATIONS)


@api.get("/hazards", response={200: HazardPageOut, **ERRORS}, tags=["台账"], summary="企业安全隐患（两本账）")
def list_hazards(request: HttpRequest, filters: Query[HazardFilterIn]) -> dict[str, Any]:
    qs = _status(_hazards(_user(request)), filters.status)
    if filters.book is not None:
        qs = qs.filter(book=filters.book)
    if filters.grade is not None:
        qs = qs.filter(grade=filters.grade)
    if filters.enterprise is not None:
        qs = qs.filter(enterprise_id=filters.enterprise)
    if filters.village is not None:
        qs = qs.filter(case__village_id=filters.village)
    if filters.year is not None:
        qs = qs.filter(found_on__gte=date(filters.year, 1, 1), found_on__lte=date(filters.year, 12, 31))
    now = timezone.now()
    return _page(qs.order_by("-found_on", "-case_id"), filters, lambda h: _hazard(h, now=now))


@api.get("/hazards/{case_id}", response={200: HazardOut, **ERRORS}, tags=["台账"], summary="隐患详情（按事件 id）")
def get_hazard(request: HttpRequest, case_id: int) -> dict[str, Any]:
    hazard = _hazards(_user(request)).filter(case_id=_case_id(case_id)).first()
    if hazard is None:
        raise NotFound(_("隐患不存在或您无权查看"))
    return _hazard(hazard, now=timezone.now())


@api.post(
    "/hazards",
    response={201: HazardOut, 200: HazardOut, **ERRORS},
    tags=["台账"],
    summary="登记隐患（企业用户只能登记本企业自查隐患；支持 Idempotency-Key）",
    openapi_extra={"parameters": [IDEMPOTENCY_HEADER]},
)
def create_hazard(request: HttpRequest, payload: HazardIn) -> HttpResponse:
    user = _user(request)
    enterprise = visible_enterprises(user).filter(pk=payload.enterprise_id).first()
    if enterprise is None:
        raise InvalidInput(_("企业 %(id)s 不存在或您无权查看") % {"id": payload.enterprise_id}, field="enterprise_id")
    category = Category.objects.filter(
        town_id=enterprise.town_id, code=payload.category.strip(), parent__code=HAZARD_MAJOR[0], active=True
    ).first()
    if category is None:
        raise InvalidInput(_("隐患分类“%(c)s”不存在") % {"c": payload.category}, field="category")
    photos = _uploads(payload.photos)

    def create() -> Case:
        hazard = record_hazard(
            actor=user,
            data=HazardInput(
                enterprise=enterprise,
                book=payload.book,
                grade=payload.grade,
                category=category,
                location=payload.location,
                description=payload.description,
                found_on=payload.found_on,
                responsible=payload.responsible,
                deadline=payload.deadline,
                measures=payload.measures,
                funds=payload.funds,
            ),
            photos=photos,
        )
        return hazard.case

    def rendered(case: Case) -> dict[str, Any]:
        hazard = _hazards(user).get(case_id=case.pk)
        return HazardOut.model_validate(_hazard(hazard, now=timezone.now())).model_dump(mode="json")

    return _create(request, user=user, body=payload.model_dump(mode="json"), create=create, render=rendered)


# ---------------------------------------------------------------------------------------------------
# Service requests (三服务)


def _service(s: ServiceRequest, *, now: datetime) -> dict[str, Any]:
    return {
        "case": present.case_summary(s.case, now=now),
        "enterprise": _ref(s.enterprise),
        "request_type": s.request_type,
        "request_type_label": str(RequestType(s.request_type).label),
        "meeting_id": s.meeting_id,
        "financing_amount": float(s.financing_amount),
    }


def _services(user: User) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(case__in=_visible(user)).select_related("enterprise", *CASE_RELATIONS)


@api.get("/service-requests", response={200: ServicePageOut, **ERRORS}, tags=["台账"], summary="企业诉求（三服务）")
def list_service_requests(request: HttpRequest, filters: Query[ServiceFilterIn]) -> dict[str, Any]:
    qs = _status(_services(_user(request)), filters.status)
    if filters.type is not None:
        qs = qs.filter(request_type=filters.type)
    if filters.enterprise is not None:
        qs = qs.filter(enterprise_id=filters.enterprise)
    if filters.year is not None:
        qs = qs.filter(case__year=filters.year)
    now = timezone.now()
    return _page(qs.order_by("-case__reported_at", "-case_id"), filters, lambda s: _service(s, now=now))


@api.get(
    "/service-requests/{case_id}", response={200: ServiceRequestOut, **ERRORS}, tags=["台账"], summary="企业诉求详情"
)
def get_service_request(request: HttpRequest, case_id: int) -> dict[str, Any]:
    found = _services(_user(request)).filter(case_id=_case_id(case_id)).first()
    if found is None:
        raise NotFound(_("诉求不存在或您无权查看"))
    return _service(found, now=timezone.now())


@api.post(
    "/service-requests",
    response={201: ServiceRequestOut, 200: ServiceRequestOut, **ERRORS},
    tags=["台账"],
    summary="提出企业诉求（企业用户为本企业，或镇工作人员代为登记；支持 Idempotency-Key）",
    openapi_extra={"parameters": [IDEMPOTENCY_HEADER]},
)
def create_service_request(request: HttpRequest, payload: ServiceRequestIn) -> HttpResponse:
    user = _user(request)
    enterprise = visible_enterprises(user).filter(pk=payload.enterprise_id).first()
    if enterprise is None:
        raise InvalidInput(_("企业 %(id)s 不存在或您无权查看") % {"id": payload.enterprise_id}, field="enterprise_id")
    photos = _uploads(payload.photos)

    def create() -> Case:
        return raise_request(
            actor=user,
            enterprise=enterprise,
            request_type=payload.request_type,
            description=payload.description,
            photos=photos,
        ).case

    def rendered(case: Case) -> dict[str, Any]:
        found = _services(user).get(case_id=case.pk)
        return ServiceRequestOut.model_validate(_service(found, now=timezone.now())).model_dump(mode="json")

    return _create(request, user=user, body=payload.model_dump(mode="json"), create=create, render=rendered)


# ---------------------------------------------------------------------------------------------------
# Disputes


def _dispute(d: Dispute, *, now: datetime) -> dict[str, Any]:
    return {
        "id": d.pk,
        "case": present.case_summary(d.case, now=now),
        "type": d.type,
        "type_label": str(DisputeType(d.type).label),
        "level": d.level,
        "amount": float(d.amount),
        "backlog": d.backlog,
        "backlog_cleared_at": d.backlog_cleared_at,
        "received_on": d.received_on,
        "method": d.method,
        "outcome": d.outcome,
        "outcome_note": d.outcome_note,
        "parties": [
            {"role": p.role, "name": p.name, "phone": p.phone, "id_number": p.id_number, "masked": p.masked}
            for p in parties_masked(d)
        ],
    }


def _disputes(user: User) -> QuerySet[Dispute]:
    return (
        Dispute.objects.filter(case__in=_visible(user))
        .select_related(*CASE_RELATIONS)
        .prefetch_related(Prefetch("parties", queryset=DisputeParty.objects.order_by("sort_order", "id")))
    )


@api.get("/disputes", response={200: DisputePageOut, **ERRORS}, tags=["台账"], summary="矛盾纠纷（当事人已脱敏）")
def list_disputes(request: HttpRequest, filters: Query[DisputeFilterIn]) -> dict[str, Any]:
    qs = _status(_disputes(_user(request)), filters.status)
    if filters.type is not None:
        qs = qs.filter(type=filters.type)
    if filters.backlog is not None:
        qs = qs.filter(backlog=filters.backlog)
    now = timezone.now()
    return _page(qs.order_by("-received_on", "-id"), filters, lambda d: _dispute(d, now=now))


@api.get("/disputes/{dispute_id}", response={200: DisputeOut, **ERRORS}, tags=["台账"], summary="纠纷详情")
def get_dispute(request: HttpRequest, dispute_id: int) -> dict[str, Any]:
    found = _found(_disputes(_user(request)), dispute_id, _("纠纷不存在或您无权查看"))
    return _dispute(found, now=timezone.now())


@api.post(
    "/disputes/{dispute_id}/reveal-parties",
    response={200: list[PartyOut], **ERRORS},
    tags=["台账"],
    summary="查看当事人完整信息（指挥室、领导、管理员；记录安全日志）",
)
def reveal_dispute_parties(request: HttpRequest, dispute_id: int) -> list[dict[str, Any]]:
    user = _user(request)
    found = _found(_disputes(user), dispute_id, _("纠纷不存在或您无权查看"))
    return [
        {"role": p.role, "name": p.name, "phone": p.phone, "id_number": p.id_number, "masked": p.masked}
        for p in reveal_parties(user=user, dispute=found, client=Client.of(request))
    ]


@api.post(
    "/disputes",
    response={201: DisputeOut, 200: DisputeOut, **ERRORS},
    tags=["台账"],
    summary="登记信访/纠纷（镇指挥室、管理员；支持 Idempotency-Key）",
    openapi_extra={"parameters": [IDEMPOTENCY_HEADER]},
)
def create_dispute(request: HttpRequest, payload: DisputeIn) -> HttpResponse:
    user = _user(request)
    town = _reporting_town(user, payload.town_id)
    department = None
    if payload.department_id is not None:
        department = Department.objects.filter(pk=payload.department_id, town=town).first()
        if department is None:
            raise InvalidInput(_("部门 %(id)s 不是本镇的部门") % {"id": payload.department_id}, field="department_id")
    area = _area(town, payload.area_id) if payload.area_id is not None else None

    def create() -> Case:
        dispute = register_dispute(
            town=town,
            actor=user,
            type=payload.type,
            description=payload.description,
            parties=[
                PartyInput(name=p.name, phone=p.phone, id_number=p.id_number, role=p.role) for p in payload.parties
            ],
            level=payload.level,
            amount=payload.amount,
            backlog=payload.backlog,
            received_on=payload.received_on,
            department=department,
            area=area,
        )
        return dispute.case

    def rendered(case: Case) -> dict[str, Any]:
        dispute = _disputes(user).get(case_id=case.pk)
        return DisputeOut.model_validate(_dispute(dispute, now=timezone.now())).model_dump(mode="json")

    return _create(request, user=user, body=payload.model_dump(mode="json"), create=create, render=rendered)


# ---------------------------------------------------------------------------------------------------
# Inspections


def _rounds(user: User) -> QuerySet[InspectionRound]:
    """As the ledger pages: a town's managers see its rounds; inspectors and organisers their own."""
    towns = Area.objects.filter(level=AreaLevel.TOWN)
    managed = [t.pk for t in towns if town_roles(user, t) & MANAGER_ROLES]
    return InspectionRound.objects.filter(Q(town_id__in=managed) | Q(inspectors=user) | Q(organizer=user)).distinct()


def _round(r: InspectionRound) -> dict[str, Any]:
    return {
        "id": r.pk,
        "town_id": r.town_id,
        "name": r.name,
        "bulletin_title": r.bulletin_title,
        "start_date": r.start_date,
        "end_date": r.end_date,
        "status": r.status,
        "base_score": float(r.base_score),
        "created_at": r.created_at,
    }


@api.get("/inspection-rounds", response={200: list[RoundOut], **ERRORS}, tags=["台账"], summary="督查轮次")
def list_inspection_rounds(request: HttpRequest) -> list[dict[str, Any]]:
    return [_round(r) for r in _rounds(_user(request)).order_by("-start_date", "-id")]


@api.get(
    "/inspection-rounds/{round_id}",
    response={200: RoundDetailOut, **ERRORS},
    tags=["台账"],
    summary="督查轮次详情及其问题",
)
def get_inspection_round(request: HttpRequest, round_id: int, filters: Query[RoundProblemsIn]) -> dict[str, Any]:
    user = _user(request)
    found = _found(_rounds(user), round_id, _("督查不存在或您无权查看"))
    problems = InspectionProblem.objects.filter(round=found, case__in=_visible(user)).select_related(
        "item", "village", "department", *CASE_RELATIONS
    )
    if filters.village is not None:
        problems = problems.filter(village_id=filters.village)
    problems = _status(problems, filters.status).order_by("village__sort_order", "village__code", "found_at", "id")
    now = timezone.now()
    return {
        **_round(found),
        "problems": [
            {
                "id": p.pk,
                "case": present.case_summary(p.case, now=now),
                "item": {"id": p.item.pk, "name": f"{p.item.code} {p.item.name}"},
                "village": _ref(p.village),
                "department": _ref(p.department),
                "deduction": float(p.deduction),
                "spot": p.spot,
                "found_at": p.found_at,
            }
            for p in problems
        ],
    }


# ---------------------------------------------------------------------------------------------------
# Problem lists


def _item(i: ProblemItem, *, now: datetime) -> dict[str, Any]:
    return {
        "id": i.pk,
        "case": present.case_summary(i.case, now=now),
        "problem_list": _ref(i.problem_list),
        "source": i.source,
        "source_label": str(Source(i.source).label),
        "department": _ref(i.department),
        "responsible_person": i.responsible_person,
        "plan": i.plan,
        "deadline": i.deadline,
        "found_on": i.found_on,
    }


def _items(user: User) -> QuerySet[ProblemItem]:
    return ProblemItem.objects.filter(case__in=_visible(user)).select_related(
        "problem_list", "department", *CASE_RELATIONS
    )


@api.get("/problem-lists", response={200: list[ProblemListOut], **ERRORS}, tags=["台账"], summary="问题清单")
def list_problem_lists(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    towns = [t.pk for t in Area.objects.filter(level=AreaLevel.TOWN) if town_roles(user, t)]
    towns += list(_items(user).values_list("town_id", flat=True).distinct())
    rows = ProblemList.objects.filter(town_id__in=towns).order_by("town_id", "sort_order", "id")
    return [
        {"id": p.pk, "town_id": p.town_id, "name": p.name, "description": p.description, "sort_order": p.sort_order}
        for p in rows
    ]


@api.get("/problem-items", response={200: ProblemItemPageOut, **ERRORS}, tags=["台账"], summary="清单问题")
def list_problem_items(request: HttpRequest, filters: Query[ProblemItemFilterIn]) -> dict[str, Any]:
    qs = _status(_items(_user(request)), filters.status)
    if filters.problem_list is not None:
        qs = qs.filter(problem_list_id=filters.problem_list)
    if filters.source is not None:
        qs = qs.filter(source=filters.source)
    if filters.department is not None:
        qs = qs.filter(department_id=filters.department)
    now = timezone.now()
    order = ("problem_list__sort_order", "-found_on", "-id")
    return _page(qs.order_by(*order), filters, lambda i: _item(i, now=now))


@api.post(
    "/problem-items",
    response={201: ProblemItemOut, 200: ProblemItemOut, **ERRORS},
    tags=["台账"],
    summary="向问题清单添加问题（镇指挥室、领导、管理员；支持 Idempotency-Key）",
    openapi_extra={"parameters": [IDEMPOTENCY_HEADER]},
)
def create_problem_item(request: HttpRequest, payload: ProblemItemIn) -> HttpResponse:
    user = _user(request)
    problem_list = ProblemList.objects.filter(pk=payload.problem_list_id).first()
    if problem_list is None or not town_roles(user, problem_list.town):
        raise InvalidInput(_("问题清单 %(id)s 不存在") % {"id": payload.problem_list_id}, field="problem_list_id")
    department = Department.objects.filter(pk=payload.department_id, town_id=problem_list.town_id).first()
    if department is None:
        raise InvalidInput(_("部门 %(id)s 不是本镇的部门") % {"id": payload.department_id}, field="department_id")

    def create() -> Case:
        return add_item(
            problem_list=problem_list,
            actor=user,
            source=payload.source,
            description=payload.description,
            title=payload.title,
            department=department,
            responsible_person=payload.responsible_person,
            plan=payload.plan,
            deadline=payload.deadline,
            found_on=payload.found_on,
        ).case

    def rendered(case: Case) -> dict[str, Any]:
        found = _items(user).get(case_id=case.pk)
        return ProblemItemOut.model_validate(_item(found, now=timezone.now())).model_dump(mode="json")

    return _create(request, user=user, body=payload.model_dump(mode="json"), create=create, render=rendered)


@api.get("/problem-items/{item_id}", response={200: ProblemItemOut, **ERRORS}, tags=["台账"], summary="清单问题详情")
def get_problem_item(request: HttpRequest, item_id: int) -> dict[str, Any]:
    return _item(_found(_items(_user(request)), item_id, _("问题不存在或您无权查看")), now=timezone.now())
