"""Importing a whole export: check every row first, then write all of it in one transaction or nothing.

Used by the ``import_history`` command; the web page goes through the sheets framework with the same
``RowReader`` and ``import_historical_case``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.history import HistoricalCase, import_historical_case
from gridgov.data.cases.models import Case
from gridgov.data.errors import DomainError, InvalidInput
from gridgov.data.org.models import Area, User
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.ops.history.rows import COLUMNS, RowReader, cell_text


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str  # the column's Chinese header, "" when the error is about the whole row
    reason: str

    def __str__(self) -> str:
        where = _("第%(row)s行") % {"row": self.row}
        if self.column:
            where = f"{where}【{self.column}】"
        return f"{where}：{self.reason}"


@dataclass
class Outcome:
    rows: int = 0
    imported: int = 0
    skipped: int = 0  # imported before (re-import)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


_HEADERS = {c.key: str(c.header) for c in COLUMNS}


def _error(row: int, exc: DomainError) -> RowError:
    column = exc.field if isinstance(exc, InvalidInput) else None
    if column == "area":
        column = "village"
    return RowError(row, _HEADERS.get(column or "", ""), exc.message)


def check_rows(
    *, town: Area, rows: Iterable[tuple[int, dict[str, Any]]], now: datetime | None = None
) -> tuple[list[tuple[int, HistoricalCase]], Outcome]:
    """Every row read and checked: the good records, and an outcome listing every bad row."""
    reader = RowReader(town=town, now=now)
    outcome = Outcome()
    good: list[tuple[int, HistoricalCase]] = []
    first_row: dict[str, int] = {}
    for number, row in rows:
        outcome.rows += 1
        text = cell_text(row.get("number"))
        if text and text in first_row:
            outcome.errors.append(
                RowError(
                    number,
                    _HEADERS["number"],
                    _("事件编号 %(n)s 与第%(row)s行重复") % {"n": text, "row": first_row[text]},
                )
            )
            continue
        first_row.setdefault(text, number)
        try:
            record = reader.read(row)
        except DomainError as exc:
            outcome.errors.append(_error(number, exc))
            continue
        good.append((number, record))
    existing = dict(Case.objects.filter(town=town, number__in=list(first_row)).values_list("number", "imported"))
    kept: list[tuple[int, HistoricalCase]] = []
    for number, record in good:
        if record.number not in existing:
            kept.append((number, record))
        elif existing[record.number]:
            outcome.skipped += 1
        else:
            outcome.errors.append(
                RowError(
                    number,
                    _HEADERS["number"],
                    _("编号 %(n)s 已被本平台的事件使用，不能作为历史事件导入") % {"n": record.number},
                )
            )
    outcome.errors.sort(key=lambda e: e.row)
    return kept, outcome


def import_rows(
    *,
    town: Area,
    rows: Iterable[tuple[int, dict[str, Any]]],
    user: User | None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Check all rows; unless it is a dry run and if no row is bad, import them all in one transaction."""
    now = now or timezone.now()
    records, outcome = check_rows(town=town, rows=rows, now=now)
    outcome.dry_run = dry_run
    if dry_run or not outcome.ok:
        return outcome
    calendar = WorkCalendar.load()
    total = len(records)
    try:
        with transaction.atomic():
            for done, (number, record) in enumerate(records, start=1):
                try:
                    made = import_historical_case(
                        town=town, record=record, imported_by=user, now=now, calendar=calendar
                    )
                except DomainError as exc:  # e.g. a deadline in a year the working calendar does not know
                    outcome.errors.append(_error(number, exc))
                    raise _RollBack from None
                if made is None:
                    outcome.skipped += 1
                else:
                    outcome.imported += 1
                if progress is not None and (done % 100 == 0 or done == total):
                    progress(done, total)
    except _RollBack:
        outcome.imported = 0
    return outcome


class _RollBack(Exception):
    """Leaves the import transaction so that nothing of a failed import is kept."""
