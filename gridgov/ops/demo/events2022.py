"""岱西镇's 2022 events, built through the real engine.

"处理基层智治平台事件3124件，办结率100%" and "通过网格共采集解决问题信息1460余条": ``build_events_2022`` reports
exactly 3124 events that are registered (or resolved on the spot, which counts as registered when reported)
in 2022, 1468 of them by grid workers, and drives every one of them to 已结案 before the year ends — with the
town's real mix of categories, villages, grids and channels, returns, extensions, suspensions, late
resolutions, reworks and satisfaction ratings. A few more reports are rejected (不予立案) and so are not
among the 3124. Every step follows the engine's own rules (``gridgov.data.cases.domain.replay``: the
engine's transitions, roles, checks and effects, with its 2022 time as ``now``) and the cases are written
through the bulk path in short slices, so the town's web requests go on while the year is built.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.bulk import ActionRecord, CaseRecord, store_photo, write_cases_in_slices
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action, AttachmentKind, Channel, Kind, Satisfaction
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area, Department, User
from gridgov.data.sheets.cells import SHANGHAI
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import Clock
from gridgov.ops.demo.organisation import SURNAMES, Town
from gridgov.ops.demo.town import _HOURLY, _description, _photo, _weight

YEAR = 2022
EVENTS = 3124  # 处理基层智治平台事件3124件
GRID_EVENTS = 1468  # 通过网格共采集解决问题信息1460余条

FIRST_REPORT = datetime(YEAR, 1, 1, 0, 0, tzinfo=SHANGHAI)
LAST_REPORT = datetime(YEAR, 12, 16, 18, 0, tzinfo=SHANGHAI)
# Every step of 2022 happens before this moment, so all of the year's events are closed within the year.
YEAR_END = datetime(YEAR, 12, 30, 16, 0, tzinfo=SHANGHAI)

# Channels other than grid workers, and their weights.
OTHER_CHANNELS = {
    Channel.RESIDENT: 30,
    Channel.HOTLINE: 35,
    Channel.ENTERPRISE: 10,
    Channel.SUPERIOR: 10,
    Channel.INSPECTION: 10,
    Channel.PETITION: 5,
}
# Where a channel's reports mostly fall (major category codes); other channels use the town's usual mix.
CHANNEL_MAJORS = {
    Channel.PETITION: ("03", "01", "02"),
    Channel.ENTERPRISE: ("16", "06", "02"),
    Channel.INSPECTION: ("19", "12", "07"),
}


@dataclass
class Year2022:
    """What ``build_events_2022`` made."""

    events: int = 0  # registered in 2022 (incl. resolved on the spot)
    grid_events: int = 0  # of which reported by grid workers
    rejected: int = 0  # reports not registered (不予立案), not among ``events``
    actions: int = 0
    seconds: float = 0.0
    by_channel: dict[str, int] = field(default_factory=dict)


def build_events_2022(
    *,
    town: Town,
    rng: random.Random,
    scale: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
) -> Year2022:
    started = time.monotonic()
    events = max(1, round(EVENTS * scale))
    grid_events = min(events, round(GRID_EVENTS * scale))
    simulation = _Simulation(town, rng)
    channels = [Channel.GRID_WORKER] * grid_events + rng.choices(
        list(OTHER_CHANNELS), weights=list(OTHER_CHANNELS.values()), k=events - grid_events
    )
    rng.shuffle(channels)
    plan = sorted(((simulation.moment(), channel) for channel in channels), key=lambda p: p[0])
    # About 2% more reports are rejected (duplicates, out of scope): never from grid workers, never counted.
    rejects = sorted(simulation.moment() for _ in range(round(events * 0.02)))
    total = len(plan) + len(rejects)
    result = Year2022()
    work: list[tuple[datetime, Channel | None]] = [*plan, *((m, None) for m in rejects)]
    work.sort(key=lambda p: p[0])

    def described() -> Iterator[CaseRecord]:
        for moment, channel in work:
            if channel is None:
                yield simulation.rejected_report(moment)
                result.rejected += 1
            else:
                yield simulation.event(moment, channel)
                result.events += 1
                result.grid_events += channel == Channel.GRID_WORKER
                result.by_channel[channel.value] = result.by_channel.get(channel.value, 0) + 1

    # Each case is replayed in memory by the engine's rules, then written through the bulk path a short
    # slice at a time: the write lock is held for a fraction of a second per slice, so the town's web
    # requests go on while the year builds. A past year notifies nobody.
    # What an interrupted build wrote is a prefix of the same (seeded) sequence: replay it, write the rest.
    already = min(Case.objects.filter(town=town.town, year=YEAR, imported=False, kind=Kind.EVENT).count(), total)
    records = itertools.islice(described(), already, None)
    written = write_cases_in_slices(
        town=town.town,
        records=records,
        slice_size=SLICE,
        progress=(lambda done: progress(already + done, total)) if progress is not None else None,
    )
    result.actions = sum(case.action_count for case in written)
    result.seconds = time.monotonic() - started
    return result


SLICE = 40  # cases per transaction (about 400 actions): well under 200 ms of write lock on this machine


class _Simulation:
    def __init__(self, org: Town, rng: random.Random) -> None:
        self.org = org
        self.rng = rng
        self.calendar = WorkCalendar.load()
        self.categories = list(
            # events are not filed under a ledger's own categories (hazards, service requests, supervision)
            Category.objects.filter(town=org.town, parent__isnull=False, active=True, ledger_only=False).select_related(
                "parent", "default_department"
            )
        )
        self.weights = [_weight(c) for c in self.categories]
        self.by_major: dict[str, list[Category]] = {}
        for category in self.categories:
            assert category.parent is not None
            self.by_major.setdefault(category.parent.code, []).append(category)
        self.committees = {d.area_id: d for d in org.departments.values() if d.area_id is not None}
        # Stored once; every case's action refers to the same files (content-addressed, as uploads are).
        before = Upload(name="before.jpg", data=_photo((150, 120, 90)), kind=AttachmentKind.BEFORE)
        after = Upload(name="after.jpg", data=_photo((80, 160, 90)), kind=AttachmentKind.AFTER)
        self.before = (store_photo(town=org.town, upload=before),)
        self.after = (store_photo(town=org.town, upload=after),)
        self.last_by_category: dict[int, Case] = {}

    # -- time ------------------------------------------------------------------------------------------

    def moment(self) -> datetime:
        """A reporting time in 2022 (to mid-December), mostly in the daytime."""
        days = (LAST_REPORT - FIRST_REPORT).days
        day = FIRST_REPORT + timedelta(days=self.rng.randint(0, days - 1))
        hour = self.rng.choices(range(24), weights=_HOURLY)[0]
        return day + timedelta(hours=hour, minutes=self.rng.randint(0, 59))

    def later(self, t: datetime, low: int, high: int) -> datetime:
        """``low``–``high`` working minutes after ``t`` — or a few minutes, if that would leave the year."""
        candidate = self.calendar.add(t, self.rng.randint(low, high), Clock.WORKING)
        if candidate > YEAR_END:
            return t + timedelta(minutes=self.rng.randint(1, 3))
        return candidate

    def between(self, t: datetime, end: datetime, low: float, high: float) -> datetime:
        """A moment a fraction ``low``–``high`` of the way from ``t`` to ``end`` (kept within the year)."""
        end = min(end, YEAR_END)
        if end <= t:
            return t + timedelta(minutes=self.rng.randint(1, 3))
        return t + (end - t) * self.rng.uniform(low, high)

    # -- cases -----------------------------------------------------------------------------------------

    def category_for(self, channel: Channel) -> Category:
        majors = CHANNEL_MAJORS.get(channel)
        if majors is not None and self.rng.random() < 0.8:
            return self.rng.choice(self.by_major[self.rng.choice(majors)])
        return self.rng.choices(self.categories, weights=self.weights)[0]

    def report(self, moment: datetime, channel: Channel, category: Category) -> tuple[Replay, Area]:
        org, rng = self.org, self.rng
        grid = rng.choice(org.grids)
        worker = org.grid_workers[grid.pk]
        reporter: User | None = None
        if channel == Channel.GRID_WORKER:
            reporter = worker
        elif channel in (Channel.RESIDENT, Channel.ENTERPRISE) and rng.random() < 0.5:
            reporter = org.residents[0]
        case = Replay(
            town=org.town,
            reporter=reporter,
            channel=channel,
            category=category,
            description=_description(rng, category),
            area=grid,
            address=f"{grid.parent.name if grid.parent else ''}{rng.randint(1, 200)}号附近",
            reporter_name="" if reporter else rng.choice(SURNAMES) + rng.choice(["先生", "女士"]),
            reporter_phone="" if reporter else f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            photos=self.before if reporter is worker else (),
            now=moment,
            calendar=self.calendar,
        )
        return case, grid

    def rejected_report(self, moment: datetime) -> CaseRecord:
        channel = self.rng.choice([Channel.RESIDENT, Channel.HOTLINE, Channel.SUPERIOR])
        category = self.category_for(channel)
        case, _grid = self.report(moment, channel, category)
        kwargs: dict[str, object] = {"note": "经核实不属于本镇受理范围"}
        duplicate = self.last_by_category.get(category.pk)
        if duplicate is not None and self.rng.random() < 0.6 and duplicate.pk is not None:  # written already
            kwargs = {"note": "与已受理事件重复", "duplicate_of": duplicate}
        self.act(case, self.later(moment, 5, 60), self.org.operator, Action.REJECT, **kwargs)
        return case.record()

    def act(self, case: Replay, at: datetime, actor: User, action: Action, **kwargs: object) -> ActionRecord:
        return case.act(actor=actor, action=action, now=at, **kwargs)  # type: ignore[arg-type]  # the replayed action's keyword arguments vary by action (see Replay.act)

    def event(self, moment: datetime, channel: Channel) -> CaseRecord:
        rng, org = self.rng, self.org
        category = self.category_for(channel)
        on_spot = channel == Channel.GRID_WORKER and rng.random() < 0.5
        case, grid = self.report(moment, channel, category)
        self.last_by_category[category.pk] = case.case
        if on_spot:
            self.act(
                case, moment, org.grid_workers[grid.pk], Action.SELF_RESOLVE, note="已现场处置完毕", photos=self.after
            )
            return case.record()
        self.follow(case, moment, org.grid_workers[grid.pk], category)
        return case.record()

    def follow(self, case: Replay, t: datetime, worker: User, category: Category) -> None:
        rng, org = self.rng, self.org
        op = org.operator
        t = self.later(t, 5, 90)
        self.act(case, t, op, Action.REGISTER)
        department = self.department_for(case.case, category)
        t = self.later(t, 3, 60)
        deadline = self.dispatch(case, t, department)
        handler = org.handlers[department.pk]
        if rng.random() < 0.05:  # mis-dispatched: returned, then sent to the right department
            t = self.later(t, 30, 240)
            self.act(case, t, handler, Action.RETURN, note="不属于本部门职责，请改派")
            department = org.departments["ZFZ"] if department.code != "ZFZ" else org.departments["JSB"]
            handler = org.handlers[department.pk]
            t = self.later(t, 10, 60)
            deadline = self.dispatch(case, t, department)
        t = self.later(t, 10, 180)
        self.act(case, t, handler, Action.SIGN)
        if rng.random() < 0.06:
            t = self.between(t, deadline, 0.3, 0.6)
            self.act(case, t, handler, Action.REQUEST_EXTENSION, note="需协调多个部门，申请延期", extension=2)
            t = self.later(t, 20, 120)
            if rng.random() < 0.75:
                row = self.act(case, t, org.leader, Action.APPROVE_EXTENSION, note="同意")
                deadline = datetime.fromisoformat(row.data["deadline"])
            else:
                self.act(case, t, org.leader, Action.DENY_EXTENSION, note="请按期办结")
        if rng.random() < 0.02:
            t = self.later(t, 30, 240)
            self.act(case, t, op, Action.SUSPEND, note="涉及司法程序，暂缓办理")
            resumed = min(t + timedelta(days=rng.randint(3, 15)), YEAR_END - timedelta(hours=2))
            t = max(resumed, t + timedelta(minutes=5))
            row = self.act(case, t, op, Action.RESUME)
            deadline = datetime.fromisoformat(row.data["deadline"]) if row.data.get("deadline") else deadline
        late = rng.random() < 0.05
        if late and rng.random() < 0.5:
            t = self.between(t, deadline, 0.7, 0.9)
            self.act(case, t, org.leader, Action.SUPERVISE, note="请加快办理进度")
        if late and deadline + timedelta(days=3) < YEAR_END:
            t = max(t, deadline) + timedelta(minutes=rng.randint(60, 3 * 24 * 60))
        else:
            t = self.between(t, deadline, 0.05, 0.85)
        self.act(case, t, handler, Action.RESOLVE, note="已处置完毕", photos=self.after)
        verifier = worker if rng.random() < 0.8 else op
        t = self.later(t, 20, 300)
        if rng.random() < 0.07:
            self.act(case, t, verifier, Action.VERIFY_FAIL, note="现场仍有遗留，请返工")
            t = self.later(t, 60, 480)
            self.act(case, t, handler, Action.RESOLVE, note="已返工整改", photos=self.after)
            t = self.later(t, 20, 300)
        self.act(case, t, verifier, Action.VERIFY_PASS)
        if rng.random() < 0.45:  # a follow-up visit (回访) for about half of the cases
            t = self.later(t, 60, 900)
            rating = rng.choices(list(Satisfaction), weights=[82, 14, 4])[0]
            self.act(case, t, op, Action.RATE, rating=rating)

    def department_for(self, case: Case, category: Category) -> Department:
        org = self.org
        department = category.default_department or org.departments["ZHS"]
        if self.rng.random() < 0.25 and case.village_id in self.committees:  # small things: the village committee
            department = self.committees[case.village_id]
        if department.pk not in org.handlers:
            department = org.departments["ZFZ"]
        return department

    def dispatch(self, case: Replay, t: datetime, department: Department) -> datetime:
        row = self.act(case, t, self.org.operator, Action.DISPATCH, department=department)
        return datetime.fromisoformat(row.data["deadline"])
