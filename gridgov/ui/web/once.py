"""One-time form tokens: a form that creates something (a report) is accepted once, however often its
submit button is pressed.

``issue`` puts a signed, random token in the form; ``claim`` accepts it at most once (atomically, through
the cache's ``add``); ``finish`` remembers where the first submission led so a repeat can be sent there;
``release`` gives the token back when the submission failed validation, so the user can correct the form
and send it again. With several app processes the default cache must be shared (database, Redis).

Usage in a view::

    claim = once.claim(request)
    if claim.state is once.State.USED:  # a double click: go where the first one went
        return redirect(claim.result_url or "...")
    try:
        case = report_case(...)
    except InvalidInput:
        once.release(claim)
        ...
    once.finish(claim, result_url)
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.db import OperationalError
from django.http import HttpRequest

FIELD = "once_token"
_SALT = "gridgov.ui.web.once"
MAX_AGE_SECONDS = 24 * 3600
_PENDING = "__pending__"


class State(enum.Enum):
    FRESH = "fresh"  # first use: go ahead
    USED = "used"  # already submitted (result_url says where it led, once finished)
    INVALID = "invalid"  # missing, forged or expired: show the form again with a new token


@dataclass(frozen=True, slots=True)
class Claim:
    state: State
    nonce: str = ""
    result_url: str | None = None


def _owner(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return "anon"


def issue(request: HttpRequest) -> str:
    """A fresh token for one form, bound to the signed-in user (or to anonymous use)."""
    return signing.dumps({"o": _owner(request), "n": secrets.token_urlsafe(16)}, salt=_SALT)


def claim(request: HttpRequest, token: str | None = None) -> Claim:
    raw = token if token is not None else request.POST.get(FIELD, "")
    try:
        data = signing.loads(raw, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return Claim(State.INVALID)
    if not isinstance(data, dict) or data.get("o") != _owner(request) or not isinstance(data.get("n"), str):
        return Claim(State.INVALID)
    nonce = data["n"]
    key = f"once:{nonce}"
    if cache.add(key, _PENDING, timeout=MAX_AGE_SECONDS):
        return Claim(State.FRESH, nonce=nonce)
    stored = cache.get(key)
    if stored is None:  # not added, yet not there: the database cache could not write — a 503, not "used"
        # Said as a busy database (``gridgov.db.busy.is_lock_timeout``): logged as a lock wait, not as a fault.
        raise OperationalError("database is locked: the one-time form token could not be stored")
    return Claim(State.USED, nonce=nonce, result_url=None if stored in (None, _PENDING) else str(stored))


def finish(claim: Claim, result_url: str) -> None:
    if claim.nonce:
        cache.set(f"once:{claim.nonce}", result_url, timeout=MAX_AGE_SECONDS)


def release(claim: Claim) -> None:
    if claim.state is State.FRESH and claim.nonce:
        cache.delete(f"once:{claim.nonce}")
