"""Benchmark of three staff pages at two sizes of the town: each page's query count and time against a baseline.

    uv run python bench/staff_pages.py [--requests 30] [--scale 1.0]   # SQLite, temporary file
    bin/with-postgres uv run python bench/staff_pages.py             # throwaway PostgreSQL

The pages: the veterans' cards (优待证, ``/ledgers/assistance/cards/``) as the command room and as a village's staff,
the inbox (本单位待办) of a department and of a village committee, and the generation of the town's month bulletin
(月度通报, the bulletins page's form posted by the leader: the draft is computed, saved and the browser redirected).
The two sizes, the baseline and the figures printed are ``leader_pages``'s: the demo town as ``bin/demo`` builds it
before its 2022, then with 岱西镇's whole 2022 added through the demo's own builder (the first size has no veteran
cards; the second 301, and nine times the cases).
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.utils import timezone
from leader_pages import LEADER, VILLAGE, run  # sets the environment and Django up

if TYPE_CHECKING:
    from gridgov.data.org.models import Area

OPERATOR, DEPARTMENT = "zhihuishi", "zhifa"


def pages(town: Area) -> list[tuple[str, str]]:
    """(path, who opens it); the bulletin is last month's of the whole town (a new draft each time)."""
    return [
        ("/ledgers/assistance/cards/", OPERATOR),
        ("/ledgers/assistance/cards/", VILLAGE),
        ("/inbox/", DEPARTMENT),
        ("/inbox/", VILLAGE),
        (f"POST /dashboard/bulletins/generate/?town={town.pk}&period=month&date={_last_month()}&scope=", LEADER),
    ]


def _last_month() -> str:
    """A day of last month (its last), as the form's date field takes it."""
    return f"{timezone.localdate().replace(day=1) - timedelta(days=1):%Y-%m-%d}"


if __name__ == "__main__":
    run(pages, (OPERATOR, DEPARTMENT, LEADER, VILLAGE))
