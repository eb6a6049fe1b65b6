"""Inspection rounds: set up a round, record problems (each a case routed to its village), score the
villages and issue the round's numbered bulletin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.bulk import StoredFile, write_cases
from gridgov.data.cases.domain.filing import file_case, replay_case
from gridgov.data.cases.domain.ledger_import import PlannedRow
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action, Channel, Kind
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import town_roles
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.inspections.enums import RoundStatus
from gridgov.data.inspections.models import CheckItem, InspectionProblem, InspectionRound
from gridgov.data.org.domain import ancestors_by_level, locate_point
from gridgov.data.org.enums import AreaLevel, DepartmentKind, Role
from gridgov.data.org.models import Area, Department, User
from gridgov.data.taxonomy.domain import LedgerCategory, Limit, ledger_category
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.days import chinese_day
from gridgov.data.worktime.enums import TimeUnit
from gridgov.types import Keywords

# 文明创建 / 督查点位问题: rectified within 3 working days unless the town configures otherwise.
CATEGORY_CODE = "1901"
MAJOR_CODE = "19"
ORGANIZER_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})
MANAGER_ROLES = frozenset({Role.OPERATOR, Role.LEADER, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class ItemSpec:
    code: str
    name: str
    points: Decimal


INSPECTION_CATEGORY = LedgerCategory(
    major_code=MAJOR_CODE, major_name="文明创建", major_order=19,
    code=CATEGORY_CODE, name="督查点位问题", sort_order=1, handle=Limit(3, TimeUnit.WORK_DAYS),
)  # fmt: skip


def install_inspection_categories(*, town: Area) -> Category:
    """The sub-category inspection problems are filed under, with its time limits."""
    return ledger_category(town=town, spec=INSPECTION_CATEGORY)


def check_manager(user: User, town: Area, roles: frozenset[Role] = MANAGER_ROLES) -> None:
    if not town_roles(user, town) & roles:
        raise NotAllowed(_("只有镇指挥室、领导或管理员可以管理督查"))


def parse_points(value: object, *, field: str = "points") -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("扣分“%(v)s”不是数字") % {"v": value}, field=field) from None
    if not points.is_finite() or points < 0 or points > 100:
        raise InvalidInput(_("扣分必须在 0–100 之间"), field=field)
    return points.quantize(Decimal("0.1"))


def create_round(
    *,
    town: Area,
    actor: User,
    name: str,
    start_date: date,
    end_date: date,
    organizer: User,
    inspectors: Sequence[User],
    items: Sequence[ItemSpec],
    bulletin_title: str = "",
    now: datetime | None = None,
) -> InspectionRound:
    """Set up a round with its inspectors and check items."""
    now = now or timezone.now()
    check_manager(actor, town)
    name = name.strip()
    if not name:
        raise InvalidInput(_("请填写督查名称"), field="name")
    if end_date < start_date:
        raise InvalidInput(_("结束日期不能早于开始日期"), field="end_date")
    if not town_roles(organizer, town) & ORGANIZER_ROLES:
        raise InvalidInput(_("组织者必须是本镇的受理员或管理员（由其立案派遣督查问题）"), field="organizer")
    if not inspectors:
        raise InvalidInput(_("请至少选择一名督查人员"), field="inspectors")
    if not items:
        raise InvalidInput(_("请至少设置一个检查项目"), field="items")
    codes = [item.code.strip() for item in items]
    if len(set(codes)) != len(codes) or not all(codes):
        raise InvalidInput(_("检查项目编号不能为空或重复"), field="items")
    if InspectionRound.objects.filter(town=town, name=name).exists():
        raise InvalidInput(_("督查“%(name)s”已存在") % {"name": name}, field="name")
    install_inspection_categories(town=town)
    with transaction.atomic():
        round_ = InspectionRound.objects.create(
            town=town,
            name=name,
            bulletin_title=(bulletin_title.strip() or "创城督查通报")[:40],
            start_date=start_date,
            end_date=end_date,
            organizer=organizer,
            created_at=now,
        )
        round_.inspectors.set(inspectors)
        CheckItem.objects.bulk_create(
            [
                CheckItem(
                    round=round_, code=item.code.strip(), name=item.name.strip(), points=item.points, sort_order=i
                )
                for i, item in enumerate(items)
            ]
        )
    return round_


def finish_round(*, round: InspectionRound, actor: User) -> None:
    check_manager(actor, round.town)
    InspectionRound.objects.filter(pk=round.pk).update(status=RoundStatus.FINISHED)
    round.status = RoundStatus.FINISHED


def village_committee(village: Area) -> Department:
    department = Department.objects.filter(
        area=village, kind=DepartmentKind.VILLAGE_COMMITTEE, active=True, town_id=village.town_id
    ).first()
    if department is None:
        raise InvalidInput(_("%(v)s没有启用的村（社区）委员会，无法派遣") % {"v": village.name}, field="area")
    return department


def _check_problem(
    *, round: InspectionRound, inspector: User, item: CheckItem, spot: str, now: datetime, has_photo: bool
) -> str:
    """What a problem needs, live or replayed: an open round, one of its inspectors, its own check item, a day
    within the round, a spot and a photo. Returns the spot, trimmed."""
    if round.status != RoundStatus.OPEN:
        raise NotAllowed(_("督查“%(name)s”已结束，不能再记录问题") % {"name": round.name})
    is_inspector = inspector.pk == round.organizer_id or round.inspectors.filter(pk=inspector.pk).exists()
    if not is_inspector:
        raise NotAllowed(_("您不是“%(name)s”的督查人员") % {"name": round.name})
    if item.round_id != round.pk:
        raise InvalidInput(_("检查项目不属于本轮督查"), field="item")
    day = timezone.localtime(now).date()
    if not (round.start_date <= day <= round.end_date):
        raise InvalidInput(
            _("发现日期 %(d)s 不在督查期间（%(s)s 至 %(e)s）")
            % {"d": chinese_day(day), "s": chinese_day(round.start_date), "e": chinese_day(round.end_date)},
            field="found_at",
        )
    spot = spot.strip()
    if not spot:
        raise InvalidInput(_("请填写点位"), field="spot")
    if not has_photo:
        raise InvalidInput(_("请拍摄至少一张现场照片"), field="photos")
    return spot


def _locate(
    *, town: Area, area: Area | None, latitude: Decimal | float | None, longitude: Decimal | float | None
) -> Area:
    """Where a problem was found: the chosen area, else the one its coordinates fall in; within a village."""
    if area is None and latitude is not None and longitude is not None:
        area = locate_point(town=town, latitude=float(latitude), longitude=float(longitude))
    if area is None:
        raise InvalidInput(_("请选择问题所在的村（或开启定位）"), field="area")
    if area.town_id != town.pk:
        raise InvalidInput(_("所选区域不在%(town)s") % {"town": town.name}, field="area")
    return area


def _village(area: Area) -> Area:
    village = ancestors_by_level(area).get(AreaLevel.VILLAGE)
    if village is None:
        raise InvalidInput(_("督查问题必须落在某个村（社区）"), field="area")
    return village


def problem_case_fields(*, item: CheckItem, spot: str, description: str, area: Area, category: Category) -> Keywords:
    """How a problem's case is filed: an inspection case titled with the check item and the spot."""
    return {
        "channel": Channel.INSPECTION,
        "kind": Kind.INSPECTION,
        "category": category,
        "title": f"{item.name}：{spot}"[:120],
        "description": description,
        "area": area,
        "address": spot,
    }


