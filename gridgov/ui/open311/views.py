"""Open311 GeoReport v2 endpoints (``.json`` and ``.xml``). Thin: parse, call the domain, render."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from gridgov.data.access import open311
from gridgov.data.access.models import Open311Submission
from gridgov.data.access.tokens import authenticate_api_key
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.errors import DomainError, InvalidInput, NotAllowed, NotFound
from gridgov.data.safetext import check_fields
from gridgov.data.taxonomy.models import Category
from gridgov.types import FromDjango, JSONObject
from gridgov.ui.open311.render import error, respond, timestamp

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-25T00:00:00+08:00"
_ATTRIBUTE = re.compile(r"^attribute\[([A-Za-z0-9_\-]{1,64})\]$")

View = Callable[..., HttpResponse]


def spec_errors(view: View) -> View:
    """Domain errors and bad parameters become spec errors (``[{"code", "description"}]``), never a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: FromDjango, fmt: str, **kwargs: FromDjango) -> HttpResponse:
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except NotFound as exc:
            return error(fmt, 404, exc.message)
        except NotAllowed as exc:
            return error(fmt, 403, exc.message)
        except DomainError as exc:
            return error(fmt, 400, exc.message)
        except (BadRequest, MultiPartParserError, SuspiciousOperation):
            # A body Django will not read (not UTF-8, over the size limit, too many fields, broken multipart):
            # the spec's 400, not Django's HTML page.
            return error(fmt, 400, _("请求内容无法解析（须为 UTF-8 编码的表单，且不超过大小限制）"))

    return wrapper


def methods(*allowed: str) -> Callable[[View], View]:
    """Any other method gets the spec's 405 error with ``Allow`` — never Django's HTML CSRF page: Open311 clients
    send no cookies and no CSRF token, and a read-only resource has nothing for them to POST."""
    allowed = (*allowed, "HEAD") if "GET" in allowed else allowed

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: FromDjango, fmt: str, **kwargs: FromDjango) -> HttpResponse:
            if request.method not in allowed:
                listed = ", ".join(allowed)
                response = error(fmt, 405, _("只支持 %(methods)s 方法") % {"methods": listed})
                response["Allow"] = listed
                return response
            return view(request, *args, fmt=fmt, **kwargs)

        return csrf_exempt(wrapper)

    return decorate


@methods("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": fmt})).rsplit("/", 1)[0] + "/"
    return respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": _("请联系乡镇综合信息指挥室"),
            "key_service": _("提交请求所需的 api_key 由平台管理员签发"),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@methods("GET")
@spec_errors
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    town = open311.find_town(request.GET.get("jurisdiction_id"))
    has_attributes = bool(open311.service_attributes())
    return respond(fmt, "services", [_service(s, metadata=has_attributes) for s in open311.public_services(town)])


def _service(service: Category, *, metadata: bool) -> JSONObject:
    assert service.parent is not None
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description or f"{service.parent.name} / {service.name}",
        "metadata": metadata,
        "type": "realtime",
        "keywords": service.keywords,
        "group": service.parent.name,
    }


@methods("GET")
@spec_errors
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    town = open311.find_town(request.GET.get("jurisdiction_id"))
    service = open311.find_service(town, service_code)
    attributes = [
        {
            "variable": a.variable,
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "datatype_description": a.datatype_description,
            "order": a.order,
            "description": a.description,
            **({"values": [{"key": key, "name": name} for key, name in a.values]} if a.values else {}),
        }
        for a in open311.service_attributes()
    ]
    return respond(fmt, "service_definition", {"service_code": service.code, "attributes": attributes})


@methods("GET", "POST")
@spec_errors
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    params = request.GET
    town = open311.find_town(params.get("jurisdiction_id"))
    query = open311.RequestQuery(
        service_request_ids=_list(params.get("service_request_id", "")),
        service_codes=_list(params.get("service_code", "")),
        start=_datetime(params.get("start_date", ""), "start_date"),
        end=_datetime(params.get("end_date", ""), "end_date"),
        statuses=_statuses(params.get("status", "")),
        page=_positive(params.get("page", ""), "page", default=1, maximum=1_000_000),
        page_size=_positive(params.get("page_size", ""), "page_size", default=open311.MAX_RESULTS, maximum=1000),
    )
    cases = open311.find_requests(town, query)
    extended = params.get("extensions", "").lower() == "true"
    return respond(fmt, "service_requests", _present(cases, extended=extended))


@methods("GET")
@spec_errors
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    town = open311.find_town(request.GET.get("jurisdiction_id"))
    case = open311.find_request(town, service_request_id)
    extended = request.GET.get("extensions", "").lower() == "true"
    return respond(fmt, "service_requests", _present([case], extended=extended))


