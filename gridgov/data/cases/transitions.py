"""The workflow as data: which action may be taken in which status, by whom, needing what.

This table is the single source of truth for the engine, the UI's action buttons and the API.
``target=None`` means "back to the status the case had before it was suspended".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from gridgov.data.cases.enums import Action, Status
from gridgov.data.org.enums import Role


class Need(enum.StrEnum):
    NOTE = "note"  # a written reason/result
    PHOTO = "photo"  # at least one image
    DEPARTMENT = "department"  # the department to dispatch to
    EXTENSION = "extension"  # how much more time (in the handling limit's unit)
    PENDING_EXTENSION = "pending_extension"  # an extension request waiting for a decision
    NO_PENDING_EXTENSION = "no_pending_extension"
    RATING = "rating"  # a satisfaction rating
    RECLASSIFICATION = "reclassification"  # a new category and/or priority


class ActionKind(enum.StrEnum):
    """How an action moves a case, for the eye: forward, refusing (不予立案, 退回…), or beside the flow."""

    FORWARD = "forward"
    REFUSE = "refuse"
    NEUTRAL = "neutral"


ACTION_KINDS: dict[Action, ActionKind] = {
    Action.REJECT: ActionKind.REFUSE,
    Action.RETURN: ActionKind.REFUSE,
    Action.VERIFY_FAIL: ActionKind.REFUSE,
    Action.DENY_EXTENSION: ActionKind.REFUSE,
    Action.COMMENT: ActionKind.NEUTRAL,
    Action.SUPERVISE: ActionKind.NEUTRAL,
    Action.RECLASSIFY: ActionKind.NEUTRAL,
    Action.PROGRESS: ActionKind.NEUTRAL,
}


@dataclass(frozen=True, slots=True)
class Transition:
    source: Status
    action: Action
    target: Status | None
    roles: frozenset[Role]
    needs: frozenset[Need] = frozenset()

    @property
    def kind(self) -> ActionKind:
        return ACTION_KINDS.get(self.action, ActionKind.FORWARD)


GW, VS, OP, HD, LD, EN, RE, AD = (
    Role.GRID_WORKER,
    Role.VILLAGE_STAFF,
    Role.OPERATOR,
    Role.HANDLER,
    Role.LEADER,
    Role.ENTERPRISE,
    Role.RESIDENT,
    Role.ADMIN,
)
ANYONE = frozenset(Role)
COMMAND = frozenset({OP, AD})
COMMAND_AND_LEADERS = frozenset({OP, LD, AD})
HANDLERS = frozenset({HD})
VERIFIERS = frozenset({GW, OP, AD})

_rows: list[Transition] = []


def _allow(
    sources: Status | tuple[Status, ...],
    action: Action,
    target: Status | str | None,
    roles: frozenset[Role],
    *needs: Need,
) -> None:
    for source in sources if isinstance(sources, tuple) else (sources,):
        to = source if target == "same" else target
        _rows.append(Transition(source, action, to, roles, frozenset(needs)))  # type: ignore[arg-type]  # "same" became the source above; mypy still sees str


S = Status
OPEN = (S.REPORTED, S.REGISTERED, S.DISPATCHED, S.HANDLING, S.RESOLVED, S.SUSPENDED)
ALL = (*OPEN, S.CLOSED, S.REJECTED)

# 信息收集 → 立案
_allow(S.REPORTED, Action.SELF_RESOLVE, S.CLOSED, frozenset({GW, VS}), Need.NOTE, Need.PHOTO)
_allow(S.REPORTED, Action.REGISTER, S.REGISTERED, COMMAND)
_allow((S.REPORTED, S.REGISTERED), Action.REJECT, S.REJECTED, COMMAND, Need.NOTE)
_allow((S.REPORTED, S.REGISTERED, S.DISPATCHED, S.HANDLING), Action.RECLASSIFY, "same", COMMAND, Need.RECLASSIFICATION)
# 派遣
_allow(S.REGISTERED, Action.DISPATCH, S.DISPATCHED, COMMAND, Need.DEPARTMENT)
_allow((S.DISPATCHED, S.HANDLING), Action.REDISPATCH, S.DISPATCHED, COMMAND, Need.DEPARTMENT)
_allow((S.DISPATCHED, S.HANDLING), Action.RETURN, S.REGISTERED, HANDLERS, Need.NOTE)
# 处置
_allow(S.DISPATCHED, Action.SIGN, S.HANDLING, HANDLERS)
_allow(S.HANDLING, Action.PROGRESS, S.HANDLING, HANDLERS, Need.NOTE)
_allow(S.HANDLING, Action.RESOLVE, S.RESOLVED, HANDLERS, Need.NOTE, Need.PHOTO)
_allow(S.HANDLING, Action.REQUEST_EXTENSION, S.HANDLING, HANDLERS, Need.NOTE, Need.EXTENSION, Need.NO_PENDING_EXTENSION)
_allow(S.HANDLING, Action.APPROVE_EXTENSION, S.HANDLING, COMMAND_AND_LEADERS, Need.PENDING_EXTENSION)
_allow(S.HANDLING, Action.DENY_EXTENSION, S.HANDLING, COMMAND_AND_LEADERS, Need.NOTE, Need.PENDING_EXTENSION)
# 核查结案
_allow(S.RESOLVED, Action.VERIFY_PASS, S.CLOSED, VERIFIERS)
_allow(S.RESOLVED, Action.VERIFY_FAIL, S.HANDLING, VERIFIERS, Need.NOTE)
# 缓办
_allow((S.REGISTERED, S.DISPATCHED, S.HANDLING), Action.SUSPEND, S.SUSPENDED, COMMAND_AND_LEADERS, Need.NOTE)
_allow(S.SUSPENDED, Action.RESUME, None, COMMAND_AND_LEADERS)
# 督办, 备注
_allow(OPEN, Action.SUPERVISE, "same", COMMAND_AND_LEADERS, Need.NOTE)
_allow(ALL, Action.COMMENT, "same", ANYONE, Need.NOTE)
# 综合评价, 重新办理
# The command room records follow-up visits; an enterprise rates its own (service) cases itself.
_allow(S.CLOSED, Action.RATE, S.CLOSED, COMMAND | {EN}, Need.RATING)
_allow(S.CLOSED, Action.REOPEN, S.HANDLING, COMMAND_AND_LEADERS, Need.NOTE)
_allow(S.REJECTED, Action.REOPEN, S.REPORTED, COMMAND_AND_LEADERS, Need.NOTE)

TRANSITIONS: dict[tuple[Status, Action], Transition] = {}
for _row in _rows:
    key = (_row.source, _row.action)
    assert key not in TRANSITIONS, f"duplicate transition {key}"
    TRANSITIONS[key] = _row


def transition_for(status: Status | str, action: Action | str) -> Transition | None:
    return TRANSITIONS.get((Status(status), Action(action)))


def actions_from(status: Status | str) -> list[Transition]:
    return [t for (source, _action), t in TRANSITIONS.items() if source == status]
