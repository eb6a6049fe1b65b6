"""Demo inspection rounds (创城督查): 2022 had 5 bulletins and "2000余条" problems found and rectified; the demo
records ``PROBLEMS_PER_ROUND`` problems per round through the engine (80 × 5 = 400 by default, to keep the
demo fast — every problem is a full case with photos and six workflow steps), all rectified. The current
year gets one closed round with its bulletin and one open round with problems still being fixed."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from gridgov.data.cases.enums import AttachmentKind
from gridgov.data.inspections.domain import ItemSpec, create_round, finish_round, issue_bulletin, record_problem
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Membership
from gridgov.ops.demo.ledgers_2022.problemlists import is_current, people, period, photo, rectify, working_moment

PROBLEMS_PER_ROUND = 80
ITEMS = [
    ItemSpec("A01", "暴露垃圾", Decimal("2")),
    ItemSpec("A02", "乱堆乱放", Decimal("1")),
    ItemSpec("A03", "占道经营", Decimal("1")),
    ItemSpec("A04", "小广告乱张贴", Decimal("0.5")),
    ItemSpec("A05", "公益广告破损", Decimal("1")),
    ItemSpec("A06", "河道漂浮物", Decimal("2")),
    ItemSpec("A07", "背街小巷卫生死角", Decimal("1.5")),
]
SPOTS = ["村口", "文化礼堂", "农贸市场", "公交站", "码头", "村道", "河道", "老街", "停车场", "公厕"]
DESCRIPTIONS = {
    "A01": "路边垃圾未及时清运",
    "A02": "杂物堆放在房前屋后",
    "A03": "摊贩占道经营",
    "A04": "电线杆上张贴小广告",
    "A05": "公益广告牌破损褪色",
    "A06": "河道内有漂浮垃圾",
    "A07": "背街小巷存在卫生死角",
}
MONTHS_2022 = (3, 5, 7, 9, 11)


def _round(
    town: Area,
    rng: random.Random,
    *,
    name: str,
    start: date,
    days: int,
    problems: int,
    finished: bool,
    rectified_share: float,
) -> None:
    who = people(town)
    inspectors = [
        m.user
        for m in Membership.objects.filter(role=Role.GRID_WORKER, area__town=town, active=True).select_related("user")[
            :6
        ]
    ]
    villages = list(Area.objects.filter(town=town, level=AreaLevel.VILLAGE).order_by("sort_order", "code"))
    end = start + timedelta(days=days)
    round_ = create_round(
        town=town,
        actor=who.operator,
        name=name,
        start_date=start,
        end_date=end,
        organizer=who.operator,
        inspectors=inspectors or [who.operator],
        items=ITEMS,
        now=working_moment(start, rng, end_hour=10),
    )
    items = list(round_.items.all())
    weekdays = [d for d in (start + timedelta(days=i) for i in range(days + 1)) if d.weekday() < 5] or [start]
    # Villages differ: some keep cleaner than others (the ranking should not be a tie).
    weights = [1 + (i * 7919 + rng.randint(0, 3)) % 5 for i in range(len(villages))]
    for n in range(problems):
        village = rng.choices(villages, weights=weights)[0]
        item = items[rng.randrange(len(items))]
        found = working_moment(weekdays[n * len(weekdays) // max(1, problems)], rng)
        problem = record_problem(
            round=round_,
            inspector=inspectors[n % len(inspectors)] if inspectors else who.operator,
            item=item,
            description=DESCRIPTIONS[item.code],
            spot=f"{village.name}{rng.choice(SPOTS)}",
            area=village,
            photos=photo(AttachmentKind.BEFORE, rng),
            now=found,
        )
        if rng.random() < rectified_share:
            handler = who.handlers[problem.department_id]
            rectify(
                problem.case_id, handler=handler, verifier=who.operator, start=found, rng=rng, days=rng.randint(1, 3)
            )
    issued = working_moment(end + timedelta(days=rng.randint(3, 6)), rng)
    if finished:
        finish_round(round=round_, actor=who.operator)
        issue_bulletin(round=round_, actor=who.leader, now=issued)


def build(*, town: Area, rng: random.Random, year: int = 2022, problems_per_round: int = PROBLEMS_PER_ROUND) -> None:
    first, last = period(year)
    if is_current(year):  # one finished round, one still open
        one = max(first, last - timedelta(days=60))
        _round(
            town,
            rng,
            name=f"{year}年第{one.month}月创城督查",
            start=one,
            days=4,
            problems=12,
            finished=True,
            rectified_share=1.0,
        )
        two = last - timedelta(days=3)
        _round(
            town,
            rng,
            name=f"{year}年第{two.month}月创城督查（进行中）",
            start=two,
            days=6,
            problems=10,
            finished=False,
            rectified_share=0.4,
        )
        return
    for month in MONTHS_2022:
        _round(
            town,
            rng,
            name=f"{year}年{month}月创城督查",
            start=date(year, month, 10),
            days=5,
            problems=problems_per_round,
            finished=True,
            rectified_share=1.0,
        )
