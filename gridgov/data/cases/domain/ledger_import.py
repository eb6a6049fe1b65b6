"""One importer base for the ledgers whose rows are cases (隐患, 企业诉求, 问题清单, 信访纠纷, 督查问题).

A ledger row is either finished — its dates give ``LedgerMilestones`` and it becomes a historical case with
历史导入 actions (``historical_case_record``) — or still open: the ledger's ``plan_*`` replays in memory what its
``record_*`` would file through the engine (same checks, roles, deadlines and automatic steps). Both kinds
are described before any lock is taken, then written together through the bulk path (``bulk.write_cases``)
with their detail rows in one short transaction, all or nothing; the open cases' latest steps are owed to
the outbox (``bulk.owe_notifications``), so whoever has them in hand is told as the engine would tell them.

A ledger states only its own part: when a row is finished (``milestones``), how its finished case is filed
(``finished_case``), its detail rows (``finished_rows``) and how an open row is planned (``plan``).

Who may import a ledger the town keeps is said once, by ``TownLedgerImporter``: the base of these ledgers and
of the town's other ledgers (assistance, projects, the villages' ledgers).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Protocol, cast

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.bulk import CaseRecord, insert_rows, owe_notifications, write_cases
from gridgov.data.cases.domain.history import HistoricalCase, Limits, check_historical_case, historical_case_record
from gridgov.data.cases.domain.notifications import wake_worker
from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import may_import_town_ledgers
from gridgov.data.errors import DomainError, NotAllowed
from gridgov.data.org.models import Area, User
from gridgov.data.sheets import cells
from gridgov.data.sheets.cells import LaterDate
from gridgov.data.sheets.framework import FailedAt, ImportContext, Importer, RowInvalid
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import FromDjango, ParsedRow, SheetRow

# The times of day a ledger row's dates stand for: found in the morning, rectified and accepted by evening.
LEDGER_OPENED_AT = time(9, 0)
LEDGER_RESOLVED_AT = time(17, 0)
LEDGER_CLOSED_AT = time(17, 30)


def ledger_moment(day: date, at: time) -> datetime:
    """A ledger date at one of its times of day (``LEDGER_OPENED_AT`` …), in the town's time."""
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True, slots=True)
class LedgerMilestones:
    """The milestones of a ledger row that is finished (closed) or rectified awaiting acceptance (resolved)."""

    status: Status
    reported_at: datetime
    registered_at: datetime
    dispatched_at: datetime
    resolved_at: datetime
    closed_at: datetime | None


def ledger_milestones(
    *,
    opened_on: date,
    resolved_on: date | None,
    closed_on: date | None,
    now: datetime,
    opened_at: datetime | None = None,
) -> LedgerMilestones | None:
    """Milestones from a ledger row's dates (the caller checked their order); None for a row still open.

    Registered and dispatched when found (the command room dispatched it that day); resolved on the
    rectification date, else on the closing date; closed (销号/化解/办结) on the closing date. No moment is
    later than ``now``; ``opened_at`` (a row that knows its time of finding) replaces the morning of
    ``opened_on``, and no later milestone comes before it.
    """
    if resolved_on is None and closed_on is None:
        return None

    def moment(day: date, at: time) -> datetime:
        return min(ledger_moment(day, at), now)

    reported = min(opened_at, now) if opened_at is not None else moment(opened_on, LEDGER_OPENED_AT)
    resolved_day = resolved_on or closed_on
    assert resolved_day is not None
    resolved = max(moment(resolved_day, LEDGER_RESOLVED_AT), reported)
    return LedgerMilestones(
        status=Status.CLOSED if closed_on is not None else Status.RESOLVED,
        reported_at=reported,
        registered_at=reported,
        dispatched_at=reported,
        resolved_at=resolved,
        closed_at=max(moment(closed_on, LEDGER_CLOSED_AT), resolved) if closed_on is not None else None,
    )


