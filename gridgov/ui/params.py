"""Filter parameters of list, export and figure pages, read in one place.

A query string is typed by people and by crawlers: a bad value (``?year=-1``, ``?year=``, ``?enterprise=abc``,
``?village=99999999999999999999999``, full-width or superscript digits) must never become a 500. Every reader
here answers ``None`` (or the given default) for a value it cannot use, so that the filter is simply left out;
pages that must refuse instead raise their own 4xx on ``None``.
"""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.utils import timezone

from gridgov.data.worktime.days import FIRST_YEAR

# Database keys are 64-bit signed; anything larger cannot name a row (and would overflow the query).
MAX_ID = 2**63 - 1
# Years a town's records can belong to (from the first year a ledger takes, ``worktime.days.FIRST_YEAR``); a year
# outside makes no date (date(-1, 1, 1)) or no sense.
MIN_YEAR = FIRST_YEAR
MAX_YEAR = 2100

_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII only: str.isdigit() accepts "²" and "١", which int() refuses


def int_param(value: str | None, *, minimum: int, maximum: int) -> int | None:
    """``value`` as an integer within [minimum, maximum] (ASCII digits, no sign); otherwise None."""
    raw = (value or "").strip()
    if not _DIGITS.fullmatch(raw):
        return None
    number = int(raw)
    return number if minimum <= number <= maximum else None


def id_param(value: str | None) -> int | None:
    """A row id (1 … 2⁶³−1) or None."""
    return int_param(value, minimum=1, maximum=MAX_ID)


def year_param(value: str | None) -> int | None:
    """A calendar year (``MIN_YEAR`` … ``MAX_YEAR``) or None."""
    return int_param(value, minimum=MIN_YEAR, maximum=MAX_YEAR)


def year_shown(request: HttpRequest) -> int:
    """The year a page of one year shows (a ledger's year, the economy, the year in review, development):
    ``?year=``, or a posted form's year, when ``year_param`` takes it; this year (the clock's) otherwise."""
    return year_param(request.GET.get("year") or request.POST.get("year")) or timezone.localdate().year


def float_param(value: str | None, *, minimum: float, maximum: float) -> float | None:
    """``value`` as a finite number within [minimum, maximum]; otherwise None (also for nan, inf, 1e999)."""
    raw = (value or "").strip()
    if not raw or len(raw) > 32:
        return None
    try:
        number = float(raw)
    except ValueError:
        return None
    return number if minimum <= number <= maximum else None  # nan compares false: refused too
