"""Demo enterprise ledgers: the 2022 work report's figures, built through the domain functions.

2022: 企业自查隐患918条, 政府端和第三方机构排查隐患790条, 整改率100%; "乡镇长有约" every two months (6
meetings); 帮助企业解决实际问题134个; 全年帮助企业融资5400余万元. The current year gets a smaller, live set
(some hazards still open, a few overdue; requests in progress).

Both years draw their hazards and requests from the same random stream (``_hazard_plans``, ``_request_plans``).
The current year files them through the engine as they happen; a past year replays each case by the engine's
rules in memory (``plan_hazard``/``plan_request``, then ``Replay.act`` for every later step) and writes it
with its ledger row through the bulk path, ``SLICE`` cases per short transaction, so the demo's 2022 never
holds the write lock for long and owes nobody a notification.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.bulk import StoredFile, insert_rows, store_photo, write_cases
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.domain.ledger_import import PlannedRow
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action, AttachmentKind, Satisfaction
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.categories import hazard_categories, install_enterprise_categories
from gridgov.data.enterprises.domain.enterprises import add_enterprise_user, create_enterprise
from gridgov.data.enterprises.domain.hazards import (
    HazardInput,
    accept_hazard,
    plan_hazard,
    record_hazard,
    report_rectification,
)
from gridgov.data.enterprises.domain.services import plan_request, raise_request, record_meeting, solve_request
from gridgov.data.enterprises.enums import Book, Grade, RequestType
from gridgov.data.enterprises.models import Hazard, Meeting, ServiceRequest
from gridgov.data.org.credit_code import ALPHABET, check_character
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Enterprise, Membership, User
from gridgov.data.sheets.cells import SHANGHAI
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.ops.demo.ledgers_2022.problemlists import jpeg, period, weekday
from gridgov.types import Keywords

ENTERPRISES = [
    "浙江岱西船舶修造有限公司", "岱山宁兴船舶修造有限公司", "岱山和泰船舶有限公司", "舟山华丰船舶工程有限公司",
    "岱山卓然石化装备有限公司", "岱西润和石化储运有限公司", "舟山珈和科技有限公司", "岱西海丰水产品加工厂",
    "岱山双合海蜇专业合作社", "岱西前岸机械制造有限公司", "岱西港口物流有限公司", "岱山青黑农业开发有限公司",
    "岱西摇星浦冷链仓储有限公司", "岱山茶前山建材有限公司", "岱西火箭村渔业服务有限公司", "岱山后岸新材料有限公司",
]  # fmt: skip
HAZARDS = {
    "消防安全": [("仓库", "灭火器压力不足"), ("宿舍楼", "疏散通道堆放杂物"), ("车间", "消防栓被遮挡")],
    "电气安全": [("配电房", "配电箱未接地"), ("车间", "电线私拉乱接"), ("办公楼", "插座超负荷使用")],
    "特种设备": [("船台", "起重机限位器失效"), ("码头", "叉车未年检"), ("锅炉房", "压力表超期未检")],
    "危险化学品": [("储罐区", "防雷检测过期"), ("油漆库", "防爆灯具缺失"), ("危化品仓库", "安全标识缺失")],
    "有限空间": [("船舱", "有限空间作业未设警示标志"), ("污水池", "未配备气体检测仪")],
    "作业现场": [("分段车间", "高处作业未系安全带"), ("船坞", "临边防护缺失"), ("焊接区", "动火作业未审批")],
    "其他": [("厂区道路", "限速标志缺失"), ("食堂", "燃气报警器失效")],
}
REQUESTS = {
    RequestType.FACTORS: ["扩建用地指标协调", "厂区用电增容", "码头岸线使用协调"],
    RequestType.FINANCING: ["流动资金贷款", "设备更新贷款贴息", "应收账款融资"],
    RequestType.LABOUR: ["招聘焊工", "外来务工人员住宿保障", "技能培训补贴申报"],
    RequestType.APPROVAL: ["技改项目审批代办", "排污许可证办理", "消防验收协调"],
    RequestType.POLICY: ["税费减免政策咨询", "规上企业奖励兑现", "稳岗返还申报"],
}

SELF_2022, GOV_2022, THIRD_2022, MAJOR_2022 = 918, 560, 230, 9
SOLVED_2022 = 134
FINANCING_2022 = Decimal("54360000")  # 全年帮助企业融资5400余万元
HAZARD_STEPS = (10, 20, 50)  # minutes after finding: registered, dispatched to 应急管理办, signed for
REQUEST_STEPS = (15, 30, 60)  # minutes after raising: registered, dispatched to 经济发展办, signed for
HOUR = timedelta(hours=1)
RECTIFIED = "已按要求整改到位"
SOLVED = "已协调解决"
SLICE = 40  # past cases per transaction (about 250 actions): well under 200 ms, so a request can interleave


@dataclass
class Crew:
    operator: User
    leader: User
    safety: Department  # 应急管理办（安监站）
    safety_handler: User
    economy: Department  # 经济发展办
    economy_handler: User


@dataclass(frozen=True)
class _Year:
    """The demo year being built: its town, enterprises and crew, and the days it spreads over."""

    town: Area
    rng: random.Random
    enterprises: list[Enterprise]
    crew: Crew
    first: date
    last: date
    current: bool


def _crew(town: Area) -> Crew:
    memberships = Membership.objects.filter(active=True, town=town).select_related("user", "department", "area")
    by_role: dict[str, User] = {}
    handlers: dict[str, tuple[Department, User]] = {}
    for m in memberships.order_by("id"):
        if m.role in (Role.OPERATOR, Role.LEADER) and m.area_id == town.pk:
            by_role.setdefault(m.role, m.user)
        if m.role == Role.HANDLER and m.department is not None:
            handlers.setdefault(m.department.code, (m.department, m.user))
    safety = handlers.get("YJB") or next(iter(handlers.values()))
    economy = handlers.get("JFB") or safety
    return Crew(by_role[Role.OPERATOR], by_role[Role.LEADER], safety[0], safety[1], economy[0], economy[1])


def _photo(kind: AttachmentKind) -> list[Upload]:
    return [Upload(name=f"{kind}.jpg", data=jpeg((120, 160, 90), size=(48, 36), quality=50), kind=kind)]


def _to_handler(
    crew: Crew, *, department: Department, handler: User, at: datetime, minutes: tuple[int, int, int]
) -> list[tuple[User, Action, datetime, Keywords]]:
    """The command room registers the case and sends it to ``department``, whose ``handler`` signs for it,
    each step ``minutes`` after ``at``: (actor, action, when, the action's own arguments)."""
    registered, dispatched, signed = (at + timedelta(minutes=m) for m in minutes)
    return [
        (crew.operator, Action.REGISTER, registered, {}),
        (crew.operator, Action.DISPATCH, dispatched, {"department": department}),
        (handler, Action.SIGN, signed, {}),
    ]


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(weekday(day), time(rng.randint(9, 15), rng.choice((0, 15, 30, 45))), tzinfo=SHANGHAI)


def synthetic_credit_code(rng: random.Random) -> str:
    """A valid synthetic unified social credit code of 岱山县 (330921), with its check character."""
    body = "9133092" + "1" + "MA2" + "".join(rng.choice(ALPHABET[:-5]) for _ in range(6))
    return body + check_character(body)


def ensure_enterprises(*, town: Area, rng: random.Random) -> list[Enterprise]:
    """The town's demo enterprises (created once); the demo 'qiye' account belongs to the first."""
    existing = list(Enterprise.objects.filter(town=town).order_by("id"))
    if existing:
        return existing
    villages = list(Area.objects.filter(town=town, level=AreaLevel.VILLAGE).order_by("sort_order", "code"))
    created = []
    for index, name in enumerate(ENTERPRISES):
        village = villages[index % len(villages)] if villages else None
        created.append(
            create_enterprise(
                town=town,
                name=name,
                credit_code=synthetic_credit_code(rng),
                address=f"{village.name if village else town.name}工业区{index + 1}号",
                village=village,
                contact_name=rng.choice("王李张陈林徐") + rng.choice(["经理", "厂长", "主任"]),
                contact_phone=f"138{rng.randint(10_000_000, 99_999_999)}",
            )
        )
    qiye = User.objects.filter(username="qiye").first()
    if qiye is not None:
        add_enterprise_user(user=qiye, enterprise=created[0])
    return created


def build(
    *,
    town: Area,
    rng: random.Random,
    year: int = 2022,
    hazards: tuple[int, int, int] | None = None,
    solved: int | None = None,
) -> None:
    """Enterprises, both hazard books and the enterprise services of ``year``.

    ``hazards`` = (self-check, government, third-party) counts, ``solved`` = requests solved; by default
    the 2022 work report's numbers for 2022 and a small live set for the current year.
    """
    install_enterprise_categories(town=town)
    enterprises = ensure_enterprises(town=town, rng=rng)
    crew = _crew(town)
    current = year >= timezone.localdate().year
    if hazards is None:
        hazards = (36, 20, 8) if current else (SELF_2022, GOV_2022, THIRD_2022)
    if solved is None:
        solved = 14 if current else SOLVED_2022
    first, last = period(year, days_before_today=3)
    demo_year = _Year(town=town, rng=rng, enterprises=enterprises, crew=crew, first=first, last=last, current=current)
    if current:  # live: through the engine, step by step
        for hazard in _hazard_plans(demo_year, counts=hazards):
            _file_hazard(hazard, crew)
        for request in _request_plans(demo_year, solved=solved):
            _file_request(request, crew)
        return
    past = _past(demo_year)
    _write_past(town, (_replay_hazard(hazard, past) for hazard in _hazard_plans(demo_year, counts=hazards)))
    _write_past(town, (_replay_request(request, past) for request in _request_plans(demo_year, solved=solved)))


@dataclass(frozen=True)
class _Rectified:
    """When a hazard was rectified (after-photo, 待核查) and with what funds; accepted two hours later."""

    at: datetime
    funds: Decimal

    @property
    def accepted(self) -> datetime:
        return self.at + timedelta(hours=2)


@dataclass(frozen=True)
class _HazardPlan:
    """One hazard as the year's random stream draws it: found at ``now``, rectified or still open."""

    data: HazardInput
    now: datetime
    rectified: _Rectified | None


@dataclass(frozen=True)
class _Solved:
    """When a request was solved, the financing arranged, and the enterprise's rating; verified an hour later,
    rated two hours after that."""

    at: datetime
    financing: Decimal
    rating: Satisfaction


@dataclass(frozen=True)
class _RequestPlan:
    """One request as the year's random stream draws it: raised at ``now``, solved or in progress."""

    enterprise: Enterprise
    kind: RequestType
    description: str
    meeting: Meeting | None
    now: datetime
    solved: _Solved | None


def _hazard_plans(year: _Year, *, counts: tuple[int, int, int]) -> Iterator[_HazardPlan]:
    by_name = {c.name: c for c in hazard_categories(town=year.town)}
    books = [Book.SELF] * counts[0] + [Book.GOVERNMENT] * counts[1] + [Book.THIRD_PARTY] * counts[2]
    total = len(books)
    span = max(1, (year.last - year.first).days)
    rng = year.rng
    majors = set(rng.sample(range(total), min(total, MAJOR_2022 if not year.current else 2)))
    for n, book in enumerate(books):
        found = year.first + timedelta(days=span * n // total)
        now = _moment(found, rng)
        kind = rng.choice(list(HAZARDS))
        location, description = rng.choice(HAZARDS[kind])
        grade = Grade.MAJOR if n in majors else Grade.GENERAL
        data = HazardInput(
            enterprise=year.enterprises[n % len(year.enterprises)],
            book=book,
            grade=grade,
            category=by_name[kind],
            location=f"{rng.randint(1, 5)}号{location}",
            description=description,
            found_on=found,
            responsible=rng.choice("王李张陈林徐") + "安全员",
            measures="",
        )
        # Open in the current year: the last fifth stays with the department (some of it overdue).
        if year.current and n % 5 == 4:
            yield _HazardPlan(data, now, None)
            continue
        days = rng.randint(2, 12 if grade == Grade.MAJOR else 25)
        end = datetime.combine(year.last, time(10), tzinfo=SHANGHAI)
        rectified = max(
            min(_moment(found + timedelta(days=days), rng), end), now + timedelta(minutes=HAZARD_STEPS[-1]) + HOUR
        )
        yield _HazardPlan(data, now, _Rectified(rectified, Decimal(rng.choice((0, 200, 500, 800, 1500, 3000, 12000)))))


def _request_plans(year: _Year, *, solved: int) -> Iterator[_RequestPlan]:
    rng, first, last = year.rng, year.first, year.last
    meetings = _meetings(year)
    total = solved + (6 if year.current else 0)
    financing_cases = [n for n in range(solved) if n % 9 == 0]
    amounts = _split(FINANCING_2022 if not year.current else Decimal("8600000"), len(financing_cases), rng)
    span = max(1, (last - first).days)
    kinds = list(REQUESTS)
    for n in range(total):
        kind = RequestType.FINANCING if n in financing_cases else kinds[n % len(kinds)]
        if kind == RequestType.FINANCING and n not in financing_cases:
            kind = RequestType.POLICY
        raised = first + timedelta(days=span * n // total)
        meeting = next((m for m in reversed(meetings) if m.held_on <= raised), None) if n % 3 == 0 else None
        now = _moment(meeting.held_on if meeting else raised, rng)
        enterprise = (
            rng.choice(list(meeting.enterprises.all())) if meeting else year.enterprises[n % len(year.enterprises)]
        )
        description = rng.choice(REQUESTS[kind])
        if n >= solved:
            yield _RequestPlan(enterprise, kind, description, meeting, now, None)
            continue
        done = min(
            _moment((now + timedelta(days=rng.randint(3, 12))).date(), rng),
            datetime.combine(last, time(11), tzinfo=SHANGHAI),
        )
        done = max(done, now + timedelta(hours=2))
        financing = amounts[financing_cases.index(n)] if n in financing_cases else Decimal(0)
        rating = Satisfaction.SATISFIED if rng.random() < 0.9 else Satisfaction.BASICALLY
        yield _RequestPlan(enterprise, kind, description, meeting, now, _Solved(done, financing, rating))


def _meetings(year: _Year) -> list[Meeting]:
    """乡镇长有约 every two months (the current year: those already held)."""
    crew, first = year.crew, year.first
    meetings: list[Meeting] = []
    for month in range(2, 13, 2):
        held_on = weekday(date(first.year, month, 15))
        if held_on > year.last:
            break
        title = f"乡镇长有约{first.year}年第{len(meetings) + 1}期"
        existing = Meeting.objects.filter(town=year.town, title=title).first()
        meetings.append(
            existing
            or record_meeting(
                actor=crew.leader,
                town=year.town,
                held_on=held_on,
                title=title,
                place="镇政府三楼会议室",
                attendees="镇长、分管副镇长、经济发展办、人大代表、企业代表",
                enterprises=year.rng.sample(year.enterprises, min(5, len(year.enterprises))),
                note="企业代表与乡镇长、人大代表面对面交流，现场交办诉求。",
                today=year.last,
            )
        )
    return meetings


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment, SHANGHAI).date()


# The current year, live: each step through the engine as it happens.


def _file_hazard(plan: _HazardPlan, crew: Crew) -> None:
    with transaction.atomic():  # one commit per hazard's whole life, not one per step
        hazard = record_hazard(actor=crew.operator, data=plan.data, now=plan.now)
        steps = _to_handler(
            crew, department=crew.safety, handler=crew.safety_handler, at=plan.now, minutes=HAZARD_STEPS
        )
        for actor, action, when, extra in steps:
            apply_action(case_id=hazard.case_id, actor=actor, action=action, now=when, **extra)
        if plan.rectified is None:
            return
        rectified = plan.rectified
        report_rectification(
            case_id=hazard.case_id,
            actor=crew.safety_handler,
            measures=RECTIFIED,
            funds=rectified.funds,
            rectified_on=_local_day(rectified.at),
            photos=_photo(AttachmentKind.AFTER),
            now=rectified.at,
        )
        accept_hazard(
            case_id=hazard.case_id,
            actor=crew.operator,
            acceptor=str(crew.operator),
            accepted_on=_local_day(rectified.accepted),
            now=rectified.accepted,
        )


def _file_request(plan: _RequestPlan, crew: Crew) -> None:
    request = raise_request(
        actor=crew.operator,
        enterprise=plan.enterprise,
        request_type=plan.kind,
        description=plan.description,
        meeting=plan.meeting,
        now=plan.now,
    )
    case_id = request.case_id
    steps = _to_handler(crew, department=crew.economy, handler=crew.economy_handler, at=plan.now, minutes=REQUEST_STEPS)
    for actor, action, when, extra in steps:
        apply_action(case_id=case_id, actor=actor, action=action, now=when, **extra)
    if plan.solved is None:
        return
    done = plan.solved
    solve_request(
        case_id=case_id,
        actor=crew.economy_handler,
        note=SOLVED,
        financing_amount=done.financing,
        photos=_photo(AttachmentKind.OTHER),
        now=done.at,
    )
    apply_action(case_id=case_id, actor=crew.operator, action=Action.VERIFY_PASS, now=done.at + HOUR)
    apply_action(case_id=case_id, actor=crew.operator, action=Action.RATE, rating=done.rating, now=done.at + 3 * HOUR)


# A past year: every case replayed by the engine's rules in memory, written through the bulk path a slice at a
# time (numbered, hash-chained and rolled up as the engine would); nobody is notified of a past year.


@dataclass(frozen=True)
class _Past:
    """What replaying a past year needs once: the calendar and the photos, stored once for every case."""

    crew: Crew
    calendar: WorkCalendar
    after: tuple[StoredFile, ...]
    other: tuple[StoredFile, ...]


def _past(year: _Year) -> _Past:
    def stored(kind: AttachmentKind) -> tuple[StoredFile, ...]:
        return tuple(store_photo(town=year.town, upload=upload) for upload in _photo(kind))

    calendar = WorkCalendar.load()
    return _Past(year.crew, calendar, stored(AttachmentKind.AFTER), stored(AttachmentKind.OTHER))


def _replay_hazard(plan: _HazardPlan, past: _Past) -> PlannedRow[Hazard]:
    crew = past.crew
    planned = plan_hazard(actor=crew.operator, data=plan.data, source_key="", now=plan.now, calendar=past.calendar)
    replay = Replay.resume(planned.record, calendar=past.calendar)
    steps = _to_handler(crew, department=crew.safety, handler=crew.safety_handler, at=plan.now, minutes=HAZARD_STEPS)
    for actor, action, when, extra in steps:
        replay.act(actor=actor, action=action, now=when, **extra)
    rectified = plan.rectified
    if rectified is not None:
        replay.act(
            actor=crew.safety_handler, action=Action.RESOLVE, note=RECTIFIED, photos=past.after, now=rectified.at
        )
        acceptor = str(crew.operator)
        note = _("验收合格，予以销号（验收人：%(a)s）") % {"a": acceptor}
        replay.act(actor=crew.operator, action=Action.VERIFY_PASS, note=note, now=rectified.accepted)
        hazard = planned.detail
        hazard.measures, hazard.funds, hazard.rectified_on = RECTIFIED, rectified.funds, _local_day(rectified.at)
        hazard.acceptor, hazard.accepted_on = acceptor[:64], _local_day(rectified.accepted)
    return planned


def _replay_request(plan: _RequestPlan, past: _Past) -> PlannedRow[ServiceRequest]:
    crew = past.crew
    planned = plan_request(
        actor=crew.operator,
        enterprise=plan.enterprise,
        request_type=plan.kind,
        description=plan.description,
        meeting=plan.meeting,
        source_key="",
        now=plan.now,
        calendar=past.calendar,
    )
    replay = Replay.resume(planned.record, calendar=past.calendar)
    steps = _to_handler(crew, department=crew.economy, handler=crew.economy_handler, at=plan.now, minutes=REQUEST_STEPS)
    for actor, action, when, extra in steps:
        replay.act(actor=actor, action=action, now=when, **extra)
    done = plan.solved
    if done is not None:
        replay.act(actor=crew.economy_handler, action=Action.RESOLVE, note=SOLVED, photos=past.other, now=done.at)
        replay.act(actor=crew.operator, action=Action.VERIFY_PASS, now=done.at + HOUR)
        replay.act(actor=crew.operator, action=Action.RATE, rating=done.rating, now=done.at + 3 * HOUR)
        planned.detail.financing_amount = done.financing
    return planned


def _write_past[D: Model](town: Area, planned: Iterable[PlannedRow[D]]) -> None:
    """Write the replayed cases and their ledger rows, ``SLICE`` cases per short transaction."""
    for part in itertools.batched(planned, SLICE):
        _write_slice(town, part)


def _write_slice[D: Model](town: Area, part: Sequence[PlannedRow[D]]) -> None:
    def rows(cases: list[Case]) -> None:
        insert_rows([row for one, case in zip(part, cases, strict=True) for row in one.rows(case)])

    write_cases(town=town, records=[one.record for one in part], then=rows)


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """``total`` split into ``parts`` round amounts (multiples of 10,000 元) that add up exactly."""
    if parts == 0:
        return []
    units = int(total // 10_000)
    cuts = sorted(rng.sample(range(1, units), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, units]
    return [Decimal((b - a) * 10_000) for a, b in itertools.pairwise(bounds)]
