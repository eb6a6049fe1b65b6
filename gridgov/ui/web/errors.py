"""Users never see a debug page: an uncaught error is logged with an error id, and the user gets our own
Chinese 500 page showing that id (so the administrator finds the log line from what the user reads).

``ServerErrorMiddleware`` logs the view's exception with a new id. With GRIDGOV_DEBUG=1 it answers our page
itself for everyone but staff (who still get Django's debug page); otherwise Django goes on to ``handler500``
(``server_error``), which shows the same id. An error outside a view gets its id in ``server_error``."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static

logger = logging.getLogger("gridgov.errors")

ERROR_ID_ATTRIBUTE = "gridgov_error_id"


def new_error_id() -> str:
    return secrets.token_hex(4).upper()


def _log(request: HttpRequest, exception: BaseException | None) -> str:
    error_id = new_error_id()
    setattr(request, ERROR_ID_ATTRIBUTE, error_id)
    exc_info = (type(exception), exception, exception.__traceback__) if exception is not None else True
    logger.error("错误编号 %s: %s %s", error_id, request.method, request.path, exc_info=exc_info)
    return error_id


def error_page(error_id: str) -> HttpResponseServerError:
    html = loader.get_template("500.html").render(
        {"error_id": error_id, "stylesheet": static("web/web.css"), "favicon": static("web/favicon.svg")}
    )
    return HttpResponseServerError(html)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: our page, with the id logged for this request (a new one if no view error was logged)."""
    error_id = getattr(request, ERROR_ID_ATTRIBUTE, None) or _log(request, None)
    return error_page(error_id)


class ServerErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, (Http404, PermissionDenied, SuspiciousOperation, OperationalError)):
            return None  # Django's own 404/403/400 handling; a busy database is DatabaseBusyMiddleware's 503
        error_id = _log(request, exception)
        user = getattr(request, "user", None)
        if settings.DEBUG and not getattr(user, "is_staff", False):
            return error_page(error_id)  # the debug page is for staff only
        return None
