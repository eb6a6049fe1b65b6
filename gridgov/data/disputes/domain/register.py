"""Registering a petition or dispute: checked, its case filed by the command room and dispatched to the handling
unit with the detail row and the parties — live (``register_dispute``) or planned in memory for a ledger import
(``plan_dispute``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.amounts import parse_amount
from gridgov.data.cases.domain.bulk import CaseRecord
from gridgov.data.cases.domain.filing import file_case, replay_case
from gridgov.data.cases.enums import Action, Channel, Kind
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import town_roles
from gridgov.data.disputes.domain.categories import CATEGORIES, dispute_category, install_dispute_categories
from gridgov.data.disputes.domain.parties import PartyInput, check_parties, party_rows
from gridgov.data.disputes.enums import DisputeType, Level
from gridgov.data.disputes.models import Dispute, DisputeParty
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, Department, User
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.days import check_day
from gridgov.types import Keywords

MANAGER_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})


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
        return dispute_rows(self, town=town, case=case, parties=self.parties, import_key=import_key)


class DisputeDetail(Protocol):
    """What a dispute's detail row is made of: a filing (registered or planned) or a ledger import's row."""

    @property
    def type(self) -> DisputeType: ...
    @property
    def level(self) -> str: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def backlog(self) -> bool: ...
    @property
    def received_on(self) -> date: ...


def dispute_rows(
    detail: DisputeDetail,
    *,
    town: Area,
    case: Case,
    parties: Sequence[PartyInput],
    import_key: str,
    backlog_cleared_at: datetime | None = None,
    method: str = "",
    outcome: str = "",
) -> tuple[Dispute, list[DisputeParty]]:
    """A dispute's detail row and its parties (pointing at the dispute: save it first) — registered live,
    planned, or imported finished (with its mediation and, for a backlog case, when it was cleared)."""
    dispute = Dispute(
        town=town,
        case=case,
        type=detail.type,
        level=detail.level,
        amount=detail.amount,
        backlog=detail.backlog,
        backlog_cleared_at=backlog_cleared_at,
        received_on=detail.received_on,
        method=method,
        outcome=outcome,
        import_key=import_key,
    )
    return dispute, party_rows(town=town, dispute=dispute, parties=parties)


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


class DisputeFacts(TypedDict):
    """What a dispute is registered with, as ``plan_dispute`` (and, with defaults, ``register_dispute``) take it."""

    type: DisputeType | str
    description: str
    parties: Sequence[PartyInput]
    level: Level | str
    amount: Decimal | str | int
    backlog: bool
    received_on: date | None
    department: Department | None
    area: Area | None


def _check_dispute(
    *,
    town: Area,
    actor: User,
    category: Category | None,
    now: datetime,
    categories: dict[str, Category] | None = None,
    **given: Unpack[DisputeFacts],
) -> _Filing:
    """What a dispute needs, live or planned: a manager of the town, a known type and level, an amount, its
    parties, a receiving day not in the future, a category of its type and a handling unit."""
    if not town_roles(actor, town) & MANAGER_ROLES:
        raise NotAllowed(_("只有镇指挥室或管理员可以登记信访和纠纷"))
    type, level, backlog, department = given["type"], given["level"], given["backlog"], given["department"]
    if type not in DisputeType.values:
        raise InvalidInput(_("类型“%(t)s”无效") % {"t": type}, field="type")
    dtype = DisputeType(type)
    if level not in Level.values:
        raise InvalidInput(_("层级“%(l)s”无效") % {"l": level}, field="level")
    checked_amount = parse_amount(given["amount"], label=_("涉及金额"))
    checked = check_parties(given["parties"])
    today = timezone.localtime(now).date()
    received_on = check_day(given["received_on"] or today, today=today, field="received_on", label=_("受理日期"))
    if category is None:
        category = dispute_category(categories or install_dispute_categories(town=town), dtype, backlog=backlog)
    elif category.parent is None or category.parent.code != CATEGORIES[dtype][0]:
        raise InvalidInput(_("分类“%(c)s”不属于%(t)s") % {"c": category.name, "t": dtype.label}, field="category")
    department = department or category.default_department
    if department is None:
        raise InvalidInput(_("请选择承办部门"), field="department")
    fields = dispute_case_fields(
        dtype=dtype, category=category, description=given["description"], area=given["area"] or town
    )
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
        case = file_case(filing, town=town, reporter=actor, actor=actor, now=now)
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
    now: datetime,
    calendar: WorkCalendar,
    categories: dict[str, Category] | None = None,
    import_key: str = "",
    **given: Unpack[DisputeFacts],
) -> PlannedDispute:
    """``register_dispute`` without writing: for a ledger import, which writes many at once through the bulk
    path. ``categories`` is ``install_dispute_categories``'s, looked up once by the caller (else here)."""
    filing = _check_dispute(town=town, actor=actor, category=None, now=now, categories=categories, **given)
    replay = replay_case(filing, town=town, reporter=actor, actor=actor, now=now, calendar=calendar)
    return PlannedDispute(replay.record(), filing, town, import_key)
