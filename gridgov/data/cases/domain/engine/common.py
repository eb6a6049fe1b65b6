"""What reporting and acting share: the limits on text, how a reporter's role is chosen, the check of what an
action needs, the hash-chained action row with its notification debt, and waking the worker after the commit."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.bulk import ActionRecord
from gridgov.data.cases.domain.bulk_statements import action_row
from gridgov.data.cases.domain.notifications import wake_worker
from gridgov.data.cases.domain.personal_data import shown_actor
from gridgov.data.cases.domain.steps import Choices, Step
from gridgov.data.cases.enums import Action, Channel, Satisfaction, Status
from gridgov.data.cases.models import Attachment, Case, CaseAction
from gridgov.data.cases.scope import memberships_of
from gridgov.data.cases.transitions import Need, Transition
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import Role
from gridgov.data.org.models import User
from gridgov.data.taxonomy.enums import Priority
from gridgov.db import prepared

MAX_DESCRIPTION = 2000
MAX_NOTE = 2000
# When a user holds several capacities, the one recorded for an action is the first that fits.
ROLE_PREFERENCE = (
    Role.HANDLER,
    Role.GRID_WORKER,
    Role.VILLAGE_STAFF,
    Role.OPERATOR,
    Role.LEADER,
    Role.ADMIN,
    Role.ENTERPRISE,
    Role.RESIDENT,
)
# Case columns the engine may change after the case is created.
WORKFLOW_FIELDS = (
    "status",
    "status_before_suspend",
    "category",
    "major_category",
    "priority",
    "department",
    "handler",
    "duplicate_of",
    "registered_at",
    "dispatched_at",
    "signed_at",
    "first_resolved_at",
    "resolved_at",
    "closed_at",
    "rejected_at",
    "dispatch_clock",
    "dispatch_started_at",
    "dispatch_limit_minutes",
    "dispatch_limit_unit",
    "dispatch_paused_minutes",
    "dispatch_deadline",
    "dispatch_provisional",
    "dispatch_warn_at",
    "handle_clock",
    "handle_limit_value",
    "handle_limit_unit",
    "handle_started_at",
    "handle_limit_minutes",
    "handle_paused_minutes",
    "handle_deadline",
    "handle_provisional",
    "handle_warn_at",
    "suspended_at",
    "pending_extension_value",
    "extension_count",
    "rework_count",
    "return_count",
    "supervision_count",
    "satisfaction",
    "self_resolved",
    "action_count",
    "audit_head",
)

WORKFLOW_ATTNAMES = tuple(
    model_field.attname for name in WORKFLOW_FIELDS if isinstance(model_field := Case._meta.get_field(name), Field)
)
assert len(WORKFLOW_ATTNAMES) == len(WORKFLOW_FIELDS)
WRITTEN_BY_ACTIONS = ("version", "updated_at", *WORKFLOW_FIELDS)  # what an action's UPDATE sets


def clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(_("说明不能超过 %(n)s 字") % {"n": MAX_NOTE}, field="note")
    return note


def label(value: str, choices: type[Status] | type[Action]) -> str:
    return str(choices(value).label)


def reporting_role(reporter: User | None, channel: Channel) -> Role | None:
    if reporter is None or not reporter.is_authenticated:
        return None
    roles = {Role(m.role) for m in memberships_of(reporter)}
    for role in ROLE_PREFERENCE:
        if role in roles:
            return role
    return Role.RESIDENT


def acting_role(caps: Collection[Role], transition: Transition) -> Role | None:
    """The capacity an action is recorded in: the first of ``ROLE_PREFERENCE`` the actor holds on the case
    (``caps``) and the transition allows (None: none of them may take it)."""
    return next((r for r in ROLE_PREFERENCE if r in caps and r in transition.roles), None)


def conflict_message(case: Case) -> str:
    fresh = Case.objects.filter(pk=case.pk).values("status", "version").first()
    last = CaseAction.objects.filter(case_id=case.pk).order_by("-seq").first()
    status = label(fresh["status"], Status) if fresh else ""
    if last is None:
        return _("事件 %(number)s 已被他人更新，请刷新后重试") % {"number": case.number}
    return _("事件 %(number)s 已被 %(who)s 于 %(when)s 执行“%(action)s”，当前状态为“%(status)s”，请刷新后再操作") % {
        "number": case.number,
        "who": shown_actor(last) or _("系统"),
        "when": timezone.localtime(last.created_at).strftime("%H:%M"),
        "action": label(last.action, Action),
        "status": status,
    }


def check_needs(step: Step, choices: Choices) -> None:
    """Refuse the step when the actor left out what its transition needs, or chose what may not be chosen."""
    assert step.transition is not None
    needs = step.transition.needs
    case = step.case
    department, category, priority = choices.department, choices.category, choices.priority
    if Need.NOTE in needs and not step.note:
        raise InvalidInput(_("“%(action)s”需要填写意见或说明") % {"action": step.action.label}, field="note")
    if Need.PHOTO in needs and not step.files:
        raise InvalidInput(_("“%(action)s”需要上传至少一张现场照片") % {"action": step.action.label}, field="photos")
    if Need.DEPARTMENT in needs:
        if department is None:
            raise InvalidInput(_("请选择处置部门"), field="department")
        if department.town_id != case.town_id or not department.active:
            raise InvalidInput(_("部门“%(name)s”不是本镇启用的部门") % {"name": department.name}, field="department")
    if Need.EXTENSION in needs and (choices.extension is None or choices.extension <= 0 or choices.extension > 365):
        raise InvalidInput(_("请填写延期时长（1–365）"), field="extension")
    if Need.NO_PENDING_EXTENSION in needs and case.pending_extension_value:
        raise NotAllowed(_("已有延期申请待审批，请等待审批结果"))
    if Need.PENDING_EXTENSION in needs and not case.pending_extension_value:
        raise NotAllowed(_("该事件没有待审批的延期申请"))
    if Need.RATING in needs and choices.rating not in Satisfaction.values:
        raise InvalidInput(_("请选择满意度"), field="rating")
    if Need.RECLASSIFICATION in needs and category is None and priority is None:
        raise InvalidInput(_("请选择新的分类或紧急程度"), field="category")
    if category is not None and (category.town_id != case.town_id or category.parent_id is None or not category.active):
        raise InvalidInput(
            _("事件分类“%(name)s”不可用，请选择本镇启用的小类") % {"name": category.name}, field="category"
        )
    if priority is not None and priority not in Priority.values:
        raise InvalidInput(_("紧急程度“%(p)s”无效") % {"p": priority}, field="priority")


def write_action(
    step: Step, *, from_status: str, new_case: prepared.Staged | bool = False, pk: int | None = None
) -> CaseAction:
    """Append the hash-chained action row (and its attachments) for ``step``; move the case's head (in memory:
    the caller writes the case). ``new_case``: the case (whose key is already reserved) is inserted here, with
    its head, before its first action (from its staged INSERT when given); ``pk``: the action's key, reserved
    by the caller."""
    case = step.case
    seq = case.action_count + 1
    row = action_row(
        case,
        ActionRecord.of(step, from_status=from_status),
        seq=seq,
        prev_hash=case.audit_head,
        attachment_hashes=[f.sha256 for f in step.files],
        pk=pk,
        notify_due_at=None if _QUIET.get() else timezone.now(),  # the outbox: owed from the moment it commits
    )
    digest = row.hash
    if isinstance(new_case, prepared.Staged):
        new_case.set(action_count=seq, audit_head=digest)
        prepared.insert_staged(new_case)
    else:
        case.action_count = seq
        case.audit_head = digest
        if new_case:
            prepared.insert(case)
    row = prepared.insert(row)
    if step.files:
        prepared.send_queued()  # written by the ORM: after the rows they belong to
    for checked in step.files:
        Attachment.objects.create(
            town_id=case.town_id, case=case, action=row, created_at=step.now, **checked.attachment_fields()
        )
    return row


_QUIET: ContextVar[bool] = ContextVar("gridgov_engine_quiet", default=False)


@contextmanager
def without_notifications() -> Iterator[None]:
    """Write actions without notifying anyone — for replaying past years (the demo's 2022), not for live work."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def after_commit(row: CaseAction) -> None:
    """The action's notifications are in its outbox; once it commits, wake the worker that delivers them."""
    if _QUIET.get():
        return
    prepared.on_commit(wake_worker)  # wake_worker never raises; robust in case it ever does
