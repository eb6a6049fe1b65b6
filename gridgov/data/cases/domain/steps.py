"""What one action does to a case, in memory: the ``Step`` it collects, each action's effects on the case's
fields besides its status, and ``advance`` — the one place a case's state changes. ``engine.apply_action``
writes the result; the replay of a past year (``replay.Replay``) keeps it in memory for the bulk path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from gridgov.data.cases.domain import deadlines, reference
from gridgov.data.cases.domain.attachments import CheckedUpload
from gridgov.data.cases.enums import Action, Channel, Satisfaction, Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import capacities
from gridgov.data.cases.transitions import Transition
from gridgov.data.errors import InvalidInput
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Department, Membership, User
from gridgov.data.taxonomy.enums import Phase, Priority
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import JSONObject


@dataclass(slots=True)
class Step:
    """What one action does to a case, collected before anything is written."""

    case: Case
    actor: User | None
    role: Role | None
    action: Action
    transition: Transition | None
    now: datetime
    note: str
    calendar: WorkCalendar
    data: JSONObject = field(default_factory=dict)
    files: list[CheckedUpload] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Choices:
    """What the actor chose along with the action, where it asks for it: the department (and handler) to
    dispatch to, a new category or priority, the case this one duplicates, the extension, the rating. Checked
    against the transition's needs (``engine.common.check_needs``), then applied by ``advance``."""

    department: Department | None = None
    handler: User | None = None
    category: Category | None = None
    priority: Priority | str | None = None
    duplicate_of: Case | None = None
    extension: int | None = None
    rating: Satisfaction | str | None = None


def report_step(
    case: Case,
    *,
    role: Role | None,
    channel: Channel,
    now: datetime,
    calendar: WorkCalendar,
    files: list[CheckedUpload] | None = None,
) -> Step:
    """A case's first step: its report by its reporter (the case's own, None for someone not signed in) in
    ``role``, through ``channel`` (the step's data)."""
    return Step(
        case=case,
        actor=case.reporter,
        role=role,
        action=Action.REPORT,
        transition=None,
        now=now,
        note="",
        calendar=calendar,
        data={"channel": channel},
        files=files or [],
    )


def advance(step: Step, transition: Transition, choices: Choices) -> None:
    """Apply the action's effects to the case in memory and move it to the transition's target status.

    The one place a case's state changes: ``apply_action`` writes the result, the replay of a past year
    (``replay.Replay``) keeps it in memory for the bulk path.
    """
    case = step.case
    _EFFECTS.get(step.action, _no_effect)(step, choices)
    case.status = transition.target if transition.target is not None else Status(case.status_before_suspend)
    if step.action == Action.RESUME:
        case.status_before_suspend = ""
        case.suspended_at = None


# ---------------------------------------------------------------------------------------------------
# Effects: what each action changes on the case besides its status


def _no_effect(step: Step, choices: Choices) -> None:
    return None


def _register(step: Step, choices: Choices) -> None:
    step.case.registered_at = step.now
    _reclassify(step, choices)


def _reclassify(step: Step, choices: Choices) -> None:
    case = step.case
    category, priority = choices.category, choices.priority
    if category is not None and category.pk != case.category_id:
        step.data["category"] = {"from": case.category_id, "to": category.pk, "name": str(category)}
        assert category.parent_id is not None  # a sub-category, checked by _check_needs
        case.category = category
        case.major_category_id = category.parent_id
    if priority is not None and priority != case.priority:
        step.data["priority"] = {"from": str(case.priority), "to": str(priority)}
        case.priority = str(priority)


def _reject(step: Step, choices: Choices) -> None:
    case = step.case
    duplicate_of = choices.duplicate_of
    if duplicate_of is not None:
        if duplicate_of.pk == case.pk or duplicate_of.town_id != case.town_id:
            raise InvalidInput(_("重复事件必须是本镇的另一件事件"), field="duplicate_of")
        if step.actor is None or not capacities(step.actor, duplicate_of):
            raise InvalidInput(_("您无权查看事件 %(n)s") % {"n": duplicate_of.number}, field="duplicate_of")
        case.duplicate_of = duplicate_of
        step.data["duplicate_of"] = duplicate_of.number
    case.rejected_at = step.now


def _dispatch(step: Step, choices: Choices) -> None:
    case = step.case
    department, handler = choices.department, choices.handler
    assert department is not None
    step.data["department"] = {"id": department.pk, "name": department.name}
    if handler is not None:
        works_there = Membership.objects.filter(
            user=handler, department=department, role__in=[Role.HANDLER, Role.VILLAGE_STAFF], active=True
        ).exists()
        if not works_there:
            raise InvalidInput(
                _("%(name)s 不是%(department)s的处置人员") % {"name": handler, "department": department.name},
                field="handler",
            )
        step.data["handler"] = {"id": handler.pk, "name": str(handler)}
    if case.department_id is not None:
        step.data["from_department"] = case.department_id
    case.department = department
    case.handler = handler
    case.dispatched_at = step.now
    case.signed_at = None
    limit = reference.time_limit(category=case.category, phase=Phase.HANDLE, priority=case.priority)
    deadlines.start_handle_clock(case, calendar=step.calendar, limit=limit, start=step.now)
    step.data["deadline"] = case.handle_deadline.isoformat() if case.handle_deadline else None


