"""The header menu, in one place: each entry names the page and the permission it needs.

The permission functions here are those the pages themselves check (``may_triage`` in the triage queue,
``may_use_civic_ledgers`` in the inspections/problem lists/disputes pages…), so a user sees a link exactly
when the page answers for them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gridgov.data.access.permissions import (
    Viewer,
    may_import,
    may_record_years,
    may_see_assistance,
    may_see_collective,
    may_see_investment,
    may_see_people,
    may_see_projects,
    memberships_of,
    own_enterprise_ids,
    staff_town_ids,
    viewer_of,
)
from gridgov.data.org.enums import Role
from gridgov.data.org.models import User


def roles_of(user: User) -> set[Role]:
    """The user's roles (a superuser or a global admin counts as ADMIN); memberships loaded once."""
    if not user.is_authenticated or not user.is_active:
        return set()
    roles = {Role(m.role) for m in memberships_of(user)}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


def may_triage(user: User) -> bool:
    """The command room's queue (受理派遣): operators and admins."""
    return bool(roles_of(user) & {Role.OPERATOR, Role.ADMIN})


def may_use_inbox(user: User) -> bool:
    """A department's queue (部门待办): handlers, village staff and admins."""
    return bool(roles_of(user) & {Role.HANDLER, Role.VILLAGE_STAFF, Role.ADMIN})


def may_use_phone(user: User) -> bool:
    """The grid worker's phone pages (手机端)."""
    return bool(roles_of(user) & {Role.GRID_WORKER, Role.VILLAGE_STAFF})


def may_use_civic_ledgers(user: User) -> bool:
    """Inspections, problem lists and disputes (督查, 问题清单, 信访纠纷): the town's own staff only."""
    return bool(staff_town_ids(user))


def may_use_assistance(user: User) -> bool:
    """Social assistance (救助帮扶): the town's own staff who see assistance records (``may_see_assistance``)."""
    return may_use_civic_ledgers(user) and may_see_assistance(user)


def may_use_investment(user: User) -> bool:
    """Investment attraction (招商引资): the town's command room, leaders, admins and 经济发展办
    (``may_see_investment``)."""
    return may_see_investment(user)


def may_use_projects(user: User) -> bool:
    """Key projects (重点项目): the town's own staff who see projects (``may_see_projects``)."""
    return may_use_civic_ledgers(user) and may_see_projects(user)


def may_use_collective(user: User) -> bool:
    """The village collective economy (村级集体经济): the town's own staff who see villages' incomes."""
    return may_use_civic_ledgers(user) and may_see_collective(user)


def may_use_enterprise_ledgers(user: User) -> bool:
    """Hazard books and enterprise services: an enterprise's own users and the town's staff."""
    return bool(own_enterprise_ids(user) or staff_town_ids(user))


def is_enterprise_user(user: User) -> bool:
    """An enterprise's own user who is not also town staff (their home is the enterprise phone page)."""
    return bool(own_enterprise_ids(user)) and not staff_town_ids(user)


def _viewer(user: User) -> Viewer:
    """viewer_of(user), worked out once per user object (the header asks twice)."""
    cached: Viewer | None = getattr(user, "_gridgov_viewer", None)
    if cached is None:
        cached = viewer_of(user)
        user._gridgov_viewer = cached  # type: ignore[attr-defined]  # a per-request cache on the user object, read back with getattr above
    return cached


def may_see_figures(user: User) -> bool:
    """The dashboard and indicators (the check of gridgov.ui.dashboard.common.viewer_for)."""
    return _viewer(user).sees_anything


def may_see_town_figures(user: User) -> bool:
    """Rankings, bulletins, the year in review, the economy (town_wide): the town's leaders, command room."""
    return bool(_viewer(user).towns)


def may_use_api(user: User) -> bool:
    """Personal API tokens: town staff (enterprise users and residents have no use for them)."""
    return may_use_civic_ledgers(user)


def anyone(user: User) -> bool:
    return user.is_authenticated


@dataclass(frozen=True)
class Entry:
    key: str
    url_name: str
    label: str | Promise
    allowed: Callable[[User], bool]
    group: str = "work"  # work | figures | ledgers | tools


