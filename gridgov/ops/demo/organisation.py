"""The demo town's organisation: 岱西镇 (Daishan county, Zhoushan) with its 8 villages and their grids, the
departments, and the people who work there (every demo login), built once or loaded again.

Area codes follow the 行政区划代码 pattern but are illustrative, not the official codes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from gridgov.data.org.domain import create_area, create_department, grant_role
from gridgov.data.org.enums import AreaLevel, DepartmentKind, Role
from gridgov.data.org.models import Area, Department, Membership, User
from gridgov.data.taxonomy.defaults import install_default_taxonomy

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