def _return(step: Step, choices: Choices) -> None:
    case = step.case
    step.data["department"] = {"id": case.department_id, "name": case.department.name if case.department else ""}
    case.department = None
    case.handler = None
    case.return_count += 1
    limit = reference.time_limit(category=case.category, phase=Phase.DISPATCH, priority=case.priority)
    deadlines.start_dispatch_clock(case, calendar=step.calendar, limit=limit, start=step.now)


def _sign(step: Step, choices: Choices) -> None:
    step.case.signed_at = step.now
    step.case.handler = step.actor


def _resolve(step: Step, choices: Choices) -> None:
    case = step.case
    case.resolved_at = step.now
    case.first_resolved_at = case.first_resolved_at or step.now
    if case.handle_deadline is not None:
        step.data["on_time"] = step.now <= case.handle_deadline


def _self_resolve(step: Step, choices: Choices) -> None:
    case = step.case
    case.registered_at = case.reported_at  # counts as registered when reported
    case.resolved_at = case.first_resolved_at = case.closed_at = step.now
    case.self_resolved = True
    case.handler = step.actor


def _verify_pass(step: Step, choices: Choices) -> None:
    step.case.closed_at = step.now


def _verify_fail(step: Step, choices: Choices) -> None:
    step.case.rework_count += 1


def _request_extension(step: Step, choices: Choices) -> None:
    extension = choices.extension
    assert extension is not None  # checked by _check_needs
    step.case.pending_extension_value = extension
    step.data["extension"] = {"value": extension, "unit": step.case.handle_limit_unit}


def _approve_extension(step: Step, choices: Choices) -> None:
    case = step.case
    value = case.pending_extension_value or 0
    deadlines.extend_handle_limit(case, calendar=step.calendar, value=value)
    step.data["extension"] = {"value": value, "unit": case.handle_limit_unit}
    step.data["deadline"] = case.handle_deadline.isoformat() if case.handle_deadline else None


def _deny_extension(step: Step, choices: Choices) -> None:
    step.data["extension"] = {"value": step.case.pending_extension_value, "unit": step.case.handle_limit_unit}
    step.case.pending_extension_value = None


def _suspend(step: Step, choices: Choices) -> None:
    step.case.status_before_suspend = step.case.status
    step.case.suspended_at = step.now


def _resume(step: Step, choices: Choices) -> None:
    case = step.case
    deadlines.stop_clock_for_suspension(case, calendar=step.calendar, resumed_at=step.now)
    in_dispatch = case.status_before_suspend in (Status.REPORTED, Status.REGISTERED)
    deadline = case.dispatch_deadline if in_dispatch else case.handle_deadline
    step.data["deadline"] = deadline.isoformat() if deadline else None


def _supervise(step: Step, choices: Choices) -> None:
    step.case.supervision_count += 1


def _rate(step: Step, choices: Choices) -> None:
    step.case.satisfaction = str(choices.rating)
    step.data["rating"] = str(choices.rating)


def _reopen(step: Step, choices: Choices) -> None:
    case = step.case
    if case.status == Status.CLOSED:
        case.closed_at = None
        limit = reference.time_limit(category=case.category, phase=Phase.HANDLE, priority=case.priority)
        deadlines.start_handle_clock(case, calendar=step.calendar, limit=limit, start=step.now)
    else:
        case.rejected_at = None
        case.duplicate_of = None
        limit = reference.time_limit(category=case.category, phase=Phase.DISPATCH, priority=case.priority)
        deadlines.start_dispatch_clock(case, calendar=step.calendar, limit=limit, start=step.now)


_EFFECTS: dict[Action, Callable[[Step, Choices], None]] = {
    Action.REGISTER: _register,
    Action.RECLASSIFY: _reclassify,
    Action.REJECT: _reject,
    Action.DISPATCH: _dispatch,
    Action.REDISPATCH: _dispatch,
    Action.RETURN: _return,
    Action.SIGN: _sign,
    Action.RESOLVE: _resolve,
    Action.SELF_RESOLVE: _self_resolve,
    Action.VERIFY_PASS: _verify_pass,
    Action.VERIFY_FAIL: _verify_fail,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.APPROVE_EXTENSION: _approve_extension,
    Action.DENY_EXTENSION: _deny_extension,
    Action.SUSPEND: _suspend,
    Action.RESUME: _resume,
    Action.SUPERVISE: _supervise,
    Action.RATE: _rate,
    Action.REOPEN: _reopen,
}
