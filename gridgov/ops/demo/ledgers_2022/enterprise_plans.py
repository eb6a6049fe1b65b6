"""What the demo's enterprise ledgers of a year draw from its random stream, in the order they always have: each
hazard (book, grade, category, spot, finding, rectification) and each request (type, enterprise, meeting,
solution, financing, rating), the crew who take their steps and the minutes between those steps. ``enterprises``
files the current year's plans through the engine and replays a past year's into the bulk path; both give the
same cases for the same stream.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.enums import Action, AttachmentKind, Satisfaction
from gridgov.data.enterprises.categories import hazard_categories
from gridgov.data.enterprises.domain.hazards import HazardInput
from gridgov.data.enterprises.domain.services import record_meeting
from gridgov.data.enterprises.enums import Book, Grade, RequestType
from gridgov.data.enterprises.models import Meeting
from gridgov.data.org.models import Area, Department, Enterprise, User
from gridgov.data.sheets.cells import SHANGHAI
from gridgov.ops.demo.ledgers_2022.problemlists import jpeg, weekday
from gridgov.types import Keywords

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


@dataclass
class Crew:
    operator: User
    leader: User
    safety: Department  # 应急管理办（安监站）
    safety_handler: User
    economy: Department  # 经济发展办
    economy_handler: User


@dataclass(frozen=True)
class DemoYear:
    """The demo year being built: its town, enterprises and crew, and the days it spreads over."""

    town: Area
    rng: random.Random
    enterprises: list[Enterprise]
    crew: Crew
    first: date
    last: date
    current: bool


def photo(kind: AttachmentKind) -> list[Upload]:
    return [Upload(name=f"{kind}.jpg", data=jpeg((120, 160, 90), size=(48, 36), quality=50), kind=kind)]


type Step = tuple[User, Action, datetime, Keywords]  # who takes which action when, with its own arguments


def _handover(
    crew: Crew, *, department: Department, handler: User, at: datetime, minutes: tuple[int, int, int]
) -> list[Step]:
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


@dataclass(frozen=True)
class Rectified:
    """When a hazard was rectified (after-photo, 待核查) and with what funds; accepted two hours later."""

    at: datetime
    funds: Decimal

    @property
    def accepted(self) -> datetime:
        return self.at + timedelta(hours=2)


@dataclass(frozen=True)
class HazardPlan:
    """One hazard as the year's random stream draws it: found at ``now``, rectified or still open."""

    data: HazardInput
    now: datetime
    rectified: Rectified | None

    def handover(self, crew: Crew) -> list[Step]:
        """Registered and dispatched to 应急管理办, whose handler signs for it."""
        return _handover(crew, department=crew.safety, handler=crew.safety_handler, at=self.now, minutes=HAZARD_STEPS)


@dataclass(frozen=True)
class Solved:
    """When a request was solved, the financing arranged, and the enterprise's rating; verified an hour later,
    rated two hours after that."""

    at: datetime
    financing: Decimal
    rating: Satisfaction


@dataclass(frozen=True)
class RequestPlan:
    """One request as the year's random stream draws it: raised at ``now``, solved or in progress."""

    enterprise: Enterprise
    kind: RequestType
    description: str
    meeting: Meeting | None
    now: datetime
    solved: Solved | None

    def handover(self, crew: Crew) -> list[Step]:
        """Registered and dispatched to 经济发展办, whose handler signs for it."""
        return _handover(
            crew, department=crew.economy, handler=crew.economy_handler, at=self.now, minutes=REQUEST_STEPS
        )


def hazard_plans(year: DemoYear, *, counts: tuple[int, int, int]) -> Iterator[HazardPlan]:
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
            yield HazardPlan(data, now, None)
            continue
        days = rng.randint(2, 12 if grade == Grade.MAJOR else 25)
        end = datetime.combine(year.last, time(10), tzinfo=SHANGHAI)
        rectified = max(
            min(_moment(found + timedelta(days=days), rng), end), now + timedelta(minutes=HAZARD_STEPS[-1]) + HOUR
        )
        yield HazardPlan(data, now, Rectified(rectified, Decimal(rng.choice((0, 200, 500, 800, 1500, 3000, 12000)))))


def request_plans(year: DemoYear, *, solved: int) -> Iterator[RequestPlan]:
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
            yield RequestPlan(enterprise, kind, description, meeting, now, None)
            continue
        done = min(
            _moment((now + timedelta(days=rng.randint(3, 12))).date(), rng),
            datetime.combine(last, time(11), tzinfo=SHANGHAI),
        )
        done = max(done, now + timedelta(hours=2))
        financing = amounts[financing_cases.index(n)] if n in financing_cases else Decimal(0)
        rating = Satisfaction.SATISFIED if rng.random() < 0.9 else Satisfaction.BASICALLY
        yield RequestPlan(enterprise, kind, description, meeting, now, Solved(done, financing, rating))


def _meetings(year: DemoYear) -> list[Meeting]:
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


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment, SHANGHAI).date()


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """``total`` split into ``parts`` round amounts (multiples of 10,000 元) that add up exactly."""
    if parts == 0:
        return []
    units = int(total // 10_000)
    cuts = sorted(rng.sample(range(1, units), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, units]
    return [Decimal((b - a) * 10_000) for a, b in itertools.pairwise(bounds)]