@dataclass(frozen=True, slots=True)
class _Filing:
    """How a problem's case is filed (``cases.domain.filing``): reported by the inspector with ``fields``, then
    registered and dispatched to the village's committee by the round's organizer at once."""

    fields: Keywords
    round: InspectionRound
    village: Area
    department: Department

    @property
    def note(self) -> str:
        return _("“%(round)s”发现问题，立案派遣至%(v)s") % {"round": self.round.name, "v": self.village.name}

    def steps(self) -> list[tuple[Action, Keywords]]:
        return [(Action.REGISTER, {}), (Action.DISPATCH, {"department": self.department})]


def problem_row(
    *, round: InspectionRound, item: CheckItem, village: Area, department: Department, spot: str, now: datetime,
    case: Case | None = None, import_key: str = "",
) -> InspectionProblem:  # fmt: skip
    """A problem's detail row, found at ``now``: its deduction is the check item's points (recorded live, replayed,
    or imported finished)."""
    return InspectionProblem(
        town=round.town,
        case=case,
        round=round,
        item=item,
        village=village,
        department=department,
        deduction=item.points,
        spot=spot[:120],
        found_at=now,
        import_key=import_key,
    )


def record_problem(
    *,
    round: InspectionRound,
    inspector: User,
    item: CheckItem,
    description: str,
    spot: str,
    area: Area | None = None,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    photos: Sequence[Upload] = (),
    now: datetime | None = None,
    import_key: str = "",
    require_photo: bool = True,
) -> InspectionProblem:
    """An inspector records a problem at a spot: a case (kind INSPECTION) registered and dispatched to the
    village's committee in the name of the round's organizer, with its deduction, in one transaction."""
    now = now or timezone.now()
    town = round.town
    spot = _check_problem(
        round=round, inspector=inspector, item=item, spot=spot, now=now, has_photo=bool(photos) or not require_photo
    )
    area = _locate(town=town, area=area, latitude=latitude, longitude=longitude)
    village = _village(area)
    department = village_committee(village)
    category = install_inspection_categories(town=town)
    fields = problem_case_fields(item=item, spot=spot, description=description, area=area, category=category)
    with transaction.atomic():
        filing = _Filing(
            {**fields, "latitude": latitude, "longitude": longitude, "photos": photos}, round, village, department
        )
        case = file_case(filing, town=town, reporter=inspector, actor=round.organizer, now=now)
        row = problem_row(
            round=round, item=item, village=village, department=department, spot=spot, now=now, case=case,
            import_key=import_key,
        )  # fmt: skip
        row.save(force_insert=True)
        return row


