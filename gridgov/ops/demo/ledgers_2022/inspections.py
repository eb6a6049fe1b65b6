"""Demo inspection rounds (创城督查): 2022 had 5 bulletins and "累计巡查发现并整改突出问题2000余条"; the demo
records ``PROBLEMS_2022`` (2006) problems in five rounds, every one a full case with photos and six workflow
steps (reported, registered and dispatched to the village, signed, rectified, verified), all rectified, then
ranks the villages and issues each round's bulletin. A past year's problems are replayed by the engine's rules
in memory and written through the bulk path (``past_problem``/``write_past_problems``), a short transaction
per slice, so the build stays fast. The current year gets one closed round with its bulletin and one open
round with problems still being fixed, through the engine as they happen."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.bulk import store_photo
from gridgov.data.cases.enums import Action, AttachmentKind
from gridgov.data.inspections.bulletin import issue_bulletin
from gridgov.data.inspections.domain import (
    ItemSpec,
    PastProblem,
    create_round,
    finish_round,
    install_inspection_categories,
    past_problem,
    record_problem,
    village_committee,
    write_past_problems,
)
from gridgov.data.inspections.models import InspectionRound
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Membership, User
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.ops.demo.ledgers_2022.problemlists import (
    is_current,
    jpeg,
    people,
    period,
    photo,
    rectify,
    working_moment,
)

# 累计巡查发现并整改突出问题2000余条: five rounds of about 400 problems, 2006 in all (the year in review writes
# "2000余条" for 2001–2009).
PROBLEMS_2022 = (398, 405, 412, 396, 395)
SLICE = 50  # problems per transaction (about 300 actions)
# Points per problem: with about 2000 problems a year, a village's yearly deduction stays within 10–55 points
# of its 综合指标值 (and a round's within a few), so the rankings still tell the villages apart.
ITEMS = [
    ItemSpec("A01", "暴露垃圾", Decimal("0.2")),
    ItemSpec("A02", "乱堆乱放", Decimal("0.1")),
    ItemSpec("A03", "占道经营", Decimal("0.1")),
    ItemSpec("A04", "小广告乱张贴", Decimal("0.1")),
    ItemSpec("A05", "公益广告破损", Decimal("0.1")),
    ItemSpec("A06", "河道漂浮物", Decimal("0.2")),
    ItemSpec("A07", "背街小巷卫生死角", Decimal("0.1")),
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


@dataclass(frozen=True)
class RoundPlan:
    """One demo round: its name, first day and length in days, how many problems it finds, whether it is finished
    (its bulletin issued) and the share of its problems rectified so far."""

    name: str
    start: date
    days: int
    problems: int
    finished: bool
    rectified_share: float


def _weekdays(start: date, days: int) -> list[date]:
    """The working weekdays (Monday to Friday) from ``start`` to ``days`` later, both included."""
    return [d for d in (start + timedelta(days=i) for i in range(days + 1)) if d.weekday() < 5]


def _village_weights(villages: list[Area], rng: random.Random) -> list[int]:
    """How often each village is caught: some keep cleaner than others (the ranking should not be a tie)."""
    return [1 + (i * 7919 + rng.randint(0, 3)) % 5 for i in range(len(villages))]


def _round(town: Area, rng: random.Random, plan: RoundPlan) -> None:
    who = people(town)
    inspectors = [
        m.user
        for m in Membership.objects.filter(role=Role.GRID_WORKER, area__town=town, active=True).select_related("user")[
            :6
        ]
    ]
    villages = list(Area.objects.filter(town=town, level=AreaLevel.VILLAGE).order_by("sort_order", "code"))
    end = plan.start + timedelta(days=plan.days)
    round_ = create_round(
        town=town,
        actor=who.operator,
        name=plan.name,
        start_date=plan.start,
        end_date=end,
        organizer=who.operator,
        inspectors=inspectors or [who.operator],
        items=ITEMS,
        now=working_moment(plan.start, rng, end_hour=10),
    )
    if not is_current(plan.start.year):  # a past round: through the bulk path
        _past_problems(round_, rng, villages=villages, inspectors=inspectors or [who.operator], problems=plan.problems)
        finish_round(round=round_, actor=who.operator)
        issue_bulletin(round=round_, actor=who.leader, now=working_moment(end + timedelta(days=rng.randint(3, 6)), rng))
        return
    items = list(round_.items.all())
    weekdays = _weekdays(plan.start, plan.days) or [plan.start]
    weights = _village_weights(villages, rng)
    for n in range(plan.problems):
        village = rng.choices(villages, weights=weights)[0]
        item = items[rng.randrange(len(items))]
        found = working_moment(weekdays[n * len(weekdays) // max(1, plan.problems)], rng)
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
        if rng.random() < plan.rectified_share:
            handler = who.handlers[problem.department_id]
            rectify(
                problem.case_id, handler=handler, verifier=who.operator, start=found, rng=rng, days=rng.randint(1, 3)
            )
    issued = working_moment(end + timedelta(days=rng.randint(3, 6)), rng)
    if plan.finished:
        finish_round(round=round_, actor=who.operator)
        issue_bulletin(round=round_, actor=who.leader, now=issued)


def _past_problems(
    round_: InspectionRound, rng: random.Random, *, villages: list[Area], inspectors: list[User], problems: int
) -> None:
    """``problems`` problems of a past round, each found, dispatched, rectified and verified within days,
    replayed in memory and written a slice at a time through the bulk path."""
    town = round_.town
    who = people(town)
    calendar = WorkCalendar.load()
    category = install_inspection_categories(town=town)
    committees = {v.pk: village_committee(v) for v in villages}
    items = list(round_.items.all())
    before = (
        store_photo(town=town, upload=Upload(name="before.jpg", data=jpeg((153, 102, 51)), kind=AttachmentKind.BEFORE)),
    )
    after = (
        store_photo(town=town, upload=Upload(name="after.jpg", data=jpeg((51, 153, 102)), kind=AttachmentKind.AFTER)),
    )
    days = (round_.end_date - round_.start_date).days
    weekdays = _weekdays(round_.start_date, days)
    weights = _village_weights(villages, rng)
    batch: list[PastProblem] = []
    for n in range(problems):
        village = rng.choices(villages, weights=weights)[0]
        item = items[rng.randrange(len(items))]
        found = working_moment(weekdays[n * len(weekdays) // problems], rng)
        department = committees[village.pk]
        problem = past_problem(
            round=round_,
            inspector=inspectors[n % len(inspectors)],
            item=item,
            description=DESCRIPTIONS.get(item.code, item.name),
            spot=f"{village.name}{rng.choice(SPOTS)}",
            village=village,
            department=department,
            category=category,
            photos=before,
            now=found,
            calendar=calendar,
        )
        handler = who.handlers[department.pk]
        signed = found + timedelta(minutes=rng.randint(20, 90))
        problem.replay.act(actor=handler, action=Action.SIGN, now=signed)
        resolved = max(
            working_moment((signed + timedelta(days=rng.randint(1, 3))).date(), rng), signed + timedelta(hours=1)
        )
        problem.replay.act(actor=handler, action=Action.RESOLVE, note="已按要求整改到位", photos=after, now=resolved)
        problem.replay.act(
            actor=who.operator, action=Action.VERIFY_PASS, note="复核通过", now=resolved + timedelta(hours=2)
        )
        batch.append(problem)
        if len(batch) >= SLICE:
            write_past_problems(round=round_, problems=batch)
            batch = []
    if batch:
        write_past_problems(round=round_, problems=batch)


def build(
    *, town: Area, rng: random.Random, year: int = 2022, problems_per_round: int | Sequence[int] = PROBLEMS_2022
) -> None:
    first, last = period(year)
    rounds: list[RoundPlan]
    if is_current(year):  # one finished round, one still open
        one = max(first, last - timedelta(days=60))
        two = last - timedelta(days=3)
        second = "（第二轮）" if two.month == one.month else ""  # early in the year both fall in January
        rounds = [
            RoundPlan(f"{year}年{one.month}月创城督查", one, 4, 12, True, 1.0),
            RoundPlan(f"{year}年{two.month}月创城督查{second}", two, 6, 10, False, 0.4),
        ]
    else:  # one finished round a month
        counts = (
            [problems_per_round] * len(MONTHS_2022) if isinstance(problems_per_round, int) else list(problems_per_round)
        )
        rounds = [
            RoundPlan(f"{year}年{month}月创城督查", date(year, month, 10), 5, count, True, 1.0)
            for month, count in zip(MONTHS_2022, counts, strict=True)
        ]
    for plan in rounds:
        _round(town, rng, plan)
