"""The demo town: 岱西镇 (Daishan county, Zhoushan) with its 8 villages, departments, people and a year
of cases that went through the real engine.

Area codes follow the 行政区划代码 pattern but are illustrative, not the official codes.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from PIL import Image

from gridgov.data.cases.domain.attachments import Upload
from gridgov.data.cases.domain.bulk import StoredFile, owe_notifications, store_photo, write_cases_in_slices
from gridgov.data.cases.domain.engine import apply_action, report_case
from gridgov.data.cases.domain.replay import Replay
from gridgov.data.cases.enums import Action, AttachmentKind, Channel, Satisfaction
from gridgov.data.cases.models import Case
from gridgov.data.errors import DomainError
from gridgov.data.org.domain import create_area, create_department, grant_role
from gridgov.data.org.enums import AreaLevel, DepartmentKind, Role
from gridgov.data.org.models import Area, Department, Membership, User
from gridgov.data.taxonomy.defaults import install_default_taxonomy
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.worktime.enums import Clock

DEMO_PASSWORD = "gridgov2026"
TOWN_CODE = "330921102"
TOWN_CENTER = (30.262, 122.105)  # latitude, longitude of 岱西镇 (approximate)

# name, pinyin slug
VILLAGES = [
    ("双合村", "shuanghe"),
    ("火箭村", "huojian"),
    ("摇星浦村", "yaoxingpu"),
    ("前岸村", "qianan"),
    ("后岸村", "houan"),
    ("海丰村", "haifeng"),
    ("青黑村", "qinghei"),
    ("茶前山村", "chaqianshan"),
]
GRIDS_PER_VILLAGE = 3

# code, name, kind, demo login
DEPARTMENTS = [
    ("ZHS", "综合信息指挥室", DepartmentKind.COMMAND, None),
    ("PAB", "平安办（综治中心）", DepartmentKind.TOWN_OFFICE, "pinganban"),
    ("SFS", "司法所", DepartmentKind.STATION, "sifasuo"),
    ("LDS", "劳动保障所", DepartmentKind.STATION, "laobaosuo"),
    ("YJB", "应急管理办（安监站）", DepartmentKind.TOWN_OFFICE, "yingjiban"),
    ("JSB", "村镇建设办", DepartmentKind.TOWN_OFFICE, "jiansheban"),
    ("HYB", "海洋与渔业办", DepartmentKind.TOWN_OFFICE, "haiyuban"),
    ("STB", "生态环境办", DepartmentKind.TOWN_OFFICE, "shengtaiban"),
    ("ZFZ", "综合行政执法中队", DepartmentKind.STATION, "zhifa"),
    ("NYB", "农业农村办", DepartmentKind.TOWN_OFFICE, "nongyeban"),
    ("SJS", "市场监管所", DepartmentKind.COUNTY_OFFICE, "shijiansuo"),
    ("JFB", "经济发展办", DepartmentKind.TOWN_OFFICE, "jingfaban"),
    ("SHB", "社会事务办", DepartmentKind.TOWN_OFFICE, "shiwuban"),
    ("WMB", "宣传文明办", DepartmentKind.TOWN_OFFICE, "wenmingban"),
    ("DZB", "党政办", DepartmentKind.TOWN_OFFICE, "dangzhengban"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢傅钟"
GIVEN = "建国海峰志强丽娟秀英伟华明杰静敏晓东文军红梅春燕桂芳国平玉兰振宇佳怡浩然亚男金龙卫东"

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


@dataclass
class Town:
    town: Area
    villages: list[Area]
    grids: list[Area]
    departments: dict[str, Department]
    operator: User
    leader: User
    grid_workers: dict[int, User]  # grid area id → grid worker
    handlers: dict[int, User]  # department id → handler
    residents: list[User]


_PASSWORD_HASH: list[str] = []


def _user(username: str, full_name: str, *, superuser: bool = False) -> User:
    if not _PASSWORD_HASH:  # hash the shared demo password once, not once per account
        _PASSWORD_HASH.append(make_password(DEMO_PASSWORD))
    user = User(
        username=username,
        full_name=full_name,
        email=f"{username}@daixi.example",  # the demo's e-mail goes to the worker's console (var/worker.log)
        is_staff=superuser,
        is_superuser=superuser,
    )
    user.password = _PASSWORD_HASH[0]
    user.save()
    return user


def _box(lat: float, lng: float, dlat: float, dlng: float) -> dict[str, object]:
    ring = [[lng, lat], [lng + dlng, lat], [lng + dlng, lat + dlat], [lng, lat + dlat], [lng, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


@transaction.atomic
def build_organisation(rng: random.Random) -> Town:
    """Areas (with boundaries), departments, taxonomy and demo users of 岱西镇."""
    county = create_area(code="330921", name="岱山县", level=AreaLevel.COUNTY)
    lat0, lng0 = TOWN_CENTER[0] - 0.03, TOWN_CENTER[1] - 0.06
    town = create_area(
        code=TOWN_CODE,
        name="岱西镇",
        level=AreaLevel.TOWN,
        parent=county,
        case_prefix="DX",
        boundary=_box(lat0, lng0, 0.06, 0.12),
    )
    villages: list[Area] = []
    grids: list[Area] = []
    for index, (name, _slug) in enumerate(VILLAGES):
        row, col = divmod(index, 4)
        vlat, vlng = lat0 + row * 0.03, lng0 + col * 0.03
        village = create_area(
            code=f"{TOWN_CODE}{201 + index:03d}",
            name=name,
            level=AreaLevel.VILLAGE,
            parent=town,
            boundary=_box(vlat, vlng, 0.03, 0.03),
            sort_order=index,
        )
        villages.append(village)
        for g in range(GRIDS_PER_VILLAGE):
            grids.append(
                create_area(
                    code=f"{village.code}{g + 1:02d}",
                    name=f"{name}第{g + 1}网格",
                    level=AreaLevel.GRID,
                    parent=village,
                    boundary=_box(vlat, vlng + g * 0.01, 0.03, 0.01),
                    sort_order=g,
                )
            )
    departments = {
        code: create_department(town=town, code=code, name=name, kind=kind) for code, name, kind, _login in DEPARTMENTS
    }
    for index, village in enumerate(villages):
        code = f"VC{index + 1:02d}"
        departments[code] = create_department(
            town=town, code=code, name=f"{village.name}村民委员会", kind=DepartmentKind.VILLAGE_COMMITTEE, area=village
        )
    install_default_taxonomy(town=town)

    def person_name() -> str:
        return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))

    admin = _user("admin", "系统管理员", superuser=True)
    grant_role(user=admin, role=Role.ADMIN, area=town)
    operator = _user("zhihuishi", "王芳")
    grant_role(user=operator, role=Role.OPERATOR, area=town)
    operator2 = _user("zhihuishi2", "陈晓东")
    grant_role(user=operator2, role=Role.OPERATOR, area=town)
    leader = _user("lingdao", "李建国")
    grant_role(user=leader, role=Role.LEADER, area=town)
    handlers: dict[int, User] = {}
    for code, _dname, _kind, login in DEPARTMENTS:
        if login:
            handler = _user(login, person_name())
            grant_role(user=handler, role=Role.HANDLER, department=departments[code])
            handlers[departments[code].pk] = handler
    grid_workers: dict[int, User] = {}
    for index, (village, (_vname, slug)) in enumerate(zip(villages, VILLAGES, strict=True)):
        staff = _user(f"cun-{slug}", person_name())
        grant_role(user=staff, role=Role.VILLAGE_STAFF, area=village)
        handlers[departments[f"VC{index + 1:02d}"].pk] = staff
        for g, grid in enumerate(grids[index * GRIDS_PER_VILLAGE : (index + 1) * GRIDS_PER_VILLAGE]):
            worker = _user(f"wgy-{slug}-{g + 1}", person_name())
            grant_role(user=worker, role=Role.GRID_WORKER, area=grid)
            grid_workers[grid.pk] = worker
    enterprise = _user("qiye", "浙江岱西船舶修造有限公司")
    grant_role(user=enterprise, role=Role.ENTERPRISE)
    residents = [_user("jumin", "张秀英")]
    for resident in residents:
        grant_role(user=resident, role=Role.RESIDENT)
    return Town(town, villages, grids, departments, operator, leader, grid_workers, handlers, residents)


class _EngineStory:
    """A case of the simulation written through the engine as it goes (``bench/engine.py`` measures this)."""

    def __init__(self, case: Case) -> None:
        self.pk = case.pk

    @property
    def case(self) -> Case:
        return Case.objects.get(pk=self.pk)

    def act(self, *, actor: User, action: Action, now: datetime, **kwargs: Any) -> None:
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
            Category.objects.filter(town=org.town, parent__isnull=False).select_related("parent", "default_department")
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

    def photo(self, kind: AttachmentKind) -> Any:
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

        def stories() -> Iterator[Any]:
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

    def one_case(self, reported_at: datetime) -> Any:
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
        story: Any
        if self.through_engine:
            story = _EngineStory(
                report_case(
                    town=org.town,
                    reporter=reporter,
                    channel=channel,
                    category=category,
                    description=description,
                    area=grid,
                    latitude=lat,
                    longitude=lng,
                    address=address,
                    reporter_name=reporter_name,
                    reporter_phone=reporter_phone,
                    photos=list(photos),
                    resolve_on_spot=on_spot,
                    resolution_note="已现场处置完毕",
                    resolution_photos=self.photo(AttachmentKind.AFTER),
                    now=reported_at,
                )
            )
        else:
            story = Replay(
                town=org.town,
                reporter=reporter,
                channel=channel,
                category=category,
                description=description,
                area=grid,
                address=address,
                reporter_name=reporter_name,
                reporter_phone=reporter_phone,
                photos=photos,
                now=reported_at,
                calendar=self.calendar,
            )
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

    def act(self, story: Any, at: datetime, actor: User, action: Action, **kwargs: Any) -> bool:
        """Take the action if its time has come; False means the story of this case stops here (open)."""
        if at >= self.now or action == self.stop_before:
            return False
        story.act(actor=actor, action=action, now=at, **kwargs)
        return True

    def follow(self, story: Any, t: datetime, worker: User, category: Category) -> None:
        rng = self.rng
        org = self.org
        op = org.operator
        case = story.case
        t = self.work_later(t, 5, 70)
        duplicate = self.recent_by_category.get(category.pk)
        if rng.random() < 0.07:
            kwargs: dict[str, Any] = {"note": "经核实不属于本镇受理范围"}
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


def load_organisation(town: Area) -> Town:
    """The demo town as ``build_organisation`` made it, read back from the database (to add a year to it)."""
    villages = list(Area.objects.filter(town=town, level=AreaLevel.VILLAGE).order_by("sort_order", "code"))
    grids = list(
        Area.objects.filter(town=town, level=AreaLevel.GRID).select_related("parent").order_by("path", "sort_order")
    )
    departments = {d.code: d for d in Department.objects.filter(town=town)}
    memberships = Membership.objects.filter(town=town, active=True).select_related("user")
    grid_workers: dict[int, User] = {}
    handlers: dict[int, User] = {}
    for m in memberships.order_by("pk"):
        if m.role == Role.GRID_WORKER and m.area_id is not None:
            grid_workers.setdefault(m.area_id, m.user)
        elif m.role in (Role.HANDLER, Role.VILLAGE_STAFF) and m.department_id is not None:
            handlers.setdefault(m.department_id, m.user)
    return Town(
        town=town,
        villages=villages,
        grids=grids,
        departments=departments,
        operator=User.objects.get(username="zhihuishi"),
        leader=User.objects.get(username="lingdao"),
        grid_workers=grid_workers,
        handlers=handlers,
        residents=[User.objects.get(username="jumin")],
    )


def build_demo_town(*, cases: int, seed: int, progress: Callable[[int, int], None]) -> tuple[Town, int]:
    """The organisation and ``cases`` cases over the last twelve months (2022 is built separately)."""
    rng = random.Random(seed)
    org = build_organisation(rng)
    History(org, rng, timezone.now()).run(cases, progress)
    return org, Case.objects.filter(town=org.town).count()
