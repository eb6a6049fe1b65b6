"""The case behind a new ledger record, filed: reported, then taken through its first steps in one actor's name
(the command room registers it and dispatches it to the unit that handles it). Live through the engine
(``file_case``, in the caller's transaction) or replayed in memory for a ledger import's bulk path
(``replay_case``): the one way the disputes, problem lists, inspections and rentals ledgers file their cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area, User
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import Keywords


class Filing(Protocol):
    """A ledger record checked, as its case is filed."""

    @property
    def fields(self) -> Keywords:
        """The case's, as ``report_case`` (and ``Replay``) take them."""

    @property
    def note(self) -> str:
        """The note of each first step."""

    def steps(self) -> Sequence[tuple[Action, Keywords]]:
        """The first steps: each action with its own arguments (a dispatch's ``department``)."""


def file_case(filing: Filing, *, town: Area, reporter: User, actor: User, now: datetime) -> Case:
    """The case reported by ``reporter``, each first step taken by ``actor``; the case read again after its
    steps. Call it inside the transaction that writes the record. The ledger files it (``by_ledger``): whoever
    records the ledger's row has passed its own scope check, and may use the ledger's own categories."""
    case = report_case(town=town, reporter=reporter, now=now, by_ledger=True, **filing.fields)
    for action, extra in filing.steps():
        apply_action(case_id=case.pk, actor=actor, action=action, note=filing.note, now=now, **extra)
    case.refresh_from_db()
    return case


def replay_case(
    filing: Filing, *, town: Area, reporter: User, actor: User, now: datetime, calendar: WorkCalendar
) -> Replay:
    """``file_case`` in memory (nothing written, no lock): the replay, to be driven further or recorded."""
    replay = Replay(town=town, reporter=reporter, now=now, calendar=calendar, **filing.fields)
    for action, extra in filing.steps():
        replay.act(actor=actor, action=action, note=filing.note, now=now, **extra)
    return replay
