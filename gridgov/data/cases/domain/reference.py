"""Reference data the write path reads on every report and action, kept in each process.

The working calendar, the time limits of a sub-category, an area's ancestors, a town and a town's active
sub-categories change a few times a year (an admin edits them) but were read from the database on every
intake — 5 of the 13 queries of ``report_case``. Here they are loaded once per process and kept:

- a change saved through the ORM in this process (admin pages, imports, set-up commands) clears the cache at
  once (``post_save``/``post_delete`` receivers, connected in the app's ``ready``: cache upkeep, no logic);
- every other process sees the change within ``MAX_AGE_SECONDS`` (each entry is dropped after that), so a
  holiday added or a time limit changed in one worker reaches the others within a minute;
- ``warm()`` loads the calendar and every town's categories at worker start (gunicorn's
  ``post_worker_init``), so the first request of a worker pays nothing either.

The cached objects are shared: callers must not modify them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.data.taxonomy.domain import FALLBACK_LIMITS, Limit
from gridgov.data.taxonomy.enums import Phase, Priority
from gridgov.data.taxonomy.models import Category, TimeLimit
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import TimeUnit
from gridgov.types import FromDjango

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 60.0
MAX_ENTRIES = 20_000  # a province's areas and categories would not all fit in every worker: cap and refill

_lock = threading.Lock()
_entries: dict[
    tuple[Any, ...], tuple[float, Any]
] = {}  # Any: the per-process cache holds reference data of every kind, typed again by _cached's caller


def _cached[T](
    key: tuple[Any, ...], load: Callable[[], T]
) -> T:  # Any: the per-process cache holds reference data of every kind, typed again by _cached's caller
    now = time.monotonic()
    hit = _entries.get(key)
    if hit is not None and now - hit[0] < MAX_AGE_SECONDS:
        value: T = hit[1]
        return value
    value = load()
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (now, value)
    return value


def clear(**_signal: FromDjango) -> None:
    """Forget everything (receiver of the reference models' save/delete signals; tests call it too)."""
    with _lock:
        _entries.clear()


def calendar() -> WorkCalendar:
    """The working calendar (holidays, make-up days, confirmed years, working hours)."""
    return _cached(("calendar",), WorkCalendar.load)


def time_limit(*, category: Category, phase: Phase | str, priority: Priority | str) -> Limit:
    """The limit for a phase: the priority-specific row, else the any-priority row, else the fallback.

    The same rule as ``taxonomy.domain.time_limit``, from the category's cached rows.
    """
    rows = _cached(("limits", category.pk), lambda: _limit_rows(category.pk))
    found = rows.get((str(phase), str(priority))) or rows.get((str(phase), ""))
    if found is not None:
        return found
    value, unit = FALLBACK_LIMITS[Phase(phase)]
    return Limit(value, unit)


def _limit_rows(category_id: int) -> dict[tuple[str, str], Limit]:
    rows = TimeLimit.objects.filter(category_id=category_id).values_list("phase", "priority", "value", "unit")
    return {(phase, priority or ""): Limit(value, TimeUnit(unit)) for phase, priority, value, unit in rows}


def ancestors_by_level(area: Area) -> dict[str, Area]:
    """The area and its ancestors keyed by level (as ``org.domain.ancestors_by_level``), cached by path."""

    def load() -> dict[str, Area]:
        codes = [code for code in area.path.split("/") if code]
        found = {a.level: a for a in Area.objects.filter(code__in=codes)}
        found[area.level] = area
        return found

    return dict(_cached(("ancestors", area.pk, area.path), load))


def town(town_id: int) -> Area | None:
    """A town (an area of level town) by id, or None."""
    return _cached(("town", town_id), lambda: Area.objects.filter(pk=town_id, level=AreaLevel.TOWN).first())


def towns(town_ids: frozenset[int] | None) -> list[Area]:
    """The towns among ``town_ids`` (every town when None), by id."""

    def load() -> list[Area]:
        qs = Area.objects.filter(level=AreaLevel.TOWN).order_by("pk")
        if town_ids is not None:
            qs = qs.filter(pk__in=sorted(town_ids))
        return list(qs)

    return list(_cached(("towns", town_ids), load))


def sub_category(*, town_id: int, code: str) -> Category | None:
    """The town's active sub-category with ``code``, or None."""
    by_code = _cached(("categories", town_id), lambda: _sub_categories(town_id))
    return by_code.get(code.strip())


def _sub_categories(town_id: int) -> dict[str, Category]:
    rows = Category.objects.filter(town_id=town_id, parent__isnull=False, active=True)
    return {row.code: row for row in rows}


def warm() -> None:
    """Load what every intake reads (calendar, towns, their categories and limits) — at worker start."""
    calendar()
    every = towns(None)
    for one in every:
        for category in _cached(("categories", one.pk), partial(_sub_categories, one.pk)).values():
            _cached(("limits", category.pk), partial(_limit_rows, category.pk))
    log.info("参考数据已预热：%s 个乡镇", len(every))


def connect_invalidation() -> None:
    """Clear the cache when reference rows are saved or deleted in this process (called from ``ready``)."""
    from django.db.models.signals import post_delete, post_save

    from gridgov.data.worktime.models import CalendarDay, CalendarYear

    for model in (Area, Category, TimeLimit, CalendarDay, CalendarYear):
        post_save.connect(clear, sender=model, dispatch_uid=f"gridgov-reference-{model.__name__}-save")
        post_delete.connect(clear, sender=model, dispatch_uid=f"gridgov-reference-{model.__name__}-delete")