def rectified_and_closed(
    row: SheetRow, *, opened_on: date, today: date, rectified: str, before_rectified: str, before_closed: str
) -> tuple[date | None, date | None]:
    """A problem ledger's 整改完成日期 (column ``rectified``) and 销号日期 (column ``closed_on``), as
    ``cells.later_dates`` reads them; the ledger says how each may not come before its row's finding."""
    return cells.later_dates(
        row,
        opened_on=opened_on,
        today=today,
        resolved=LaterDate(rectified, before_rectified, _("整改完成日期晚于今天")),
        closed=LaterDate("closed_on", before_closed, _("销号日期晚于今天")),
        closed_before_resolved=_("销号日期早于整改完成日期"),
    )


def rectified_and_accepted(row: SheetRow, *, opened_on: date, today: date) -> tuple[date | None, date | None]:
    """A rectification ledger's 整改完成日期 (column ``rectified_on``) and 验收日期 (``accepted_on``), as
    ``cells.later_dates`` reads them, each on or after the row's 发现日期."""
    return cells.later_dates(
        row,
        opened_on=opened_on,
        today=today,
        resolved=LaterDate("rectified_on", _("整改完成日期早于发现日期"), _("整改完成日期晚于今天")),
        closed=LaterDate("accepted_on", _("验收日期早于发现日期"), _("验收日期晚于今天")),
        closed_before_resolved=_("验收日期早于整改完成日期"),
    )


class Planned(Protocol):
    """An open row replayed in memory by a ledger's ``plan_*``: its case for the bulk path, and its detail
    rows once that case is written (``rows(case)``, in the order they are to be inserted)."""

    @property
    def record(self) -> CaseRecord: ...

    def rows(self, case: Case) -> Sequence[Model]: ...


class CaseDetail(Protocol):
    """A ledger's detail row: it belongs to one case (``case``)."""

    case: Case


@dataclass(frozen=True, slots=True)
class PlannedRow[D: Model]:
    """The ``Planned`` of a ledger with one detail row a case: the replayed case's ``record``, and ``detail``
    built on the replayed case (``replay.case``), given the written case by ``rows(case)``."""

    record: CaseRecord
    detail: D

    def rows(self, case: Case) -> list[D]:
        # Every ledger's detail row has its case; the stubs type a model's foreign key as a descriptor, which no
        # Protocol matches, so the bound says Model and this says CaseDetail.
        detail = cast(CaseDetail, self.detail)
        detail.case = case
        return [self.detail]


def finished_case(milestones: LedgerMilestones, **fields: FromDjango) -> HistoricalCase:
    """A finished row's case: its milestones, and the ledger's own ``fields`` (category, area, channel …)."""
    return HistoricalCase(
        number="",
        status=milestones.status,
        reported_at=milestones.reported_at,
        registered_at=milestones.registered_at,
        dispatched_at=milestones.dispatched_at,
        resolved_at=milestones.resolved_at,
        closed_at=milestones.closed_at,
        **fields,
    )


class TownLedgerImporter(Importer):
    """The import of a ledger the town keeps: whoever may import the town's ledgers may import it (a ledger whose
    rows others enter as well says so itself, calling this first)."""

    def allowed(self, user: User) -> bool:
        return may_import_town_ledgers(user)


