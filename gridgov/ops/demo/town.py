"""The demo town's year of cases: 岱西镇's events of the current year, told as they went through the real
engine (the organisation they run in: ``organisation``).
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from PIL import Image

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.bulk import StoredFile, owe_notifications, store_photo, write_cases_in_slices
from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action, AttachmentKind, Channel, Satisfaction
from gridgov.data.cases.models import Case
from gridgov.data.errors import DomainError
from gridgov.data.org.models import User
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import Clock
from gridgov.db.analyze import analyze_after_commit
from gridgov.ops.demo.organisation import SURNAMES, Town, build_organisation
from gridgov.types import Keywords

# A few typical descriptions per major category code, to make the demo read like a real town's week.
DESCRIPTIONS: dict[str, list[str]] = {
    "01": ["两户村民因排水沟走向发生争执，需要调解", "邻居加盖围墙占用公共通道，引发矛盾"],
    "02": ["某船厂外包班组反映拖欠工资三个月", "工人反映受伤后企业未申报工伤"],
    "03": ["村民反映土地征收补偿标准问题，首次来访", "群众来信反映村道硬化工程质量"],
    "04": ["码头附近夜间有可疑人员聚集", "小区车棚电动车电瓶被盗"],
    "05": ["留守儿童家庭近况走访，需要社事办跟进", "社区矫正人员近期未按时报到"],
    "06": ["企业危化品仓库标识缺失", "小微企业车间电线私拉乱接", "有限空间作业未设警示标志"],
    "07": ["楼道内电动车停放充电，存在火灾隐患", "沿街店铺消防通道被杂物堵塞", "三合一场所住人未分隔"],
    "08": ["村民擅自在宅基地外加盖彩钢棚", "老旧民房墙体开裂，存在倒塌风险"],
    "09": ["渔港码头护栏缺损", "乡村公路弯道反光镜损坏"],
    "10": ["台风来临前海塘巡查发现裂缝", "山塘溢洪道被垃圾堵塞"],
    "11": ["河道内漂浮大量生活垃圾", "滩涂上有海漂垃圾堆积", "田间露天焚烧秸秆"],
    "12": ["路边垃圾桶满溢未清运", "沿街店铺占道经营", "电线杆上张贴小广告"],
    "13": ["村道路灯连续多晚不亮", "人行道井盖破损下沉", "公厕水龙头损坏漏水"],
    "14": ["耕地上堆放建筑材料", "农田出现抛荒"],
    "15": ["小餐馆后厨卫生状况差", "流动摊贩无证销售散装食品"],
    "16": ["企业反映用电增容审批进度慢", "企业咨询技改补助政策兑现"],
    "17": ["独居老人申请居家养老服务", "困难家庭咨询低保申请"],
    "18": ["农贸市场周边蚊蝇较多", "公共场所未张贴禁烟标志"],
    "19": ["创城督查发现背街小巷卫生死角", "公益广告牌破损褪色"],
    "20": ["村务公开栏内容未及时更新", "村级工程资料不全"],
    "21": ["网络上出现涉及本镇企业的不实信息", "群众反映有人推销高息理财"],
    "22": ["道路上发生一起两车轻微碰撞", "其他需要协调的事项"],
}


def _photo(color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (96, 72), color).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


class _EngineStory:
    """A case of the simulation written through the engine as it goes (``bench/engine.py`` measures this)."""

    def __init__(self, case: Case) -> None:
        self.pk = case.pk

    @property
    def case(self) -> Case:
        return Case.objects.get(pk=self.pk)

    def act(
        self,
        *,
        actor: User,
        action: Action,
        now: datetime,
        **kwargs: Any,  # Any: the action's needs, passed on to apply_action, which types each
    ) -> None:  # Any: the action's needs, passed on to apply_action, which types each
        apply_action(case_id=self.pk, actor=actor, action=action, now=now, **kwargs)


class History:
    """Simulates a year of the town's work with past timestamps.

    By default each case is replayed in memory by the engine's rules (``Replay``) and the year is written
    through the bulk path a slice at a time, as the 2022 build is: seconds instead of a minute, and the write
    lock held only briefly, so the demo answers its first page soon and can be used while anything else
    builds. ``through_engine=True`` drives every case through ``report_case``/``apply_action`` instead.
    Afterwards the still-open cases' latest steps are put in the notification outbox, so the people who have
    them in hand find them among their messages, as if they had been sent at the time.
    """

    def __init__(self, org: Town, rng: random.Random, now: datetime, *, through_engine: bool = False) -> None:
        self.org = org
        self.rng = rng
        self.now = now
        self.through_engine = through_engine
        self.calendar = WorkCalendar.load()
        self.categories = list(
            Category.objects.filter(town=org.town, parent__isnull=False, ledger_only=False).select_related(
                "parent", "default_department"
            )
        )
        self.weights = [_weight(c) for c in self.categories]
        self.before = _photo((150, 120, 90))
        self.after = _photo((80, 160, 90))
        self.stored: dict[AttachmentKind, tuple[StoredFile, ...]] = {}
        self.recent_by_category: dict[int, Case] = {}
        self.stop_before: Action | None = None
        self.skipped: list[str] = []

    def work_later(self, moment: datetime, minutes_low: int, minutes_high: int) -> datetime:
        return self.calendar.add(moment, self.rng.randint(minutes_low, minutes_high), Clock.WORKING)

    def photo(
        self, kind: AttachmentKind
    ) -> Any:  # Any: a story is a generator the demo's History drives; its steps are of many kinds
        """The photo for ``kind``: an upload for the engine, a stored file (stored once) for the replay."""
        data = self.before if kind == AttachmentKind.BEFORE else self.after
        upload = Upload(name=f"{kind}.jpg", data=data, kind=kind)
        if self.through_engine:
            return [upload]
        if kind not in self.stored:
            self.stored[kind] = (store_photo(town=self.org.town, upload=upload),)
        return self.stored[kind]

    def moment(self, start: datetime) -> datetime:
        """A reporting time: any day of the year, mostly in the daytime (patrols, calls), rarely at night."""
        day = timezone.localtime(start).replace(hour=0, minute=0, second=0, microsecond=0)
        day += timedelta(days=self.rng.randint(0, 364))
        hour = self.rng.choices(range(24), weights=_HOURLY)[0]
        return day + timedelta(hours=hour, minutes=self.rng.randint(0, 59))

    def run(self, count: int, progress: Callable[[int, int], None]) -> int:
        """Report and follow ``count`` cases over the last year; returns how many ran to their planned end."""
        start = self.now - timedelta(days=364)
        moments = sorted(m for m in (self.moment(start) for _ in range(count)) if m < self.now)
        completed = 0

        def stories() -> Iterator[
            Any
        ]:  # Any: a story is a generator the demo's History drives; its steps are of many kinds
            nonlocal completed
            for index, moment in enumerate(moments, start=1):
                try:
                    yield self.one_case(moment)
                    completed += 1
                except DomainError as exc:  # e.g. a deadline reaching into a year the calendar does not know yet
                    self.skipped.append(str(exc))
                if self.through_engine and (index % 50 == 0 or index == len(moments)):
                    progress(index, len(moments))

        if self.through_engine:
            for _story in stories():
                pass
            return completed
        written = write_cases_in_slices(
            town=self.org.town,
            records=(story.record() for story in stories()),
            slice_size=SLICE,
            progress=lambda done: progress(done, len(moments)),
        )
        owe_notifications(written, now=self.now)
        return completed

    def one_case(
        self, reported_at: datetime
    ) -> Any:  # Any: a story is a generator the demo's History drives; its steps are of many kinds
        rng = self.rng
        org = self.org
        grid = rng.choice(org.grids)
        worker = org.grid_workers[grid.pk]
        category = rng.choices(self.categories, weights=self.weights)[0]
        channel = rng.choices(
            [Channel.GRID_WORKER, Channel.RESIDENT, Channel.HOTLINE, Channel.ENTERPRISE, Channel.SUPERIOR],
            weights=[60, 14, 16, 5, 5],
        )[0]
        reporter = (
            worker if channel == Channel.GRID_WORKER else (org.residents[0] if channel == Channel.RESIDENT else None)
        )
        description = _description(rng, category)
        lat = float(grid.boundary["coordinates"][0][0][1]) + rng.random() * 0.029 if grid.boundary else None
        lng = float(grid.boundary["coordinates"][0][0][0]) + rng.random() * 0.0099 if grid.boundary else None
        on_spot = channel == Channel.GRID_WORKER and rng.random() < 0.3 and category.parent_id is not None
        on_spot = on_spot and self.work_later(reported_at, 10, 60) < self.now
        address = f"{grid.parent.name if grid.parent else ''}{rng.randint(1, 200)}号附近"
        reporter_name = "" if reporter else rng.choice(SURNAMES) + "先生"
        reporter_phone = "" if reporter else f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
        photos = self.photo(AttachmentKind.BEFORE) if reporter is worker else ()
        story: Any  # Any: a story is a generator the demo's History drives; its steps are of many kinds
        # What the report says, the same whether the engine files it or the replay writes its history.
        report: Keywords = {
            "town": org.town,
            "reporter": reporter,
            "channel": channel,
            "category": category,
            "description": description,
            "area": grid,
            "address": address,
            "reporter_name": reporter_name,
            "reporter_phone": reporter_phone,
            "now": reported_at,
        }
        if self.through_engine:
            story = _EngineStory(
                report_case(
                    **report,
                    latitude=lat,
                    longitude=lng,
                    photos=list(photos),
                    resolve_on_spot=on_spot,
                    resolution_note="已现场处置完毕",
                    resolution_photos=self.photo(AttachmentKind.AFTER),
                )
            )
        else:
            story = Replay(**report, photos=photos, calendar=self.calendar)
            if lat is not None and lng is not None:
                story.case.latitude = Decimal(str(lat)).quantize(Decimal("0.000001"))
                story.case.longitude = Decimal(str(lng)).quantize(Decimal("0.000001"))
            if on_spot:
                story.act(
                    actor=worker,
                    action=Action.SELF_RESOLVE,
                    now=reported_at,
                    note="已现场处置完毕",
                    photos=self.photo(AttachmentKind.AFTER),
                )
        if story.case.self_resolved:
            return story
        # The last weeks' cases are still in the pipeline: stop each at some stage so that every status
        # (待受理, 已立案, 已派遣, 处置中, 待核查, 缓办) has cases, some of them past their deadline.
        self.stop_before = None
        if self.now - reported_at < timedelta(days=21) and rng.random() < 0.6:
            self.stop_before = rng.choice(
                [
                    Action.REGISTER,
                    Action.DISPATCH,
                    Action.SIGN,
                    Action.RESOLVE,
                    Action.RESOLVE,
                    Action.VERIFY_PASS,
                    Action.RESUME,
                ]
            )
        self.follow(story, reported_at, worker, category)
        self.recent_by_category[category.pk] = story.case
        return story

    def act(
        self,
        story: Any,
        at: datetime,
        actor: User,
        action: Action,
        **kwargs: Any,  # Any: a story is a generator the demo's History drives; its steps are of many kinds
    ) -> bool:  # Any: a story is a generator the demo's History drives; its steps are of many kinds
        """Take the action if its time has come; False means the story of this case stops here (open)."""
        if at >= self.now or action == self.stop_before:
            return False
        story.act(actor=actor, action=action, now=at, **kwargs)
        return True

    def follow(
        self,
        story: Any,
        t: datetime,
        worker: User,
        category: Category,  # Any: a story is a generator the demo's History drives; its steps are of many kinds
    ) -> None:  # Any: a story is a generator the demo's History drives; its steps are of many kinds
        rng = self.rng
        org = self.org
        op = org.operator
        case = story.case
        t = self.work_later(t, 5, 70)
        duplicate = self.recent_by_category.get(category.pk)
        if rng.random() < 0.07:
            kwargs: Keywords = {"note": "经核实不属于本镇受理范围"}
            if duplicate is not None and rng.random() < 0.5 and duplicate.pk is not None:  # written already
                kwargs = {"note": "与已受理事件重复", "duplicate_of": duplicate}
            self.act(story, t, op, Action.REJECT, **kwargs)
            return
        if not self.act(story, t, op, Action.REGISTER):
            return
        department = category.default_department or org.departments["ZHS"]
        if rng.random() < 0.25 and case.village_id is not None:  # small things go to the village committee
            department = next(d for d in org.departments.values() if d.area_id == case.village_id)
        t = self.work_later(t, 3, 50)
        if not self.act(story, t, op, Action.DISPATCH, department=department):
            return
        handler = org.handlers.get(department.pk)
        if handler is None:
            return
        if rng.random() < 0.06:  # mis-dispatched: returned and sent elsewhere
            t = self.work_later(t, 30, 200)
            if not self.act(story, t, handler, Action.RETURN, note="不属于本部门职责，请改派"):
                return
            department = org.departments["ZFZ"] if department.code != "ZFZ" else org.departments["JSB"]
            handler = org.handlers[department.pk]
            t = self.work_later(t, 10, 60)
            if not self.act(story, t, op, Action.DISPATCH, department=department):
                return
        t = self.work_later(t, 10, 240)
        if not self.act(story, t, handler, Action.SIGN):
            return
        limit = max(story.case.handle_limit_minutes, 60)
        slow = rng.random() < 0.12
        if rng.random() < 0.08:
            t = self.work_later(t, limit // 4, limit // 2)
            if not self.act(story, t, handler, Action.REQUEST_EXTENSION, note="需协调多个部门，申请延期", extension=2):
                return
            t = self.work_later(t, 20, 120)
            decision = Action.APPROVE_EXTENSION if rng.random() < 0.7 else Action.DENY_EXTENSION
            if not self.act(
                story, t, org.leader, decision, note="同意" if decision == Action.APPROVE_EXTENSION else "请按期办结"
            ):
                return
        if rng.random() < 0.03 or self.stop_before == Action.RESUME:
            t = self.work_later(t, 30, 300)
            if not self.act(story, t, op, Action.SUSPEND, note="涉及司法程序，暂缓办理"):
                return
            t = t + timedelta(days=rng.randint(3, 20))
            if not self.act(story, t, op, Action.RESUME):
                return
        if slow and rng.random() < 0.5:
            t = self.work_later(t, limit // 2, limit)
            if not self.act(story, t, org.leader, Action.SUPERVISE, note="请加快办理进度"):
                return
        low, high = (int(limit * 1.1), int(limit * 2.0)) if slow else (limit // 10, int(limit * 0.8))
        t = self.work_later(t, max(low, 10), max(high, 20))
        if not self.act(story, t, handler, Action.RESOLVE, note="已处置完毕", photos=self.photo(AttachmentKind.AFTER)):
            return
        verifier = worker if rng.random() < 0.8 else op
        t = self.work_later(t, 20, 300)
        if rng.random() < 0.1:
            if not self.act(story, t, verifier, Action.VERIFY_FAIL, note="现场仍有遗留，请返工"):
                return
            t = self.work_later(t, 60, 600)
            if not self.act(
                story, t, handler, Action.RESOLVE, note="已返工整改", photos=self.photo(AttachmentKind.AFTER)
            ):
                return
            t = self.work_later(t, 20, 300)
        if not self.act(story, t, verifier, Action.VERIFY_PASS):
            return
        if rng.random() < 0.6:
            t = self.work_later(t, 60, 900)
            rating = rng.choices(list(Satisfaction), weights=[80, 15, 5])[0]
            self.act(story, t, op, Action.RATE, rating=rating)


SLICE = 40  # cases per transaction, as for 2022: a fraction of a second of write lock each


def _description(rng: random.Random, category: Category) -> str:
    """A description that fits the sub-category: a sample that names it, else a plain sentence about it."""
    samples = DESCRIPTIONS.get(category.parent.code if category.parent else "22", [])
    words = [w for w in category.name.replace("（", "/").replace("）", "").split("/") if w]
    fitting = [d for d in samples if any(w in d for w in words)]
    if fitting:
        return rng.choice(fitting)
    template = rng.choice(["巡查发现{}问题，需要处理", "群众反映{}方面的问题", "{}：现场情况需核实处理"])
    return template.format(category.name)


# Relative number of reports in each hour of the day.
_HOURLY = [1, 1, 1, 1, 1, 2, 4, 10, 18, 22, 22, 16, 8, 12, 20, 20, 18, 12, 6, 4, 3, 2, 1, 1]


def _weight(category: Category) -> float:
    major = category.parent.code if category.parent else ""
    return {"12": 6, "13": 4, "07": 3, "11": 3, "06": 2, "01": 2, "04": 1.5}.get(major, 1.0)


def build_demo_town(*, cases: int, seed: int, progress: Callable[[int, int], None]) -> tuple[Town, int]:
    """The organisation and ``cases`` cases over the last twelve months (2022 is built separately)."""
    rng = random.Random(seed)
    org = build_organisation(rng)
    History(org, rng, timezone.now()).run(cases, progress)
    analyze_after_commit()  # planner statistics of the tables just filled (PostgreSQL)
    return org, Case.objects.filter(town=org.town).count()
