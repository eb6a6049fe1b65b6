"""Cases, areas and categories as the API shows them (plain dicts matching ``schemas``), and pages of a list."""

from __future__ import annotations

import functools
import math
from datetime import datetime
from typing import Any, Protocol

from django.db.models import Model, QuerySet
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from gridgov.data.access.permissions import available_actions, duplicate_number
from gridgov.data.cases.domain.deadlines import deadline_view, lamp_of, limit_unit
from gridgov.data.cases.domain.personal_data import reporter_contact
from gridgov.data.cases.domain.timeline import case_timeline
from gridgov.data.cases.enums import Action, Lamp, Status
from gridgov.data.cases.models import Attachment, Case, CaseAction
from gridgov.data.cases.transitions import Need
from gridgov.data.org.models import Area, Department, Membership, User
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import JSONObject


def _ref(
    obj: Area | Department | User | Any | None,
) -> JSONObject | None:  # Any: a model row or a value() of any kind the answer shows
    if obj is None:
        return None
    return {"id": obj.pk, "name": str(obj)}


def _float(value: Any) -> float | None:  # Any: a model row or a value() of any kind the answer shows
    return None if value is None else float(value)


def case_summary(case: Case, *, now: datetime) -> JSONObject:
    return {
        "id": case.pk,
        "number": case.number,
        "kind": case.kind,
        "channel": case.channel,
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "priority": case.priority,
        "category": {"id": case.category.pk, "name": case.category.name},
        "major_category": {"id": case.major_category.pk, "name": case.major_category.name},
        "title": case.title,
        "description": case.description,
        "address": case.address,
        "latitude": _float(case.latitude),
        "longitude": _float(case.longitude),
        "area": _ref(case.area),
        "village": _ref(case.village),
        "department": _ref(case.department),
        "lamp": lamp_of(case, now=now),
        "reported_at": case.reported_at,
        "handle_deadline": case.handle_deadline,
        "closed_at": case.closed_at,
        "version": case.version,
    }


def case_created(case: Case, *, attachments: int) -> JSONObject:
    """The compact answer to a create, JSON-ready: exactly what ``CaseCreatedOut`` validates and dumps (a test
    holds the two equal), built from the case in hand with no query and no model round trip — a visit's
    finding writes it inside its transaction (as the Idempotency-Key's first answer); a report answers with it
    after its own, and a retry of the report rebuilds it (``engine.as_reported``)."""
    url = _case_url(get_script_prefix()).format(case.pk)
    return {
        "id": case.pk,
        "number": case.number,
        "status": str(case.status),
        "status_label": str(Status(case.status).label),
        "version": case.version,
        "reported_at": json_datetime(case.reported_at),
        "attachments": attachments,
        "links": {"self": url, "actions": f"{url}/actions", "attachments": f"{url}/attachments"},
    }


@functools.lru_cache(maxsize=8)
def _case_url(script_prefix: str) -> str:
    """``api:get_case``'s path with ``{}`` for the id, once per script prefix (reverse() is slow beside the
    rest of an answer to a report)."""
    return reverse("api:get_case", kwargs={"case_id": 987654321}).replace("987654321", "{}")


def json_datetime(moment: datetime) -> str:
    """An aware datetime as every answer of the API writes it (ninja's encoder, Django's ``DjangoJSONEncoder``):
    ISO 8601 with milliseconds (none when the moment has no fraction), UTC as ``Z`` — so a client comparing a
    create's answer with a later read sees the same text."""
    text = moment.isoformat()
    if moment.microsecond:
        text = text[:23] + text[26:]  # microseconds cut to milliseconds, as the encoder does
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def attachment(row: Attachment, *, action_seq: int | None) -> JSONObject:
    return {
        "id": row.pk,
        "kind": row.kind,
        "name": row.original_name,
        "content_type": row.content_type,
        "size": row.size,
        "sha256": row.sha256,
        "width": row.width,
        "height": row.height,
        "created_at": row.created_at,
        "action_seq": action_seq,
        "url": reverse("api:case_attachment_file", kwargs={"case_id": row.case_id, "attachment_id": row.pk}),
    }


