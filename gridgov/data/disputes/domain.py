"""Petitions and disputes: register (a case dispatched to the handling unit, with parties), record the
mediation, resolve through the engine, clear a backlog case (积案化解), the petition limit (60 days, +30
with approval) and the parties' personal data (masked; full view for the command room and leaders, logged)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.amounts import parse_amount
from gridgov.data.cases.domain.bulk import CaseRecord
from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.domain.personal_data import REVEAL_ROLES, can_reveal
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action, Channel, Kind, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.cases.scope import capacities, town_roles
from gridgov.data.disputes.enums import DisputeType, Level, Method, Outcome, PartyRole
from gridgov.data.disputes.models import Dispute, DisputeParty
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.idcard import check_id_number as check_id_number  # re-exported: the importer checks its cells with it
from gridgov.data.org.enums import Role, SecurityEventKind
from gridgov.data.org.models import Area, Department, User
from gridgov.data.org.security import Client, record_event
from gridgov.data.privacy import mask_id_number, mask_name, mask_phone
from gridgov.data.taxonomy.domain import Limit, install_ledger_category, install_major_category
from gridgov.data.taxonomy.models import Category, TimeLimit
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import TimeUnit
from gridgov.types import Keywords

MANAGER_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})
PETITION_DAYS = 60
PETITION_EXTENSION_DAYS = 30

# type → (major code, major name, sub code, sub name, handling limit in calendar days)
CATEGORIES: dict[str, tuple[str, str, str, str, int]] = {
    DisputeType.CONFLICT: ("01", "矛盾纠纷", "0101", "邻里纠纷", 15),
    DisputeType.LABOUR: ("02", "劳资纠纷", "0201", "欠薪", 15),
    DisputeType.PETITION: ("03", "信访诉求", "0301", "初信初访", PETITION_DAYS),
}
BACKLOG_PETITION = ("0302", "重复信访/积案")


@dataclass(frozen=True, slots=True)
class PartyInput:
    name: str
    phone: str = ""
    id_number: str = ""
    role: PartyRole = PartyRole.APPLICANT


def install_dispute_categories(*, town: Area) -> dict[str, Category]:
    """The sub-categories for each type (and 积案 petitions) with their statutory limits (idempotent; once
    they are there, only read: an import asks for each row without a transaction)."""
    codes = {sub_code: dtype for dtype, (_m, _n, sub_code, _s, _d) in CATEGORIES.items()}
    subs = {
        c.code: c
        for c in Category.objects.filter(town=town, parent__isnull=False, code__in=[*codes, BACKLOG_PETITION[0]])
    }
    limited = set(TimeLimit.objects.filter(category__in=subs.values()).values_list("category__code", flat=True))
    if len(subs) != len(codes) + 1 or limited != set(subs):
        return _install_categories(town=town)
    return {**subs, **{dtype: subs[code] for code, dtype in codes.items()}}


@transaction.atomic
def _install_categories(*, town: Area) -> dict[str, Category]:
    found: dict[str, Category] = {}
    for dtype, (major_code, major_name, sub_code, sub_name, days) in CATEGORIES.items():
        major = install_major_category(town=town, code=major_code, name=major_name, sort_order=int(major_code))
        handle = Limit(days, TimeUnit.CALENDAR_DAYS)
        subs = [(sub_code, sub_name)] + ([BACKLOG_PETITION] if dtype == DisputeType.PETITION else [])
        for code, name in subs:
            found[code] = install_ledger_category(
                town=town, major=major, code=code, name=name, sort_order=int(code[2:]), handle=handle
            )
        found[dtype] = found[sub_code]
    return found


def check_phone(value: str) -> str:
    value = value.strip().replace(" ", "").replace("-", "")
    if value and not re.fullmatch(r"\+?\d{7,15}", value):
        raise InvalidInput(_("电话号码“%(v)s”格式不正确") % {"v": value}, field="phone")
    return value


def _check_parties(parties: Sequence[PartyInput]) -> list[PartyInput]:
    if not parties:
        raise InvalidInput(_("请至少填写一位当事人"), field="parties")
    checked = []
    for party in parties:
        name = party.name.strip()
        if not name:
            raise InvalidInput(_("当事人姓名不能为空"), field="parties")
        checked.append(
            PartyInput(
                name=name[:64],
                phone=check_phone(party.phone),
                id_number=check_id_number(party.id_number),
                role=PartyRole(party.role),
            )
        )
    return checked


@dataclass(frozen=True)
class _Filing:
    """A dispute checked, as both ``register_dispute`` and ``plan_dispute`` file it."""

    fields: Keywords  # the case's, for ``report_case``/``Replay``
    department: Department
    note: str  # of the registering and dispatching steps
    type: DisputeType
    level: str
    amount: Decimal
    backlog: bool
    received_on: date
    parties: list[PartyInput]

    def steps(self) -> list[tuple[Action, Keywords]]:
        """The command room registers the dispute and dispatches it to the handling unit at once."""
        return [(Action.REGISTER, {}), (Action.DISPATCH, {"department": self.department})]

    def rows(self, *, town: Area, case: Case, import_key: str) -> tuple[Dispute, list[DisputeParty]]:
        """The detail row and its parties (pointing at the dispute: save it first)."""
        dispute = Dispute(
            town=town,
            case=case,
            type=self.type,
            level=self.level,
            amount=self.amount,
            backlog=self.backlog,
            received_on=self.received_on,
            import_key=import_key,
        )
        return dispute, party_rows(town=town, dispute=dispute, parties=self.parties)


def party_rows(*, town: Area, dispute: Dispute, parties: Sequence[PartyInput]) -> list[DisputeParty]:
    """The parties of ``dispute`` as rows, in the order given (checked by ``_check_parties`` or a ledger import)."""
    return [
        DisputeParty(
            town=town, dispute=dispute, role=p.role, name=p.name, phone=p.phone, id_number=p.id_number, sort_order=i
        )
        for i, p in enumerate(parties)
    ]


def dispute_category(categories: dict[str, Category], dtype: DisputeType, *, backlog: bool) -> Category:
    """A dispute's category by its type (a backlog petition: 重复信访/积案), of ``install_dispute_categories``."""
    return categories[BACKLOG_PETITION[0]] if dtype == DisputeType.PETITION and backlog else categories[dtype]


