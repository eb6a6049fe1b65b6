"""The case engine: the only code that creates cases and changes their state.

``report_case`` creates a case; ``apply_action`` takes any workflow action. Both:
1. check the action against the transition table, the actor's capacities (role + scope) and what the
   action needs;
2. lock the case row (``select_for_update``; on SQLite the IMMEDIATE transaction holds the write lock)
   and refuse a stale ``expected_version`` with a Conflict;
3. write the case and the hash-chained CaseAction in the same transaction — the action row carries its
   notification debt (the outbox, ``notifications``), so side effects commit or roll back with it;
4. after the commit, wake the worker that delivers them (never raising: the action is committed).
Any error leaves the case exactly as it was.

Cost, kept small because intake must keep up (issue 11): reference data (calendar, time limits, areas) comes
from the per-process cache (``reference``); a report is 5 statements (counter, case, action, case head,
rollup), an action 4 (locked read, action, case, rollup).
"""

from gridgov.data.cases.domain.engine.act import apply_action
from gridgov.data.cases.domain.engine.common import MAX_DESCRIPTION, without_notifications
from gridgov.data.cases.domain.engine.report import as_reported, report_case, reported_photos

__all__ = [
    "MAX_DESCRIPTION",
    "apply_action",
    "as_reported",
    "report_case",
    "reported_photos",
    "without_notifications",
]
