"""Who may see which figures: town-wide figures for the town's leaders, command room and admins;
a village's figures for its village staff (and village-level leaders). Everyone else sees none."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gridgov.data.cases.scope import is_global_admin, memberships_of
from gridgov.data.errors import OutOfScope
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, User

TOWN_WIDE_ROLES = (Role.LEADER, Role.OPERATOR, Role.ADMIN)


@dataclass
class Viewer:
    user: User
    towns: list[Area] = field(default_factory=list)  # towns whose figures the user sees in full
    villages: list[Area] = field(default_factory=list)  # villages whose figures the user sees

    @property
    def sees_anything(self) -> bool:
        return bool(self.towns or self.villages)

    def sees_town(self, town: Area) -> bool:
        return any(t.pk == town.pk for t in self.towns)

    def sees_area(self, area: Area) -> bool:
        """Town-wide viewers see every area of their towns; village viewers their village's subtree."""
        if any(area.town_id == t.pk for t in self.towns):
            return True
        return any(area.path.startswith(v.path) for v in self.villages)

    def default_town(self) -> Area:
        if self.towns:
            return self.towns[0]
        if self.villages:
            town_id = self.villages[0].town_id
            assert town_id is not None
            return Area.objects.get(pk=town_id)
        raise OutOfScope(_("您没有查看统计数据的权限"))

    def require_town(self, town: Area) -> None:
        if not self.sees_town(town):
            raise OutOfScope(_("只有本镇领导、指挥室和管理员可以查看全镇数据"))


def viewer_of(user: User) -> Viewer:
    viewer = Viewer(user=user)
    if not user.is_authenticated or not user.is_active:
        return viewer
    memberships = memberships_of(user)
    if is_global_admin(user, memberships):
        viewer.towns = list(Area.objects.filter(level=AreaLevel.TOWN).order_by("path"))
        return viewer
    town_ids: set[int] = set()
    county_paths: list[str] = []
    for m in memberships:
        if m.area is None:
            continue
        if m.role in TOWN_WIDE_ROLES and m.area.level == AreaLevel.TOWN:
            town_ids.add(m.area.pk)
        elif m.role in TOWN_WIDE_ROLES and m.area.level == AreaLevel.COUNTY:
            county_paths.append(m.area.path)
        elif m.role in (Role.VILLAGE_STAFF, Role.LEADER) and m.area.level == AreaLevel.VILLAGE:
            viewer.villages.append(m.area)
    if town_ids or county_paths:
        towns = Area.objects.filter(level=AreaLevel.TOWN).order_by("path")
        viewer.towns = [t for t in towns if t.pk in town_ids or any(t.path.startswith(p) for p in county_paths)]
    viewer.villages = [v for v in viewer.villages if not any(v.town_id == t.pk for t in viewer.towns)]
    return viewer
