"""The case engine: the only code that creates cases and changes their state.

``report_case`` creates a case; ``apply_action`` takes any workflow action. Both:
1. check the action against the transition table, the actor's capacities (role + scope) and what the
   action needs;
2. lock the case row (``select_for_update``; on SQLite the IMMEDIATE transaction holds the write lock)
   and refuse a stale ``expected_version`` with a Conflict;
3. write the case and the hash-chained CaseAction in the same transaction — the action row carries its
   notification debt (the outbox, ``notifications``), so side effects commit or roll back with it;
4. after the commit, wake the worker that delivers them (never raising: the action is committed).
Any error leaves the case exactly as it was.

Cost, kept small because intake must keep up (issue 11): reference data (calendar, time limits, areas) comes
from the per-process cache (``reference``); a report is 5 statements (counter, case, action, case head,
rollup), an action 4 (locked read, action, case, rollup).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain import deadlines, reference
from gridgov.data.cases.domain.attachments import Upload, check_images
from gridgov.data.cases.domain.audit import action_digest
from gridgov.data.cases.domain.notifications import wake_worker
from gridgov.data.cases.domain.steps import Step, advance
from gridgov.data.cases.enums import Action, Channel, Kind, Satisfaction, Status
from gridgov.data.cases.models import Attachment, Case, CaseAction, CaseCounter
from gridgov.data.cases.scope import capacities, memberships_of
from gridgov.data.cases.transitions import Need, transition_for
from gridgov.data.errors import Conflict, InvalidInput, NotAllowed, NotFound, OutOfScope
from gridgov.data.metrics import rollups
from gridgov.data.org.domain import locate_point
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Enterprise, User
from gridgov.data.taxonomy.enums import Phase, Priority
from gridgov.data.taxonomy.models import Category
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

_WORKFLOW_ATTNAMES = tuple(
    model_field.attname for name in WORKFLOW_FIELDS if isinstance(model_field := Case._meta.get_field(name), Field)
)
assert len(_WORKFLOW_ATTNAMES) == len(WORKFLOW_FIELDS)
_WRITTEN_BY_ACTIONS = ("version", "updated_at", *WORKFLOW_FIELDS)  # what an action's UPDATE sets


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(_("说明不能超过 %(n)s 字") % {"n": MAX_NOTE}, field="note")
    return note


def _label(value: str, choices: type[Status] | type[Action]) -> str:
    return str(choices(value).label)


# ---------------------------------------------------------------------------------------------------
# Reporting


def report_case(
    *,
    town: Area,
    reporter: User | None,
    channel: Channel,
    category: Category,
    description: str,
    area: Area | None = None,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    address: str = "",
    title: str = "",
    priority: Priority | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    photos: Sequence[Upload] = (),
    kind: Kind = Kind.EVENT,
    enterprise: Enterprise | None = None,
    resolve_on_spot: bool = False,
    resolution_note: str = "",
    resolution_photos: Sequence[Upload] = (),
    now: datetime | None = None,
    on_written: Callable[[Case], None] | None = None,
) -> Case:
    """Create a case (status 待受理) with its first action; optionally resolve it on the spot (自行处置).

    ``on_written`` is called with the new case inside the same transaction, once everything is written (the
    API records its Idempotency-Key answer there, so both commit or neither).
    """
    now = now or timezone.now()
    description = (description or "").strip()
    if not description:
        raise InvalidInput(_("请填写事件描述"), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(_("事件描述不能超过 %(n)s 字") % {"n": MAX_DESCRIPTION}, field="description")
    if town.level != AreaLevel.TOWN:
        raise InvalidInput(_("事件必须属于一个乡镇"), field="town")
    if category.town_id != town.pk or category.parent_id is None or not category.active:
        raise InvalidInput(
            _("事件分类“%(name)s”不可用，请选择本镇启用的小类") % {"name": category.name}, field="category"
        )
    lat, lng = _check_coordinates(latitude, longitude)
    if area is None and lat is not None and lng is not None:
        area = locate_point(town=town, latitude=float(lat), longitude=float(lng))
    area = area or town
    if area.town_id != town.pk:
        raise InvalidInput(_("所选区域“%(name)s”不在%(town)s") % {"name": area.name, "town": town.name}, field="area")
    if enterprise is not None and enterprise.town_id != town.pk:
        raise InvalidInput(
            _("企业“%(name)s”不在%(town)s") % {"name": enterprise.name, "town": town.name}, field="enterprise"
        )
    levels = reference.ancestors_by_level(area)
    checked = check_images(list(photos))
    calendar = reference.calendar()
    role = _reporting_role(reporter, channel)

    if resolve_on_spot and (reporter is None or not reporter.is_authenticated):
        raise InvalidInput(_("自行处置需要登录的网格员"), field="resolve_on_spot")

    # Everything that needs no lock is prepared before the transaction (on SQLite, BEGIN IMMEDIATE takes
    # the database's write lock: it is held only while writing).
    year = timezone.localtime(now).year
    case = prepared.new(
        Case,
        town=town,
        year=year,
        kind=kind,
        channel=channel,
        category=category,
        major_category_id=category.parent_id,
        priority=priority or category.default_priority,
        title=title.strip()[:120],
        description=description,
        address=address.strip()[:255],
        latitude=lat,
        longitude=lng,
        area=area,
        area_path=area.path,
        village=levels.get(AreaLevel.VILLAGE),
        grid=levels.get(AreaLevel.GRID),
        reporter=reporter if reporter is not None and reporter.is_authenticated else None,
        reporter_role=role or "",
        reporter_name=reporter_name.strip()[:64],
        reporter_phone=reporter_phone.strip()[:20],
        enterprise=enterprise,
        status=Status.REPORTED,
        reported_at=now,
    )
    deadlines.start_dispatch_clock(
        case,
        calendar=calendar,
        limit=reference.time_limit(category=category, phase=Phase.DISPATCH, priority=case.priority),
        start=now,
    )

    # The case row's values and its rollup rows are prepared here too: inside, only the keys, the number and
    # the first action's hash are filled in.
    staged = prepared.stage(case)
    counted = rollups.change(before=None, after=rollups.snapshot(case))
    # Photos and an on-the-spot resolution write through the ORM: they need Django's own transaction.
    with transaction.atomic() if checked or resolve_on_spot else prepared.transaction():
        seq, pk, action_pk = _next_number(town=town, year=year)
        number = f"{town.case_prefix or town.code}{year}-{seq:06d}"
        if staged is not None:
            staged.set(id=pk, seq=seq, number=number)
        else:
            case.pk, case.seq, case.number = pk, seq, number
        step = Step(
            case=case,
            actor=case.reporter,
            role=role,
            action=Action.REPORT,
            transition=None,
            now=now,
            note="",
            calendar=calendar,
            data={"channel": channel},
            files=checked,
        )
        with prepared.batched():  # the case, its action, the rollups and the caller's record: one round trip
            row = _write_action(step, from_status="", new_case=staged or True, pk=action_pk)
            rollups.write_change(counted)  # indicators: same transaction
            if on_written is not None and not resolve_on_spot:
                on_written(case)
        _after_commit(row)
        if resolve_on_spot:  # in the same transaction: a failed resolution leaves no half-made case
            assert reporter is not None
            apply_action(
                case_id=case.pk,
                actor=reporter,
                action=Action.SELF_RESOLVE,
                note=resolution_note,
                photos=resolution_photos,
                now=now,
            )
            case.refresh_from_db()
            if on_written is not None:
                on_written(case)
    return case


def _check_coordinates(
    latitude: Decimal | float | None, longitude: Decimal | float | None
) -> tuple[Decimal | None, Decimal | None]:
    if latitude is None and longitude is None:
        return None, None
    if latitude is None or longitude is None:
        raise InvalidInput(_("经纬度必须同时提供"), field="latitude")
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lng = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        raise InvalidInput(_("经纬度格式不正确"), field="latitude") from None
    if not (Decimal(-90) <= lat <= Decimal(90)) or not (Decimal(-180) <= lng <= Decimal(180)):
        raise InvalidInput(_("经纬度超出范围"), field="latitude")
    return lat, lng


def _reporting_role(reporter: User | None, channel: Channel) -> Role | None:
    if reporter is None or not reporter.is_authenticated:
        return None
    roles = {Role(m.role) for m in memberships_of(reporter)}
    for role in ROLE_PREFERENCE:
        if role in roles:
            return role
    return Role.RESIDENT


def _next_number(*, town: Area, year: int) -> tuple[int, int, int]:
    """Bump the town's counter for ``year`` inside the caller's transaction (gap-free, race-free), and
    reserve the primary keys of the new case and of its first action in the same statement; returns
    ``(seq, case pk, action pk)``.

    The upsert (the year's first report creates the counter) takes the row lock, so concurrent reporters
    queue here and each reads back its own value (``RETURNING``: one statement, SQLite ≥ 3.35 and
    PostgreSQL); if the reporting transaction rolls back,
    so does the bump. Knowing the keys before anything is written lets the first action's hash (which covers
    the case's key) go into the case's own INSERT — no UPDATE of the new row — and lets the case, its action,
    the rollups and the caller's record go to the database together (``prepared.batched``).
    """
    row = prepared.fetch_one(_counter_sql(connection.vendor), [town.pk, year])
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


@functools.cache
def _counter_sql(vendor: str) -> str:
    """The counter's upsert (the year's first report creates it) returning its new value and the new keys."""
    qn = connection.ops.quote_name
    table = qn(CaseCounter._meta.db_table)
    last = qn("last_value")
    return (
        f"INSERT INTO {table} ({qn('town_id')}, {qn('year')}, {last}) VALUES (%s, %s, 1) "
        f"ON CONFLICT ({qn('town_id')}, {qn('year')}) DO UPDATE SET {last} = {table}.{last} + 1 "
        f"RETURNING {last}, {prepared.next_pk_sql(Case)}, {prepared.next_pk_sql(CaseAction)}"
    )


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
    note = _clean_note(note)
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
                raise Conflict(_conflict_message(case))
            raise Conflict(_("事件 %(number)s 已被他人处理（可能已改派），不再由您办理") % {"number": case.number})
        if not caps:
            raise OutOfScope(_("事件 %(number)s 不在您的管辖范围内") % {"number": case.number})
        transition = transition_for(case.status, action)
        if transition is None:
            raise NotAllowed(
                _("事件 %(number)s 当前状态为“%(status)s”，不能执行“%(action)s”")
                % {"number": case.number, "status": _label(case.status, Status), "action": action.label}
            )
        role = next((r for r in ROLE_PREFERENCE if r in caps and r in transition.roles), None)
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
        _check_needs(
            step,
            department=department,
            category=category,
            priority=priority,
            extension=extension,
            rating=rating,
        )
        from_status = case.status
        old_version = case.version
        before = rollups.snapshot(case)
        advance(
            step,
            transition,
            department=department,
            handler=handler,
            category=category,
            priority=priority,
            duplicate_of=duplicate_of,
            extension=extension,
            rating=rating,
        )
        row = _write_action(step, from_status=from_status)
        case.version, case.updated_at = old_version + 1, now
        updated = prepared.update(case, _WRITTEN_BY_ACTIONS, only_if=("version", old_version))
        if updated != 1:  # cannot happen while the row lock holds; kept as a last line of defence
            raise Conflict(_conflict_message(case))
        rollups.case_changed(before=before, after=rollups.snapshot(case))  # indicators: same transaction
        _after_commit(row)
    return row


def _conflict_message(case: Case) -> str:
    fresh = Case.objects.filter(pk=case.pk).values("status", "version").first()
    last = CaseAction.objects.filter(case_id=case.pk).order_by("-seq").first()
    status = _label(fresh["status"], Status) if fresh else ""
    if last is None:
        return _("事件 %(number)s 已被他人更新，请刷新后重试") % {"number": case.number}
    return _("事件 %(number)s 已被 %(who)s 于 %(when)s 执行“%(action)s”，当前状态为“%(status)s”，请刷新后再操作") % {
        "number": case.number,
        "who": last.actor_name or _("系统"),
        "when": timezone.localtime(last.created_at).strftime("%H:%M"),
        "action": _label(last.action, Action),
        "status": status,
    }


def _check_needs(
    step: Step,
    *,
    department: Department | None,
    category: Category | None,
    priority: Priority | str | None,
    extension: int | None,
    rating: Satisfaction | str | None,
) -> None:
    assert step.transition is not None
    needs = step.transition.needs
    case = step.case
    if Need.NOTE in needs and not step.note:
        raise InvalidInput(_("“%(action)s”需要填写意见或说明") % {"action": step.action.label}, field="note")
    if Need.PHOTO in needs and not step.files:
        raise InvalidInput(_("“%(action)s”需要上传至少一张现场照片") % {"action": step.action.label}, field="photos")
    if Need.DEPARTMENT in needs:
        if department is None:
            raise InvalidInput(_("请选择处置部门"), field="department")
        if department.town_id != case.town_id or not department.active:
            raise InvalidInput(_("部门“%(name)s”不是本镇启用的部门") % {"name": department.name}, field="department")
    if Need.EXTENSION in needs and (extension is None or extension <= 0 or extension > 365):
        raise InvalidInput(_("请填写延期时长（1–365）"), field="extension")
    if Need.NO_PENDING_EXTENSION in needs and case.pending_extension_value:
        raise NotAllowed(_("已有延期申请待审批，请等待审批结果"))
    if Need.PENDING_EXTENSION in needs and not case.pending_extension_value:
        raise NotAllowed(_("该事件没有待审批的延期申请"))
    if Need.RATING in needs and rating not in Satisfaction.values:
        raise InvalidInput(_("请选择满意度"), field="rating")
    if Need.RECLASSIFICATION in needs and category is None and priority is None:
        raise InvalidInput(_("请选择新的分类或紧急程度"), field="category")
    if category is not None and (category.town_id != case.town_id or category.parent_id is None or not category.active):
        raise InvalidInput(
            _("事件分类“%(name)s”不可用，请选择本镇启用的小类") % {"name": category.name}, field="category"
        )
    if priority is not None and priority not in Priority.values:
        raise InvalidInput(_("紧急程度“%(p)s”无效") % {"p": priority}, field="priority")


def _write_action(
    step: Step, *, from_status: str, new_case: prepared.Staged | bool = False, pk: int | None = None
) -> CaseAction:
    """Append the hash-chained action row (and its attachments) for ``step``; move the case's head (in memory:
    the caller writes the case). ``new_case``: the case (whose key is already reserved) is inserted here, with
    its head, before its first action (from its staged INSERT when given); ``pk``: the action's key, reserved
    by the caller."""
    case = step.case
    seq = case.action_count + 1
    to_status = case.status
    actor = step.actor
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    actor_name = str(actor) if actor_id is not None else ""
    role = step.role.value if step.role is not None else ""
    hashes = [f.sha256 for f in step.files]
    digest = action_digest(
        case_id=case.pk,
        seq=seq,
        action=step.action.value,
        from_status=from_status,
        to_status=to_status,
        actor_id=actor_id,
        actor_name=actor_name,
        actor_role=role,
        note=step.note,
        data=step.data,
        created_at=step.now,
        attachment_hashes=hashes,
        prev_hash=case.audit_head,
    )
    prev_hash = case.audit_head
    if isinstance(new_case, prepared.Staged):
        new_case.set(action_count=seq, audit_head=digest)
        prepared.insert_staged(new_case)
    else:
        case.action_count = seq
        case.audit_head = digest
        if new_case:
            prepared.insert(case)
    row = prepared.insert(
        prepared.new(
            CaseAction,
            pk=pk,
            town_id=case.town_id,
            case=case,
            seq=seq,
            action=step.action,
            from_status=from_status,
            to_status=to_status,
            actor_id=actor_id,
            actor_name=actor_name,
            actor_role=role,
            note=step.note,
            data=step.data,
            created_at=step.now,
            prev_hash=prev_hash,
            hash=digest,
            notify_due_at=None if _QUIET.get() else timezone.now(),  # the outbox: owed from the moment it commits
        )
    )
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


def _after_commit(row: CaseAction) -> None:
    """The action's notifications are in its outbox; once it commits, wake the worker that delivers them."""
    if _QUIET.get():
        return
    prepared.on_commit(wake_worker)  # wake_worker never raises; robust in case it ever does
