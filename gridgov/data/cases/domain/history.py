"""History from a previous platform: one old case, written as a case of ours with its actions marked 历史导入.

A town moving to GridGov brings years of cases exported from its old system. ``import_historical_case``
writes one of them as a ``Case`` (``imported=True``) whose milestones, deadline, rework count, satisfaction
and status are those of the old record, so that every indicator counts it exactly like a native case:

- milestones: ``reported_at``, ``registered_at``, ``dispatched_at``, ``first_resolved_at``/``resolved_at``
  (the old export knows only the last resolution, so both are set to it), ``closed_at`` or ``rejected_at``;
- deadlines: the dispatch clock starts at the report, as the engine starts it; the handling deadline is the
  old record's deadline when it has one, else the sub-category's time limit from the dispatch (on our
  working calendar); the on-time flag is written on the resolution step;
- a case closed without ever being dispatched was resolved on the spot (自行处置): it counts as registered
  when reported, as the engine does.

Records are written through the bulk path (``gridgov.data.cases.domain.bulk``): ``import_historical_cases``
checks and describes every record first, then writes them all in one short transaction with bulk inserts.
Each milestone becomes one ``CaseAction`` with ``action=import`` (from → to status, the old time as its
time), hash-chained exactly like the engine's actions, so ``verify_audit_chain`` checks imported cases too.
The importing user and time are recorded in each action's data (covered by the hash). Imports send no
notifications. Re-importing the same (town, number) changes nothing.

The ledger importers write their finished rows (销号, 化解, 办结) the same way: the record then carries the
case ``kind``, the ``enterprise`` and a ``title``, its milestones come from ``ledger_milestones`` and a row
without a number of its own gets ``next_own_number``.

The record and its checks are ``history_record``'s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain import deadlines
from gridgov.data.cases.domain.bulk import ActionRecord, CaseRecord, write_cases
from gridgov.data.cases.domain.bulk_statements import own_number
from gridgov.data.cases.domain.history_record import HistoricalCase, check_historical_case
from gridgov.data.cases.domain.new_case import new_case
from gridgov.data.cases.enums import Action, Channel, Status
from gridgov.data.cases.models import Case
from gridgov.data.org import numbering
from gridgov.data.org.domain import ancestors_by_level
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, User
from gridgov.data.taxonomy.domain import Limit, time_limit
from gridgov.data.taxonomy.enums import Phase
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import Clock
from gridgov.types import JSONObject

__all__ = [
    "HistoricalCase",
    "Limits",
    "check_deadlines",
    "check_historical_case",
    "historical_case_exists",
    "historical_case_record",
    "import_historical_case",
    "import_historical_cases",
    "next_own_number",
]


def historical_case_exists(*, town: Area, number: str) -> bool:
    """Whether a case numbered ``number`` was already imported into ``town`` (re-import skips it)."""
    return Case.objects.filter(town=town, number=number.strip(), imported=True).exists()


def historical_case_record(
    *,
    town: Area,
    record: HistoricalCase,
    imported_by: User | None,
    now: datetime,
    calendar: WorkCalendar,
    limits: Limits | None = None,
) -> CaseRecord:
    """The checked ``record`` described in full for the bulk writer: the case and its IMPORT actions.

    Touches the database only for what ``Limits`` has not looked up yet (no lock is needed)."""
    case = _build_case(town=town, record=record, number=record.number.strip(), calendar=calendar, limits=limits)
    by = {"id": imported_by.pk, "name": str(imported_by)} if imported_by is not None else None
    note = _("原系统历史记录")
    actor_name = _("原系统")
    actions: list[ActionRecord] = []
    from_status = ""
    for step, to_status, moment, extra in _steps(case, record):
        actions.append(
            ActionRecord(
                action=Action.IMPORT.value,
                from_status=from_status,
                to_status=to_status.value,
                created_at=moment,
                actor_name=actor_name,
                note=note,
                data={"step": step, **extra, "imported_by": by, "imported_at": now.isoformat()},
            )
        )
        from_status = to_status.value
    return CaseRecord(case=case, actions=actions)


def import_historical_cases(
    *,
    town: Area,
    records: Sequence[HistoricalCase],
    imported_by: User | None,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
    limits: Limits | None = None,
) -> list[Case]:
    """Write ``records`` as imported cases through the bulk path, all or nothing; returns the cases written.

    Every record is checked and described before the one short write transaction; those imported before
    are skipped. Raises InvalidInput (nothing written) for an inconsistent record, Conflict when a native
    case already has one of the numbers, UnknownCalendarYear for a deadline in a year the calendar lacks.
    """
    now = now or timezone.now()
    calendar = calendar or WorkCalendar.load()
    limits = limits or Limits()
    for record in records:
        check_historical_case(record, town=town, now=now)
    described = [
        historical_case_record(
            town=town, record=record, imported_by=imported_by, now=now, calendar=calendar, limits=limits
        )
        for record in records
    ]
    return write_cases(town=town, records=described)


def import_historical_case(
    *,
    town: Area,
    record: HistoricalCase,
    imported_by: User | None,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
    limits: Limits | None = None,
) -> Case | None:
    """Write ``record`` as an imported case with its IMPORT actions; None if it was imported before.

    Raises InvalidInput for an inconsistent record, Conflict when a native case already has the number.
    """
    written = import_historical_cases(
        town=town, records=[record], imported_by=imported_by, now=now, calendar=calendar, limits=limits
    )
    return written[0] if written else None


def next_own_number(*, town: Area, reported_at: datetime) -> str:
    """The next free number in the town's own pattern (DX2022-000123) for a case reported at ``reported_at``.

    For ledger rows that have no number of their own: ``import_historical_case`` then claims exactly this
    sequence (call both in the same transaction).
    """
    year = timezone.localtime(reported_at).year
    last = numbering.last_values(series=numbering.CASES, town=town, years=[year]).get(year, 0)
    seq = last + 1
    while Case.objects.filter(town=town, year=year, seq=seq).exists():
        seq += 1
    return own_number(town, year, seq)


def _build_case(
    *, town: Area, record: HistoricalCase, number: str, calendar: WorkCalendar, limits: Limits | None
) -> Case:
    category = record.category
    assert category.parent_id is not None  # checked: a sub-category
    levels = ancestors_by_level(record.area)
    status = record.status
    self_resolved = status == Status.CLOSED and record.dispatched_at is None
    case = new_case(
        town=town,
        kind=record.kind,
        channel=record.channel,
        category=category,
        priority=record.priority,
        title=record.title,
        description=record.description,
        address=record.address,
        area=record.area,
        levels=levels,
        reporter_role=Role.GRID_WORKER if record.channel == Channel.GRID_WORKER else "",
        enterprise=record.enterprise,
        status=status,
        reported_at=record.reported_at,
    )
    case.number = number
    if record.dispatched_at is not None:
        case.department = record.department or category.default_department
    case.registered_at = record.registered_at or (record.reported_at if self_resolved else None)
    case.dispatched_at = record.dispatched_at
    case.rework_count = record.rework_count
    case.satisfaction = record.satisfaction or ""
    case.self_resolved = self_resolved
    case.imported = True
    if status == Status.REJECTED:
        case.rejected_at = record.closed_at or record.reported_at
    else:
        resolved = record.resolved_at or (record.closed_at if self_resolved else None)
        case.first_resolved_at = case.resolved_at = resolved
        case.closed_at = record.closed_at
    _start_clocks(case, record=record, calendar=calendar, limits=limits)
    return case


class Limits:
    """The time limits looked up during one import (a file has thousands of rows and a few dozen categories)."""

    def __init__(self) -> None:
        self._found: dict[tuple[int, str, str], Limit] = {}

    def get(self, *, category: Category, phase: Phase, priority: str) -> Limit:
        key = (category.pk, str(phase), str(priority))
        if key not in self._found:
            self._found[key] = time_limit(category=category, phase=phase, priority=priority)
        return self._found[key]


def _start_clocks(case: Case, *, record: HistoricalCase, calendar: WorkCalendar, limits: Limits | None) -> None:
    """The dispatch clock from the report (as the engine starts it) and the handling clock from the dispatch."""
    category = record.category
    deadlines.start_dispatch_clock(
        case,
        calendar=calendar,
        limit=(limits or Limits()).get(category=category, phase=Phase.DISPATCH, priority=case.priority),
        start=record.reported_at,
    )
    if record.dispatched_at is not None:
        limit = (limits or Limits()).get(category=category, phase=Phase.HANDLE, priority=case.priority)
        deadlines.start_handle_clock(case, calendar=calendar, limit=limit, start=record.dispatched_at)
        if record.deadline is not None:  # the old system's deadline (after its extensions) wins
            _set_handle_deadline(case, calendar=calendar, deadline=record.deadline)


def check_deadlines(record: HistoricalCase, *, calendar: WorkCalendar, limits: Limits | None = None) -> None:
    """Compute the record's deadlines without writing anything: raises where import would."""
    case = Case(category=record.category, priority=record.priority or record.category.default_priority)
    _start_clocks(case, record=record, calendar=calendar, limits=limits)


