"""Supervision (督办) of lagging milestones on the case engine.

``supervise_lagging`` is the periodic check (``manage.py supervise_projects``, also run by the demo): each milestone
open past its due day (``projects.schedule``) and not yet supervised gets one case under the ledger's category
(重点项目/项目节点督办, 10 working days to handle), reported, registered and dispatched to the project's owner
department by the command room — the project's creator when they still manage the town, else one of the town's
operators — in one transaction with the milestone's link to it. The milestone row is locked and read again first, so
two runs (or a run beside another) never open a second case for the same milestone; a done milestone opens none.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.enums import Action, Channel, Kind
from gridgov.data.cases.models import Case
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, Membership, User
from gridgov.data.projects.models import Milestone, Project
from gridgov.data.projects.schedule import lagging_milestones_q
from gridgov.data.projects.scope import may_manage_project
from gridgov.data.taxonomy.domain import LedgerCategory, Limit, ledger_category
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.enums import TimeUnit

log = logging.getLogger(__name__)

PROJECT_CATEGORY = LedgerCategory(
    major_code="23", major_name="重点项目", major_order=23,
    code="2301", name="项目节点督办", sort_order=1, handle=Limit(10, TimeUnit.WORK_DAYS), ledger_only=True,
)  # fmt: skip


def install_project_category(*, town: Area) -> Category:
    """The sub-category supervision cases are filed under (重点项目/项目节点督办), with its time limits."""
    return ledger_category(town=town, spec=PROJECT_CATEGORY)


def _supervisor(project: Project) -> User | None:
    creator = project.created_by
    if creator is not None and may_manage_project(creator, project):
        return creator
    members = Membership.objects.filter(
        role=Role.OPERATOR, user__is_active=True, area__isnull=False, town=project.town
    ).select_related("user", "area")
    for membership in members.order_by("pk"):
        if membership.area is not None and project.town.path.startswith(membership.area.path):
            return membership.user
    return None


def _open_case(milestone: Milestone, *, actor: User, now: datetime) -> Case:
    project = milestone.project
    category = install_project_category(town=project.town)
    planned = milestone.planned_on
    description = _(
        "重点项目“%(project)s”的节点“%(milestone)s”计划于%(y)s年%(m)s月%(d)s日完成，至今未完成，已滞后。"
        "请%(department)s抓紧推进并反馈。"
    ) % {
        "project": project.name,
        "milestone": milestone.name,
        "y": planned.year,
        "m": planned.month,
        "d": planned.day,
        "department": project.department.name,
    }
    title = _("项目督办：%(project)s（%(milestone)s滞后）") % {"project": project.name, "milestone": milestone.name}
    case = report_case(
        town=project.town,
        reporter=actor,
        channel=Channel.INSPECTION,
        kind=Kind.EVENT,
        category=category,
        title=title[:120],
        description=description,
        area=project.village or project.town,
        now=now,
        by_ledger=True,
    )
    note = _("重点项目节点滞后，督办%(department)s") % {"department": project.department.name}
    apply_action(case_id=case.pk, actor=actor, action=Action.REGISTER, note=note, now=now)
    apply_action(
        case_id=case.pk, actor=actor, action=Action.DISPATCH, department=project.department, note=note, now=now
    )
    return case


def supervise_lagging(*, now: datetime | None = None, town: Area | None = None) -> list[Case]:
    """Open one supervision case for each lagging milestone that has none; returns the cases opened."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    lagging = Milestone.objects.filter(lagging_milestones_q(today=today), case__isnull=True)
    if town is not None:
        lagging = lagging.filter(project__town=town)
    opened: list[Case] = []
    for pk in lagging.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            milestone = (
                Milestone.objects.select_for_update(of=("self",))
                .select_related("project__town", "project__department", "project__village", "project__created_by")
                .filter(pk=pk, case__isnull=True, done_on__isnull=True)
                .first()
            )
            if milestone is None:
                continue
            actor = _supervisor(milestone.project)
            if actor is None:
                log.warning("No operator of town %s to supervise milestone %s", milestone.project.town_id, pk)
                continue
            case = _open_case(milestone, actor=actor, now=now)
            milestone.case = case
            milestone.save(update_fields=["case"])
            opened.append(case)
    return opened
