"""Group-rental houses' fire-safety rectifications (群租房整改), on the one case engine.

Life of a rectification:
- ``record_rectification``: the command room enters what a check of a 群租房 found (rooms, problems); a case
  of kind HAZARD under the ledger's category (消防安全/群租房) is reported, registered and dispatched to the
  department that handles fire safety in the town, with the category's deadline, in one transaction;
  ``plan_rectification`` is the same in memory (``Replay``) for an import;
- the department signs for it (SIGN) and reports the rectification (``rectify``: RESOLVE, 整改) → 待核查;
- ``accept`` (VERIFY_PASS, 验收) closes it. "整改群租房N间" counts the rooms of the closed cases
  (``rentals.figures``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.domain.filing import file_case, replay_case
from gridgov.data.cases.domain.ledger_import import PlannedRow
from gridgov.data.cases.enums import Action, Channel, Kind
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.cases.scope import town_roles
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, Department, User
from gridgov.data.people.enums import HouseUse
from gridgov.data.people.models import House
from gridgov.data.rentals.enums import Problem
from gridgov.data.rentals.models import Rectification
from gridgov.data.taxonomy.domain import LedgerCategory, Limit, ledger_category
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.days import check_day
from gridgov.data.worktime.enums import TimeUnit
from gridgov.types import Keywords

MANAGER_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})

# The default taxonomy's 消防安全/群租房 (0705): read when the town has it, installed otherwise.
RENTAL_CATEGORY = LedgerCategory(
    major_code="07", major_name="消防安全", major_order=7,
    code="0705", name="群租房", sort_order=5, handle=Limit(3, TimeUnit.WORK_DAYS),
)  # fmt: skip


def install_rental_category(*, town: Area) -> Category:
    """The sub-category rectifications are filed under (消防安全/群租房), with its time limits."""
    return ledger_category(town=town, spec=RENTAL_CATEGORY)


@dataclass(frozen=True, slots=True, kw_only=True)
class RectificationInput:
    """What a ledger line says about a group-rental house's rectification (a form, an API call, a sheet row)."""

    house: House
    rooms: int
    problems: tuple[Problem | str, ...]
    description: str = ""
    measures: str = ""
    found_on: date | None = None
    department: Department | None = None


@dataclass(frozen=True, slots=True)
class Filing:
    """A rectification checked, as both ``record_rectification`` and ``plan_rectification`` file it."""

    fields: Keywords  # the case's, for ``report_case``/``Replay``
    category: Category
    department: Department
    note: str  # of the registering and dispatching steps
    problems: tuple[Problem, ...]
    found_on: date

    def steps(self) -> list[tuple[Action, Keywords]]:
        """The command room registers the rectification and dispatches it to the fire-safety department."""
        return [(Action.REGISTER, {}), (Action.DISPATCH, {"department": self.department})]


def _problems(raw: Sequence[Problem | str]) -> tuple[Problem, ...]:
    found: list[Problem] = []
    for value in raw:
        if value not in Problem.values:
            raise InvalidInput(_("存在问题“%(p)s”无效") % {"p": value}, field="problems")
        if Problem(value) not in found:
            found.append(Problem(value))
    if not found:
        raise InvalidInput(_("请至少选择一项存在问题"), field="problems")
    return tuple(found)


def _case_fields(data: RectificationInput, *, category: Category, problems: tuple[Problem, ...]) -> Keywords:
    """How a rectification's case is filed: at its house (grid, else village), titled with the address."""
    house = data.house
    labels = _("、").join(str(p.label) for p in problems)
    description = data.description.strip() or _("群租房%(n)s间存在：%(p)s") % {"n": data.rooms, "p": labels}
    return {
        "channel": Channel.INSPECTION,
        "kind": Kind.HAZARD,
        "category": category,
        "title": (_("群租房整改：%(a)s") % {"a": house.address})[:120],
        "description": description,
        "address": house.address,
        "area": house.grid or house.village,
    }


