"""Problem lists (问题清单) and their items."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import problem_list_for, visible_problem_lists
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput
from gridgov.data.problemlists.domain import ItemInput, add_item
from gridgov.data.problemlists.enums import Source
from gridgov.data.problemlists.models import ProblemItem
from gridgov.types import JSONObject
from gridgov.ui.api import present
from gridgov.ui.api.endpoints import _department
from gridgov.ui.api.ledgers.common import (
    Ledger,
    StatusIn,
    creates,
    one_in,
    reads,
    ref_of,
    where_given,
)
from gridgov.ui.api.present import paged
from gridgov.ui.api.schemas import ID, CaseSummaryOut, PageOut, Ref, RowId, TextIn
from gridgov.ui.signed_in import api_user


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


class ProblemItemPageOut(PageOut):
    results: list[ProblemItemOut]


class ProblemItemIn(TextIn):
    problem_list_id: RowId
    source: Source
    description: str = Field(min_length=1, max_length=2000)
    title: str = Field(default="", max_length=100)
    department_id: RowId = Field(description="责任单位")
    responsible_person: str = Field(max_length=32)
    plan: str = Field(max_length=2000)
    deadline: date = Field(ge=date(2000, 1, 1), le=date(2099, 12, 31))
    found_on: date | None = Field(default=None, ge=date(2000, 1, 1), le=date(2099, 12, 31))


class ProblemItemFilterIn(StatusIn):
    problem_list: int | None = ID
    source: Source | None = None
    department: int | None = ID


def _item(i: ProblemItem, *, now: datetime) -> JSONObject:
    return {
        "id": i.pk,
        "case": present.case_summary(i.case, now=now),
        "problem_list": ref_of(i.problem_list),
        "source": i.source,
        "source_label": str(Source(i.source).label),
        "department": ref_of(i.department),
        "responsible_person": i.responsible_person,
        "plan": i.plan,
        "deadline": i.deadline,
        "found_on": i.found_on,
    }


ITEMS = Ledger.of_cases(ProblemItem, _item, ProblemItemOut, "problem_list", "department")


@reads("/problem-lists", list[ProblemListOut], summary="问题清单")
def list_problem_lists(request: HttpRequest) -> list[JSONObject]:
    rows = visible_problem_lists(api_user(request)).order_by("town_id", "sort_order", "id")
    return [
        {"id": p.pk, "town_id": p.town_id, "name": p.name, "description": p.description, "sort_order": p.sort_order}
        for p in rows
    ]


@reads("/problem-items", ProblemItemPageOut, summary="清单问题")
def list_problem_items(request: HttpRequest, filters: Query[ProblemItemFilterIn]) -> JSONObject:
    qs = where_given(
        ITEMS.in_status(request, filters.status),
        problem_list_id=filters.problem_list,
        source=filters.source,
        department_id=filters.department,
    )
    order = ("problem_list__sort_order", "-found_on", "-id")
    return paged(qs.order_by(*order), filters, _item)


@creates("/problem-items", ProblemItemOut, summary="向问题清单添加问题（镇指挥室、领导、管理员；支持 Idempotency-Key）")
def create_problem_item(request: HttpRequest, payload: ProblemItemIn) -> HttpResponse:
    user = api_user(request)
    problem_list = problem_list_for(user, payload.problem_list_id)
    if problem_list is None:
        raise InvalidInput(_("问题清单 %(id)s 不存在") % {"id": payload.problem_list_id}, field="problem_list_id")
    department = _department(problem_list.town_id, payload.department_id)

    def create() -> Case:
        data = ItemInput(
            problem_list=problem_list,
            source=payload.source,
            description=payload.description,
            title=payload.title,
            department=department,
            responsible_person=payload.responsible_person,
            plan=payload.plan,
            deadline=payload.deadline,
            found_on=payload.found_on,
        )
        return add_item(actor=user, data=data).case

    return ITEMS.reported(request, user=user, payload=payload, create=create)


@reads("/problem-items/{item_id}", ProblemItemOut, summary="清单问题详情")
def get_problem_item(request: HttpRequest, item_id: int) -> JSONObject:
    return _item(one_in(ITEMS.records(api_user(request)), item_id, _("问题不存在或您无权查看")), now=timezone.now())
