"""What the phone's outbox (待发送箱) sends and gets back.

The outbox keeps a report, a verification or a progress note made without a network in the phone's
IndexedDB and posts it later to the same phone form view, with an ``Idempotency-Key`` header made when the
form was submitted. With that header the view answers in JSON: the case number and its page when done
(the first answer again for a resend), the reason when refused, the engine's message for a conflict.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.http import HttpRequest, JsonResponse
from django.urls import reverse

from gridgov.data.access.idempotency import Answer
from gridgov.data.cases.models import Case
from gridgov.types import JSONObject

HEADER = "Idempotency-Key"
_NOT_HASHED = {"csrfmiddlewaretoken", "once_token"}


def key_of(request: HttpRequest) -> str | None:
    """The Idempotency-Key of an outbox send, or None for an ordinary form post."""
    key = request.headers.get(HEADER)
    return key if key is not None else None


def body_of(request: HttpRequest) -> JSONObject:
    """The request as compared between a send and its resend: the form fields and each file's digest."""
    fields = {name: request.POST.getlist(name) for name in sorted(request.POST) if name not in _NOT_HASHED}
    files = {
        name: [hashlib.sha256(f.read()).hexdigest() for f in request.FILES.getlist(name)]
        for name in sorted(request.FILES)
    }
    for name in request.FILES:  # read again by the view
        for f in request.FILES.getlist(name):
            f.seek(0)
    return {"path": request.path, "fields": fields, "files": files}


def case_answer(case: Case, message: str) -> JSONObject:
    return {
        "ok": True,
        "number": case.number,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "url": reverse("phone:case", args=[case.pk]),
        "message": message,
    }


def answered(answer: Answer) -> JsonResponse:
    response = JsonResponse(answer.body, status=200 if answer.replayed else answer.status)
    response["Idempotent-Replayed"] = "true" if answer.replayed else "false"
    return response


def refused(
    message: str,
    *,
    status: int = 422,
    conflict: bool = False,
    **extra: Any,  # Any: more JSON fields of the answer
) -> JsonResponse:  # Any: more JSON fields of the answer
    """The server will not take this item as it is: the worker sees ``message`` and fixes or discards it."""
    return JsonResponse({"ok": False, "error": message, "conflict": conflict, **extra}, status=status)


def form_refused(form: forms.Form) -> JsonResponse:
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    first = next((msgs[0] for msgs in errors.values() if msgs), "")
    return refused(first, fields=errors)