class LedgerImporter(TownLedgerImporter):
    """``apply_all`` for a ledger of cases: every row, finished or open, through the bulk path at once."""

    # Shown when the import has no operator (the open rows' steps are taken in someone's name); None: not needed.
    needs_operator: str | Promise | None = None
    # The ledger's detail rows, and their column holding a row's ``natural_key`` (tells a row already imported).
    detail_model: type[Model]
    key_field: str = "import_key"

    def natural_key(self, parsed: ParsedRow) -> Hashable:
        """The row's own value of the detail rows' key column (its attribute named ``key_field``)."""
        key: Hashable = getattr(parsed, self.key_field)
        return key

    def exists(self, parsed: ParsedRow, *, ctx: ImportContext) -> bool:
        lookup = {"town": ctx.town, self.key_field: self.natural_key(parsed)}
        return self.detail_model._default_manager.filter(**lookup).exists()

    def milestones(self, parsed: ParsedRow, *, ctx: ImportContext) -> LedgerMilestones | None:
        """A finished row's milestones from its dates; None for a row still open."""
        raise NotImplementedError

    def finished_case(self, parsed: ParsedRow, *, milestones: LedgerMilestones, town: Area) -> HistoricalCase:
        raise NotImplementedError

    def finished_rows(self, parsed: ParsedRow, *, town: Area, case: Case) -> Sequence[Model]:
        """The ledger's detail rows of a finished row's written case (in the order they are to be inserted)."""
        raise NotImplementedError

    def plan(self, parsed: ParsedRow, *, ctx: ImportContext, calendar: WorkCalendar) -> Planned:
        """An open row as the ledger's ``record_*`` would file it, replayed in memory (``plan_*``)."""
        raise NotImplementedError

    def operator(self, ctx: ImportContext) -> User | None:
        """The import's user, if any; a ledger that ``needs_operator`` refuses every row without one."""
        if self.needs_operator is None:
            return ctx.user
        return self.open_rows_actor(ctx)

    def open_rows_actor(self, ctx: ImportContext) -> User:
        """Who takes an open row's steps: the import's user (a ledger calling this sets ``needs_operator``)."""
        return ctx.signed_in_user(missing=self.needs_operator)

    def apply(self, parsed: ParsedRow, *, ctx: ImportContext) -> None:
        self.apply_all([parsed], ctx=ctx)

    def check_all(self, rows: list[ParsedRow], *, ctx: ImportContext) -> None:
        """The dry run's last check: every row described as ``apply_all`` would, nothing written."""
        self._describe(rows, ctx=ctx)

    def apply_all(self, rows: list[ParsedRow], *, ctx: ImportContext) -> bool:
        """Describe every row (no lock), then write them all in one short transaction, all or nothing."""
        town = ctx.town
        finished, planned = self._describe(rows, ctx=ctx)

        def details(cases: list[Case]) -> None:
            done, live = cases[: len(finished)], cases[len(finished) :]
            made: list[Model] = []
            for (parsed, _record), case in zip(finished, done, strict=True):
                made.extend(self.finished_rows(parsed, town=town, case=case))
            for one, case in zip(planned, live, strict=True):
                made.extend(one.rows(case))
            insert_rows(made)
            owe_notifications(live, now=ctx.now)
            if live:
                transaction.on_commit(wake_worker, robust=True)

        records = [described for _parsed, described in finished] + [one.record for one in planned]
        write_cases(town=town, records=records, then=details)
        return True

    def _describe(
        self, rows: list[ParsedRow], *, ctx: ImportContext
    ) -> tuple[list[tuple[ParsedRow, CaseRecord]], list[Planned]]:
        """Every row as it is to be written: finished rows' case records, open rows' plans (raises ``FailedAt``)."""
        user = self.operator(ctx)
        town = ctx.town
        calendar, limits = WorkCalendar.load(), Limits()
        finished: list[tuple[ParsedRow, CaseRecord]] = []
        planned: list[Planned] = []
        failures: list[tuple[int, RowInvalid | DomainError]] = []
        for index, parsed in enumerate(rows):
            try:
                milestones = self.milestones(parsed, ctx=ctx)
                if milestones is None:
                    planned.append(self.plan(parsed, ctx=ctx, calendar=calendar))
                    continue
                record = self.finished_case(parsed, milestones=milestones, town=town)
                # a record without a number gets the next one of the town's pattern when it is written
                check_historical_case(dataclasses.replace(record, number=record.number or "-"), town=town, now=ctx.now)
                described = historical_case_record(
                    town=town, record=record, imported_by=user, now=ctx.now, calendar=calendar, limits=limits
                )
            except NotAllowed:
                raise  # the user may not write this ledger at all: not the row's fault
            except (RowInvalid, DomainError) as error:
                failures.append((index, error))  # and on: every failing row is reported at once
                continue
            finished.append((parsed, described))
        if failures:
            raise FailedAt(failures)
        return finished, planned