def case_detail(case: Case, *, user: User, now: datetime) -> JSONObject:
    actions = list(CaseAction.objects.filter(case=case).order_by("seq").prefetch_related("attachments"))
    view = deadline_view(case, now=now, calendar=WorkCalendar.load())
    contact = reporter_contact(case)
    duplicate = duplicate_number(user=user, case=case)
    data = case_summary(case, now=now)
    data.update(
        {
            "grid": _ref(case.grid),
            "handler": _ref(case.handler),
            "reporter": {"name": contact.name, "phone": contact.phone, "masked": contact.masked},
            "registered_at": case.registered_at,
            "dispatched_at": case.dispatched_at,
            "resolved_at": case.resolved_at,
            "rejected_at": case.rejected_at,
            "dispatch_deadline": case.dispatch_deadline,
            "deadline": {
                "lamp": view.lamp,
                "lamp_label": str(Lamp(view.lamp).label),
                "phase": view.phase,
                "deadline": view.deadline,
                "remaining_minutes": view.remaining_minutes,
                "provisional": view.provisional,
            },
            "satisfaction": case.satisfaction or None,
            "rework_count": case.rework_count,
            "extension_count": case.extension_count,
            "pending_extension_value": case.pending_extension_value,
            "pending_extension_unit": limit_unit(case, "handle") if case.pending_extension_value else None,
            "duplicate_of": duplicate,
            "timeline": [
                {
                    "seq": row.seq,
                    "action": row.action,
                    "action_label": str(Action(row.action).label),
                    "from_status": row.from_status or None,
                    "to_status": row.to_status,
                    "actor_name": who,
                    "actor_role": row.actor_role or None,
                    "note": row.note,
                    "detail": detail,
                    "created_at": row.created_at,
                    "attachments": [attachment(a, action_seq=row.seq) for a in row.attachments.all()],
                }
                for row, who, detail in case_timeline(case, actions)
            ],
            "actions": offers(user=user, case=case),
        }
    )
    return data


def membership(m: Membership) -> JSONObject:
    return {
        "role": m.role,
        "role_label": m.get_role_display(),
        "area_id": m.area_id,
        "area_name": m.area.name if m.area is not None else None,
        "department_id": m.department_id,
        "department_name": m.department.name if m.department is not None else None,
    }


# The extension flags are preconditions ``available_actions`` already checked, not things to send.
_PRECONDITIONS = (Need.PENDING_EXTENSION, Need.NO_PENDING_EXTENSION)


def offers(*, user: User, case: Case) -> list[JSONObject]:
    """``cases.domain.queries.available_actions`` as the API shows it: what each action needs, and where it
    leads (resume: back to the status before the suspension)."""
    found = []
    for transition in available_actions(user=user, case=case):
        target = transition.target
        if target is None and case.status_before_suspend:
            target = Status(case.status_before_suspend)
        found.append(
            {
                "action": transition.action,
                "label": str(transition.action.label),
                "target_status": target,
                "needs": sorted(n for n in transition.needs if n not in _PRECONDITIONS),
            }
        )
    return found


class Paging(Protocol):
    """A request's paging parameters (``?page=`` from 1, ``?page_size=``)."""

    page: int
    page_size: int


class Row[M: Model](Protocol):
    """How the API shows one record of a list (and the ledgers also its detail and created answer): JSON as of
    ``now``."""

    def __call__(self, record: M, /, *, now: datetime) -> JSONObject: ...


def paged[M: Model](qs: QuerySet[M], params: Paging, row: Row[M]) -> JSONObject:
    """The page ``params`` asks for of ``qs``, each record shown by ``row`` as of one moment (``PageOut``'s fields)."""
    count = qs.count()
    start = (params.page - 1) * params.page_size
    now = timezone.now()
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "pages": math.ceil(count / params.page_size) if count else 0,
        "results": [row(obj, now=now) for obj in qs[start : start + params.page_size]],
    }
