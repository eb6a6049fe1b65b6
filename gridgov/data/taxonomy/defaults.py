"""The default taxonomy: 22 major categories with their sub-categories (see shared/data/categories.md),
the department code each goes to by default, and default time limits.

Codes: two digits for the major category, two more for the sub-category ("0701" = 消防安全/通道堵塞).
"""

from __future__ import annotations

from django.db import transaction

from gridgov.data.org.models import Area, Department
from gridgov.data.taxonomy.domain import install_major_category, sub_category_made
from gridgov.data.taxonomy.enums import Phase, Priority
from gridgov.data.taxonomy.models import TimeLimit
from gridgov.data.worktime.enums import TimeUnit

WH, WD, CD = TimeUnit.WORK_HOURS, TimeUnit.WORK_DAYS, TimeUnit.CALENDAR_DAYS

# code, name, default department code, handling limit (value, unit), sub-categories
MAJOR_CATEGORIES: list[tuple[str, str, str, tuple[int, TimeUnit], list[str]]] = [
    (
        "01",
        "矛盾纠纷",
        "SFS",
        (15, CD),
        ["邻里纠纷", "婚姻家庭", "宅基地/山林土地", "租赁物业", "合同债务", "征迁补偿"],
    ),
    ("02", "劳资纠纷", "LDS", (15, CD), ["欠薪", "工伤", "社保", "劳动合同", "群体讨薪"]),
    ("03", "信访诉求", "PAB", (60, CD), ["初信初访", "重复信访/积案", "越级苗头", "网上信访", "领导交办"]),
    ("04", "社会治安", "PAB", (3, WD), ["治安隐患", "黄赌毒线索", "电诈宣防", "可疑人员/物品", "盗窃"]),
    (
        "05",
        "重点人员",
        "PAB",
        (3, WD),
        ["严重精神障碍", "社区矫正", "刑满释放", "吸毒人员", "重点青少年", "留守/困境儿童"],
    ),
    (
        "06",
        "安全生产",
        "YJB",
        (5, WD),
        ["企业隐患", "小微/工贸企业", "危化品", "有限空间", "动火/特种作业", "建筑施工"],
    ),
    ("07", "消防安全", "YJB", (3, WD), ["通道堵塞", "电动车停放充电", "三合一场所", "消防设施缺损", "群租房"]),
    ("08", "房屋安全", "JSB", (10, WD), ["危房", "经营性自建房", "违法建设", "擅自改扩建"]),
    ("09", "交通与涉海安全", "HYB", (5, WD), ["道路设施", "非法营运", "渔船/涉海作业", "码头岸线"]),
    ("10", "防汛防台", "YJB", (1, WD), ["台风/风暴潮", "海塘/山塘", "地质灾害点", "内涝", "避灾安置点"]),
    ("11", "生态环境", "STB", (5, WD), ["河道水体", "废气异味", "噪声", "固废/危废", "滩涂海漂垃圾", "露天焚烧"]),
    ("12", "市容环卫", "ZFZ", (1, WD), ["暴露垃圾", "乱堆乱放", "占道经营", "小广告", "垃圾分类"]),
    ("13", "公共设施", "JSB", (3, WD), ["道路", "路灯", "井盖", "水电通信", "公厕"]),
    ("14", "农业农村", "NYB", (5, WD), ["耕地非农化", "抛荒地", "农房/宅基地", "动物防疫", "农资"]),
    ("15", "市场监管", "SJS", (5, WD), ["食品安全", "无证经营", "特种设备", "价格计量", "假冒伪劣"]),
    ("16", "企业服务", "JFB", (10, WD), ["要素保障", "政策兑现", "审批代办", "融资", "用工"]),
    ("17", "民生保障", "SHB", (5, WD), ["救助低保", "养老服务", "残疾人服务", "医保社保", "就业", "入学"]),
    ("18", "公共卫生", "SHB", (2, WD), ["传染病", "病媒生物", "公共场所卫生", "突发卫生事件"]),
    ("19", "文明创建", "WMB", (3, WD), ["督查点位问题", "不文明行为", "公益广告", "农贸市场/窗口单位"]),
    ("20", "村务与党建", "DZB", (10, WD), ["三资管理/村务公开", "村级工程", "作风问题", "问题清单线索"]),
    ("21", "涉稳与舆情", "PAB", (1, WD), ["群体性事件苗头", "非法集资", "网络舆情", "邪教"]),
    ("22", "突发及其他", "YJB", (4, WH), ["火灾", "事故", "公共安全事件", "其他"]),
]

# Sub-categories whose department or limit differs from their major category's.
SUB_OVERRIDES: dict[str, dict[str, object]] = {
    "0803": {"department": "ZFZ", "limit": (15, WD)},  # 违法建设
    "0804": {"department": "ZFZ", "limit": (15, WD)},  # 擅自改扩建
    "1201": {"limit": (4, WH)},  # 暴露垃圾
    "1204": {"limit": (4, WH)},  # 小广告
    "1503": {"limit": (3, WD)},  # 特种设备
    "1005": {"limit": (4, WH)},  # 避灾安置点
    "0203": {"department": "LDS", "limit": (15, CD)},
    "1705": {"department": "LDS"},  # 就业
    "2201": {"priority": Priority.URGENT, "limit": (2, WH)},  # 火灾
    "2202": {"priority": Priority.URGENT, "limit": (2, WH)},  # 事故
    "2104": {"priority": Priority.URGENT},
}

DISPATCH_LIMIT = (1, WH)


def _faster(limit: tuple[int, TimeUnit], divisor: int) -> tuple[int, TimeUnit]:
    value, unit = limit
    if unit == WD and value < divisor:
        return max(1, round(value * 7.5 / divisor)), WH  # 1 working day = 7.5 working hours
    return max(1, value // divisor), unit


@transaction.atomic
def install_default_taxonomy(*, town: Area) -> int:
    """Create the 22 major categories and their sub-categories for ``town`` (idempotent).

    Departments are matched by code among the town's departments; a missing one leaves the default
    department empty. Returns the number of sub-categories created.
    """
    departments = {d.code: d for d in Department.objects.filter(town=town)}
    created = 0
    for index, (code, name, dept_code, limit, subs) in enumerate(MAJOR_CATEGORIES):
        major = install_major_category(
            town=town, code=code, name=name, sort_order=index, default_department=departments.get(dept_code)
        )
        for sub_index, sub_name in enumerate(subs, start=1):
            sub_code = f"{code}{sub_index:02d}"
            override = SUB_OVERRIDES.get(sub_code, {})
            department: Department | None = departments.get(str(override.get("department", dept_code)))
            sub, was_created = sub_category_made(
                town=town,
                major=major,
                code=sub_code,
                name=sub_name,
                sort_order=sub_index,
                department=department,
                priority=str(override.get("priority", Priority.NORMAL)),
            )
            if not was_created:
                continue
            created += 1
            handle = override.get("limit", limit)
            assert isinstance(handle, tuple)
            rows = [
                TimeLimit(
                    category=sub, phase=Phase.DISPATCH, priority="", value=DISPATCH_LIMIT[0], unit=DISPATCH_LIMIT[1]
                ),
                TimeLimit(category=sub, phase=Phase.HANDLE, priority="", value=handle[0], unit=handle[1]),
            ]
            for priority, divisor in ((Priority.URGENT, 2), (Priority.MAJOR, 3)):
                value, unit = _faster(handle, divisor)
                rows.append(TimeLimit(category=sub, phase=Phase.HANDLE, priority=priority, value=value, unit=unit))
            TimeLimit.objects.bulk_create(rows)
    return created