ENTRIES: tuple[Entry, ...] = (
    Entry("triage", "web:triage", _("受理派遣"), may_triage),
    Entry("inbox", "web:inbox", _("本单位待办"), may_use_inbox),
    Entry("cases", "web:cases", _("全部事件"), anyone),
    Entry("phone", "phone:home", _("手机端"), may_use_phone),
    Entry("enterprise_phone", "ledgers:enterprise_home", _("手机端"), is_enterprise_user),
    Entry("board", "dashboard:board", _("驾驶舱"), may_see_figures, "figures"),
    Entry("indicators", "dashboard:indicators", _("考核指标"), may_see_figures, "figures"),
    Entry("rankings", "dashboard:rankings", _("擂台赛"), may_see_town_figures, "figures"),
    Entry("bulletins", "dashboard:bulletins", _("通报"), may_see_town_figures, "figures"),
    Entry("year", "dashboard:year", _("年度总结"), may_see_town_figures, "figures"),
    Entry("economy", "dashboard:economy", _("经济社会指标"), may_see_town_figures, "figures"),
    Entry("ledgers", "ledgers:index", _("台账"), may_use_enterprise_ledgers, "ledgers"),
    Entry("hazards", "ledgers:hazards", _("隐患台账"), may_use_enterprise_ledgers, "ledgers"),
    Entry("services", "ledgers:services", _("企业服务"), may_use_enterprise_ledgers, "ledgers"),
    Entry("rounds", "ledgers:rounds", _("督查"), may_use_civic_ledgers, "ledgers"),
    Entry("problem_lists", "ledgers:problem_lists", _("问题清单"), may_use_civic_ledgers, "ledgers"),
    Entry("disputes", "ledgers:disputes", _("信访纠纷"), may_use_civic_ledgers, "ledgers"),
    Entry("rentals", "ledgers:rectifications", _("群租房整改"), may_use_civic_ledgers, "ledgers"),
    Entry("residents", "ledgers:residents", _("实有人口"), may_see_people, "ledgers"),
    Entry("assistance", "ledgers:assistance_payments", _("救助帮扶"), may_use_assistance, "ledgers"),
    Entry("enterprise_years", "ledgers:enterprise_years", _("企业年度数据"), may_record_years, "ledgers"),
    Entry("investment", "ledgers:investment_leads", _("招商引资"), may_use_investment, "ledgers"),
    Entry("projects", "ledgers:projects", _("重点项目"), may_use_projects, "ledgers"),
    Entry("collective", "ledgers:collective", _("村级集体经济"), may_use_collective, "ledgers"),
    Entry("imports", "imports:index", _("导入"), may_import, "tools"),
    Entry("api", "api:tokens", _("API 令牌"), may_use_api, "tools"),
)


_BY_KEY = {entry.key: entry for entry in ENTRIES}


def allows(user: User, key: str) -> bool:
    """Whether the menu entry ``key`` is offered to ``user``: the one answer for the header and for the links
    pages show to each other (the ledgers' navigation)."""
    return isinstance(user, User) and _BY_KEY[key].allowed(user)


@dataclass(frozen=True)
class Link:
    key: str
    url: str
    label: str
    group: str
    current: bool


def menu_for(user: User, *, path: str = "") -> list[Link]:
    """The entries ``user`` may use, with their URLs (entries whose app is not installed are left out)."""
    links: list[Link] = []
    answers: dict[Callable[[User], bool], bool] = {}  # each permission asked once per page
    for entry in ENTRIES:
        if entry.allowed not in answers:
            answers[entry.allowed] = entry.allowed(user)
        if not answers[entry.allowed]:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = path == url or (url not in ("/", "/ledgers/", "/dashboard/") and path.startswith(url))
        links.append(Link(entry.key, url, str(entry.label), entry.group, current))
    return links


GROUP_LABELS: dict[str, str | Promise] = {"figures": _("统计分析"), "ledgers": _("台账"), "tools": _("工具")}


@dataclass(frozen=True)
class Item:
    """A top-level header item: one link, or a drop-down of a group's links."""

    label: str
    links: list[Link]
    current: bool

    @property
    def single(self) -> Link | None:
        return self.links[0] if len(self.links) == 1 else None


def header_items(user: User, *, path: str = "") -> list[Item]:
    """The menu as the header shows it: the daily work as links, the other groups as drop-downs."""
    items: list[Item] = []
    groups: dict[str, list[Link]] = {}
    for link in menu_for(user, path=path):
        if link.group == "work":
            items.append(Item(link.label, [link], link.current))
        else:
            groups.setdefault(link.group, []).append(link)
    for group, links in groups.items():
        items.append(Item(str(GROUP_LABELS[group]), links, any(link.current for link in links)))
    return items
