"""The hazard ledger (隐患台账, 两本账): each hazard is a case of kind ``hazard`` with a ``Hazard`` row.

Life of a hazard, on the one case engine:
- ``record_hazard``: an enterprise user enters its own self-check book (企业自查), or town staff enter a
  government (政府检查) or third-party (第三方) finding. A major hazard (重大隐患) is reported with priority
  重大 — a stricter time limit — and is supervised (督办) in the same transaction.
- the command room registers and dispatches it (the case page), the department signs for it;
- ``report_rectification``: the handler reports the rectification (measures, funds, photos) → 待核查;
- ``accept_hazard``: acceptance (验收人, 验收日期 ≥ 发现日期) = verify pass → closed = 销号.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.domain.ledger_import import PlannedRow
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action, Channel, Kind
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.domain.enterprises import check_may_act_for
from gridgov.data.enterprises.enums import Book, Grade
from gridgov.data.enterprises.models import Hazard
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Enterprise, Membership, User
from gridgov.data.taxonomy.domain import time_limit
from gridgov.data.taxonomy.enums import Phase, Priority
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.days import check_day
from gridgov.db import prepared
from gridgov.types import Keywords

MAX_FUNDS = Decimal("1000000000")


@dataclass(frozen=True, slots=True)
class HazardInput:
    """What a ledger line says about a hazard (from a form or an Excel row)."""

    enterprise: Enterprise
    book: Book
    grade: Grade
    category: Category
    location: str
    description: str
    found_on: date
    responsible: str = ""
    deadline: date | None = None
    measures: str = ""
    funds: Decimal = Decimal(0)


def default_deadline(*, category: Category, grade: Grade, found_on: date, calendar: WorkCalendar | None = None) -> date:
    """The rectification deadline from the category's time limit for the grade (major: stricter)."""
    limit = time_limit(category=category, phase=Phase.HANDLE, priority=_priority(grade))
    calendar = calendar or WorkCalendar.load()
    start = datetime.combine(found_on, time(8, 30), tzinfo=calendar.tz)
    return timezone.localtime(calendar.add_limit(start, limit.value, limit.unit), calendar.tz).date()


def _priority(grade: Grade | str) -> Priority:
    return Priority.MAJOR if grade == Grade.MAJOR else Priority.NORMAL


def check_hazard_input(data: HazardInput, *, today: date) -> None:
    """Refuse what a ledger must not contain, with the field at fault."""
    if not data.location.strip():
        raise InvalidInput(_("请填写隐患部位"), field="location")
    if len(data.location.strip()) > 120:
        raise InvalidInput(_("隐患部位不能超过120字"), field="location")
    if not data.description.strip():
        raise InvalidInput(_("请填写隐患描述"), field="description")
    check_day(data.found_on, today=today, field="found_on", label=_("发现日期"))
    if data.deadline is not None and data.deadline < data.found_on:
        raise InvalidInput(_("整改期限不能早于发现日期"), field="deadline")
    if data.funds < 0:
        raise InvalidInput(_("整改资金不能为负数"), field="funds")
    category = data.category
    if category.town_id != data.enterprise.town_id or category.parent_id is None or not category.active:
        raise InvalidInput(_("隐患类别“%(c)s”不可用") % {"c": category.name}, field="category")
    if data.book not in Book.values:
        raise InvalidInput(_("请选择台账（企业自查/政府检查/第三方）"), field="book")
    if data.grade not in Grade.values:
        raise InvalidInput(_("请选择隐患等级"), field="grade")


def supervisor_for(case: Case) -> User | None:
    """Who records the automatic supervision of a major hazard: a leader of the town, else an operator."""
    for role in (Role.LEADER, Role.OPERATOR):
        membership = (
            Membership.objects.filter(role=role, active=True, town_id=case.town_id, user__is_active=True)
            .select_related("user", "area")
            .order_by("id")
        )
        for m in membership:
            if m.area is not None and case.area_path.startswith(m.area.path):
                return m.user
    return None


SUPERVISE_NOTE = gettext_noop("重大隐患，自动挂牌督办")


def hazard_case_fields(data: HazardInput) -> Keywords:
    """How a hazard's case is filed: in its enterprise's village, titled with the enterprise and the spot."""
    enterprise = data.enterprise
    location = data.location.strip()
    return {
        "channel": Channel.ENTERPRISE if data.book == Book.SELF else Channel.INSPECTION,
        "category": data.category,
        "description": data.description,
        "area": enterprise.village or enterprise.town,
        "address": f"{enterprise.name} {location}"[:255],
        "title": f"{enterprise.name}：{location}"[:120],
        "priority": _priority(data.grade),
        "kind": Kind.HAZARD,
        "enterprise": enterprise,
    }


def hazard_row(*, case: Case, data: HazardInput, source_key: str, deadline: date) -> Hazard:
    return Hazard(
        case=case,
        town=data.enterprise.town,
        enterprise=data.enterprise,
        book=data.book,
        grade=data.grade,
        location=data.location.strip(),
        found_on=data.found_on,
        responsible=data.responsible.strip()[:64],
        deadline=deadline,
        measures=data.measures.strip(),
        funds=data.funds,
        source_key=source_key,
    )


def _supervisor(case: Case) -> User:
    supervisor = supervisor_for(case)
    if supervisor is None:
        raise InvalidInput(_("本镇没有领导或受理员账号，无法对重大隐患督办"), field="grade")
    return supervisor


