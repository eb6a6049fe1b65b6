"""Provisional deadlines (暂定期限) made final once a year's official holiday schedule is known.

A deadline counted across a year that neither the holiday package nor an administrator knows is computed on
the provisional calendar (weekends and statutory holidays, no 调休) and flagged on the case
(``dispatch_provisional`` / ``handle_provisional``). When that year's schedule arrives — an administrator
confirms it (``CalendarYear``), or a newer holiday package carries it — each open case's provisional
deadlines are recomputed once, from the same start, limit and paused time, and the change is written on the
case's audit chain (action 期限重算, by the system, with the reason and the old and new deadlines).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain import deadlines, rollups
from gridgov.data.cases.domain.engine.common import WORKFLOW_ATTNAMES, after_commit, write_action
from gridgov.data.cases.domain.steps import Step
from gridgov.data.cases.enums import TERMINAL_STATUSES, Action
from gridgov.data.cases.models import Case
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import JSONObject


def provisional_open_cases() -> QuerySet[Case]:
    """Open cases with a provisional deadline (the partial index ``case_provisional`` answers it)."""
    return Case.objects.filter(Q(dispatch_provisional=True) | Q(handle_provisional=True)).exclude(
        status__in=TERMINAL_STATUSES
    )


def recompute_provisional_deadlines(*, reason: str, now: datetime | None = None) -> list[str]:
    """Recompute every open provisional deadline whose years are now known; the numbers of the cases changed.

    Idempotent and cheap when there is nothing to do (one indexed query), so the deadline loop may call it
    every cycle; each case is locked and written in its own short transaction.
    """
    now = now or timezone.now()
    calendar = WorkCalendar.load()
    changed: list[str] = []
    for case_id in list(provisional_open_cases().values_list("pk", flat=True)):
        number = _recompute_case(case_id=case_id, calendar=calendar, reason=reason, now=now)
        if number:
            changed.append(number)
    return changed


def _settled(calendar: WorkCalendar, start: datetime | None, deadline: datetime | None) -> bool:
    """Whether a provisional span's years are all known now."""
    return start is not None and deadline is not None and not calendar.provisional_between(start, deadline)


def _recompute_case(*, case_id: int, calendar: WorkCalendar, reason: str, now: datetime) -> str:
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).filter(pk=case_id).first()
        if case is None or case.status in TERMINAL_STATUSES:
            return ""
        before = rollups.snapshot(case)
        data: JSONObject = {"reason": reason}
        if case.dispatch_provisional and _settled(calendar, case.dispatch_started_at, case.dispatch_deadline):
            old = case.dispatch_deadline
            deadlines.recompute_dispatch_deadline(case, calendar=calendar)
            data["dispatch_deadline"] = [_iso(old), _iso(case.dispatch_deadline)]
        if case.handle_provisional and _settled(calendar, case.handle_started_at, case.handle_deadline):
            old = case.handle_deadline
            deadlines.recompute_handle_deadline(case, calendar=calendar)
            data["handle_deadline"] = [_iso(old), _iso(case.handle_deadline)]
        if len(data) == 1:
            return ""
        step = Step(
            case=case,
            actor=None,
            role=None,
            action=Action.RECALENDAR,
            transition=None,
            now=now,
            note=_("期限按正式节假日安排重新计算：%(reason)s") % {"reason": reason},
            calendar=calendar,
            data=data,
        )
        row = write_action(step, from_status=case.status)
        values = {attname: getattr(case, attname) for attname in WORKFLOW_ATTNAMES}
        Case.objects.filter(pk=case.pk).update(version=case.version + 1, updated_at=now, **values)
        rollups.case_changed(before=before, after=rollups.snapshot(case))
        after_commit(row)
        return case.number


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment is not None else None
