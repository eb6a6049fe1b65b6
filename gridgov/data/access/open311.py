"""Open311 GeoReport v2 on top of the case engine: services, public requests, and filing a request.

Privacy: Open311 reads are public (no key). Only ordinary events (kind 事件) in categories fit for the
public are offered and listed; disputes, petitions, key persons and stability matters never are, and no
reporter data is ever returned. Requests filed here become cases with channel Open311 through
``report_case``, routed like any other.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.access.models import ApiKey, Open311Submission
from gridgov.data.canonical import canonical_digest
from gridgov.data.cases.domain.engine import MAX_DESCRIPTION, report_case
from gridgov.data.cases.enums import Action, Channel, Kind, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.errors import InvalidInput, NotAllowed, NotFound
from gridgov.data.org.domain import OutsideTown, place_in_town
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.data.taxonomy.enums import Priority
from gridgov.data.taxonomy.models import Category

# Major categories never exposed through Open311, whose list is public: 矛盾纠纷, 劳资纠纷, 信访诉求, 社会治安 (a tip
# about drugs, gambling or a suspect at an address), 重点人员, 民生保障 (a family's 低保, disability, social
# insurance), 涉稳与舆情; and of 公共卫生, 传染病 (an illness at an address).
PRIVATE_MAJOR_CODES = frozenset({"01", "02", "03", "04", "05", "17", "21"})
PRIVATE_SERVICE_CODES = frozenset({"1801"})
DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
MAX_MEDIA_URL = 500
# Open311 has no Idempotency-Key: an identical request from the same api_key within this window is the
# same request sent again (a client retrying after a lost answer) and gets the first request back.
REPEAT_WINDOW = timedelta(minutes=10)
CLOSED_STATUSES = (Status.CLOSED, Status.REJECTED)
# Notes of these actions are outcomes a reporter may read; other notes stay internal.
PUBLIC_NOTE_ACTIONS = frozenset({Action.RESOLVE, Action.SELF_RESOLVE, Action.REJECT, Action.VERIFY_PASS})


@dataclass(frozen=True, slots=True)
class Attribute:
    code: str
    datatype: str
    required: bool
    order: int
    description: str
    values: tuple[tuple[str, str], ...] = ()
    variable: bool = True
    datatype_description: str = ""


def service_attributes() -> list[Attribute]:
    """The attributes every service takes (metadata=true): 紧急程度 and a free-text landmark."""
    return [
        Attribute(
            code="priority",
            datatype="singlevaluelist",
            required=False,
            order=1,
            description=_("紧急程度"),
            values=tuple((p.value, str(p.label)) for p in Priority),
        ),
        Attribute(
            code="landmark",
            datatype="string",
            required=False,
            order=2,
            description=_("附近标志物（可选）"),
            datatype_description=_("不超过 100 字"),
        ),
    ]


def find_town(jurisdiction_id: str | None) -> Area:
    """The town whose code is ``jurisdiction_id``; optional when the deployment serves a single town."""
    if jurisdiction_id:
        town = Area.objects.filter(code=jurisdiction_id.strip(), level=AreaLevel.TOWN).first()
        if town is None:
            raise NotFound(_("jurisdiction_id“%(id)s”不存在") % {"id": jurisdiction_id})
        return town
    towns = list(Area.objects.filter(level=AreaLevel.TOWN)[:2])
    if len(towns) != 1:
        raise InvalidInput(_("请提供 jurisdiction_id（乡镇代码）"), field="jurisdiction_id")
    return towns[0]


def public_services(town: Area) -> QuerySet[Category]:
    return (
        Category.objects.filter(town=town, parent__isnull=False, active=True, parent__active=True, ledger_only=False)
        .exclude(parent__code__in=PRIVATE_MAJOR_CODES)
        .exclude(code__in=PRIVATE_SERVICE_CODES)
        .select_related("parent")
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    )


def find_service(town: Area, service_code: str) -> Category:
    service = public_services(town).filter(code=(service_code or "").strip()).first()
    if service is None:
        raise NotFound(_("service_code“%(code)s”不存在") % {"code": service_code})
    return service


def public_cases(town: Area) -> QuerySet[Case]:
    return (
        Case.objects.filter(town=town, kind=Kind.EVENT)
        .exclude(major_category__code__in=PRIVATE_MAJOR_CODES)
        .exclude(category__code__in=PRIVATE_SERVICE_CODES)
    )


@dataclass(frozen=True, slots=True)
class RequestQuery:
    service_request_ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()  # "open" / "closed"
    page: int = 1
    page_size: int = MAX_RESULTS


def find_requests(town: Area, query: RequestQuery, *, now: datetime | None = None) -> list[Case]:
    """Requests per GeoReport v2: by ids (other filters ignored), else by filters; without start_date, the 90 days
    up to end_date (or now)."""
    now = now or timezone.now()
    cases = public_cases(town).select_related("category", "department", "open311")
    if query.service_request_ids:
        cases = cases.filter(number__in=query.service_request_ids)
    else:
        if query.service_codes:
            cases = cases.filter(category__code__in=query.service_codes)
        start, end = query.start, query.end
        if start is None:  # the spec's default range: the 90 days up to end_date, or up to now
            start = (end or now) - DEFAULT_WINDOW
        if start is not None and end is not None and start > end:
            raise InvalidInput(_("start_date 不能晚于 end_date"), field="start_date")
        if start is not None:
            cases = cases.filter(reported_at__gte=start)
        if end is not None:
            cases = cases.filter(reported_at__lte=end)
        statuses = set(query.statuses)
        if statuses == {"open"}:
            cases = cases.exclude(status__in=CLOSED_STATUSES)
        elif statuses == {"closed"}:
            cases = cases.filter(status__in=CLOSED_STATUSES)
    offset = (query.page - 1) * query.page_size
    return list(cases.order_by("-reported_at", "-id")[offset : offset + min(query.page_size, MAX_RESULTS)])


def find_request(town: Area, service_request_id: str) -> Case:
    case = public_cases(town).select_related("category", "department", "open311").filter(number=service_request_id)
    found = case.first()
    if found is None:
        raise NotFound(_("service_request_id“%(id)s”不存在") % {"id": service_request_id})
    return found


def find_token(town: Area, token: str) -> Open311Submission:
    """The submission behind ``token``, while its case is public (one reclassified into a private category, e.g.
    矛盾纠纷, is no longer listed, and its number is not given out here either)."""
    found = (
        Open311Submission.objects.filter(town=town, token=token, case__in=public_cases(town))
        .select_related("case")
        .first()
    )
    if found is None:
        raise NotFound(_("token“%(token)s”不存在") % {"token": token})
    return found


def open_or_closed(case: Case) -> str:
    return "closed" if case.status in CLOSED_STATUSES else "open"


def status_notes(case: Case, *, last_public_note: str = "") -> str:
    label = str(Status(case.status).label)
    return f"{label}：{last_public_note}" if last_public_note else label


def public_history(cases: list[Case]) -> dict[int, list[CaseAction]]:
    """Each case's actions, oldest first (one query for the whole page)."""
    history: dict[int, list[CaseAction]] = {case.pk: [] for case in cases}
    for row in CaseAction.objects.filter(case_id__in=list(history)).order_by("case_id", "seq"):
        history[row.case_id].append(row)
    return history


