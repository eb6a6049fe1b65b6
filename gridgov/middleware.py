"""Site-wide middleware: Chinese first, and a busy database answered with 503 instead of a 500.

Chinese first: the UI speaks zh-hans unless the user picked another language (cookie).

Django's LocaleMiddleware would follow the browser's Accept-Language, so a Chinese town's staff on an
English-language browser (or a headless one) would get English. Here the browser's preference is ignored;
the language switch in the header sets the cookie.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.signals import got_request_exception
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers

from gridgov.db.busy import describe, is_lock_timeout
from gridgov.ui.open311.render import error as open311_error


class ChineseFirstLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


# ---------------------------------------------------------------------------------------------------
# A database that cannot answer in time is "busy", never an error of the request: 503 with Retry-After.

BUSY_RETRY_AFTER = 5  # seconds a client is asked to wait before trying again
BUSY_MESSAGE = "系统繁忙，请稍后重试"
BUSY_MESSAGE_EN = "The system is busy; please try again in a few seconds."
_busy_logger = logging.getLogger("gridgov.db.busy")
_BUSY_ATTRIBUTE = "_gridgov_database_busy"


def busy_response(request: HttpRequest) -> HttpResponse:
    """The answer to a request that could not get the database in time: the spec's error body under /open311/,
    the API's JSON error under /api/, otherwise a page rendered without a request context (so without the
    context processors, none of which may touch the busy database)."""
    path = request.path_info
    if path.startswith("/open311/"):
        fmt = "xml" if path.endswith(".xml") else "json"
        response: HttpResponse = open311_error(fmt, 503, BUSY_MESSAGE)
    elif path.startswith("/api/"):
        body = {"code": "busy", "message": BUSY_MESSAGE, "message_en": BUSY_MESSAGE_EN, "field": None}
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False).encode(), content_type="application/json; charset=utf-8", status=503
        )
    else:
        # the page's own <style> carries the Content-Security-Policy nonce (no context processors here)
        page = render_to_string("503.html", {"retry_after": BUSY_RETRY_AFTER, "csp_nonce": get_nonce(request)})
        response = HttpResponse(page, status=503)
    response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response


def _remember_busy(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """An OperationalError raised outside the view (e.g. saving the session) reaches Django's 500 handler —
    which shows the debug page when GRIDGOV_DEBUG is on. Mark the request so that the middleware replaces it."""
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, OperationalError):
        setattr(request, _BUSY_ATTRIBUTE, exc)


got_request_exception.connect(_remember_busy, dispatch_uid="gridgov.middleware.busy")


class DatabaseBusyMiddleware:
    """Answers 503 “系统繁忙，请稍后重试” with Retry-After for every ``OperationalError`` (a lock not granted in
    time, a statement timeout, a lost connection), in place of a 500 or a debug page.

    Place it above the session middleware: an error in any layer below, view or middleware, is answered here.
    An error raised in the view has left the view's ``transaction.atomic`` block: what it was writing is rolled
    back, and the client can simply try again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        exc = getattr(request, _BUSY_ATTRIBUTE, None)
        if exc is not None and response.status_code >= 500:
            return database_busy(request, exc)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        return database_busy(request, exception)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a session that could not be saved because the database was busy is answered as busy
    (Django reports any failed update as "the session was deleted before the request completed", a 400)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except SessionInterrupted as exc:
            cause: BaseException | None = exc
            while cause is not None and not isinstance(cause, OperationalError):
                cause = cause.__cause__ or cause.__context__
            if cause is None:
                raise
            return database_busy(request, cause)


def database_busy(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """Log a request the database could not serve (the statement that waited is logged by gridgov.db.busy), and
    answer it with :func:`busy_response`. Also the REST API's handler of ``OperationalError``."""
    response = busy_response(request)
    if is_lock_timeout(exc):
        _busy_logger.warning("数据库忙，%s %s 回答 503：%s", request.method, request.path, describe(exc))
        # Said once, as the wait it was: not again by django.request as an ERROR "Service Unavailable".
        response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own mark (django.utils.log)
    else:
        _busy_logger.error(
            "数据库不可用，%s %s 回答 503：%s", request.method, request.path, describe(exc), exc_info=exc
        )
    return response
