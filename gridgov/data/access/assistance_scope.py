"""Who sees and records social assistance (救助帮扶), as the permission module answers it: payments, veterans'
preferential cards and day care.

The rule lives once in ``assistance/scope.py`` (built on the people register's scope, ``people/scope.py``; the
assistance domain functions enforce it there, below this module); every page, export and API endpoint asks
here, through ``access.permissions``.
"""

from __future__ import annotations

from gridgov.data.assistance.scope import (
    assistance_actions,
    household_to_record,
    may_record_assistance,
    may_see_assistance,
    person_to_record,
    visible_day_care,
    visible_payments,
    visible_veteran_cards,
)

__all__ = [
    "assistance_actions",
    "household_to_record",
    "may_record_assistance",
    "may_see_assistance",
    "person_to_record",
    "visible_day_care",
    "visible_payments",
    "visible_veteran_cards",
]