@dataclass(slots=True)
class PastProblem:
    """A problem of a past round replayed in memory (``past_problem``): drive ``replay`` further with
    ``replay.act`` (sign, resolve, verify …), then write many at once with ``write_past_problems``."""

    replay: Replay
    detail: InspectionProblem

    def planned(self) -> PlannedRow[InspectionProblem]:
        """The problem as the bulk path writes it, with all its steps replayed so far."""
        return PlannedRow(self.replay.record(), self.detail)


def plan_problem(
    *,
    round: InspectionRound,
    inspector: User,
    item: CheckItem,
    description: str,
    spot: str,
    area: Area,
    now: datetime,
    calendar: WorkCalendar,
    category: Category | None = None,
    import_key: str = "",
    require_photo: bool = True,
) -> PlannedRow[InspectionProblem]:
    """``record_problem`` without writing (no photos): the same checks, case and steps, replayed in memory for
    a ledger import, which writes many at once through the bulk path. ``category`` is
    ``install_inspection_categories``'s, looked up once by the caller (else here)."""
    spot = _check_problem(round=round, inspector=inspector, item=item, spot=spot, now=now, has_photo=not require_photo)
    area = _locate(town=round.town, area=area, latitude=None, longitude=None)
    village = _village(area)
    department = village_committee(village)
    category = category or install_inspection_categories(town=round.town)
    fields = problem_case_fields(item=item, spot=spot, description=description, area=area, category=category)
    filing = _Filing(fields, round, village, department)
    replay = replay_case(filing, town=round.town, reporter=inspector, actor=round.organizer, now=now, calendar=calendar)
    detail = problem_row(
        round=round, item=item, village=village, department=department, spot=spot, now=now, import_key=import_key
    )
    return PlannedRow(replay.record(), detail)


def past_problem(
    *,
    round: InspectionRound,
    inspector: User,
    item: CheckItem,
    description: str,
    spot: str,
    village: Area,
    department: Department,
    category: Category,
    photos: tuple[StoredFile, ...],
    now: datetime,
    calendar: WorkCalendar,
) -> PastProblem:
    """``record_problem`` for a past round written through the bulk path: the same checks (open round,
    inspector, dates, spot, photo, village) and the same steps (reported by the inspector, registered and
    dispatched to the village's committee by the organizer), replayed by the engine's rules in memory.
    ``department`` is ``village_committee(village)`` and ``category`` ``install_inspection_categories``'s,
    looked up once by the caller."""
    spot = _check_problem(round=round, inspector=inspector, item=item, spot=spot, now=now, has_photo=bool(photos))
    if village.level != AreaLevel.VILLAGE or village.town_id != round.town_id:
        raise InvalidInput(_("督查问题必须落在某个村（社区）"), field="area")
    if department.area_id != village.pk:
        raise InvalidInput(_("责任单位必须是该村（社区）的委员会"), field="department")
    fields = problem_case_fields(item=item, spot=spot, description=description, area=village, category=category)
    filing = _Filing({**fields, "photos": photos}, round, village, department)
    replay = replay_case(filing, town=round.town, reporter=inspector, actor=round.organizer, now=now, calendar=calendar)
    detail = problem_row(round=round, item=item, village=village, department=department, spot=spot, now=now)
    return PastProblem(replay=replay, detail=detail)


def write_past_problems(*, round: InspectionRound, problems: Sequence[PastProblem]) -> int:
    """Write ``problems`` (cases, actions, detail rows) in one short transaction, all or nothing."""
    if any(p.detail.round_id != round.pk for p in problems):
        raise InvalidInput(_("督查问题不属于本轮督查"))

    planned = [problem.planned() for problem in problems]

    def details(cases: list[Case]) -> None:
        InspectionProblem.objects.bulk_create(
            [row for one, case in zip(planned, cases, strict=True) for row in one.rows(case)]
        )

    written = write_cases(town=round.town, records=[one.record for one in planned], then=details)
    return len(written)