@methods("GET")
@spec_errors
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    town = open311.find_town(request.GET.get("jurisdiction_id"))
    submission = open311.find_token(town, token)
    return respond(fmt, "service_requests", [{"service_request_id": submission.case.number, "token": submission.token}])


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "json" if path.endswith(".json") else "xml"
    return error(fmt, 404, _("没有这个 Open311 资源（地址须以 .json 或 .xml 结尾）"))


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = authenticate_api_key(data.get("api_key", ""))
    if key is None:
        return error(fmt, 403, _("api_key 缺失或无效"))
    town = open311.find_town(data.get("jurisdiction_id") or key.town.code)
    check_fields({name: data.getlist(name) for name in data})
    attributes: dict[str, str] = {}
    for name in data:
        match = _ATTRIBUTE.match(name)
        if match:
            attributes[match.group(1)] = data.get(name, "")
        elif name.startswith("attribute"):
            raise InvalidInput(_("属性参数格式应为 attribute[代码]"), field="attribute")
    if not data.get("service_code"):
        raise InvalidInput(_("请提供 service_code"), field="service_code")
    filed = open311.submit_request(
        api_key=key,
        town=town,
        request=open311.NewRequest(
            service_code=data.get("service_code", ""),
            description=data.get("description", ""),
            lat=data.get("lat", ""),
            long=data.get("long", ""),
            address_string=data.get("address_string", ""),
            address_id=data.get("address_id", ""),
            media_url=data.get("media_url", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            device_id=data.get("device_id", ""),
            attributes=attributes,
        ),
    )
    submission = filed.submission
    case = submission.case
    notice = _("已受理，编号 %(number)s，可凭编号查询办理进度") % {"number": case.number}
    # A repeat of a request filed moments ago (a retry after a lost answer): the same answer, 200, nothing new.
    response = respond(
        fmt,
        "service_requests",
        [{"service_request_id": case.number, "token": submission.token, "service_notice": notice, "account_id": None}],
        status=200 if filed.repeated else 201,
    )
    response["Idempotent-Replayed"] = "true" if filed.repeated else "false"
    return response


def _present(cases: list[Case], *, extended: bool) -> list[JSONObject]:
    history = open311.public_history(cases)
    rows = []
    for case in cases:
        actions = history.get(case.pk, [])
        last_note = next((note for row in reversed(actions) if (note := open311.public_note(row))), "")
        submission: Open311Submission | None = getattr(case, "open311", None)
        row: JSONObject = {
            "service_request_id": case.number,
            "status": open311.open_or_closed(case),
            "status_notes": open311.status_notes(case, last_public_note=last_note),
            "service_name": case.category.name,
            "service_code": case.category.code,
            "description": case.description,
            "agency_responsible": case.department.name if case.department else "",
            "service_notice": "",
            "requested_datetime": timestamp(case.reported_at),
            "updated_datetime": timestamp(case.updated_at),
            "expected_datetime": timestamp(case.handle_deadline),
            "address": case.address,
            "address_id": "",
            "zipcode": "",
            "lat": float(case.latitude) if case.latitude is not None else None,
            "long": float(case.longitude) if case.longitude is not None else None,
            "media_url": submission.media_url if submission is not None else "",
        }
        if extended:
            row["notes"] = [_note(a) for a in actions]
        rows.append(row)
    return rows


def _note(action: CaseAction) -> JSONObject:
    return {
        "datetime": timestamp(action.created_at),
        "status": "closed" if action.to_status in open311.CLOSED_STATUSES else "open",
        "summary": action.get_action_display(),
        "description": open311.public_note(action),
    }


def _list(value: str) -> tuple[str, ...]:
    items = tuple(item.strip() for item in value.split(",") if item.strip())
    if len(items) > open311.MAX_RESULTS:
        raise InvalidInput(_("一次最多查询 %(n)s 个") % {"n": open311.MAX_RESULTS}, field="service_request_id")
    return items


def _datetime(value: str, name: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            _("%(name)s 不是有效的 ISO 8601 时间（例如 2026-11-23T09:00:00+08:00）") % {"name": name}, field=name
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _statuses(value: str) -> tuple[str, ...]:
    statuses = _list(value.lower())
    if any(s not in ("open", "closed") for s in statuses):
        raise InvalidInput(_("status 只能是 open 或 closed"), field="status")
    return statuses


def _positive(value: str, name: str, *, default: int, maximum: int) -> int:
    value = value.strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= maximum:
        raise InvalidInput(_("%(name)s 必须是 1–%(max)s 的整数") % {"name": name, "max": maximum}, field=name)
    return int(value)
