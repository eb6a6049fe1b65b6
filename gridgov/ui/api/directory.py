"""REST endpoints about the signed-in user and the town's reference data: who am I (``/api/me``), the areas,
departments and categories I may report into, and my notifications. Thin, as ``endpoints``."""

from __future__ import annotations

from django.db.models import Model, Prefetch, QuerySet
from django.http import HttpRequest

from gridgov.data.access.permissions import memberships_of, out_of_reach
from gridgov.data.cases.domain.notification_inbox import mark_read, notifications_for
from gridgov.data.cases.domain.notifications import notification_text
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Department
from gridgov.data.taxonomy.models import Category
from gridgov.types import JSONObject
from gridgov.ui.api import present
from gridgov.ui.api.api import api
from gridgov.ui.api.endpoints import ERRORS, town_ids
from gridgov.ui.api.schemas import (
    AreaOut,
    CategoryOut,
    DepartmentOut,
    MarkedOut,
    MarkReadIn,
    MeOut,
    NotificationOut,
)
from gridgov.ui.signed_in import api_user

# ---------------------------------------------------------------------------------------------------
# Reference data


def _of_my_towns[M: Model](request: HttpRequest, rows: QuerySet[M]) -> QuerySet[M]:
    """``rows`` of the towns whose reference data the signed-in user sees (``town_ids``: every town's for admins and
    residents)."""
    towns = town_ids(api_user(request))
    return rows if towns is None else rows.filter(town_id__in=towns)


@api.get("/me", response={200: MeOut, **ERRORS}, tags=["账号"], summary="当前用户与角色")
def me(request: HttpRequest) -> JSONObject:
    user = api_user(request)
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "memberships": [present.membership(m) for m in memberships_of(user)],
    }


@api.get("/areas", response={200: list[AreaOut], **ERRORS}, tags=["组织"], summary="区域树（扁平列表，按路径排序）")
def list_areas(request: HttpRequest, level: AreaLevel | None = None) -> list[Area]:
    areas = _of_my_towns(request, Area.objects.order_by("path", "id"))
    if level is not None:
        areas = areas.filter(level=level)
    return list(areas)


@api.get("/departments", response={200: list[DepartmentOut], **ERRORS}, tags=["组织"], summary="处置部门")
def list_departments(request: HttpRequest) -> list[Department]:
    return list(_of_my_towns(request, Department.objects.order_by("town_id", "code", "id")))


@api.get("/categories", response={200: list[CategoryOut], **ERRORS}, tags=["组织"], summary="事件分类（大类及其小类）")
def list_categories(request: HttpRequest) -> list[JSONObject]:
    majors = _of_my_towns(
        request, Category.objects.filter(parent__isnull=True, active=True).order_by("town_id", "sort_order", "code")
    )
    subs = Category.objects.filter(active=True).order_by("sort_order", "code")
    majors = majors.prefetch_related(Prefetch("children", queryset=subs, to_attr="active_children"))
    return [
        {
            "id": major.pk,
            "town_id": major.town_id,
            "code": major.code,
            "name": major.name,
            "children": [
                {
                    "id": sub.pk,
                    "code": sub.code,
                    "name": sub.name,
                    "description": sub.description,
                    "keywords": sub.keywords,
                    "default_priority": sub.default_priority,
                    "default_department_id": sub.default_department_id,
                    "active": sub.active,
                }
                for sub in major.active_children
            ],
        }
        for major in majors
    ]


@api.get(
    "/notifications",
    response={200: list[NotificationOut], **ERRORS},
    tags=["账号"],
    summary="我的消息提醒（最近 100 条）",
)
def list_notifications(request: HttpRequest, unread: bool = False) -> list[JSONObject]:
    user = api_user(request)
    rows = list(notifications_for(user_id=user.pk, unread_only=unread)[:100])
    left = out_of_reach(user=user, case_ids={row.case_id for row in rows})  # cases that no longer open for them
    return [
        {
            "id": row.pk,
            "case_id": row.case_id,
            "case_number": row.case.number,
            "message": notification_text(row),  # in the caller's language
            "case_available": row.case_id not in left,
            "case_unavailable_reason": left[row.case_id].reason if row.case_id in left else None,
            "created_at": row.created_at,
            "read_at": row.read_at,
        }
        for row in rows
    ]


@api.post(
    "/notifications/read",
    response={200: MarkedOut, **ERRORS},
    tags=["账号"],
    summary="将我的消息标为已读（不给 ids 则全部标为已读）",
)
def read_notifications(request: HttpRequest, payload: MarkReadIn) -> dict[str, int]:
    """Only the caller's own unread messages change; ids of other people's messages are ignored."""
    ids = None if payload.ids is None else list(payload.ids)
    return {"marked": mark_read(user_id=api_user(request).pk, notification_ids=ids)}
