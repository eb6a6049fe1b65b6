"""岱西镇's key projects and rural works. For 2022, as the 2023 work report tells them: "双合入岛门户打造21个工程项目
全面启动 … 前岸智慧村社、智慧停车场、房屋风貌提升、杆线序化等项目超时序完成; 超额完成抛荒地整治520亩; 投入250万元实施
8个乡村蝶变项目" — every 2022 project finished within the year, those four a week or more ahead of their last
milestones. For the current year, live projects: some on schedule, one ahead, some behind — whose lagging milestones
get their supervision cases (督办) from the periodic check (``projects.supervision.supervise_lagging``), run here.

Everything goes through ``projects.domain`` in the command room's name; a project already there (town, year, name)
is skipped, so a re-run writes nothing twice and the figures stay exact.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from gridgov.data.cases.enums import AttachmentKind
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Membership, User
from gridgov.data.projects.domain import (
    MilestoneInput,
    ProgressInput,
    ProjectInput,
    create_group,
    create_project,
    mark_milestone_done,
    record_progress,
)
from gridgov.data.projects.enums import ProjectType
from gridgov.data.projects.models import Project
from gridgov.data.projects.supervision import supervise_lagging
from gridgov.data.sheets.cells import SHANGHAI
from gridgov.ops.demo.ledgers_2022.problemlists import photo

GATEWAY = "双合入岛门户"
# The gateway's 21 projects; the first four finished ahead of schedule (超时序), in the report's order.
AHEAD = ("前岸智慧村社", "智慧停车场", "房屋风貌提升", "杆线序化")
GATEWAY_PROJECTS = (
    *AHEAD,
    "入岛门户景观提升", "双合码头改造", "环岛公路拓宽", "门户绿道", "海塘生态修复", "污水管网改造", "雨污分流",
    "文化礼堂改造", "游客服务中心", "公共厕所提升", "夜景亮化", "停车泊位扩容", "农房外立面改造", "口袋公园",
    "滨海步道", "标识标牌系统", "弱电上改下",
)  # fmt: skip
# 乡村蝶变: one project per village, in 万元, 250万元 in all.
RENEWAL = {
    "双合村": 30, "火箭村": 35, "摇星浦村": 25, "前岸村": 40, "后岸村": 30, "海丰村": 35, "青黑村": 25, "茶前山村": 30,
}  # fmt: skip
LAND = ("抛荒地整治", 520, 80)  # name, 亩, 万元


def _operator(town: Area) -> User:
    membership = (
        Membership.objects.filter(role=Role.OPERATOR, town=town, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise ValueError("演示乡镇没有指挥室受理员")
    return membership.user


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=SHANGHAI)


def _department(town: Area, code: str) -> Department:
    return Department.objects.get(town=town, code=code)


def _add(actor: User, data: ProjectInput, *, now: datetime) -> Project | None:
    """The project, unless one of that name and year is there (then None)."""
    assert data.department is not None
    if Project.objects.filter(town=data.department.town, year=data.year, name=data.name).exists():
        return None
    return create_project(actor=actor, data=data, now=now)


def _finish(actor: User, project: Project, *, early_days: int) -> None:
    """Every milestone done on its planned date; the last ``early_days`` before it."""
    milestones = list(project.milestones.order_by("order"))
    for index, milestone in enumerate(milestones):
        day = milestone.planned_on - timedelta(days=early_days if index == len(milestones) - 1 else 0)
        mark_milestone_done(actor=actor, milestone=milestone, done_on=day, now=_moment(day))


def _report_monthly(actor: User, project: Project) -> None:
    """A finished year's progress reports: one a month from the first milestone's month to the last's, the year's
    planned investment spread evenly over them (the last month takes the remainder), so 已完成投资 equals the plan."""
    days = [m.done_on or m.planned_on for m in project.milestones.order_by("order")]
    months = list(range(days[0].month, days[-1].month + 1)) if days[0].year == days[-1].year == project.year else []
    if not months:
        return
    share = (project.year_investment / len(months)).quantize(Decimal(1), rounding=ROUND_DOWN)
    for index, month in enumerate(months):
        amount = share if index < len(months) - 1 else project.year_investment - share * (len(months) - 1)
        data = ProgressInput(project=project, year=project.year, month=month, investment=amount, note="按计划推进")
        record_progress(actor=actor, data=data, now=_moment(date(project.year, month, 25)))


def build_year_past(*, town: Area, rng: random.Random, year: int) -> None:
    actor = _operator(town)
    villages = {v.name: v for v in Area.objects.filter(town=town, level=AreaLevel.VILLAGE)}
    registered = _moment(date(year, 1, 10))
    gateway = create_group(actor=actor, town=town, name=GATEWAY, year=year)
    construction, farming = _department(town, "JSB"), _department(town, "NYB")
    for index, name in enumerate(GATEWAY_PROJECTS):
        start = date(year, 2, 10) + timedelta(days=rng.randint(0, 40))
        finish = date(year, 10, 20) + timedelta(days=rng.randint(0, 50))
        project = _add(
            actor,
            ProjectInput(
                name=name,
                type=ProjectType.INFRASTRUCTURE,
                group=gateway,
                department=construction,
                owner_name="",
                village=villages.get("前岸村" if index % 2 else "双合村"),
                year=year,
                total_investment=rng.choice(("80万", "120万", "150万", "200万", "350万")),
                start_on=start,
                finish_on=finish,
            ),
            now=registered,
        )
        if project is not None:
            _finish(actor, project, early_days=rng.randint(7, 20) if name in AHEAD else 0)
            _report_monthly(actor, project)
    rural: list[tuple[str, ProjectInput]] = [
        (
            village,
            ProjectInput(
                name=f"{village}乡村蝶变",
                type=ProjectType.VILLAGE_RENEWAL,
                department=farming,
                village=villages.get(village),
                year=year,
                total_investment=f"{amount}万",
                start_on=date(year, 3, 1),
                finish_on=date(year, 11, 30),
            ),
        )
        for village, amount in RENEWAL.items()
    ]
    name, mu, amount = LAND
    rural.append(
        (
            "",
            ProjectInput(
                name=name,
                type=ProjectType.LAND,
                department=farming,
                year=year,
                total_investment=f"{amount}万",
                quantity=mu,
                unit="亩",
                start_on=date(year, 3, 15),
                finish_on=date(year, 11, 15),
            ),
        )
    )
    for _village, data in rural:
        project = _add(actor, data, now=registered)
        if project is not None:
            _finish(actor, project, early_days=0)
            _report_monthly(actor, project)


def build_year_live(*, town: Area, rng: random.Random, year: int) -> None:
    """This year's projects around today: on schedule, one ahead, some behind; their lagging milestones
    supervised."""
    actor = _operator(town)
    now = timezone.now()
    today = timezone.localdate(now)
    villages = {v.name: v for v in Area.objects.filter(town=town, level=AreaLevel.VILLAGE)}
    park = create_group(actor=actor, town=town, name="海岛公园提升", year=year)
    construction, farming = _department(town, "JSB"), _department(town, "NYB")
    # name, department, village, total, (days from today of 立项 … 投用), done milestones (and how early)
    live: list[tuple[str, Department, str, str, int, int]] = [
        ("海岛公园游步道", construction, "双合村", "180万", 0, 0),  # on schedule
        ("公园服务驿站", construction, "前岸村", "95万", 0, 5),  # its passed milestones done early: ahead
        ("滨海绿廊", construction, "后岸村", "260万", 2, 0),  # two passed milestones left open: behind
        ("摇星浦村乡村蝶变", farming, "摇星浦村", "45万", 1, 0),  # one left open: behind
        ("海丰村抛荒地整治", farming, "海丰村", "60万", 0, 0),
    ]
    for name, department, village, total, left_open, early in live:
        start = today - timedelta(days=150)
        plan = [start + timedelta(days=75 * n) for n in range(5)]  # two passed, one today, two ahead
        passed = [d for d in plan if d < today]
        milestones = []
        for n, (label, day) in enumerate(zip(("立项", "开工", "主体完工", "竣工", "投用"), plan, strict=True)):
            done = None
            if day < today and n < len(passed) - left_open:
                done = day - timedelta(days=early)
            milestones.append(MilestoneInput(name=label, planned_on=day, done_on=done))
        land = "抛荒地" in name
        project = _add(
            actor,
            ProjectInput(
                name=name,
                type=ProjectType.LAND
                if land
                else (ProjectType.VILLAGE_RENEWAL if "蝶变" in name else ProjectType.INFRASTRUCTURE),
                group=None if land or "蝶变" in name else park,
                department=department,
                village=villages.get(village),
                year=year,
                total_investment=total,
                quantity=120 if land else None,
                unit="亩" if land else "",
                milestones=tuple(milestones),
            ),
            now=now,
        )
        if project is not None:
            last_month = today.replace(day=1) - timedelta(days=1)
            if last_month.year == year:
                record_progress(
                    actor=actor,
                    data=ProgressInput(
                        project=project,
                        year=year,
                        month=last_month.month,
                        investment=f"{rng.randint(5, 20)}万",
                        note="按计划推进",
                        photos=tuple(photo(AttachmentKind.OTHER, rng)),  # a 工地现场照片
                    ),
                    now=now,
                )
    supervise_lagging(town=town, now=now)


def build(*, town: Area, rng: random.Random, year: int) -> None:
    """The ledger's step of the demo's year (``year2022.LEDGER_BUILDERS``): a past year as the report tells it,
    the current year live."""
    if year < timezone.localdate().year:
        build_year_past(town=town, rng=rng, year=year)
    else:
        build_year_live(town=town, rng=rng, year=year)