def dispute_case_fields(*, dtype: DisputeType, category: Category, description: str, area: Area) -> Keywords:
    """How a dispute's case is filed: a petition through the petition channel, titled with its matter."""
    return {
        "channel": Channel.PETITION if dtype == DisputeType.PETITION else Channel.OTHER,
        "kind": Kind.DISPUTE,
        "category": category,
        "title": description[:40],
        "description": description,
        "area": area,
    }


def _check_dispute(
    *,
    town: Area,
    actor: User,
    type: DisputeType | str,
    description: str,
    parties: Sequence[PartyInput],
    level: Level | str,
    amount: Decimal | str | int,
    backlog: bool,
    received_on: date | None,
    department: Department | None,
    area: Area | None,
    category: Category | None,
    now: datetime,
    categories: dict[str, Category] | None = None,
) -> _Filing:
    """What a dispute needs, live or planned: a manager of the town, a known type and level, an amount, its
    parties, a receiving day not in the future, a category of its type and a handling unit."""
    if not town_roles(actor, town) & MANAGER_ROLES:
        raise NotAllowed(_("只有镇指挥室或管理员可以登记信访和纠纷"))
    if type not in DisputeType.values:
        raise InvalidInput(_("类型“%(t)s”无效") % {"t": type}, field="type")
    dtype = DisputeType(type)
    if level not in Level.values:
        raise InvalidInput(_("层级“%(l)s”无效") % {"l": level}, field="level")
    checked_amount = parse_amount(amount, label=_("涉及金额"))
    checked = _check_parties(parties)
    received_on = received_on or timezone.localtime(now).date()
    if received_on > timezone.localtime(now).date():
        raise InvalidInput(_("受理日期不能晚于今天"), field="received_on")
    if category is None:
        category = dispute_category(categories or install_dispute_categories(town=town), dtype, backlog=backlog)
    elif category.parent is None or category.parent.code != CATEGORIES[dtype][0]:
        raise InvalidInput(_("分类“%(c)s”不属于%(t)s") % {"c": category.name, "t": dtype.label}, field="category")
    department = department or category.default_department
    if department is None:
        raise InvalidInput(_("请选择承办部门"), field="department")
    fields = dispute_case_fields(dtype=dtype, category=category, description=description, area=area or town)
    return _Filing(
        fields=fields,
        department=department,
        note=_("登记%(type)s，交%(dept)s办理") % {"type": dtype.label, "dept": department.name},
        type=dtype,
        level=str(level),
        amount=checked_amount,
        backlog=backlog,
        received_on=received_on,
        parties=checked,
    )


