"""Grid visits (走访): a grid worker's due list with lamps, the visit record, a finding made a case, coverage.

What a grid worker may visit (``scope_of``): the residents and houses of the people register's scope rule
(``people/scope.py``, the rule ``access.permissions`` answers with) that lie in the grids they patrol, and the
groups that rule lets them see (a sensitive group is not a grid worker's). Every read of people here goes through
that scope; every write checks the visited resident or house against it.

The due date of a member is their last visit's date plus the group's frequency (never visited: the membership's
start); a person in several groups is visited at the shortest frequency. A group-rental house (群租房) of the
worker's grids is due every ``GRIDGOV_GROUP_RENTAL_VISIT_DAYS`` days from its last visit (never: its registration).
"""

from gridgov.data.cases.enums import Lamp  # the case's lamps, for visits too
from gridgov.data.visits.domain.coverage import AreaRound, CoverageRow, coverage, rounds
from gridgov.data.visits.domain.due import YELLOW_DAYS, DueItem, due_list, lamp_for, next_due, overdue_members
from gridgov.data.visits.domain.record import (
    MAX_TEXT,
    VisitInput,
    finding_to_case,
    record_visit,
    record_visit_and_case,
    visit_of,
    visit_target,
)
from gridgov.data.visits.domain.scope import VisitScope, scope_of

__all__ = [
    "MAX_TEXT",
    "YELLOW_DAYS",
    "AreaRound",
    "CoverageRow",
    "DueItem",
    "Lamp",
    "VisitInput",
    "VisitScope",
    "coverage",
    "due_list",
    "finding_to_case",
    "lamp_for",
    "next_due",
    "overdue_members",
    "record_visit",
    "record_visit_and_case",
    "rounds",
    "scope_of",
    "visit_of",
    "visit_target",
]
