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
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain import deadlines
from gridgov.data.cases.domain.bulk import ActionRecord, CaseRecord, write_cases
from gridgov.data.cases.domain.bulk_statements import own_number
from gridgov.data.cases.domain.engine import MAX_DESCRIPTION
from gridgov.data.cases.enums import Action, Channel, Kind, Satisfaction, Status
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput
from gridgov.data.org import numbering
from gridgov.data.org.domain import ancestors_by_level
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Enterprise, User
from gridgov.data.taxonomy.domain import Limit, time_limit
from gridgov.data.taxonomy.enums import Phase, Priority
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import Clock
from gridgov.types import JSONObject

MAX_NUMBER = 32
# The statuses an old record may have. 缓办 is not imported: its paused clock cannot be rebuilt from an export.
IMPORTABLE_STATUSES = (
    Status.REPORTED,
    Status.REGISTERED,
    Status.DISPATCHED,
    Status.HANDLING,
    Status.RESOLVED,
    Status.CLOSED,
    Status.REJECTED,
)
# Milestone columns in the order they must happen (field name, label used in messages).
_ORDER: tuple[tuple[str, Promise], ...] = (
    ("reported_at", gettext_lazy("上报时间")),
    ("registered_at", gettext_lazy("立案时间")),
    ("dispatched_at", gettext_lazy("派遣时间")),
    ("resolved_at", gettext_lazy("处置完成时间")),
    ("closed_at", gettext_lazy("结案时间")),
)


@dataclass(frozen=True, slots=True)
class HistoricalCase:
    """One case of the old system, its references already resolved to this town's objects."""

    number: str
    category: Category  # a sub-category of the town
    area: Area  # the village or grid (or the town itself)
    channel: Channel
    description: str
    status: Status
    reported_at: datetime
    address: str = ""
    registered_at: datetime | None = None
    dispatched_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None  # for a rejected case: when it was rejected
    deadline: datetime | None = None  # the handling deadline after extensions
    rework_count: int = 0
    satisfaction: Satisfaction | None = None
    department: Department | None = None  # default: the sub-category's default department
    priority: Priority | None = None  # default: the sub-category's default priority
    kind: Kind = Kind.EVENT  # a ledger's rows (hazards, problem lists …) are imported with their own kind
    enterprise: Enterprise | None = None  # the company of a hazard or service request
    title: str = ""


