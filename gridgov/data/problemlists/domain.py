"""Problem lists: create a list, add items (each a case dispatched to its responsible unit), report
progress, 销号 (verification passes → closed), completion rate per list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.domain.filing import file_case, replay_case
from gridgov.data.cases.domain.ledger_import import PlannedRow
from gridgov.data.cases.enums import Action, Channel, Kind, Status
from gridgov.data.cases.figures import closed_by
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.cases.scope import town_roles
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import DepartmentKind, Role
from gridgov.data.org.models import Area, Department, User
from gridgov.data.problemlists.enums import Source
from gridgov.data.problemlists.models import ProblemItem, ProblemList
from gridgov.data.taxonomy.domain import LedgerCategory, Limit, ledger_category
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import TimeUnit
from gridgov.types import Keywords

CATEGORY_CODE = "2004"
MAJOR_CODE = "20"
MANAGER_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})
SEVEN_LISTS = (
    "党建统领问题清单",
    "经济生态问题清单",
    "平安稳定问题清单",
    "安全生产问题清单",
    "民生保障问题清单",
    "基层治理问题清单",
    "巡视巡察问题清单",
)
CHANNEL_OF_SOURCE = {
    Source.SUPERIOR: Channel.SUPERIOR,
    Source.INSPECTION: Channel.INSPECTION,
    Source.PUBLIC: Channel.RESIDENT,
}


PROBLEM_LIST_CATEGORY = LedgerCategory(
    major_code=MAJOR_CODE, major_name="村务与党建", major_order=20,
    code=CATEGORY_CODE, name="问题清单线索", sort_order=4, handle=Limit(30, TimeUnit.CALENDAR_DAYS),
)  # fmt: skip


def install_problem_list_categories(*, town: Area) -> Category:
    """The sub-category list items are filed under (问题清单线索), with its time limits."""
    return ledger_category(town=town, spec=PROBLEM_LIST_CATEGORY)


def _check_manager(user: User, town: Area) -> None:
    if not town_roles(user, town) & MANAGER_ROLES:
        raise NotAllowed(_("只有镇指挥室或管理员可以管理问题清单"))


def create_list(
    *, town: Area, actor: User, name: str, description: str = "", now: datetime | None = None
) -> ProblemList:
    _check_manager(actor, town)
    name = name.strip()
    if not name:
        raise InvalidInput(_("请填写清单名称"), field="name")
    if ProblemList.objects.filter(town=town, name=name).exists():
        raise InvalidInput(_("清单“%(name)s”已存在") % {"name": name}, field="name")
    order = ProblemList.objects.filter(town=town).count()
    return ProblemList.objects.create(
        town=town,
        name=name[:80],
        description=description.strip()[:255],
        sort_order=order,
        created_at=now or timezone.now(),
    )


def ensure_seven_lists(*, town: Area, actor: User, now: datetime | None = None) -> list[ProblemList]:
    """The seven lists (七张问题清单), created when missing."""
    existing = {p.name: p for p in ProblemList.objects.filter(town=town)}
    return [existing.get(name) or create_list(town=town, actor=actor, name=name, now=now) for name in SEVEN_LISTS]


@dataclass(frozen=True, slots=True)
class _Item:
    """An item checked, as both ``add_item`` and ``plan_item`` file it."""

    fields: Keywords  # the case's, for ``report_case``/``Replay``
    note: str  # of the registering and dispatching steps
    person: str
    plan: str
    found_on: date
    department: Department

    def steps(self) -> list[tuple[Action, Keywords]]:
        """The command room registers a new item and dispatches it to the responsible unit at once."""
        return [(Action.REGISTER, {}), (Action.DISPATCH, {"department": self.department})]


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemInput:
    """A problem-list item as it is given — by the web form, the API, a sheet row (``importers.ItemRow`` is
    one) or the demo — for ``add_item`` and ``plan_item``; its detail row is ``item_row``'s."""

    problem_list: ProblemList
    source: Source | str
    description: str
    department: Department
    responsible_person: str
    plan: str
    deadline: date
    found_on: date | None = None
    title: str = ""


def _check_item(*, actor: User, data: ItemInput, now: datetime, category: Category | None = None) -> _Item:
    """What an item needs, live or planned: a manager of the town, a known source, an active department of the
    town, a responsible person and a plan, a deadline not before the finding. Returns how it is filed."""
    town = data.problem_list.town
    _check_manager(actor, town)
    if data.source not in Source.values:
        raise InvalidInput(_("问题来源“%(s)s”无效") % {"s": data.source}, field="source")
    department = data.department
    if department.town_id != town.pk or not department.active:
        raise InvalidInput(_("责任单位“%(d)s”不是本镇启用的部门") % {"d": department.name}, field="department")
    responsible_person = data.responsible_person.strip()
    if not responsible_person:
        raise InvalidInput(_("请填写责任人"), field="responsible_person")
    plan = data.plan.strip()
    if not plan:
        raise InvalidInput(_("请填写整改方案"), field="plan")
    found_on = data.found_on or timezone.localtime(now).date()
    if data.deadline < found_on:
        raise InvalidInput(_("整改时限不能早于发现日期"), field="deadline")
    category = category or install_problem_list_categories(town=town)
    fields = item_case_fields(
        town=town, source=data.source, description=data.description, department=department, category=category
    )
    if data.title:
        fields["title"] = data.title
    note = _("列入“%(list)s”，责任人：%(person)s") % {"list": data.problem_list.name, "person": responsible_person}
    return _Item(
        fields=fields, note=note, person=responsible_person, plan=plan, found_on=found_on, department=department
    )


