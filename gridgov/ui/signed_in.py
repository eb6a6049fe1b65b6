"""The request of a signed-in view, typed: who is signed in, and whether htmx asks for a fragment.

Every view behind ``login_required`` reads its user with ``signed_in_user`` (an API endpoint with ``api_user``)
and asks ``is_htmx`` (the one
way to detect htmx: django-htmx's ``request.htmx``, set by its middleware) — no per-module copies.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from gridgov.data.org.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user (the view is behind ``login_required`` or an API authenticator)."""
    user = request.user
    assert isinstance(user, User), "signed_in_user() needs a signed-in request"
    return user


def api_user(request: HttpRequest) -> User:
    """The user an API authenticator (bearer token or session) let through: django-ninja sets ``request.auth``."""
    user = getattr(request, "auth", None)  # not in HttpRequest's stubs: set by django-ninja after authentication
    assert isinstance(user, User), "api_user() needs an authenticated API request"
    return user


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (it swaps a fragment of the page, not the whole page)."""
    details = getattr(request, "htmx", None)
    return isinstance(details, HtmxDetails) and bool(details)