def check_historical_case(record: HistoricalCase, *, town: Area, now: datetime | None = None) -> None:
    """Raise InvalidInput (``field`` = the offending column) unless the record is a consistent case of ``town``."""
    now = now or timezone.now()
    number = record.number.strip()
    if not number:
        raise InvalidInput(_("请填写事件编号"), field="number")
    if len(number) > MAX_NUMBER:
        raise InvalidInput(_("事件编号不能超过 %(n)s 个字符") % {"n": MAX_NUMBER}, field="number")
    description = record.description.strip()
    if not description:
        raise InvalidInput(_("请填写事件描述"), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(_("事件描述不能超过 %(n)s 字") % {"n": MAX_DESCRIPTION}, field="description")
    if record.category.town_id != town.pk or record.category.parent_id is None:
        raise InvalidInput(_("事件分类“%(name)s”不是本镇的小类") % {"name": record.category.name}, field="category")
    if record.area.town_id != town.pk and record.area.pk != town.pk:
        raise InvalidInput(
            _("区域“%(name)s”不在%(town)s") % {"name": record.area.name, "town": town.name}, field="area"
        )
    if record.department is not None and record.department.town_id != town.pk:
        raise InvalidInput(_("部门“%(name)s”不是本镇的部门") % {"name": record.department.name}, field="department")
    if record.enterprise is not None and record.enterprise.town_id != town.pk:
        raise InvalidInput(_("企业“%(name)s”不是本镇登记的企业") % {"name": record.enterprise.name}, field="enterprise")
    if record.status not in IMPORTABLE_STATUSES:
        raise InvalidInput(
            _("不能导入状态为“%(status)s”的事件，请在原系统恢复办理后再导出") % {"status": record.status.label},
            field="status",
        )
    if record.reported_at > now:
        raise InvalidInput(_("上报时间晚于当前时间"), field="reported_at")
    _check_order(record)
    _check_status(record)
    if record.rework_count < 0:
        raise InvalidInput(_("返工次数不能为负数"), field="rework_count")
    if record.rework_count and record.resolved_at is None:
        raise InvalidInput(_("有返工次数的事件必须有处置完成时间"), field="rework_count")
    if record.satisfaction is not None and record.status != Status.CLOSED:
        raise InvalidInput(_("只有已结案的事件才能有满意度评价"), field="satisfaction")
    if record.deadline is not None and record.deadline < record.reported_at:
        raise InvalidInput(_("处置期限早于上报时间"), field="deadline")


def _check_order(record: HistoricalCase) -> None:
    previous: tuple[str, Promise, datetime] | None = None
    for name, label in _ORDER:
        moment: datetime | None = getattr(record, name)
        if moment is None:
            continue
        if previous is not None and moment < previous[2]:
            raise InvalidInput(
                _("%(later)s（%(b)s）早于%(earlier)s（%(a)s）")
                % {"later": label, "b": _when(moment), "earlier": previous[1], "a": _when(previous[2])},
                field=name,
            )
        previous = (name, label, moment)


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# For each status: the milestones it needs, and those it cannot have.
_NEEDS: dict[Status, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Status.REPORTED: ((), ("registered_at", "dispatched_at", "resolved_at", "closed_at")),
    Status.REGISTERED: (("registered_at",), ("dispatched_at", "resolved_at", "closed_at")),
    Status.DISPATCHED: (("registered_at", "dispatched_at"), ("resolved_at", "closed_at")),
    Status.HANDLING: (("registered_at", "dispatched_at"), ("closed_at",)),
    Status.RESOLVED: (("registered_at", "dispatched_at", "resolved_at"), ("closed_at",)),
    Status.CLOSED: (("closed_at",), ()),
    Status.REJECTED: ((), ("registered_at", "dispatched_at", "resolved_at")),
}
_LABELS = dict(_ORDER)


def _check_status(record: HistoricalCase) -> None:
    needs, forbids = _NEEDS[record.status]
    for name in needs:
        if getattr(record, name) is None:
            raise InvalidInput(
                _("状态为“%(status)s”的事件必须有%(what)s") % {"status": record.status.label, "what": _LABELS[name]},
                field=name,
            )
    for name in forbids:
        if getattr(record, name) is not None:
            raise InvalidInput(
                _("状态为“%(status)s”的事件不应有%(what)s") % {"status": record.status.label, "what": _LABELS[name]},
                field=name,
            )
    if record.status == Status.HANDLING and record.resolved_at is not None and not record.rework_count:
        raise InvalidInput(_("处置中的事件有处置完成时间时，返工次数至少为 1"), field="rework_count")
    if record.status == Status.CLOSED and record.dispatched_at is not None:
        if record.registered_at is None:
            raise InvalidInput(_("已派遣的事件必须有立案时间"), field="registered_at")
        if record.resolved_at is None:
            raise InvalidInput(_("已派遣并结案的事件必须有处置完成时间"), field="resolved_at")


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
    year = timezone.localtime(record.reported_at).year
    status = record.status
    self_resolved = status == Status.CLOSED and record.dispatched_at is None
    department = None
    if record.dispatched_at is not None:
        department = record.department or category.default_department
    case = Case(
        town=town,
        number=number,
        year=year,
        kind=record.kind,
        enterprise=record.enterprise,
        title=record.title.strip()[:120],
        channel=record.channel,
        category=category,
        major_category_id=category.parent_id,
        priority=record.priority or category.default_priority,
        description=record.description.strip(),
        address=record.address.strip()[:255],
        area=record.area,
        area_path=record.area.path,
        village=levels.get(AreaLevel.VILLAGE),
        grid=levels.get(AreaLevel.GRID),
        reporter_role=Role.GRID_WORKER if record.channel == Channel.GRID_WORKER else "",
        status=status,
        department=department,
        reported_at=record.reported_at,
        registered_at=record.registered_at or (record.reported_at if self_resolved else None),
        dispatched_at=record.dispatched_at,
        rework_count=record.rework_count,
        satisfaction=record.satisfaction or "",
        self_resolved=self_resolved,
        imported=True,
    )
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
