"""Reading one row of an old platform's export into a ``HistoricalCase``.

``RowReader`` loads the town's categories, areas and departments once and then turns each row (a dict of
cell values keyed by column key) into a checked record, or raises ``InvalidInput`` whose ``field`` is the
column at fault and whose message says why, in Chinese.

Categories are found by sub-category code, then by exact name (“暴露垃圾” or “市容环卫/暴露垃圾”), then by a
close match (rapidfuzz) — only when exactly one sub-category is close enough; otherwise the row is refused
and the message names the candidates.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz

from gridgov.data.cases.domain.history import HistoricalCase, check_historical_case
from gridgov.data.cases.enums import Channel, Satisfaction, Status
from gridgov.data.errors import InvalidInput
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Department
from gridgov.data.org.places import village_named
from gridgov.data.sheets.importer import Column, choices_help
from gridgov.data.taxonomy.enums import Priority
from gridgov.data.taxonomy.models import Category
from gridgov.types import CellValue, FromDjango, Keywords, SheetRow

FUZZY_CUTOFF = 80.0
# The statuses an old platform's case is imported in: every one but suspended (缓办).
HISTORY_STATUSES = tuple(s for s in Status if s != Status.SUSPENDED)


COLUMNS: tuple[Column, ...] = (
    Column("number", gettext_lazy("事件编号"), True, ("案卷编号", "编号", "工单号", "事件号"), "SJ2022-000123"),
    Column(
        "category",
        gettext_lazy("事件分类"),
        True,
        ("分类", "事件类型", "小类", "分类编码", "事件小类"),
        "1201",
        gettext_lazy("小类编码或名称，如 1201、暴露垃圾、市容环卫/暴露垃圾"),
    ),
    Column("village", gettext_lazy("所属村（社区）"), False, ("村社区", "村/社区", "所属村", "村", "社区"), "双合村"),
    Column("grid", gettext_lazy("所属网格"), False, ("网格", "网格名称", "网格编码"), "双合村第1网格"),
    Column(
        "channel",
        gettext_lazy("来源渠道"),
        True,
        ("来源", "渠道", "事件来源"),
        "网格员上报",
        gettext_lazy("网格员上报、群众上报、12345热线、企业上报、督查巡查、信访、上级交办、其他"),
    ),
    Column("description", gettext_lazy("事件描述"), True, ("描述", "问题描述", "内容", "事件内容"), "路边垃圾桶满溢"),
    Column("address", gettext_lazy("地址"), False, ("事发地址", "详细地址", "事发地点"), "双合村12号附近"),
    Column("reported_at", gettext_lazy("上报时间"), True, ("报告时间", "发现时间", "登记时间"), "2022-03-07 09:00"),
    Column("registered_at", gettext_lazy("立案时间"), False, ("受理时间",), "2022-03-07 09:30"),
    Column("dispatched_at", gettext_lazy("派遣时间"), False, ("派单时间", "交办时间"), "2022-03-07 10:00"),
    Column(
        "resolved_at", gettext_lazy("处置完成时间"), False, ("处置时间", "反馈时间", "处置反馈时间"), "2022-03-07 15:00"
    ),
    Column("closed_at", gettext_lazy("结案时间"), False, ("办结时间", "关闭时间", "归档时间"), "2022-03-08 10:00"),
    Column("deadline", gettext_lazy("处置期限"), False, ("期限", "截止时间", "办理时限"), "2022-03-08 17:30"),
    Column("rework_count", gettext_lazy("返工次数"), False, ("返工",), "0"),
    Column("satisfaction", gettext_lazy("满意度"), False, ("回访满意度", "评价", "回访评价"), "满意"),
    Column(
        "status",
        gettext_lazy("状态"),
        True,
        ("事件状态", "办理状态", "当前状态"),
        "已结案",
        choices_help(HISTORY_STATUSES),
    ),
    Column("department", gettext_lazy("处置部门"), False, ("承办部门", "责任部门", "处置单位"), "综合行政执法中队"),
    Column("priority", gettext_lazy("紧急程度"), False, ("优先级", "紧急度"), "一般"),
)

CHANNELS: dict[str, Channel] = {
    **{str(c.label): c for c in Channel},
    **{c.value: c for c in Channel},
    "网格员": Channel.GRID_WORKER,
    "网格上报": Channel.GRID_WORKER,
    "网格采集": Channel.GRID_WORKER,
    "群众": Channel.RESIDENT,
    "居民": Channel.RESIDENT,
    "群众来电": Channel.RESIDENT,
    "12345": Channel.HOTLINE,
    "热线": Channel.HOTLINE,
    "12345热线": Channel.HOTLINE,
    "企业": Channel.ENTERPRISE,
    "督查": Channel.INSPECTION,
    "巡查": Channel.INSPECTION,
    "信访件": Channel.PETITION,
    "上级": Channel.SUPERIOR,
    "上级交办件": Channel.SUPERIOR,
}
STATUSES: dict[str, Status] = {
    **{str(s.label): s for s in Status},
    **{s.value: s for s in Status},
    "待立案": Status.REPORTED,
    "已受理": Status.REGISTERED,
    "待派遣": Status.REGISTERED,
    "已派单": Status.DISPATCHED,
    "待签收": Status.DISPATCHED,
    "办理中": Status.HANDLING,
    "处理中": Status.HANDLING,
    "待结案": Status.RESOLVED,
    "已处置": Status.RESOLVED,
    "结案": Status.CLOSED,
    "已办结": Status.CLOSED,
    "办结": Status.CLOSED,
    "已关闭": Status.CLOSED,
    "不予受理": Status.REJECTED,
    "作废": Status.REJECTED,
}
SATISFACTIONS: dict[str, Satisfaction] = {
    **{str(s.label): s for s in Satisfaction},
    **{s.value: s for s in Satisfaction},
    "非常满意": Satisfaction.SATISFIED,
    "比较满意": Satisfaction.BASICALLY,
}
NO_RATING = frozenset({"", "未评价", "未回访", "无"})
PRIORITIES: dict[str, Priority] = {**{str(p.label): p for p in Priority}, **{p.value: p for p in Priority}}

_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日%H时%M分",
)
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACES.sub("", text).replace("／", "/").replace("（", "(").replace("）", ")")


def cell_text(value: CellValue) -> str:
    """A cell as text: Excel numbers that are codes (1201, 330921102201.0) without a decimal part."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | Decimal) and value == int(value):
        return str(int(value))
    return str(value).strip()