def _check(actor: User, data: RectificationInput, *, now: datetime, category: Category | None = None) -> Filing:
    """What a rectification needs, live or planned: a manager of the house's town, a 群租房 with at least the
    rooms named, known problems, a finding day not in the future and a department that handles it."""
    house = data.house
    if not town_roles(actor, house.town) & MANAGER_ROLES:
        raise NotAllowed(_("只有镇指挥室或管理员可以登记群租房整改"))
    if house.use != HouseUse.GROUP_RENTAL:
        raise InvalidInput(_("房屋“%(a)s”不是群租房") % {"a": house.address}, field="house")
    if data.rooms < 1:
        raise InvalidInput(_("涉及间数至少为1间"), field="rooms")
    if data.rooms > house.rooms:
        raise InvalidInput(
            _("涉及间数不能超过该房屋的间数（%(n)s间）") % {"n": house.rooms},
            field="rooms",
        )
    problems = _problems(data.problems)
    today = timezone.localtime(now).date()
    found_on = check_day(data.found_on or today, today=today, field="found_on", label=_("发现日期"))
    category = category or install_rental_category(town=house.town)
    department = data.department or category.default_department or _major_department(category)
    if department is None:
        raise InvalidInput(_("本镇未设消防安全的处置部门，请选择承办部门"), field="department")
    if department.town_id != house.town_id or not department.active:
        raise InvalidInput(_("承办部门“%(d)s”不是本镇启用的部门") % {"d": department.name}, field="department")
    return Filing(
        fields=_case_fields(data, category=category, problems=problems),
        category=category,
        department=department,
        note=_("群租房消防整改，交%(d)s办理") % {"d": department.name},
        problems=problems,
        found_on=found_on,
    )


def _major_department(category: Category) -> Department | None:
    parent = category.parent
    return parent.default_department if parent is not None else None


def check_rectification(
    *, actor: User, data: RectificationInput, now: datetime, category: Category | None = None
) -> Filing:
    """``_check`` for a ledger import's rows, finished ones included (their case is filed as ``Filing.fields``)."""
    return _check(actor, data, now=now, category=category)


def rectification_row(
    *, case: Case, data: RectificationInput, filing: Filing, import_key: str, rectified_on: date | None = None
) -> Rectification:
    return Rectification(
        town=data.house.town,
        case=case,
        house=data.house,
        rooms=data.rooms,
        problems=",".join(filing.problems),
        measures=data.measures.strip(),
        found_on=filing.found_on,
        rectified_on=rectified_on,
        import_key=import_key,
    )


def record_rectification(
    *, actor: User, data: RectificationInput, now: datetime | None = None, import_key: str = ""
) -> Rectification:
    """Enter one rectification: its case reported, registered and dispatched, and its row, in one transaction."""
    now = now or timezone.now()
    filing = _check(actor, data, now=now)
    with transaction.atomic():
        case = file_case(filing, town=data.house.town, reporter=actor, actor=actor, now=now)
        row = rectification_row(case=case, data=data, filing=filing, import_key=import_key)
        row.save(force_insert=True)
    return row


def plan_rectification(
    *,
    actor: User,
    data: RectificationInput,
    now: datetime,
    calendar: WorkCalendar,
    category: Category | None = None,
    import_key: str = "",
) -> PlannedRow[Rectification]:
    """``record_rectification`` without writing: for a ledger import, which writes many at once through the bulk
    path. ``category`` is ``install_rental_category``'s, looked up once by the caller (else here)."""
    filing = _check(actor, data, now=now, category=category)
    replay = replay_case(filing, town=data.house.town, reporter=actor, actor=actor, now=now, calendar=calendar)
    detail = rectification_row(case=replay.case, data=data, filing=filing, import_key=import_key)
    return PlannedRow(replay.record(), detail)


def rectify(
    *,
    rectification: Rectification,
    actor: User,
    measures: str,
    rectified_on: date,
    photos: Sequence[Upload] = (),
    note: str = "",
    now: datetime | None = None,
) -> Rectification:
    """整改: the handling department reports the measures taken, with after-photos (the case's RESOLVE)."""
    now = now or timezone.now()
    measures = measures.strip()
    if not measures:
        raise InvalidInput(_("请填写整改措施"), field="measures")
    if rectified_on < rectification.found_on:
        raise InvalidInput(_("整改完成日期不能早于发现日期"), field="rectified_on")
    check_day(
        rectified_on, today=timezone.localtime(now).date(), field="rectified_on", label=pgettext("day", "整改完成日期")
    )
    with transaction.atomic():
        apply_action(
            case_id=rectification.case_id,
            actor=actor,
            action=Action.RESOLVE,
            note=note.strip() or measures,
            photos=photos,
            now=now,
        )
        Rectification.objects.filter(pk=rectification.pk).update(measures=measures, rectified_on=rectified_on)
    rectification.measures, rectification.rectified_on = measures, rectified_on
    return rectification


def accept(*, rectification: Rectification, actor: User, note: str = "", now: datetime | None = None) -> CaseAction:
    """验收: the rectification is checked and the case closed (the case's VERIFY_PASS)."""
    return apply_action(
        case_id=rectification.case_id,
        actor=actor,
        action=Action.VERIFY_PASS,
        note=note.strip() or _("群租房整改验收合格"),
        now=now,
    )
