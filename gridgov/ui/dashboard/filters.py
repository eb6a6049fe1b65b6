"""The period and scope every figure page is asked for, read from the query string.

- period: ``period`` = day | week | month | quarter | year | custom, with ``date`` (any day inside the
  period; default today) or, for custom, ``start`` and ``end`` (both days included);
- scope: ``scope`` = "" (the whole town) | village:<id> | grid:<id> | department:<id> |
  grid_worker:<user id> | category:<id> | channel:<value>.

Village staff may only choose their village or its grids; bad input becomes a Chinese message shown next to
the filter, and the page falls back to a valid default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access.permissions import Viewer
from gridgov.data.cases.enums import Channel
from gridgov.data.errors import DomainError, InvalidInput
from gridgov.data.metrics.indicators import Period, Scope
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, Membership, User
from gridgov.data.taxonomy.models import Category
from gridgov.ui.params import id_param

# The period the dashboard, the indicators and the rankings open on: this year to date (the year of the clock's
# today, counted as of now — later days have no cases yet).
DEFAULT_PERIOD_KIND = "year"

PERIOD_KINDS = [
    ("day", gettext_lazy("日")),
    ("week", gettext_lazy("周")),
    ("month", gettext_lazy("月")),
    ("quarter", gettext_lazy("季度")),
    ("year", gettext_lazy("年")),
    ("custom", gettext_lazy("自定义")),
]


@dataclass
class Choice:
    value: str
    label: str


@dataclass
class ChoiceGroup:
    label: str
    choices: list[Choice]


@dataclass
class Filters:
    town: Area
    period: Period
    scope: Scope
    period_kind: str
    anchor: date
    scope_value: str
    as_of: datetime | None = None
    errors: dict[str, str] = field(default_factory=dict)
    scope_groups: list[ChoiceGroup] = field(default_factory=list)

    def pin_as_of(self, now: datetime) -> datetime:
        """The moment the figures are taken at: the one asked for, else ``now``, kept in the filters so that
        drill-down links ask for the same moment and their lists equal the figures."""
        if self.as_of is None:
            self.as_of = now
        return self.as_of

    def query(self, **extra: str) -> str:
        """The query string that asks for these same figures (for links and exports)."""
        params = self._period_params()
        if self.as_of is not None:
            params["as_of"] = self.as_of.isoformat()
        params.update(extra)
        return urlencode(params)

    def period_query(self) -> str:
        """The period and scope only (no ``as_of``): what another figure page opens on to show the same
        figures now."""
        return urlencode(self._period_params())

    def _period_params(self) -> dict[str, str]:
        params = {"town": str(self.town.pk), "period": self.period_kind, "scope": self.scope_value}
        if self.period_kind == "custom":
            params["start"] = self.period.start.isoformat()
            params["end"] = self.period.last.isoformat()
        else:
            params["date"] = self.anchor.isoformat()
        return params


def _period(kind: str, anchor: date) -> Period:
    if kind == "day":
        return Period.day(anchor)
    if kind == "week":
        return Period.week(anchor)
    if kind == "month":
        return Period.month(anchor.year, anchor.month)
    if kind == "quarter":
        return Period.quarter(anchor.year, (anchor.month - 1) // 3 + 1)
    return Period.year(anchor.year)


def read_period(
    params: QueryDict, errors: dict[str, str], *, default_kind: str = DEFAULT_PERIOD_KIND
) -> tuple[Period, str, date]:
    kind = params.get("period") or default_kind
    if kind not in {k for k, _label in PERIOD_KINDS}:
        errors["period"] = _("统计周期“%(kind)s”无效") % {"kind": kind}
        kind = default_kind
    today = timezone.localdate()
    anchor = today
    raw = params.get("date")
    if raw:
        parsed = _parse_day(raw)
        if parsed is None:
            errors["date"] = _("日期“%(raw)s”格式不正确，请按 2026-11-25 填写") % {"raw": raw}
        else:
            anchor = parsed
    if kind == "custom":
        start = _parse_day(params.get("start", ""))
        end = _parse_day(params.get("end", ""))
        if start is None or end is None:
            errors["start"] = _("自定义周期请填写开始和结束日期（如 2026-01-01）")
        else:
            try:
                return Period.custom(start, end), kind, start
            except InvalidInput as error:
                errors["end"] = error.message
        kind = default_kind
    return _period(kind, anchor), kind, anchor


def _parse_day(raw: str) -> date | None:
    """A day the figures can use: years 1900–2999 (a period around year 9999 would overflow)."""
    try:
        parsed = parse_date(raw.strip())
    except ValueError:
        return None
    if parsed is None or not 1900 <= parsed.year <= 2999:
        return None
    return parsed


def read_as_of(params: QueryDict, errors: dict[str, str]) -> datetime | None:
    raw = params.get("as_of")
    if not raw:
        return None
    try:
        parsed = parse_datetime(raw)
    except ValueError:
        parsed = None
    if parsed is None or timezone.is_naive(parsed):
        errors["as_of"] = _("数据截止时间格式不正确")
        return None
    return parsed


def scope_groups(*, town: Area, viewer: Viewer) -> list[ChoiceGroup]:
    """What the viewer may choose as scope: everything in the town for town-wide viewers; their village and
    its grids for village staff."""
    areas = list(
        Area.objects.filter(town=town, level__in=(AreaLevel.VILLAGE, AreaLevel.GRID))
        .order_by("path")
        .only("id", "name", "level", "path", "town_id")
    )
    if not viewer.sees_town(town):
        areas = [a for a in areas if viewer.sees_area(a)]
        return [
            ChoiceGroup(
                _("村/社区"), [Choice(f"village:{a.pk}", a.name) for a in areas if a.level == AreaLevel.VILLAGE]
            ),
            ChoiceGroup(_("网格"), [Choice(f"grid:{a.pk}", a.name) for a in areas if a.level == AreaLevel.GRID]),
        ]
    departments = Department.objects.filter(town=town, active=True).order_by("code").only("id", "name", "name_en")
    workers = (
        Membership.objects.filter(town=town, role=Role.GRID_WORKER, active=True)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    seen: set[int] = set()
    worker_choices = []
    for m in workers:
        if m.user_id not in seen:
            seen.add(m.user_id)
            worker_choices.append(Choice(f"grid_worker:{m.user_id}", m.user.full_name or m.user.username))
    categories = Category.objects.filter(town=town, parent__isnull=True).order_by("code").only("id", "name", "name_en")
    return [
        ChoiceGroup(_("全镇"), [Choice("", town.name)]),
        ChoiceGroup(_("村/社区"), [Choice(f"village:{a.pk}", a.name) for a in areas if a.level == AreaLevel.VILLAGE]),
        ChoiceGroup(_("网格"), [Choice(f"grid:{a.pk}", a.name) for a in areas if a.level == AreaLevel.GRID]),
        ChoiceGroup(_("处置部门"), [Choice(f"department:{d.pk}", d.local_name) for d in departments]),
        ChoiceGroup(_("网格员"), worker_choices),
        ChoiceGroup(_("事件大类"), [Choice(f"category:{c.pk}", c.local_name) for c in categories]),
        ChoiceGroup(_("来源渠道"), [Choice(f"channel:{value}", str(label)) for value, label in Channel.choices]),
    ]


def _scope(*, town: Area, viewer: Viewer, value: str) -> Scope:
    """The scope named by ``value``, refused (InvalidInput) when unknown or outside what the viewer sees."""
    if not value:
        if not viewer.sees_town(town):
            raise InvalidInput(_("您只能查看本村的数据"), field="scope")
        return Scope(town=town)
    kind, _sep, key = value.partition(":")
    refused = InvalidInput(_("统计范围“%(value)s”无效或不在您的权限范围内") % {"value": value}, field="scope")
    if kind in ("village", "grid"):
        level = AreaLevel.VILLAGE if kind == "village" else AreaLevel.GRID
        area = Area.objects.filter(pk=pk, town=town, level=level).first() if (pk := id_param(key)) else None
        if area is None or not viewer.sees_area(area):
            raise refused
        return Scope(town=town, area=area)
    if not viewer.sees_town(town):
        raise refused
    if kind == "department" and (pk := id_param(key)):
        department = Department.objects.filter(pk=pk, town=town).first()
        if department is not None:
            return Scope(town=town, department=department)
    elif kind == "grid_worker" and (pk := id_param(key)):
        worker = User.objects.filter(pk=pk, memberships__town=town, memberships__role=Role.GRID_WORKER).first()
        if worker is not None:
            return Scope(town=town, grid_worker=worker)
    elif kind == "category" and (pk := id_param(key)):
        category = Category.objects.filter(pk=pk, town=town).first()
        if category is not None:
            return Scope(town=town, category=category)
    elif kind == "channel" and key in Channel.values:
        return Scope(town=town, channel=key)
    raise refused


def default_scope_value(*, town: Area, viewer: Viewer) -> str:
    if viewer.sees_town(town):
        return ""
    village = next(v for v in viewer.villages if v.town_id == town.pk)
    return f"village:{village.pk}"


def read_filters(
    params: QueryDict, *, town: Area, viewer: Viewer, default_kind: str = "month", with_choices: bool = True
) -> Filters:
    errors: dict[str, str] = {}
    period, kind, anchor = read_period(params, errors, default_kind=default_kind)
    as_of = read_as_of(params, errors)
    value = params.get("scope", None)
    if value is None:
        value = default_scope_value(town=town, viewer=viewer)
    try:
        scope = _scope(town=town, viewer=viewer, value=value)
    except DomainError as error:
        errors["scope"] = error.message
        value = default_scope_value(town=town, viewer=viewer)
        scope = _scope(town=town, viewer=viewer, value=value)
    return Filters(
        town=town,
        period=period,
        scope=scope,
        period_kind=kind,
        anchor=anchor,
        scope_value=value,
        as_of=as_of,
        errors=errors,
        scope_groups=scope_groups(town=town, viewer=viewer) if with_choices else [],
    )
