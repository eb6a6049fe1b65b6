"""Enterprise services (三服务) and the town head's meetings with enterprises (乡镇长有约).

A request is a case of kind ``service`` (category = its type) with a ``ServiceRequest`` row; it goes through
the normal workflow (register, dispatch, sign, resolve, verify) and, once closed, the enterprise rates it
(RATE: 满意/基本满意/不满意). The handler records the financing arranged when resolving a 融资 request.
Meetings are held every two months; each request raised at a meeting is linked to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.domain.ledger_import import PlannedRow
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action, Channel, Kind, Satisfaction
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.categories import service_category
from gridgov.data.enterprises.domain.enterprises import MANAGER_ROLES, check_may_act_for, staff_town_ids
from gridgov.data.enterprises.enums import RequestType
from gridgov.data.enterprises.models import Meeting, ServiceRequest
from gridgov.data.errors import Conflict, InvalidInput, NotAllowed
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.days import check_day
from gridgov.types import Keywords

MEETING_INTERVAL_MONTHS = 2


def _check_request(
    actor: User, enterprise: Enterprise, request_type: RequestType | str, meeting: Meeting | None
) -> tuple[RequestType, Category]:
    """What a request needs, live or planned: someone who may act for the enterprise, a type the town files
    under a category, a meeting of the same town. Returns the type and its category."""
    check_may_act_for(actor, enterprise)
    if request_type not in RequestType.values:
        raise InvalidInput(_("请选择诉求类型"), field="request_type")
    kind = RequestType(request_type)
    category = service_category(town=enterprise.town, request_type=kind)
    if category is None:
        raise InvalidInput(_("本镇尚未配置“%(t)s”类企业诉求分类") % {"t": kind.label}, field="request_type")
    if meeting is not None and meeting.town_id != enterprise.town_id:
        raise InvalidInput(_("会议不属于本镇"), field="meeting")
    return kind, category


def request_case_fields(enterprise: Enterprise, kind: RequestType, category: Category, description: str) -> Keywords:
    """How a request's case is filed: in its enterprise's village, titled with the enterprise and the type."""
    return {
        "channel": Channel.ENTERPRISE,
        "category": category,
        "description": description,
        "area": enterprise.village or enterprise.town,
        "address": enterprise.address,
        "title": f"{enterprise.name}：{kind.label}"[:120],
        "kind": Kind.SERVICE,
        "enterprise": enterprise,
    }


def request_row(
    *,
    case: Case,
    enterprise: Enterprise,
    kind: RequestType,
    meeting: Meeting | None,
    source_key: str,
    financing_amount: Decimal | int = 0,
) -> ServiceRequest:
    """A request's detail row for its case (raised live, planned, or imported finished with its financing)."""
    town = enterprise.town
    return ServiceRequest(
        case=case,
        town=town,
        enterprise=enterprise,
        request_type=kind,
        meeting=meeting,
        financing_amount=financing_amount,
        source_key=source_key,
    )


def raise_request(
    *,
    actor: User,
    enterprise: Enterprise,
    request_type: RequestType | str,
    description: str,
    meeting: Meeting | None = None,
    photos: Sequence[Upload] = (),
    source_key: str = "",
    now: datetime | None = None,
) -> ServiceRequest:
    """An enterprise's request (its own user, or town staff on its behalf, e.g. at a meeting)."""
    now = now or timezone.now()
    kind, category = _check_request(actor, enterprise, request_type, meeting)
    with transaction.atomic():
        case = report_case(
            town=enterprise.town,
            reporter=actor,
            photos=photos,
            now=now,
            by_ledger=True,
            **request_case_fields(enterprise, kind, category, description),
        )
        request = request_row(case=case, enterprise=enterprise, kind=kind, meeting=meeting, source_key=source_key)
        request.save(force_insert=True)
        return request


def plan_request(
    *,
    actor: User,
    enterprise: Enterprise,
    request_type: RequestType | str,
    description: str,
    meeting: Meeting | None,
    source_key: str,
    now: datetime,
    calendar: WorkCalendar,
) -> PlannedRow[ServiceRequest]:
    """``raise_request`` without writing: for a ledger import, which writes many at once through the bulk path."""
    kind, category = _check_request(actor, enterprise, request_type, meeting)
    fields = request_case_fields(enterprise, kind, category, description)
    replay = Replay(town=enterprise.town, reporter=actor, now=now, calendar=calendar, **fields)
    detail = request_row(case=replay.case, enterprise=enterprise, kind=kind, meeting=meeting, source_key=source_key)
    return PlannedRow(replay.record(), detail)


def solve_request(
    *,
    case_id: int,
    actor: User,
    note: str,
    financing_amount: Decimal = Decimal(0),
    photos: Sequence[Upload] = (),
    now: datetime | None = None,
) -> ServiceRequest:
    """The handler reports how the request was solved (→ 待核查) and the financing arranged (元)."""
    if financing_amount < 0:
        raise InvalidInput(_("协调融资金额不能为负数"), field="financing_amount")
    with transaction.atomic():
        apply_action(case_id=case_id, actor=actor, action=Action.RESOLVE, note=note, photos=photos, now=now)
        request = ServiceRequest.objects.select_for_update().get(case_id=case_id)
        request.financing_amount = financing_amount
        request.save(update_fields=["financing_amount"])
    return request


def rate_request(*, case_id: int, actor: User, rating: Satisfaction | str, now: datetime | None = None) -> None:
    """The enterprise's satisfaction with a closed request."""
    apply_action(case_id=case_id, actor=actor, action=Action.RATE, rating=rating, now=now)


def record_meeting(
    *,
    actor: User,
    town: Area,
    held_on: date,
    title: str = "",
    place: str = "",
    attendees: str = "",
    enterprises: Sequence[Enterprise] = (),
    note: str = "",
    today: date | None = None,
) -> Meeting:
    """Record a 乡镇长有约 meeting (town operators, leaders, admins)."""
    if town.pk not in staff_town_ids(actor, MANAGER_ROLES):
        raise NotAllowed(_("只有本镇的受理员、领导或管理员可以登记乡镇长有约"))
    today = today or timezone.localdate()
    check_day(held_on, today=today, field="held_on", label=_("会议日期"))
    if not enterprises:
        raise InvalidInput(_("请至少选择一家参会企业"), field="enterprises")
    foreign = [e.name for e in enterprises if e.town_id != town.pk]
    if foreign:
        raise InvalidInput(_("“%(n)s”不是本镇企业") % {"n": foreign[0]}, field="enterprises")
    title = (title or "").strip() or _("乡镇长有约（%(d)s）") % {
        "d": f"{held_on.year}年{held_on.month}月{held_on.day}日"
    }
    with transaction.atomic():
        if Meeting.objects.filter(town=town, held_on=held_on, title=title).exists():
            raise Conflict(_("%(d)s已登记“%(t)s”") % {"d": held_on.isoformat(), "t": title})
        meeting = Meeting.objects.create(
            town=town,
            title=title[:120],
            held_on=held_on,
            place=(place or "").strip()[:120],
            attendees=(attendees or "").strip(),
            note=(note or "").strip(),
            recorded_by=actor,
        )
        meeting.enterprises.set(enterprises)
    return meeting


def next_meeting_due(*, town: Area) -> date | None:
    """Two months after the last meeting (None before the first one)."""
    last = Meeting.objects.filter(town=town).order_by("-held_on").values_list("held_on", flat=True).first()
    if last is None:
        return None
    month = last.month - 1 + MEETING_INTERVAL_MONTHS
    year, month = last.year + month // 12, month % 12 + 1
    day = min(last.day, 28)
    return date(year, month, day)
