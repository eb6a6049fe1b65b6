"""A past case replayed through the engine's own rules in memory, then written through the bulk path.

Replaying a whole past year (the demo's 2022) action by action through ``apply_action`` holds the write
lock for every one of tens of thousands of steps. ``Replay`` applies the same checks and effects — the
engine's transitions, role choice, required notes/photos, deadlines, extensions, suspensions — to an unsaved
case, collecting each step as an ``ActionRecord`` with the data the engine would have written; ``record()``
then hands the finished case to ``bulk.write_cases``/``write_cases_in_slices``, which numbers it, chains
the hashes exactly as the engine does and adds it to the rollups. Nothing is written until then, so a
replay needs no lock at all (it reads time limits and memberships). A past year notifies nobody.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext as _

from gridgov.data.cases.domain import deadlines
from gridgov.data.cases.domain.bulk import ActionRecord, CaseRecord, StoredFile
from gridgov.data.cases.domain.engine.common import acting_role, check_needs, reporting_role
from gridgov.data.cases.domain.new_case import new_case
from gridgov.data.cases.domain.steps import Choices, Step, advance, report_step
from gridgov.data.cases.enums import Action, Channel, Kind, Satisfaction, Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import capacities
from gridgov.data.cases.transitions import transition_for
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.domain import ancestors_by_level
from gridgov.data.org.models import Area, Department, Enterprise, User
from gridgov.data.taxonomy.domain import time_limit
from gridgov.data.taxonomy.enums import Phase, Priority
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar


class Replay:
    """One case reported at ``now`` and driven by ``act``; ``record()`` describes it for the bulk writer."""

    def __init__(
        self,
        *,
        town: Area,
        reporter: User | None,
        channel: Channel,
        category: Category,
        description: str,
        area: Area,
        now: Any,  # Any: a datetime, or the Replay's own clock object that the demo advances
        calendar: WorkCalendar,
        address: str = "",
        reporter_name: str = "",
        reporter_phone: str = "",
        photos: tuple[StoredFile, ...] = (),
        kind: Kind = Kind.EVENT,
        priority: Priority | None = None,
        title: str = "",
        enterprise: Enterprise | None = None,
    ) -> None:
        if category.town_id != town.pk or category.parent_id is None:
            raise InvalidInput(_("事件分类“%(name)s”不可用，请选择本镇启用的小类") % {"name": category.name})
        levels = ancestors_by_level(area)
        role = reporting_role(reporter, channel)
        self.calendar = calendar
        self.case = new_case(
            town=town,
            kind=kind,
            channel=channel,
            category=category,
            priority=priority,
            title=title,
            description=description,
            address=address,
            area=area,
            levels=levels,
            reporter=reporter,
            reporter_role=role or "",
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
            enterprise=enterprise,
            status=Status.REPORTED,
            reported_at=now,
        )
        deadlines.start_dispatch_clock(
            self.case,
            calendar=calendar,
            limit=time_limit(category=category, phase=Phase.DISPATCH, priority=self.case.priority),
            start=now,
        )
        report = report_step(self.case, role=role, channel=channel, now=now, calendar=calendar)
        self.actions: list[ActionRecord] = [ActionRecord.of(report, from_status="", files=photos)]

    def act(
        self,
        *,
        actor: User,
        action: Action,
        now: Any,  # Any: a datetime, or the Replay's own clock object that the demo advances
        note: str = "",
        department: Department | None = None,
        extension: int | None = None,
        rating: Satisfaction | None = None,
        duplicate_of: Case | None = None,
        photos: tuple[StoredFile, ...] = (),
    ) -> ActionRecord:
        """Take ``action`` as the engine would (same checks and effects); returns the step's record."""
        case = self.case
        transition = transition_for(case.status, action)
        if transition is None:
            raise NotAllowed(_("当前状态不能执行“%(action)s”") % {"action": action.label})
        caps = capacities(actor, case)
        role = acting_role(caps, transition)
        if role is None:
            raise NotAllowed(_("该角色不能执行“%(action)s”") % {"action": action.label})
        step = Step(
            case=case,
            actor=actor,
            role=role,
            action=action,
            transition=transition,
            now=now,
            note=(note or "").strip(),
            calendar=self.calendar,
            files=cast(Any, list(photos)),  # Any: only their presence is checked
        )
        choices = Choices(department=department, duplicate_of=duplicate_of, extension=extension, rating=rating)
        check_needs(step, choices)
        from_status = str(case.status)
        advance(step, transition, choices)
        case.version += 1
        row = ActionRecord.of(step, from_status=from_status, files=photos)
        self.actions.append(row)
        return row

    def record(self) -> CaseRecord:
        return CaseRecord(case=self.case, actions=self.actions)

    @classmethod
    def resume(cls, record: CaseRecord, *, calendar: WorkCalendar) -> Replay:
        """Drive further a case a ledger's ``plan_*`` replayed and described (``record``, not yet written): its
        case and steps are the record's own, so ``act`` adds to what the bulk writer will write."""
        replay = cls.__new__(cls)
        replay.calendar = calendar
        replay.case = record.case
        replay.actions = record.actions
        return replay
