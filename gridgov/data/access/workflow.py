"""What a user may do to a case right now, from the transition table and the scope check.

Used by the API's ``GET /api/cases/{id}/actions``. The engine re-checks everything when the action is
taken; this only lists the actions worth offering.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import capacities
from gridgov.data.cases.transitions import Need, actions_from
from gridgov.data.org.models import User


@dataclass(frozen=True, slots=True)
class Offer:
    action: Action
    target: Status | None  # None: back to the status before suspension
    needs: tuple[Need, ...]


def available_actions(*, user: User, case: Case) -> list[Offer]:
    caps = capacities(user, case)
    if not caps:
        return []
    offers: list[Offer] = []
    for transition in actions_from(case.status):
        if not caps & transition.roles:
            continue
        if Need.PENDING_EXTENSION in transition.needs and not case.pending_extension_value:
            continue
        if Need.NO_PENDING_EXTENSION in transition.needs and case.pending_extension_value:
            continue
        needs = tuple(
            sorted(n for n in transition.needs if n not in (Need.PENDING_EXTENSION, Need.NO_PENDING_EXTENSION))
        )
        target = transition.target
        if target is None and case.status_before_suspend:
            target = Status(case.status_before_suspend)
        offers.append(Offer(action=transition.action, target=target, needs=needs))
    return offers
