"""Demo problem lists: the seven lists of 2022 with 188 items, 184 of them 销号 (98%), as in the 2023 work
report; a smaller set for the current year. Also the helpers the other civic demo builders share."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.utils import timezone
from PIL import Image

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, AttachmentKind
from gridgov.data.org.enums import DepartmentKind, Role
from gridgov.data.org.models import Area, Department, Membership, User
from gridgov.data.problemlists.domain import ItemInput, add_item, ensure_seven_lists
from gridgov.data.problemlists.enums import Source
from gridgov.data.sheets.cells import SHANGHAI

ITEMS_2022 = 188
OPEN_2022 = 4  # 184 / 188 = 97.9 % → "98%"
PROBLEMS = [
    ("基层党组织“三会一课”记录不全", "补齐记录，建立月度检查制度", "DZB"),
    ("村级工程项目资料归档不及时", "对照清单补齐资料并归档", "JSB"),
    ("农村生活污水终端运维不到位", "落实第三方运维，每月巡检", "STB"),
    ("企业安全生产主体责任落实不到位", "开展专项检查，督促整改", "YJB"),
    ("困难群众救助政策落实不及时", "逐户走访核实，限期发放", "SHB"),
    ("网格员信息采集不规范", "开展培训，每周抽查", "PAB"),
    ("信访件办理回复超期", "建立台账，专人督办", "PAB"),
    ("渔船安全检查记录缺失", "补齐检查记录，落实“三见面”", "HYB"),
    ("抛荒地整治进度滞后", "制定整治计划，按月通报进度", "NYB"),
    ("食品经营户证照公示不规范", "逐户检查，限期整改", "SJS"),
]
SOURCES = [Source.SUPERIOR] * 4 + [Source.SELF_CHECK] * 3 + [Source.INSPECTION, Source.PUBLIC, Source.MEDIA]


@dataclass
class People:
    """Who acts in the demo: the command room, a leader, a handler per department, a verifier."""

    operator: User
    leader: User
    handlers: dict[int, User]


def people(town: Area) -> People:
    memberships = Membership.objects.filter(active=True).select_related("user", "area", "department")
    operator = leader = None
    handlers: dict[int, User] = {}
    for m in memberships:
        if m.role == Role.OPERATOR and m.area_id == town.pk and operator is None:
            operator = m.user
        elif m.role == Role.LEADER and m.area_id == town.pk and leader is None:
            leader = m.user
        elif (
            m.role in (Role.HANDLER, Role.VILLAGE_STAFF)
            and m.department is not None
            and m.department.town_id == town.pk
        ):
            handlers.setdefault(m.department.pk, m.user)
    if operator is None or leader is None:
        raise RuntimeError("the demo town needs an operator and a leader")
    return People(operator=operator, leader=leader, handlers=handlers)


@lru_cache(maxsize=8)
def jpeg(color: tuple[int, int, int], *, size: tuple[int, int] = (64, 48), quality: int = 60) -> bytes:
    """A small plain photo of ``color``: what the demo's ledgers attach as before/after pictures."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def photo(kind: AttachmentKind, rng: random.Random) -> list[Upload]:
    color = (rng.randrange(0, 255, 51), rng.randrange(0, 255, 51), rng.randrange(0, 255, 51))
    return [Upload(name=f"{kind}.jpg", data=jpeg(color), kind=kind)]


def weekday(day: date) -> date:
    """``day``, or the Monday after it when it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def working_moment(day: date, rng: random.Random, *, start_hour: int = 9, end_hour: int = 16) -> datetime:
    """A weekday at office hours (a weekend day moves to the next Monday)."""
    moment = time(rng.randint(start_hour, end_hour - 1), rng.choice((0, 10, 20, 30, 40, 50)))
    return datetime.combine(weekday(day), moment, tzinfo=SHANGHAI)


def is_current(year: int) -> bool:
    return year >= timezone.localdate().year


def period(year: int, *, days_before_today: int = 7) -> tuple[date, date]:
    """The days to spread the demo over: the whole year, or up to ``days_before_today`` (a week) ago in the
    current year."""
    today = timezone.localdate()
    last = date(year, 12, 20) if year < today.year else today - timedelta(days=days_before_today)
    return date(year, 1, 4), last


def rectify(
    case_id: int,
    *,
    handler: User,
    verifier: User,
    start: datetime,
    rng: random.Random,
    days: int,
    progress_note: str = "",
    close: bool = True,
    verify_note: str = "复核通过",
) -> None:
    """Sign, (report progress,) resolve with a photo after ``days`` and verify the next working hour."""
    signed = start + timedelta(minutes=rng.randint(20, 90))
    apply_action(case_id=case_id, actor=handler, action=Action.SIGN, now=signed)
    if progress_note:
        apply_action(
            case_id=case_id,
            actor=handler,
            action=Action.PROGRESS,
            note=progress_note,
            now=signed + timedelta(days=max(1, days // 2)),
        )
    if not close:
        return
    resolved = working_moment((signed + timedelta(days=days)).date(), rng)
    resolved = max(resolved, signed + timedelta(hours=1))
    apply_action(
        case_id=case_id,
        actor=handler,
        action=Action.RESOLVE,
        note="已按要求整改到位",
        photos=photo(AttachmentKind.AFTER, rng),
        now=resolved,
    )
    apply_action(
        case_id=case_id, actor=verifier, action=Action.VERIFY_PASS, note=verify_note, now=resolved + timedelta(hours=2)
    )


def build(*, town: Area, rng: random.Random, year: int = 2022) -> None:
    """Seven lists and their items: 188 (184 销号) for 2022; 21 for the current year, half of them done."""
    who = people(town)
    first, last = period(year)
    lists = ensure_seven_lists(town=town, actor=who.operator, now=working_moment(first, rng))
    departments = {d.code: d for d in Department.objects.filter(town=town, active=True)}
    committees = list(Department.objects.filter(town=town, kind=DepartmentKind.VILLAGE_COMMITTEE, active=True))
    current = is_current(year)
    total = 21 if current else ITEMS_2022
    left_open = 10 if current else OPEN_2022
    span = (last - first).days
    for n in range(total):
        found = first + timedelta(days=span * n // total)
        now = working_moment(found, rng)
        description, plan, code = PROBLEMS[n % len(PROBLEMS)]
        department = departments.get(code) or rng.choice(committees)
        if n % 4 == 3 and committees:
            department = committees[n % len(committees)]
            description = f"{department.area.name if department.area else ''}{description}"
        if department.pk not in who.handlers:
            department = next(d for d in departments.values() if d.pk in who.handlers)
        handler = who.handlers[department.pk]
        data = ItemInput(
            problem_list=lists[n % len(lists)],
            source=SOURCES[n % len(SOURCES)],
            description=description,
            department=department,
            responsible_person=str(handler),
            plan=plan,
            deadline=found + timedelta(days=30),
            found_on=found,
        )
        item = add_item(actor=who.operator, data=data, now=now)
        done = n < total - left_open
        rectify(
            item.case_id,
            handler=handler,
            verifier=who.operator,
            start=now,
            rng=rng,
            days=min(rng.randint(3, 25), max(1, (last - found).days)),
            progress_note="整改推进中" if n % 3 == 0 or not done else "",
            close=done,
            verify_note="整改到位，予以销号",
        )
