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

from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.enums import Action, Channel, Kind, Status
from gridgov.data.cases.figures import closed_by
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import DepartmentKind, Role
from gridgov.data.org.models import Area, Department, User
from gridgov.data.problemlists.enums import Source
from gridgov.data.problemlists.ledger import town_roles
from gridgov.data.problemlists.models import ProblemItem, ProblemList
from gridgov.data.taxonomy.enums import Phase
from gridgov.data.taxonomy.models import Category, TimeLimit
from gridgov.data.worktime.enums import TimeUnit

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


@transaction.atomic
def install_problem_list_categories(*, town: Area) -> Category:
    """The sub-category list items are filed under (问题清单线索), with time limits (idempotent)."""
    major, _created = Category.objects.get_or_create(
        town=town, code=MAJOR_CODE, defaults={"name": "村务与党建", "sort_order": 20}
    )
    sub, _created = Category.objects.get_or_create(
        town=town, code=CATEGORY_CODE, defaults={"parent": major, "name": "问题清单线索", "sort_order": 4}
    )
    if not TimeLimit.objects.filter(category=sub).exists():
        TimeLimit.objects.bulk_create(
            [
                TimeLimit(category=sub, phase=Phase.DISPATCH, priority="", value=1, unit=TimeUnit.WORK_HOURS),
                TimeLimit(category=sub, phase=Phase.HANDLE, priority="", value=30, unit=TimeUnit.CALENDAR_DAYS),
            ]
        )
    return sub


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


def add_item(
    *,
    problem_list: ProblemList,
    actor: User,
    source: Source | str,
    description: str,
    department: Department,
    responsible_person: str,
    plan: str,
    deadline: date,
    found_on: date | None = None,
    title: str = "",
    now: datetime | None = None,
    import_key: str = "",
) -> ProblemItem:
    """Add an item to a list: a case (kind PROBLEM_LIST) registered and dispatched to the responsible unit
    by ``actor`` (command room), with its detail row, in one transaction."""
    now = now or timezone.now()
    town = problem_list.town
    _check_manager(actor, town)
    if source not in Source.values:
        raise InvalidInput(_("问题来源“%(s)s”无效") % {"s": source}, field="source")
    if department.town_id != town.pk or not department.active:
        raise InvalidInput(_("责任单位“%(d)s”不是本镇启用的部门") % {"d": department.name}, field="department")
    responsible_person = responsible_person.strip()
    if not responsible_person:
        raise InvalidInput(_("请填写责任人"), field="responsible_person")
    plan = plan.strip()
    if not plan:
        raise InvalidInput(_("请填写整改方案"), field="plan")
    found_on = found_on or timezone.localtime(now).date()
    if deadline < found_on:
        raise InvalidInput(_("整改时限不能早于发现日期"), field="deadline")
    category = install_problem_list_categories(town=town)
    area = department.area if department.kind == DepartmentKind.VILLAGE_COMMITTEE and department.area else town
    with transaction.atomic():
        case = report_case(
            town=town,
            reporter=actor,
            channel=CHANNEL_OF_SOURCE.get(Source(source), Channel.OTHER),
            kind=Kind.PROBLEM_LIST,
            category=category,
            title=title or description[:40],
            description=description,
            area=area,
            now=now,
        )
        note = _("列入“%(list)s”，责任人：%(person)s") % {"list": problem_list.name, "person": responsible_person}
        apply_action(case_id=case.pk, actor=actor, action=Action.REGISTER, note=note, now=now)
        apply_action(case_id=case.pk, actor=actor, action=Action.DISPATCH, department=department, note=note, now=now)
        case.refresh_from_db()
        return ProblemItem.objects.create(
            town=town,
            case=case,
            problem_list=problem_list,
            source=source,
            department=department,
            responsible_person=responsible_person[:32],
            plan=plan,
            deadline=deadline,
            found_on=found_on,
            import_key=import_key,
        )


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
