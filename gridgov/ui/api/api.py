"""The REST API (django-ninja): authentication, JSON errors, and the self-contained docs page."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.operation import Operation
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, SessionAuth

from gridgov.data.access.tokens import TokenExpired, authenticate_token
from gridgov.data.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound, OutOfScope
from gridgov.data.org.models import User
from gridgov.middleware import database_busy
from gridgov.types import FromDjango, JSONObject

STATUS_OF_ERROR: dict[type[DomainError], int] = {
    NotFound: 404,
    OutOfScope: 403,
    NotAllowed: 403,
    InvalidInput: 422,
    Conflict: 409,
}
ENGLISH: dict[str, str] = {
    "not_found": "Not found, or not visible to you.",
    "out_of_scope": "Outside your scope.",
    "not_allowed": "This action is not allowed for this case now, or not for your role.",
    "invalid_input": "Invalid input.",
    "idempotency_key_reused": "This Idempotency-Key was already used for a request with a different body.",
    "conflict": "Someone else changed the case first; reload it and try again.",
    "unauthenticated": "Authentication required: send 'Authorization: Bearer <token>' or sign in.",
    "token_expired": "This API token has expired; make a new one on /api/tokens/.",
    "bad_request": "The request could not be read (malformed body).",
    "method_not_allowed": "Method not allowed.",
    "domain_error": "The request could not be carried out.",
}


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal token made on /api/tokens/."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return authenticate_token(token)


class Session(SessionAuth):
    """The browser's session (a signed-in user); unsafe methods need the CSRF token."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.param_name not in request.COOKIES:
            return None  # no session: let the 401 say how to authenticate (not a CSRF complaint)
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if key is None:
            return None
        user = request.user
        return user if isinstance(user, User) and user.is_active else None


