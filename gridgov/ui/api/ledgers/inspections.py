"""Inspection rounds (创城督查) and their problems."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from gridgov.data.access.permissions import visible_rounds
from gridgov.data.inspections.enums import RoundStatus
from gridgov.data.inspections.models import InspectionProblem, InspectionRound
from gridgov.types import JSONObject
from gridgov.ui.api import present
from gridgov.ui.api.ledgers.common import by_status, case_records, one_in, reads, ref_of
from gridgov.ui.api.schemas import ID, CaseSummaryOut, Ref, TextIn
from gridgov.ui.signed_in import api_user


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


def _round(r: InspectionRound) -> JSONObject:
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


@reads("/inspection-rounds", list[RoundOut], summary="督查轮次")
def list_inspection_rounds(request: HttpRequest) -> list[JSONObject]:
    return [_round(r) for r in visible_rounds(api_user(request)).order_by("-start_date", "-id")]


@reads("/inspection-rounds/{round_id}", RoundDetailOut, summary="督查轮次详情及其问题")
def get_inspection_round(request: HttpRequest, round_id: int, filters: Query[RoundProblemsIn]) -> JSONObject:
    user = api_user(request)
    found = one_in(visible_rounds(user), round_id, _("督查不存在或您无权查看"))
    problems = case_records(InspectionProblem, user, "item", "village", "department").filter(round=found)
    if filters.village is not None:
        problems = problems.filter(village_id=filters.village)
    problems = by_status(problems, filters.status).order_by("village__sort_order", "village__code", "found_at", "id")
    now = timezone.now()
    return {
        **_round(found),
        "problems": [
            {
                "id": p.pk,
                "case": present.case_summary(p.case, now=now),
                "item": {"id": p.item.pk, "name": f"{p.item.code} {p.item.name}"},
                "village": ref_of(p.village),
                "department": ref_of(p.department),
                "deduction": float(p.deduction),
                "spot": p.spot,
                "found_at": p.found_at,
            }
            for p in problems
        ],
    }