def register_dispute(
    *,
    town: Area,
    actor: User,
    type: DisputeType | str,
    description: str,
    parties: Sequence[PartyInput],
    level: Level | str = Level.TOWN,
    amount: Decimal | str | int = 0,
    backlog: bool = False,
    received_on: date | None = None,
    department: Department | None = None,
    area: Area | None = None,
    category: Category | None = None,
    now: datetime | None = None,
    import_key: str = "",
) -> Dispute:
    """Register a petition or dispute: a case (kind DISPUTE) registered and dispatched by the command room
    to the handling unit, the detail row and the parties (encrypted), in one transaction."""
    now = now or timezone.now()
    filing = _check_dispute(
        town=town, actor=actor, type=type, description=description, parties=parties, level=level, amount=amount,
        backlog=backlog, received_on=received_on, department=department, area=area, category=category, now=now,
    )  # fmt: skip
    with transaction.atomic():
        case = report_case(town=town, reporter=actor, now=now, **filing.fields)
        for action, extra in filing.steps():
            apply_action(case_id=case.pk, actor=actor, action=action, note=filing.note, now=now, **extra)
        case.refresh_from_db()
        dispute, party_rows = filing.rows(town=town, case=case, import_key=import_key)
        dispute.save(force_insert=True)
        DisputeParty.objects.bulk_create(party_rows)
    return dispute


@dataclass(frozen=True)
class PlannedDispute:
    """A new dispute as ``register_dispute`` would write it, replayed in memory (no lock, nothing written)."""

    record: CaseRecord
    filing: _Filing
    town: Area
    import_key: str

    def rows(self, case: Case) -> list[Dispute | DisputeParty]:
        dispute, parties = self.filing.rows(town=self.town, case=case, import_key=self.import_key)
        return [dispute, *parties]


def plan_dispute(
    *,
    town: Area,
    actor: User,
    type: DisputeType | str,
    description: str,
    parties: Sequence[PartyInput],
    level: Level | str,
    amount: Decimal | str | int,
    backlog: bool,
    received_on: date | None,
    department: Department | None,
    area: Area | None,
    now: datetime,
    calendar: WorkCalendar,
    categories: dict[str, Category] | None = None,
    import_key: str = "",
) -> PlannedDispute:
    """``register_dispute`` without writing: for a ledger import, which writes many at once through the bulk
    path. ``categories`` is ``install_dispute_categories``'s, looked up once by the caller (else here)."""
    filing = _check_dispute(
        town=town, actor=actor, type=type, description=description, parties=parties, level=level, amount=amount,
        backlog=backlog, received_on=received_on, department=department, area=area, category=None, now=now,
        categories=categories,
    )  # fmt: skip
    replay = Replay(town=town, reporter=actor, now=now, calendar=calendar, **filing.fields)
    for action, extra in filing.steps():
        replay.act(actor=actor, action=action, note=filing.note, now=now, **extra)
    return PlannedDispute(replay.record(), filing, town, import_key)