class LocalDocs(DocsBase):
    """A docs page rendered on the server from the OpenAPI description: no CDN, no script."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: FromDjango) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        operations = []
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "id": operation.get("operationId", ""),
                        "summary": operation.get("summary", ""),
                        "description": operation.get("description", ""),
                        "parameters": operation.get("parameters", []),
                        "responses": sorted(str(code) for code in operation.get("responses", {})),
                        "has_body": "requestBody" in operation,
                        "tags": operation.get("tags", []),
                    }
                )
        return render(
            request,
            "api/docs.html",
            {"operations": operations, "info": schema["info"], "openapi_url": self.get_openapi_url(api, kwargs)},
        )


class GridGovAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__


api = GridGovAPI(
    title="GridGov 基层智治平台 API",
    version="1.0",
    description=(
        "事件（案卷）、区域、部门、分类与全部流转操作。认证：`Authorization: Bearer <令牌>`（在 /api/tokens/ 创建），"
        "或浏览器登录会话。错误统一为 JSON：`{code, message, message_en, field}`。"
    ),
    urls_namespace="api",
    auth=[BearerToken(), Session()],
    docs=LocalDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def json_answer(shown: Schema) -> JSONObject:
    """``shown`` written as every answer of the API writes it (ninja's encoder: datetimes to the millisecond, UTC
    as ``Z``), JSON-ready: for an answer kept before it is sent (an Idempotency-Key's first answer), which
    pydantic's own JSON mode would write to the microsecond — not as a later read of the same record."""
    answer: JSONObject = json.loads(json.dumps(shown.model_dump(), cls=NinjaJSONEncoder))
    return answer


def error_body(code: str, message: str, *, field: str | None = None) -> JSONObject:
    return {"code": code, "message": message, "message_en": ENGLISH.get(code, ENGLISH["domain_error"]), "field": field}


# RFC 9110 §11.6.1: a 401 names the scheme that would authenticate — the Bearer token of docs/api.md (the
# OpenAPI ``BearerToken`` scheme); RFC 6750 §3: a token sent and refused adds ``error="invalid_token"``.
REALM = 'Bearer realm="GridGov"'
REFUSED_TOKEN = {
    "token_expired": "The access token expired",
    "unauthenticated": "The access token is not valid",
}


def www_authenticate(request: HttpRequest, code: str) -> str:
    """The ``WWW-Authenticate`` of a 401 answered with ``code``: the realm, and why a Bearer token sent was not
    taken (ASCII only, as RFC 6750 asks of ``error_description``)."""
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return REALM
    reason = REFUSED_TOKEN.get(code, REFUSED_TOKEN["unauthenticated"])
    return f'{REALM}, error="invalid_token", error_description="{reason}"'


def error_response(
    request: HttpRequest, status: int, code: str, message: str, field: str | None = None
) -> HttpResponse:
    response = api.create_response(request, error_body(code, message, field=field), status=status)
    if status == 401:
        response["WWW-Authenticate"] = www_authenticate(request, code)
    return response


def _domain_error(request: HttpRequest, exc: DomainError | type[DomainError]) -> HttpResponse:
    assert isinstance(exc, DomainError)
    status = next((s for kind, s in STATUS_OF_ERROR.items() if isinstance(exc, kind)), 409)
    field = exc.field if isinstance(exc, InvalidInput) else None
    return error_response(request, status, exc.code, exc.message, field)


def _validation_error(request: HttpRequest, exc: ValidationError | type[ValidationError]) -> HttpResponse:
    assert isinstance(exc, ValidationError)
    first = exc.errors[0] if exc.errors else {}
    location = [
        str(part)
        for part in first.get("loc", ())
        if part not in ("body", "query", "path", "form", "file", "header", "payload", "filters")
    ]
    field = ".".join(location) or None
    detail = str(first.get("msg", ""))
    message = f"参数 {field} 无效：{detail}" if field else f"请求参数无效：{detail}"
    return error_response(request, 422, "invalid_input", message, field)


UNREADABLE = "请求内容无法解析（格式错误）"
HTTP_ERRORS: dict[int, tuple[str, str]] = {  # ninja's own refusals, by status: our code and message
    401: ("unauthenticated", "请先登录，或在请求头中提供有效的 API 令牌"),
    403: ("forbidden", "请求被拒绝（浏览器会话需要 CSRF 令牌）"),
    400: ("bad_request", UNREADABLE),
    405: ("method_not_allowed", "不支持该请求方法"),
}


def _http_error(request: HttpRequest, exc: HttpError | type[HttpError]) -> HttpResponse:
    assert isinstance(exc, HttpError)
    code, message = HTTP_ERRORS.get(exc.status_code, ("error", str(exc)))
    return error_response(request, exc.status_code, code, message)


api.add_exception_handler(DomainError, _domain_error)
api.add_exception_handler(ValidationError, _validation_error)
api.add_exception_handler(HttpError, _http_error)

# Exceptions answered with one fixed JSON error whatever they carry: (kind, status, code, message).
FIXED_ERRORS: tuple[tuple[type[Exception], int, str, str], ...] = (
    (Http404, 404, "not_found", "资源不存在或您无权查看"),
    (TokenExpired, 401, "token_expired", "API 令牌已过期，请在 /api/tokens/ 创建新令牌"),
    # A body Django cannot parse (multipart without a boundary, a broken form): 400 JSON, not an HTML page.
    (MultiPartParserError, 400, "bad_request", UNREADABLE),
    (BadRequest, 400, "bad_request", UNREADABLE),
    # Too many fields, a body over the size limit and the like: 400 JSON (Django's own answer is HTML).
    (SuspiciousOperation, 400, "bad_request", "请求内容无法解析（格式错误或超出大小限制）"),
)


def _fixed_error(status: int, code: str, message: str) -> Callable[[HttpRequest, object], HttpResponse]:
    def answer(request: HttpRequest, exc: object) -> HttpResponse:
        return error_response(request, status, code, message)

    return answer


for kind, status, code, message in FIXED_ERRORS:
    api.add_exception_handler(kind, _fixed_error(status, code, message))


def _database_busy(request: HttpRequest, exc: OperationalError | type[OperationalError]) -> HttpResponse:
    """503 with Retry-After and a JSON error, never a traceback (ninja's own handler shows one with DEBUG on)."""
    assert isinstance(exc, OperationalError)
    return database_busy(request, exc)


api.add_exception_handler(OperationalError, _database_busy)


def json_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """ninja answers a method no operation of a path takes with a bare ``text/html`` "Method not allowed": make it
    our JSON error (``method_not_allowed``), keeping its ``Allow`` header."""

    @wraps(view)  # keeps ninja's csrf_exempt mark
    def wrapper(request: HttpRequest, *args: FromDjango, **kwargs: FromDjango) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        code, message = HTTP_ERRORS[405]
        answer = error_response(request, 405, code, message)
        answer["Allow"] = response["Allow"]
        return answer

    return wrapper