def _set_handle_deadline(case: Case, *, calendar: WorkCalendar, deadline: datetime) -> None:
    assert case.handle_started_at is not None
    clock = Clock(case.handle_clock)
    minutes = (
        calendar.minutes_between(case.handle_started_at, deadline, clock) if deadline > case.handle_started_at else 0
    )
    case.handle_limit_minutes = minutes
    case.handle_deadline = deadline
    case.handle_warn_at = calendar.add(case.handle_started_at, math.ceil(minutes * deadlines.WARN_FRACTION), clock)
    if case.handle_warn_at > deadline:
        case.handle_warn_at = deadline


def _steps(case: Case, record: HistoricalCase) -> list[tuple[str, Status, datetime, JSONObject]]:
    """(step, status after it, time, data) for each milestone of the old record, in order."""
    steps: list[tuple[str, Status, datetime, JSONObject]] = [
        ("report", Status.REPORTED, record.reported_at, {"channel": record.channel.value})
    ]
    if case.status == Status.REJECTED:
        assert case.rejected_at is not None
        steps.append(("reject", Status.REJECTED, case.rejected_at, {}))
        return steps
    if case.self_resolved:
        assert case.closed_at is not None
        steps.append(("self_resolve", Status.CLOSED, case.closed_at, {}))
    else:
        if record.registered_at is not None:
            steps.append(("register", Status.REGISTERED, record.registered_at, {}))
        if record.dispatched_at is not None:
            data: JSONObject = {"deadline": case.handle_deadline.isoformat() if case.handle_deadline else None}
            if case.department is not None:
                data["department"] = {"id": case.department.pk, "name": case.department.name}
            steps.append(("dispatch", Status.DISPATCHED, record.dispatched_at, data))
        if record.resolved_at is not None:
            data = {"rework_count": record.rework_count}
            if case.handle_deadline is not None:
                data["on_time"] = record.resolved_at <= case.handle_deadline
            steps.append(("resolve", Status.RESOLVED, record.resolved_at, data))
        if record.closed_at is not None:
            steps.append(("close", Status.CLOSED, record.closed_at, {}))
    if record.satisfaction is not None:
        steps.append(("rate", Status.CLOSED, steps[-1][2], {"rating": record.satisfaction.value}))
    if case.status == Status.HANDLING:  # signed for; or, when it has a resolution, sent back for rework
        steps.append(("rework" if record.resolved_at else "sign", Status.HANDLING, steps[-1][2], {}))
    return steps
