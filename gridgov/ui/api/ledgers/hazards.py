"""Enterprise safety hazards (两本账: the enterprise's own book and the government's and third parties')."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Schema

from gridgov.data.cases.models import Case
from gridgov.data.enterprises.categories import HAZARD_MAJOR
from gridgov.data.enterprises.domain.hazards import HazardInput, record_hazard
from gridgov.data.enterprises.enums import Book, Grade
from gridgov.data.enterprises.models import Hazard
from gridgov.data.taxonomy.models import Category
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
from gridgov.ui.api.named import named
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import ID, PHOTOS, CaseSummaryOut, PageOut, PhotoIn, Ref, RowId, TextIn
from gridgov.ui.signed_in import api_user


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


class HazardPageOut(PageOut):
    results: list[HazardOut]


class HazardFilterIn(StatusIn):
    book: Book | None = None
    grade: Grade | None = None
    enterprise: int | None = ID
    village: int | None = ID
    year: int | None = Field(default=None, ge=1900, le=9999, description="发现年度")


class HazardIn(TextIn):
    enterprise_id: RowId
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
    photos: list[PhotoIn] = PHOTOS


def _hazard(h: Hazard, *, now: datetime) -> JSONObject:
    return {
        "case": present.case_summary(h.case, now=now),
        "enterprise": ref_of(h.enterprise),
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


HAZARDS = Ledger.of_cases(Hazard, _hazard, HazardOut, "enterprise", missing=gettext_noop("隐患不存在或您无权查看"))


@reads("/hazards", HazardPageOut, summary="企业安全隐患（两本账）")
def list_hazards(request: HttpRequest, filters: Query[HazardFilterIn]) -> JSONObject:
    qs = where_given(
        HAZARDS.in_status(request, filters.status),
        book=filters.book,
        grade=filters.grade,
        enterprise_id=filters.enterprise,
        case__village_id=filters.village,
    )
    if filters.year is not None:
        qs = qs.filter(found_on__gte=date(filters.year, 1, 1), found_on__lte=date(filters.year, 12, 31))
    return paged(qs.order_by("-found_on", "-case_id"), filters, _hazard)


@reads("/hazards/{case_id}", HazardOut, summary="隐患详情（按事件 id）")
def get_hazard(request: HttpRequest, case_id: int) -> JSONObject:
    return HAZARDS.by_case(request, case_id)


@creates("/hazards", HazardOut, summary="登记隐患（企业用户只能登记本企业自查隐患；支持 Idempotency-Key）")
def create_hazard(request: HttpRequest, payload: HazardIn) -> HttpResponse:
    user = api_user(request)
    enterprise = visible_enterprise(user, payload.enterprise_id)
    category = named(
        Category.objects.filter(
            town_id=enterprise.town_id, code=payload.category.strip(), parent__code=HAZARD_MAJOR[0], active=True
        ).first(),
        _("隐患分类“%(c)s”不存在") % {"c": payload.category},
        field="category",
    )
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

    return HAZARDS.reported(request, user=user, payload=payload, create=create)