def record_mediation(
    *,
    dispute: Dispute,
    actor: User,
    method: Method | str,
    outcome: Outcome | str,
    note: str = "",
    now: datetime | None = None,
) -> CaseAction:
    """Record how the dispute was mediated and with what result (a comment in the case's audit chain)."""
    if method not in Method.values:
        raise InvalidInput(_("请选择调处方式"), field="method")
    if outcome not in Outcome.values:
        raise InvalidInput(_("请选择调处结果"), field="outcome")
    text = _("调处方式：%(m)s；结果：%(o)s") % {"m": Method(method).label, "o": Outcome(outcome).label}
    if note.strip():
        text += _("；说明：%(n)s") % {"n": note.strip()}
    with transaction.atomic():
        row = apply_action(case_id=dispute.case_id, actor=actor, action=Action.COMMENT, note=text, now=now)
        Dispute.objects.filter(pk=dispute.pk).update(method=method, outcome=outcome, outcome_note=note.strip())
    dispute.method, dispute.outcome, dispute.outcome_note = str(method), str(outcome), note.strip()
    return row


def clear_backlog(*, dispute: Dispute, actor: User, note: str = "", now: datetime | None = None) -> CaseAction:
    """积案化解: a backlog case whose case is closed is marked cleared (a comment in the audit chain)."""
    now = now or timezone.now()
    if not dispute.backlog:
        raise NotAllowed(_("该件不是积案"))
    if dispute.backlog_cleared_at is not None:
        raise NotAllowed(_("该积案已化解销号"))
    if dispute.case.status != Status.CLOSED:
        raise NotAllowed(_("积案须办结（核查通过）后才能化解销号"))
    if not capacities(actor, dispute.case) & REVEAL_ROLES:
        raise NotAllowed(_("只有镇指挥室或领导可以确认积案化解"))
    with transaction.atomic():
        row = apply_action(
            case_id=dispute.case_id, actor=actor, action=Action.COMMENT, note=note or _("积案化解销号"), now=now
        )
        Dispute.objects.filter(pk=dispute.pk).update(backlog_cleared_at=now)
    dispute.backlog_cleared_at = now
    return row


def request_petition_extension(
    *, dispute: Dispute, actor: User, note: str, days: int = PETITION_EXTENSION_DAYS, now: datetime | None = None
) -> CaseAction:
    """信访: the 60-day limit may be extended once, by at most 30 days, with approval."""
    if dispute.type != DisputeType.PETITION:
        raise NotAllowed(_("只有信访件适用延期30日的规定"))
    if days < 1 or days > PETITION_EXTENSION_DAYS:
        raise InvalidInput(_("信访件延期不得超过%(n)s日") % {"n": PETITION_EXTENSION_DAYS}, field="extension")
    if dispute.case.extension_count >= 1:
        raise NotAllowed(_("信访件只能延期一次"))
    return apply_action(
        case_id=dispute.case_id, actor=actor, action=Action.REQUEST_EXTENSION, extension=days, note=note, now=now
    )


# ---------------------------------------------------------------------------------------------------
# Personal data of the parties


@dataclass(frozen=True, slots=True)
class PartyView:
    role: str
    name: str
    phone: str
    id_number: str
    masked: bool


def parties_masked(dispute: Dispute) -> list[PartyView]:
    return [
        PartyView(
            role=str(PartyRole(p.role).label),
            name=mask_name(p.name),
            phone=mask_phone(p.phone) if p.phone else "",
            id_number=mask_id_number(p.id_number) if p.id_number else "",
            masked=True,
        )
        for p in dispute.parties.all()
    ]


def reveal_parties(*, user: User, dispute: Dispute, client: Client | None = None) -> list[PartyView]:
    """The parties in full, for the command room, leaders and admins; the unmasking is logged."""
    if not can_reveal(user, dispute.case):  # the one rule of unmasking personal data on a case
        raise NotAllowed(_("您的角色不能查看当事人的完整信息"))
    record_event(
        kind=SecurityEventKind.PERSONAL_DATA_REVEALED,
        user=user,
        client=client,
        detail={"case": dispute.case.number, "fields": ["party_name", "party_phone", "party_id_number"]},
    )
    return [
        PartyView(role=str(PartyRole(p.role).label), name=p.name, phone=p.phone, id_number=p.id_number, masked=False)
        for p in dispute.parties.all()
    ]
