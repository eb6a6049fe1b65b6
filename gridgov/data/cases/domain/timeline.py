"""A case's timeline as every surface shows it — the desk's case page, the phone's and the API's case detail: each
step with who took it (``personal_data.timeline``: the one rule of showing names) and what it decided that its note
does not say (``step_detail``), so the three read the same."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gridgov.data.cases.domain import personal_data
from gridgov.data.cases.domain.deadlines import limit_amount_text
from gridgov.data.cases.enums import Action, Satisfaction
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.dates import written_datetime
from gridgov.data.worktime.enums import TimeUnit


class TimelineEntry(NamedTuple):
    """One step of the timeline: the action, who took it as the viewer is shown them ("" for no one: a public
    report, the system) and what it decided (``step_detail``; "" for most steps)."""

    action: CaseAction
    who: str
    detail: str


def step_detail(action: CaseAction) -> str:
    """What a step decided that its note does not say, in the active language: the handling deadline a dispatch set
    (处置期限 2026年11月25日 17:30), the extension asked for, granted or refused (延期3个工作日, with the new deadline
    when granted), the deadline a resume set (新期限 …) and the rating given (评价：满意); "" for any other step.

    Read from the step's own record (``CaseAction.data``, written by ``steps``), not from the case as it is now."""
    data = action.data or {}
    parts = []
    extension = data.get("extension")
    if isinstance(extension, dict) and extension.get("value") and extension.get("unit") in TimeUnit.values:
        amount = limit_amount_text(int(extension["value"]), TimeUnit(extension["unit"]))
        parts.append(_("延期%(amount)s") % {"amount": amount})
    deadline = parse_datetime(data["deadline"]) if isinstance(data.get("deadline"), str) else None
    if deadline is not None:  # a dispatch starts the handling clock; an approved extension or a resume moves it
        dispatched = action.action in (Action.DISPATCH, Action.REDISPATCH)
        text = _("处置期限 %(deadline)s") if dispatched else _("新期限 %(deadline)s")
        parts.append(text % {"deadline": written_datetime(deadline)})
    if data.get("rating") in Satisfaction.values:
        parts.append(_("评价：%(rating)s") % {"rating": Satisfaction(data["rating"]).label})
    return pgettext("between the parts of a step's detail", "，").join(parts)


def case_timeline(case: Case, actions: Iterable[CaseAction], *, revealed: bool = False) -> list[TimelineEntry]:
    """``actions`` of ``case`` (in the order given) as the timeline shows them. ``revealed``: the viewer has just
    unmasked the reporter's contact, so the reporter's own steps name them in full (``personal_data.timeline``)."""
    return [
        TimelineEntry(action=a, who=who, detail=step_detail(a))
        for a, who in personal_data.timeline(case, actions, revealed=revealed)
    ]
