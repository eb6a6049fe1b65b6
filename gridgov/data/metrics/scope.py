"""Scope: a town, optionally narrowed to one area, department, grid worker, category or channel."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from gridgov.data.cases.enums import Channel
from gridgov.data.errors import InvalidInput
from gridgov.data.metrics.models import Dim
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Department, User
from gridgov.data.taxonomy.models import Category


@dataclass(frozen=True, slots=True)
class Scope:
    """A town, optionally narrowed by exactly one of: an area subtree, a department, a grid worker (the cases
    they reported as grid worker), a category (major or sub) or a channel."""

    town: Area
    area: Area | None = None
    department: Department | None = None
    grid_worker: User | None = None
    category: Category | None = None
    channel: str | None = None

    def __post_init__(self) -> None:
        given = [
            name
            for name in ("area", "department", "grid_worker", "category", "channel")
            if getattr(self, name) not in (None, "")
        ]
        if len(given) > 1:
            raise InvalidInput(_("统计范围只能选择一项（区域、部门、网格员、分类或渠道）"), field=given[1])
        if self.town.level != AreaLevel.TOWN:
            raise InvalidInput(_("统计范围必须属于一个乡镇"), field="town")
        if self.area is not None and self.area.pk != self.town.pk and self.area.town_id != self.town.pk:
            raise InvalidInput(
                _("区域“%(name)s”不在%(town)s") % {"name": self.area.name, "town": self.town.name},
                field="area",
            )
        if self.department is not None and self.department.town_id != self.town.pk:
            raise InvalidInput(
                _("部门“%(name)s”不属于%(town)s") % {"name": self.department.name, "town": self.town.name},
                field="department",
            )
        if self.category is not None and self.category.town_id != self.town.pk:
            raise InvalidInput(
                _("分类“%(name)s”不属于%(town)s") % {"name": self.category.name, "town": self.town.name},
                field="category",
            )
        if self.channel not in (None, "") and self.channel not in Channel.values:
            raise InvalidInput(_("来源渠道“%(c)s”无效") % {"c": self.channel}, field="channel")

    @property
    def label(self) -> str:
        if self.area is not None and self.area.pk != self.town.pk:
            return self.area.name
        if self.department is not None:
            return self.department.name
        if self.grid_worker is not None:
            return _("网格员%(name)s") % {"name": self.grid_worker.full_name or self.grid_worker.username}
        if self.category is not None:
            return self.category.name
        if self.channel:
            return str(Channel(self.channel).label)
        return self.town.name

    def case_filter(self) -> Q:
        """The scope as a condition on cases (the town is applied separately)."""
        if self.area is not None and self.area.pk != self.town.pk:
            if self.area.level == AreaLevel.VILLAGE:
                return Q(village_id=self.area.pk)
            if self.area.level == AreaLevel.GRID:
                return Q(grid_id=self.area.pk)
            return Q(area_path__startswith=self.area.path)
        if self.department is not None:
            return Q(department_id=self.department.pk)
        if self.grid_worker is not None:
            return Q(reporter_id=self.grid_worker.pk, reporter_role=Role.GRID_WORKER)
        if self.category is not None:
            if self.category.parent_id is None:
                return Q(major_category_id=self.category.pk)
            return Q(category_id=self.category.pk)
        if self.channel:
            return Q(channel=self.channel)
        return Q()

    def rollup_key(self) -> tuple[Dim, str] | None:
        """The rollup dimension and member answering this scope; None when only a recount can."""
        if self.area is not None and self.area.pk != self.town.pk:
            if self.area.level == AreaLevel.VILLAGE:
                return Dim.VILLAGE, str(self.area.pk)
            if self.area.level == AreaLevel.GRID:
                return Dim.GRID, str(self.area.pk)
            return None
        if self.department is not None:
            return Dim.DEPARTMENT, str(self.department.pk)
        if self.grid_worker is not None:
            return Dim.GRID_WORKER, str(self.grid_worker.pk)
        if self.category is not None:
            if self.category.parent_id is None:
                return Dim.MAJOR_CATEGORY, str(self.category.pk)
            return Dim.CATEGORY, str(self.category.pk)
        if self.channel:
            return Dim.CHANNEL, str(self.channel)
        return Dim.TOWN, ""