def item_case_fields(
    *, town: Area, source: Source | str, description: str, department: Department, category: Category
) -> Keywords:
    """How an item's case is filed: where its responsible unit is (a village's committee: that village), under
    the problem-list category, titled with the start of its description."""
    area = department.area if department.kind == DepartmentKind.VILLAGE_COMMITTEE and department.area else town
    return {
        "channel": CHANNEL_OF_SOURCE.get(Source(source), Channel.OTHER),
        "kind": Kind.PROBLEM_LIST,
        "category": category,
        "title": description[:40],
        "description": description,
        "area": area,
    }


def item_row(*, case: Case, data: ItemInput, found_on: date, import_key: str) -> ProblemItem:
    """The detail row of ``data``'s item filed as ``case`` (found on ``found_on``: its day, given or defaulted)."""
    return ProblemItem(
        town=data.problem_list.town,
        case=case,
        problem_list=data.problem_list,
        source=str(data.source),
        department=data.department,
        responsible_person=data.responsible_person.strip()[:32],
        plan=data.plan.strip(),
        deadline=data.deadline,
        found_on=found_on,
        import_key=import_key,
    )


def add_item(*, actor: User, data: ItemInput, now: datetime | None = None, import_key: str = "") -> ProblemItem:
    """Add an item to a list: a case (kind PROBLEM_LIST) registered and dispatched to the responsible unit
    by ``actor`` (command room), with its detail row, in one transaction."""
    now = now or timezone.now()
    item = _check_item(actor=actor, data=data, now=now)
    with transaction.atomic():
        case = file_case(item, town=data.problem_list.town, reporter=actor, actor=actor, now=now)
        row = item_row(case=case, data=data, found_on=item.found_on, import_key=import_key)
        row.save(force_insert=True)
        return row


def plan_item(
    *,
    actor: User,
    data: ItemInput,
    now: datetime,
    calendar: WorkCalendar,
    category: Category | None = None,
    import_key: str = "",
) -> PlannedRow[ProblemItem]:
    """``add_item`` without writing: for a ledger import, which writes many at once through the bulk path.
    ``category`` is ``install_problem_list_categories``'s, looked up once by the caller (else here)."""
    item = _check_item(actor=actor, data=data, now=now, category=category)
    replay = replay_case(item, town=data.problem_list.town, reporter=actor, actor=actor, now=now, calendar=calendar)
    detail = item_row(case=replay.case, data=data, found_on=item.found_on, import_key=import_key)
    return PlannedRow(replay.record(), detail)


def report_progress(*, item: ProblemItem, actor: User, note: str, now: datetime | None = None) -> CaseAction:
    """The responsible unit reports progress (a PROGRESS action on the item's case)."""
    return apply_action(case_id=item.case_id, actor=actor, action=Action.PROGRESS, note=note, now=now)


def write_off(*, item: ProblemItem, actor: User, note: str = "", now: datetime | None = None) -> CaseAction:
    """销号: the rectification is verified and the item closed (the case's verify_pass)."""
    return apply_action(
        case_id=item.case_id, actor=actor, action=Action.VERIFY_PASS, note=note or _("整改到位，予以销号"), now=now
    )


def is_overdue(item: ProblemItem, *, today: date) -> bool:
    return item.case.status not in (Status.CLOSED, Status.REJECTED) and item.deadline < today


@dataclass(frozen=True, slots=True)
class ListProgress:
    problem_list: ProblemList
    items: int
    rectified: int
    overdue: int

    @property
    def rate(self) -> Decimal | None:
        """销号 / items, as a fraction; None when the list has no items."""
        if not self.items:
            return None
        return Decimal(self.rectified) / Decimal(self.items)


def list_progress(*, town: Area, as_of: datetime) -> list[ListProgress]:
    """Each list of the town: items (rejected ones left out), 销号 by ``as_of``, overdue at ``as_of``."""
    today = timezone.localtime(as_of).date()
    lists = list(ProblemList.objects.filter(town=town))
    items = ProblemItem.objects.filter(town=town).exclude(case__status=Status.REJECTED)
    counts: dict[int, tuple[int, int]] = {
        row["problem_list_id"]: (row["n"], row["overdue"])
        for row in items.values("problem_list_id")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(deadline__lt=today) & ~Q(case__status=Status.CLOSED)),
        )
        .order_by()
    }
    rectified = {
        row["problem_item__problem_list_id"]: row["n"]
        for row in closed_by(Case.objects.filter(problem_item__in=items), as_of=as_of)
        .values("problem_item__problem_list_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [
        ListProgress(
            problem_list=p,
            items=counts.get(p.pk, (0, 0))[0],
            rectified=rectified.get(p.pk, 0),
            overdue=counts.get(p.pk, (0, 0))[1],
        )
        for p in lists
    ]