def record_hazard(
    *,
    actor: User,
    data: HazardInput,
    photos: Sequence[Upload] = (),
    source_key: str = "",
    now: datetime | None = None,
) -> Hazard:
    """Enter one hazard into its book; returns the Hazard (its case is ``hazard.case``)."""
    now = now or timezone.now()
    _check_may_record(actor, data, now=now)
    deadline = data.deadline or default_deadline(category=data.category, grade=data.grade, found_on=data.found_on)
    with transaction.atomic():
        fields = hazard_case_fields(data)
        case = report_case(town=data.enterprise.town, reporter=actor, photos=photos, now=now, by_ledger=True, **fields)
        # built once per process: a ledger import files thousands in one transaction
        hazard = prepared.insert(hazard_row(case=case, data=data, source_key=source_key, deadline=deadline))
        if data.grade == Grade.MAJOR:
            apply_action(
                case_id=case.pk,
                actor=_supervisor(case),
                action=Action.SUPERVISE,
                note=_("重大隐患，自动挂牌督办"),
                now=now,
            )
            case.refresh_from_db()
    return hazard


def _check_may_record(actor: User, data: HazardInput, *, now: datetime) -> None:
    capacity = check_may_act_for(actor, data.enterprise)
    if capacity == Role.ENTERPRISE and data.book != Book.SELF:
        raise NotAllowed(_("企业只能登记本企业的自查隐患"))
    check_hazard_input(data, today=timezone.localdate(now))


def plan_hazard(
    *, actor: User, data: HazardInput, source_key: str, now: datetime, calendar: WorkCalendar
) -> PlannedRow[Hazard]:
    """``record_hazard`` without writing: for a ledger import, which writes many at once through
    ``bulk.write_cases`` (numbered, hash-chained and counted exactly as the engine would) and then owes their
    notifications (``bulk.owe_notifications``)."""
    _check_may_record(actor, data, now=now)
    fields = hazard_case_fields(data)
    replay = Replay(town=data.enterprise.town, reporter=actor, now=now, calendar=calendar, **fields)
    if data.grade == Grade.MAJOR:
        replay.act(actor=_supervisor(replay.case), action=Action.SUPERVISE, note=_(SUPERVISE_NOTE), now=now)
    deadline = data.deadline or default_deadline(
        category=data.category, grade=data.grade, found_on=data.found_on, calendar=calendar
    )
    detail = hazard_row(case=replay.case, data=data, source_key=source_key, deadline=deadline)
    return PlannedRow(replay.record(), detail)


def _act_on_hazard(
    *, case_id: int, actor: User, action: Action, note: str, now: datetime, photos: Sequence[Upload] = ()
) -> Hazard:
    """Take ``action`` on the hazard's case (the engine checks who may, and refuses with nothing written), then
    return its ledger row locked for the caller's own fields; call it inside the caller's transaction."""
    apply_action(case_id=case_id, actor=actor, action=action, note=note, photos=photos, now=now)
    return Hazard.objects.select_for_update().get(case_id=case_id)


def report_rectification(
    *,
    case_id: int,
    actor: User,
    measures: str,
    funds: Decimal,
    rectified_on: date,
    note: str = "",
    photos: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Hazard:
    """The handling department reports the rectification: measures taken, funds spent, after-photos."""
    now = now or timezone.now()
    if not measures.strip():
        raise InvalidInput(_("请填写整改措施"), field="measures")
    if funds < 0:
        raise InvalidInput(_("整改资金不能为负数"), field="funds")
    with transaction.atomic():
        hazard = _act_on_hazard(
            case_id=case_id,
            actor=actor,
            action=Action.RESOLVE,
            note=note.strip() or measures.strip(),
            photos=photos,
            now=now,
        )
        if rectified_on < hazard.found_on:
            raise InvalidInput(_("整改完成日期不能早于发现日期"), field="rectified_on")
        check_day(
            rectified_on, today=timezone.localdate(now), field="rectified_on", label=pgettext("day", "整改完成日期")
        )
        hazard.measures = measures.strip()
        hazard.funds = funds
        hazard.rectified_on = rectified_on
        hazard.save(update_fields=["measures", "funds", "rectified_on"])
    return hazard


def accept_hazard(
    *,
    case_id: int,
    actor: User,
    acceptor: str,
    accepted_on: date,
    note: str = "",
    now: datetime | None = None,
) -> Hazard:
    """Acceptance and 销号: verify pass (→ closed) with who accepted it and when."""
    now = now or timezone.now()
    acceptor = (acceptor or "").strip()
    if not acceptor:
        raise InvalidInput(_("请填写验收人"), field="acceptor")
    with transaction.atomic():
        note = note.strip() or _("验收合格，予以销号（验收人：%(a)s）") % {"a": acceptor}
        hazard = _act_on_hazard(case_id=case_id, actor=actor, action=Action.VERIFY_PASS, note=note, now=now)
        if accepted_on < hazard.found_on:
            raise InvalidInput(_("验收日期不能早于发现日期"), field="accepted_on")
        if hazard.rectified_on is not None and accepted_on < hazard.rectified_on:
            raise InvalidInput(_("验收日期不能早于整改完成日期"), field="accepted_on")
        check_day(accepted_on, today=timezone.localdate(now), field="accepted_on", label=_("验收日期"))
        hazard.acceptor = acceptor[:64]
        hazard.accepted_on = accepted_on
        hazard.save(update_fields=["acceptor", "accepted_on"])
    return hazard