def public_note(row: CaseAction) -> str:
    return row.note if row.action in PUBLIC_NOTE_ACTIONS else ""


@dataclass(slots=True)
class NewRequest:
    service_code: str
    description: str
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    media_url: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    device_id: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Filed:
    submission: Open311Submission
    repeated: bool  # an identical request was filed within REPEAT_WINDOW: this is that one, nothing new


def fingerprint(*, api_key: ApiKey, town: Area, request: NewRequest) -> str:
    """The request as sent, hashed: every field, trimmed (text inside kept as is), attributes sorted."""
    fields: dict[str, object] = {
        name: value.strip() for name, value in asdict(request).items() if isinstance(value, str)
    }
    fields["email"] = request.email.strip().lower()
    fields["attributes"] = {k: v.strip() for k, v in sorted(request.attributes.items()) if v.strip()}
    return canonical_digest({"api_key": api_key.pk, "town": town.pk, **fields})


def submit_request(*, api_key: ApiKey, town: Area, request: NewRequest, now: datetime | None = None) -> Filed:
    """File a service request as a case (channel Open311). Everything is checked before anything is written.

    An identical request (same api_key and every field the same, see ``fingerprint``) filed within
    ``REPEAT_WINDOW`` is not filed again: the first request is returned (``repeated``), so a client that lost
    the answer and sends again does not make a second case.
    """
    now = now or timezone.now()
    if api_key.town_id != town.pk:
        raise NotAllowed(_("该 api_key 不属于 %(town)s") % {"town": town.name})
    service = find_service(town, request.service_code)
    description = (request.description or "").strip()
    if not description:
        raise InvalidInput(_("请填写 description（问题描述）"), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(_("description 不能超过 %(n)s 字") % {"n": MAX_DESCRIPTION}, field="description")
    latitude, longitude = _coordinates(request.lat, request.long)
    address = (request.address_string or "").strip()
    if latitude is None and not address and not request.address_id.strip():
        raise InvalidInput(_("请提供位置：lat 和 long，或 address_string"), field="lat")
    if len(address) > 255:
        raise InvalidInput(_("address_string 不能超过 255 字"), field="address_string")
    area = None
    if latitude is not None and longitude is not None:
        area = _place_in_town(town, latitude, longitude)
    priority = _priority(request.attributes.get("priority", ""))
    landmark = request.attributes.get("landmark", "").strip()
    if len(landmark) > 100:
        raise InvalidInput(_("landmark 不能超过 100 字"), field="attribute[landmark]")
    unknown = sorted(set(request.attributes) - {a.code for a in service_attributes()})
    if unknown:
        raise InvalidInput(_("未知的属性：%(codes)s") % {"codes": "、".join(unknown)}, field="attribute")
    media_url = _media_url(request.media_url)
    name = _full_name(request.first_name, request.last_name)
    phone = request.phone.strip()
    if len(name) > 64 or len(phone) > 20 or len(request.email) > 254:
        raise InvalidInput(_("联系人信息过长"), field="phone")
    if landmark:
        address = f"{address}（{landmark}）" if address else landmark
    digest = fingerprint(api_key=api_key, town=town, request=request)
    with transaction.atomic():
        # Lock the key's row first, so two copies of one request sent at once are filed one after the other
        # and the second finds the first (on SQLite the IMMEDIATE transaction already serialises writers).
        ApiKey.objects.select_for_update().filter(pk=api_key.pk).values_list("pk", flat=True).first()
        earlier = (
            Open311Submission.objects.select_related("case")
            .filter(fingerprint=digest, created_at__gte=now - REPEAT_WINDOW)
            .order_by("created_at", "id")
            .first()
        )
        if earlier is not None:
            return Filed(earlier, repeated=True)
        case = report_case(
            town=town,
            reporter=None,
            channel=Channel.OPEN311,
            category=service,
            description=description,
            area=area,
            latitude=latitude,
            longitude=longitude,
            address=address,
            priority=priority,
            reporter_name=name,
            reporter_phone=phone,
            now=now,
        )
        submission = Open311Submission.objects.create(
            town=town,
            case=case,
            api_key=api_key,
            token=str(uuid.uuid4()),
            media_url=media_url,
            attributes={k: v for k, v in request.attributes.items() if v},
            email=request.email.strip(),
            device_id=request.device_id.strip()[:64],
            fingerprint=digest,
            created_at=now,
        )
    return Filed(submission, repeated=False)


def _coordinates(lat: str, long: str) -> tuple[Decimal | None, Decimal | None]:
    lat, long = (lat or "").strip(), (long or "").strip()
    if not lat and not long:
        return None, None
    if not lat or not long:
        raise InvalidInput(_("lat 和 long 必须同时提供"), field="lat")
    try:
        latitude, longitude = Decimal(lat), Decimal(long)
    except InvalidOperation:
        raise InvalidInput(_("lat/long 必须是十进制度数"), field="lat") from None
    if not latitude.is_finite() or not longitude.is_finite():
        raise InvalidInput(_("lat/long 必须是十进制度数"), field="lat")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidInput(_("lat/long 超出经纬度范围"), field="lat")
    return latitude, longitude


def _place_in_town(town: Area, latitude: Decimal, longitude: Decimal) -> Area | None:
    """The deepest area containing the point; refuse a point outside the town when its boundary is known."""
    try:
        return place_in_town(town=town, latitude=float(latitude), longitude=float(longitude))
    except OutsideTown:
        raise InvalidInput(_("坐标不在%(town)s范围内") % {"town": town.name}, field="lat") from None


def _priority(value: str) -> Priority | None:
    value = (value or "").strip()
    if not value:
        return None
    if value not in Priority.values:
        raise InvalidInput(
            _("attribute[priority] 只能是 %(values)s") % {"values": "、".join(Priority.values)},
            field="attribute[priority]",
        )
    return Priority(value)


def _media_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if len(url) > MAX_MEDIA_URL or parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(
            _("media_url 必须是 http(s) 链接且不超过 %(n)s 字符") % {"n": MAX_MEDIA_URL}, field="media_url"
        )
    return url


def _full_name(first: str, last: str) -> str:
    first, last = (first or "").strip(), (last or "").strip()
    if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return f"{last}{first}"  # Chinese order: family name first, no space
    return " ".join(part for part in (first, last) if part)
