"""Dates and moments as people write them, in local time and the active language: one place for every page,
message and export that writes a date in a sentence.

``written_datetime``: 2026年11月25日 09:00 (Nov. 25, 2026 09:00 in English) — the language's ``DATE_FORMAT``.
``written_moment``: the same without the year when it is the reader's current year, as Chinese users write a
date near at hand: 11月25日 09:00 (11/25 09:00 in English); another year keeps it (2025年11月25日 09:00).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def written_datetime(moment: datetime) -> str:
    """2026年11月25日 09:00 in local time (Nov. 25, 2026 09:00 in English)."""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'DATE_FORMAT')} {local:%H:%M}"


def written_moment(moment: datetime, *, this_year: int | None) -> str:
    """``moment`` in local time, its year left out when it is ``this_year`` (the reader's current year): 11月23日
    14:30, else 2025年11月23日 14:30; ``this_year`` None: always with the year."""
    local = timezone.localtime(moment)
    if local.year != this_year:
        return written_datetime(local)
    return _("%(month)s月%(day)s日 %(time)s") % {"month": local.month, "day": local.day, "time": f"{local:%H:%M}"}
