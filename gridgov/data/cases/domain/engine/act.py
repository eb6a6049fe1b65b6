"""``apply_action``: any workflow action on a case — checked against the transition table and the actor's
capacities, the case row locked, the stale version refused, the step written with its rollups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain import reference, rollups
from gridgov.data.cases.domain.attachments import Upload, check_images
from gridgov.data.cases.domain.engine.common import (
    ROLE_PREFERENCE,
    WRITTEN_BY_ACTIONS,
    acting_role,
    after_commit,
    check_needs,
    clean_note,
    conflict_message,
    label,
    write_action,
)
from gridgov.data.cases.domain.steps import Choices, Step, advance
from gridgov.data.cases.enums import Action, Satisfaction, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.cases.scope import capacities
from gridgov.data.cases.transitions import transition_for
from gridgov.data.errors import Conflict, InvalidInput, NotAllowed, NotFound, OutOfScope
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Department, User
from gridgov.data.taxonomy.enums import Priority
from gridgov.data.taxonomy.models import Category
from gridgov.db import prepared

# ---------------------------------------------------------------------------------------------------
# Workflow actions


def apply_action(
    *,
    case_id: int,
    actor: User,
    action: Action | str,
    note: str = "",
    expected_version: int | None = None,
    department: Department | None = None,
    handler: User | None = None,
    category: Category | None = None,
    priority: Priority | str | None = None,
    duplicate_of: Case | None = None,
    extension: int | None = None,
    rating: Satisfaction | str | None = None,
    photos: Sequence[Upload] = (),
    now: datetime | None = None,
) -> CaseAction:
    """Take one workflow action on a case, or raise a DomainError and change nothing."""
    try:
        action = Action(action)
    except ValueError:
        raise InvalidInput(_("未知操作“%(action)s”") % {"action": action}, field="action") from None
    now = now or timezone.now()
    note = clean_note(note)
    checked = check_images(list(photos))
    calendar = reference.calendar()

    with transaction.atomic():
        found = prepared.select(
            Case, where="t0.id = %s", params=[case_id], related=("category", "area", "department"), for_update=True
        )
        case = found[0] if found else None
        if case is None:
            raise NotFound(_("事件不存在"))
        caps = capacities(actor, case)
        if expected_version is not None and expected_version != case.version:
            # Someone acted first. Say what happened to those who may still see the case; to those the
            # change took it away from (e.g. a redispatch), say only that it has moved on.
            if caps:
                raise Conflict(conflict_message(case))
            raise Conflict(_("事件 %(number)s 已被他人处理（可能已改派），不再由您办理") % {"number": case.number})
        if not caps:
            raise OutOfScope(_("事件 %(number)s 不在您的管辖范围内") % {"number": case.number})
        transition = transition_for(case.status, action)
        if transition is None:
            raise NotAllowed(
                _("事件 %(number)s 当前状态为“%(status)s”，不能执行“%(action)s”")
                % {"number": case.number, "status": label(case.status, Status), "action": action.label}
            )
        role = acting_role(caps, transition)
        if role is None:
            raise NotAllowed(
                _("您在事件 %(number)s 中的角色（%(roles)s）不能执行“%(action)s”")
                % {
                    "number": case.number,
                    "roles": "、".join(str(Role(r).label) for r in ROLE_PREFERENCE if r in caps),
                    "action": action.label,
                }
            )
        step = Step(
            case=case,
            actor=actor,
            role=role,
            action=action,
            transition=transition,
            now=now,
            note=note,
            calendar=calendar,
            files=checked,
        )
        choices = Choices(
            department=department,
            handler=handler,
            category=category,
            priority=priority,
            duplicate_of=duplicate_of,
            extension=extension,
            rating=rating,
        )
        check_needs(step, choices)
        from_status = case.status
        old_version = case.version
        before = rollups.snapshot(case)
        advance(step, transition, choices)
        row = write_action(step, from_status=from_status)
        case.version, case.updated_at = old_version + 1, now
        updated = prepared.update(case, WRITTEN_BY_ACTIONS, only_if=("version", old_version))
        if updated != 1:  # cannot happen while the row lock holds; kept as a last line of defence
            raise Conflict(conflict_message(case))
        rollups.case_changed(before=before, after=rollups.snapshot(case))  # indicators: same transaction
        after_commit(row)
    return row
