"""Modest rate limits for pages anyone can use (public reports, lookups), counted in the default cache.

With several app processes the default cache must be shared (database or Redis), as for one-time tokens.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def _setting(name: str, default: int) -> int:
    value = getattr(settings, name, default)
    return int(value)


def public_report_limits() -> list[tuple[str, int, int]]:
    """(what, how many, per seconds) for public reports."""
    return [
        ("ip", _setting("GRIDGOV_PUBLIC_REPORTS_PER_IP_HOUR", 10), 3600),
        ("phone", _setting("GRIDGOV_PUBLIC_REPORTS_PER_PHONE_DAY", 5), 86400),
    ]


def lookup_limit() -> tuple[int, int]:
    return _setting("GRIDGOV_PUBLIC_LOOKUPS_PER_IP_HOUR", 30), 3600


def _key(scope: str, who: str, window: int) -> str:
    digest = hashlib.sha256(who.encode()).hexdigest()[:24]  # no phone numbers in cache keys
    return f"phone:limit:{scope}:{digest}:{int(time.time()) // window}"


def exceeded(scope: str, who: str, *, limit: int, window: int) -> bool:
    return bool(who) and int(cache.get(_key(scope, who, window), 0)) >= limit


def count(scope: str, who: str, *, window: int) -> None:
    if not who:
        return
    key = _key(scope, who, window)
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)