def _label(column: str) -> str:
    return str(next(c.header for c in COLUMNS if c.key == column))


def parse_moment(value: CellValue, *, column: str, end_of_day: bool = False) -> datetime | None:
    """A cell as an aware datetime in the local time zone; a bare date means its start (or end, for deadlines)."""
    if value is None or value == "":
        return None
    moment: datetime | None = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(23, 59, 59) if end_of_day else time(0, 0))
    else:
        text = " ".join(str(value).split())
        for fmt in _DATETIME_FORMATS:
            try:
                moment = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            for fmt in _DATE_FORMATS:
                try:
                    day = datetime.strptime(text, fmt).date()
                except ValueError:
                    continue
                moment = datetime.combine(day, time(23, 59, 59) if end_of_day else time(0, 0))
                break
    if moment is None:
        raise InvalidInput(
            _("%(column)s“%(value)s”不是有效的时间，请写成 2022-03-07 09:30")
            % {"column": _label(column), "value": value},
            field=column,
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


class RowReader:
    """Turns rows of an old platform's export into checked ``HistoricalCase`` records for one town."""

    def __init__(self, *, town: Area, now: datetime | None = None) -> None:
        self.town = town
        self.now = now or timezone.now()
        subs = list(
            Category.objects.filter(town=town, parent__isnull=False, active=True, ledger_only=False).select_related(
                "parent", "default_department"
            )
        )
        self.by_code = {c.code: c for c in subs}
        self.majors = {
            _norm(x): m for m in Category.objects.filter(town=town, parent__isnull=True) for x in (m.code, m.name)
        }
        self.by_label: dict[str, list[Category]] = {}
        for c in subs:
            assert c.parent is not None
            for label in {c.name, f"{c.parent.name}/{c.name}", f"{c.parent.name}{c.name}"}:
                self.by_label.setdefault(_norm(label), []).append(c)
        areas = list(Area.objects.filter(town=town, level__in=[AreaLevel.VILLAGE, AreaLevel.GRID]))
        self.villages = [area for area in areas if area.level == AreaLevel.VILLAGE]
        self.grids: dict[str, list[Area]] = {}
        for area in areas:
            if area.level != AreaLevel.VILLAGE:
                for key in {area.code, _norm(area.name)}:
                    self.grids.setdefault(key, []).append(area)
        self.village_names = {a.pk: a.name for a in areas if a.level == AreaLevel.VILLAGE}
        self.departments: dict[str, Department] = {}
        for d in Department.objects.filter(town=town, active=True):
            self.departments[d.code] = self.departments[_norm(d.name)] = d

    # -- cells -------------------------------------------------------------------------------------

    def category(self, value: CellValue) -> Category:
        text = cell_text(value)
        if not text:
            raise InvalidInput(_("请填写事件分类（小类编码或名称）"), field="category")
        code = text.zfill(4) if text.isdigit() and len(text) == 3 else text
        if code in self.by_code:
            return self.by_code[code]
        key = _norm(text)
        if key in self.majors and key not in self.by_label:
            raise InvalidInput(
                _("“%(value)s”是大类，请填写小类的编码或名称") % {"value": text},
                field="category",
            )
        exact = self.by_label.get(key, [])
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise self._ambiguous(text, exact)
        scores: dict[int, tuple[float, Category]] = {}
        for label, categories in self.by_label.items():
            score = fuzz.ratio(key, label)
            if score >= FUZZY_CUTOFF:
                for c in categories:
                    if score > scores.get(c.pk, (0.0, c))[0]:
                        scores[c.pk] = (score, c)
        if len(scores) == 1:
            return next(iter(scores.values()))[1]
        if len(scores) > 1:
            raise self._ambiguous(text, [c for _s, c in sorted(scores.values(), key=lambda p: -p[0])])
        raise InvalidInput(
            _("事件分类“%(value)s”不存在：请填写本镇的小类编码或名称") % {"value": text}, field="category"
        )

    def _ambiguous(self, text: str, candidates: list[Category]) -> InvalidInput:
        names = "、".join(f"{c.code} {c}" for c in candidates[:5])
        return InvalidInput(
            _("事件分类“%(value)s”不能唯一确定（可能是：%(names)s），请填写小类编码") % {"value": text, "names": names},
            field="category",
        )

    def area(self, village_value: CellValue, grid_value: CellValue) -> Area:
        village_text, grid_text = cell_text(village_value), cell_text(grid_value)
        village: Area | None = None
        if village_text:
            village = village_named(village_text, town=self.town, villages=self.villages)
        if not grid_text:
            if village is None:
                raise InvalidInput(_("请填写所属村（社区）或网格"), field="village")
            return village
        grids = self.grids.get(grid_text) or self.grids.get(_norm(grid_text), [])
        if village is not None:
            within = [g for g in grids if g.parent_id == village.pk]
            if not within:  # "第1网格" written within its village
                within = self.grids.get(_norm(village.name + grid_text), [])
            if not within and grids:
                raise InvalidInput(
                    _("网格“%(grid)s”不属于%(village)s") % {"grid": grid_text, "village": village.name}, field="grid"
                )
            grids = within
        if len(grids) == 1:
            return grids[0]
        if len(grids) > 1:
            raise InvalidInput(
                _("网格“%(value)s”有重名，请同时填写所属村（社区）") % {"value": grid_text}, field="grid"
            )
        raise InvalidInput(_("网格“%(value)s”不在本镇") % {"value": grid_text}, field="grid")

    def choice(self, value: CellValue, *, column: str, choices: Keywords, allowed: str) -> FromDjango:
        text = cell_text(value)
        found = choices.get(text) or choices.get(_norm(text))
        if found is None:
            if not text:
                raise InvalidInput(_("请填写%(column)s") % {"column": _label(column)}, field=column)
            raise InvalidInput(
                _("%(column)s“%(value)s”无法识别，可填：%(allowed)s")
                % {"column": _label(column), "value": text, "allowed": allowed},
                field=column,
            )
        return found

    def rework(self, value: CellValue) -> int:
        text = cell_text(value).removesuffix("次")
        if not text:
            return 0
        try:
            count = int(text)
        except ValueError:
            raise InvalidInput(_("返工次数“%(value)s”不是整数") % {"value": value}, field="rework_count") from None
        if count < 0:
            raise InvalidInput(_("返工次数不能为负数"), field="rework_count")
        return count

    def department(self, value: CellValue) -> Department | None:
        text = cell_text(value)
        if not text:
            return None
        found = self.departments.get(text) or self.departments.get(_norm(text))
        if found is None:
            raise InvalidInput(_("处置部门“%(value)s”不是本镇启用的部门") % {"value": text}, field="department")
        return found

    # -- a row -------------------------------------------------------------------------------------

    def read(self, row: SheetRow) -> HistoricalCase:
        """The row as a checked record, or InvalidInput naming the first bad column."""
        satisfaction_text = cell_text(row.get("satisfaction"))
        priority_text = cell_text(row.get("priority"))
        record = HistoricalCase(
            number=cell_text(row.get("number")),
            category=self.category(row.get("category")),
            area=self.area(row.get("village"), row.get("grid")),
            channel=self.choice(
                row.get("channel"),
                column="channel",
                choices=CHANNELS,
                allowed="、".join(str(c.label) for c in Channel),
            ),
            description=cell_text(row.get("description")),
            address=cell_text(row.get("address")),
            status=self.choice(
                row.get("status"),
                column="status",
                choices=STATUSES,
                allowed="、".join(str(s.label) for s in HISTORY_STATUSES),
            ),
            reported_at=parse_moment(row.get("reported_at"), column="reported_at") or _missing("reported_at"),
            registered_at=parse_moment(row.get("registered_at"), column="registered_at"),
            dispatched_at=parse_moment(row.get("dispatched_at"), column="dispatched_at"),
            resolved_at=parse_moment(row.get("resolved_at"), column="resolved_at"),
            closed_at=parse_moment(row.get("closed_at"), column="closed_at"),
            deadline=parse_moment(row.get("deadline"), column="deadline", end_of_day=True),
            rework_count=self.rework(row.get("rework_count")),
            satisfaction=None
            if satisfaction_text in NO_RATING
            else self.choice(
                satisfaction_text,
                column="satisfaction",
                choices=SATISFACTIONS,
                allowed="、".join(str(s.label) for s in Satisfaction),
            ),
            department=self.department(row.get("department")),
            priority=None
            if not priority_text
            else self.choice(
                priority_text,
                column="priority",
                choices=PRIORITIES,
                allowed="、".join(str(p.label) for p in Priority),
            ),
        )
        check_historical_case(record, town=self.town, now=self.now)
        return record


def _missing(column: str) -> datetime:
    raise InvalidInput(_("请填写%(column)s") % {"column": _label(column)}, field=column)


def is_blank(row: SheetRow) -> bool:
    return all(cell_text(v) == "" for v in row.values())
