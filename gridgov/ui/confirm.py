"""A button whose step cannot be undone (印发通报) asks first: its first POST answers a confirmation that says
what the step will do, and only the confirmation's own POST (``confirm=1``) takes it.

The confirmation is the ``confirm`` partial of a page of its own: htmx swaps it in place of the button's form;
without JavaScript the whole page is shown. The partial is written with ``web/_issue_confirm.html``."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gridgov.ui.signed_in import is_htmx


def confirmed(request: HttpRequest) -> bool:
    """Whether the POST comes from the confirmation (else it asks for one, and nothing is done)."""
    return request.POST.get("confirm") == "1"


def ask_first(request: HttpRequest, page: str, context: Mapping[str, object]) -> HttpResponse:
    """The confirmation: ``page``'s ``confirm`` partial for htmx, else the whole ``page``."""
    return render(request, f"{page}#confirm" if is_htmx(request) else page, context)
