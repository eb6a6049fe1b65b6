"""Grid visits (走访) through the API: the signed-in grid worker's due list, their visits recorded (with a photo,
base64, as ``POST /api/cases`` takes them), a visit's finding reported as a case (转为事件, once per visit), and
the visits a user may see (``visible_visits``). A visited person is shown masked (张*)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import visible_visits
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput, NotFound
from gridgov.data.org.models import User
from gridgov.data.visits.domain import Lamp, VisitInput, due_list, finding_to_case, record_visit
from gridgov.data.visits.models import Visit
from gridgov.types import JSONObject
from gridgov.ui.api import present
from gridgov.ui.api.endpoints import _category, _uploads
from gridgov.ui.api.files import private_file
from gridgov.ui.api.ledgers.common import (
    Ledger,
    create_once_per_key,
    creates,
    house_ref,
    person_ref,
    reads,
    ref_of,
    serves_file,
    where_given,
)
from gridgov.ui.api.ledgers.people import LATITUDE, LONGITUDE
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import ID, NOTE, CaseCreatedOut, PageIn, PageOut, PhotoIn, RefOut, TextIn
from gridgov.ui.signed_in import api_user

FIRST_YEAR, LAST_YEAR = 2000, 9000  # a visit's time outside these years is a typing error, not a visit


class VisitedHouseOut(Schema):
    id: int
    address: str


class VisitOut(Schema):
    id: int
    resident: RefOut | None = Field(description="走访对象（姓名已脱敏）")
    house: VisitedHouseOut
    village: RefOut | None
    grid: RefOut | None
    worker_id: int
    visited_at: datetime
    latitude: float | None
    longitude: float | None
    note: str
    findings: str
    has_photo: bool
    photo_url: str | None = Field(description="走访照片（JPEG，仅限能查看该走访记录的用户；无照片为 null）")
    case_id: int | None = Field(description="发现问题转成的事件")


class VisitPageOut(PageOut):
    results: list[VisitOut]


class VisitFilterIn(PageIn):
    since: date | None = Field(default=None, description="走访日期起（含）")
    until: date | None = Field(default=None, description="走访日期止（含）")
    resident: int | None = ID
    house: int | None = ID


class VisitIn(TextIn):
    resident_id: int | None = ID
    house_id: int | None = ID
    visited_at: datetime | None = Field(default=None, description="走访时间（缺省现在）")
    latitude: Decimal | None = LATITUDE
    longitude: Decimal | None = LONGITUDE
    note: str = NOTE
    findings: str = Field(default="", max_length=2000)
    photo: PhotoIn | None = Field(default=None, description="现场照片（一张，base64）")


class VisitCaseIn(TextIn):
    category: str = Field(min_length=1, max_length=16, description="小类编码（如 1201）或小类 id")
    description: str = Field(default="", max_length=2000, description="事件描述；缺省用走访的“发现问题”")


class DueOut(Schema):
    resident_id: int | None
    house_id: int | None
    label: str = Field(description="姓名（已脱敏）或房屋地址")
    reasons: list[str]
    every_days: int
    last_visited: date | None
    due_on: date
    lamp: Lamp


def _visit(v: Visit, *, now: datetime) -> JSONObject:
    house = v.resident.household.house if v.resident is not None else v.house
    assert house is not None  # a visit is to a resident or to a house (a database constraint)
    return {
        "id": v.pk,
        "resident": None if v.resident is None else person_ref(v.resident),
        "house": house_ref(house),
        "village": ref_of(v.village),
        "grid": ref_of(v.grid),
        "worker_id": v.worker_id,
        "visited_at": v.visited_at,
        "latitude": None if v.latitude is None else float(v.latitude),
        "longitude": None if v.longitude is None else float(v.longitude),
        "note": v.note,
        "findings": v.findings,
        "has_photo": bool(v.photo),
        "photo_url": reverse("api:visit_photo_file", kwargs={"visit_id": v.pk}) if v.photo else None,
        "case_id": v.case_id,
    }


def _visits(user: User) -> QuerySet[Visit]:
    return visible_visits(user, Visit.objects.select_related("resident__household__house", "house", "village", "grid"))


VISITS = Ledger(_visits, _visit, VisitOut, gettext_noop("走访记录不存在或您无权查看"))


def _day_bound(day: date, *, end: bool) -> datetime:
    moment = datetime.combine(day, datetime.max.time() if end else datetime.min.time())
    return timezone.make_aware(moment)


@reads("/visits/due", list[DueOut], summary="我的走访清单（网格员：到期、逾期的人员和群租房，红黄绿灯）")
def list_due_visits(request: HttpRequest) -> list[JSONObject]:
    return [
        {
            "resident_id": None if item.resident is None else item.resident.pk,
            "house_id": None if item.house is None else item.house.pk,
            "label": item.label,
            "reasons": list(item.reasons),
            "every_days": item.every_days,
            "last_visited": item.last_visited,
            "due_on": item.due_on,
            "lamp": item.lamp,
        }
        for item in due_list(worker=api_user(request), today=timezone.localdate())
    ]


@reads("/visits", VisitPageOut, summary="走访记录（按日期、人员、房屋筛选）")
def list_visits(request: HttpRequest, filters: Query[VisitFilterIn]) -> JSONObject:
    qs = where_given(_visits(api_user(request)), resident_id=filters.resident, house_id=filters.house)
    if filters.since is not None:
        qs = qs.filter(visited_at__gte=_day_bound(max(filters.since, date(FIRST_YEAR, 1, 1)), end=False))
    if filters.until is not None:
        qs = qs.filter(visited_at__lte=_day_bound(min(filters.until, date(LAST_YEAR, 12, 31)), end=True))
    return paged(qs.order_by("-visited_at", "-id"), filters, _visit)


@reads("/visits/{visit_id}", VisitOut, summary="走访记录详情")
def get_visit(request: HttpRequest, visit_id: int) -> JSONObject:
    return VISITS.detail(request, visit_id)


def _visited_at(value: datetime | None, now: datetime) -> datetime:
    if value is None:
        return now
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidInput(_("走访时间无效"), field="visited_at")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@creates("/visits", VisitOut, summary="登记走访（网格员，本网格的人员或房屋；可附一张照片；支持 Idempotency-Key）")
def create_visit(request: HttpRequest, payload: VisitIn) -> HttpResponse:
    user = api_user(request)
    now = timezone.now()
    data = VisitInput(
        visited_at=_visited_at(payload.visited_at, now),
        resident_id=payload.resident_id,
        house_id=payload.house_id,
        latitude=payload.latitude,
        longitude=payload.longitude,
        note=payload.note,
        findings=payload.findings,
        photo=None if payload.photo is None else _uploads([payload.photo])[0],
    )

    def create() -> Visit:
        return record_visit(worker=user, data=data, now=now)

    return VISITS.created(request, user=user, payload=payload, create=create)


@creates(
    "/visits/{visit_id}/case",
    CaseCreatedOut,
    summary="走访发现问题转为事件（本人的走访；每次走访只转一次，再转返回 409；支持 Idempotency-Key）",
)
def report_visit_finding(request: HttpRequest, visit_id: int, payload: VisitCaseIn) -> HttpResponse:
    user = api_user(request)
    now = timezone.now()
    visit = VISITS.one(user, visit_id)
    if visit.worker_id != user.pk:
        raise NotFound(_("走访记录不存在或不是您的走访"))
    category = _category(visit.town, payload.category, field="category")
    if not (payload.description.strip() or visit.findings):
        raise InvalidInput(_("转为事件需要填写事件描述或走访的发现问题"), field="description")

    def create() -> Case:
        return finding_to_case(worker=user, visit=visit, category=category, description=payload.description, now=now)

    def render(case: Case) -> JSONObject:
        return present.case_created(case, attachments=1 if visit.photo else 0)

    return create_once_per_key(request, user=user, payload=payload, create=create, render=render)


@serves_file(
    "/visits/{visit_id}/photo",
    url_name="visit_photo_file",
    summary="走访照片（去除位置信息的显示图；仅限能查看该走访记录的用户）",
    description="JPEG 图片",
    content_type="image/jpeg",
)
def get_visit_photo(request: HttpRequest, visit_id: int) -> FileResponse:
    visit = VISITS.one(api_user(request), visit_id)
    if not visit.photo:
        raise NotFound(_("该走访记录没有照片"))
    return private_file(visit.photo, content_type="image/jpeg")
