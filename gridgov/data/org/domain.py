"""Domain functions of the organisation: building the area tree and granting roles."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput
from gridgov.data.org.english import DEPARTMENT_NAMES_EN, ECONOMIC_DEPARTMENT_CODES
from gridgov.data.org.enums import PARENT_LEVEL, AreaLevel, DepartmentKind, Role
from gridgov.data.org.models import Area, Department, Enterprise, Membership, User


def create_area(
    *,
    code: str,
    name: str,
    level: AreaLevel,
    parent: Area | None = None,
    case_prefix: str = "",
    boundary: dict[str, object] | None = None,
    sort_order: int = 0,
) -> Area:
    """Add a node to the area tree, checking its level against its parent's."""
    code = code.strip()
    if not code or not name.strip():
        raise InvalidInput(_("区域代码和名称不能为空"), field="code")
    check_area_placement(level=level, parent=parent)
    check_boundary(boundary)
    if Area.objects.filter(code=code).exists():
        raise InvalidInput(_("区域代码 %(code)s 已存在") % {"code": code}, field="code")
    path, town = area_placement(code=code, level=level, parent=parent)
    with transaction.atomic():
        area = Area.objects.create(
            code=code,
            name=name.strip(),
            level=level,
            parent=parent,
            town=town,
            path=path,
            case_prefix=case_prefix,
            boundary=boundary,
            sort_order=sort_order,
        )
        if level == AreaLevel.TOWN:
            area.town = area
            area.save(update_fields=["town"])
    return area


def check_area_placement(*, level: AreaLevel | str, parent: Area | None) -> None:
    """Refuse a node whose parent is not of the level just above it (a grid hangs under a village …)."""
    expected_parent = PARENT_LEVEL[level]
    if expected_parent is None and parent is not None:
        raise InvalidInput(_("县/区不能有上级区域"), field="parent")
    if expected_parent is not None and (parent is None or parent.level != expected_parent):
        raise InvalidInput(
            _("%(level)s的上级必须是%(parent)s")
            % {"level": AreaLevel(level).label, "parent": AreaLevel(expected_parent).label},
            field="parent",
        )


def area_placement(*, code: str, level: AreaLevel | str, parent: Area | None) -> tuple[str, Area | None]:
    """The materialised path and the town (tenant) of a new node; a town is its own town (set after insert)."""
    path = f"{parent.path if parent else ''}{code}/"
    town = None if level in (AreaLevel.COUNTY, AreaLevel.TOWN) or parent is None else parent.town
    return path, town


def check_boundary(boundary: object) -> None:
    """A boundary must be a GeoJSON Polygon or MultiPolygon with valid longitude/latitude rings."""
    if boundary in (None, {}):
        return
    from shapely.geometry import shape

    if not isinstance(boundary, dict) or boundary.get("type") not in ("Polygon", "MultiPolygon"):
        raise InvalidInput(_("边界必须是 GeoJSON 的 Polygon 或 MultiPolygon"), field="boundary")
    try:
        geometry = shape(boundary)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        raise InvalidInput(_("边界不是有效的 GeoJSON 多边形"), field="boundary") from None
    if geometry.is_empty or not geometry.is_valid:
        raise InvalidInput(_("边界多边形无效（自相交或为空）"), field="boundary")
    min_x, min_y, max_x, max_y = geometry.bounds
    if not (-180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90):
        raise InvalidInput(_("边界坐标超出经纬度范围（GeoJSON 顺序为 [经度, 纬度]）"), field="boundary")


def create_department(
    *,
    town: Area,
    code: str,
    name: str,
    kind: DepartmentKind,
    area: Area | None = None,
    name_en: str | None = None,
    economic: bool | None = None,
) -> Department:
    """A department of ``town``; its English name, and whether it is the town's economic department, default to
    those of the default department with its code."""
    if town.level != AreaLevel.TOWN:
        raise InvalidInput(_("部门必须隶属于乡镇"), field="town")
    if kind == DepartmentKind.VILLAGE_COMMITTEE and (area is None or area.level != AreaLevel.VILLAGE):
        raise InvalidInput(_("村（社区）委员会必须对应一个村"), field="area")
    if area is not None and area.town_id != town.pk:
        raise InvalidInput(_("对应区域不在该乡镇内"), field="area")
    english = DEPARTMENT_NAMES_EN.get(code, "") if name_en is None else name_en
    return Department.objects.create(
        town=town,
        code=code,
        name=name,
        name_en=english,
        kind=kind,
        area=area,
        economic=code in ECONOMIC_DEPARTMENT_CODES if economic is None else economic,
    )


_MIN_AREA_LEVEL: dict[str, set[str]] = {
    Role.GRID_WORKER: {AreaLevel.GRID, AreaLevel.MICROGRID, AreaLevel.VILLAGE},
    Role.VILLAGE_STAFF: {AreaLevel.VILLAGE},
    Role.OPERATOR: {AreaLevel.TOWN, AreaLevel.COUNTY},
    Role.LEADER: {AreaLevel.TOWN, AreaLevel.COUNTY, AreaLevel.VILLAGE},
    Role.ADMIN: {AreaLevel.TOWN, AreaLevel.COUNTY},
}


def grant_role(
    *,
    user: User,
    role: Role,
    area: Area | None = None,
    department: Department | None = None,
    enterprise: Enterprise | None = None,
) -> Membership:
    """Give a user a role within a scope. The scope must fit the role."""
    check_membership_scope(role=role, area=area, department=department)
    if enterprise is not None and role != Role.ENTERPRISE:
        raise InvalidInput(_("只有企业角色可以关联企业"), field="enterprise")
    if role == Role.VILLAGE_STAFF and department is None and area is not None:
        department = Department.objects.filter(area=area, kind=DepartmentKind.VILLAGE_COMMITTEE).first()
    town: Area | None
    if department is not None:
        town = department.town
    elif area is not None:
        town = area.town
    elif enterprise is not None:
        town = enterprise.town
    else:
        town = None
    membership, _created = Membership.objects.get_or_create(
        user=user, role=role, area=area, department=department, enterprise=enterprise, defaults={"town": town}
    )
    return membership


def check_membership_scope(*, role: Role | str, area: Area | None, department: Department | None) -> None:
    """Refuse a scope that does not fit the role (an operator of one village, a handler of no department …)."""
    if role in _MIN_AREA_LEVEL:
        if role == Role.ADMIN and area is None:
            pass  # deployment-wide administrator
        elif area is None or area.level not in _MIN_AREA_LEVEL[role]:
            allowed = _("、").join(str(AreaLevel(level).label) for level in sorted(_MIN_AREA_LEVEL[role]))
            raise InvalidInput(
                _("%(role)s的范围必须是：%(allowed)s") % {"role": Role(role).label, "allowed": allowed},
                field="area",
            )
    if role == Role.HANDLER and department is None:
        raise InvalidInput(_("处置人员必须属于一个部门"), field="department")


def ancestors_by_level(area: Area) -> dict[str, Area]:
    """The area and its ancestors keyed by level (one query, from the materialised path)."""
    codes = [code for code in area.path.split("/") if code]
    found = {a.level: a for a in Area.objects.filter(code__in=codes)}
    found[area.level] = area
    return found


def boundary_covers(area: Area, *, latitude: float, longitude: float) -> bool:
    """Whether ``area``'s boundary (GeoJSON) covers the point; False without a boundary or with a broken one."""
    if not area.boundary:
        return False
    from shapely.geometry import Point, shape

    try:  # GeoJSON order: x = longitude, y = latitude
        return bool(shape(area.boundary).covers(Point(longitude, latitude)))
    except (ValueError, TypeError, AttributeError, KeyError):
        return False


def town_has_boundaries(town: Area) -> bool:
    """Whether the town or any area in it has a boundary drawn (then a point must fall inside the town)."""
    return bool(town.boundary) or Area.objects.filter(town=town, boundary__isnull=False).exclude(pk=town.pk).exists()


class OutsideTown(InvalidInput):
    """A point outside the town, whose boundaries are drawn."""


def place_in_town(*, town: Area, latitude: float, longitude: float) -> Area | None:
    """The deepest area of ``town`` holding the point, or None (the town itself) when no drawn boundary holds it;
    OutsideTown (field ``latitude``) when the town's boundaries are drawn and the point lies outside the town."""
    area = locate_point(town=town, latitude=latitude, longitude=longitude)
    if area is None and town_has_boundaries(town) and not boundary_covers(town, latitude=latitude, longitude=longitude):
        raise OutsideTown(
            _("该位置不在%(town)s范围内，请重新定位或在地图上选点") % {"town": town.name}, field="latitude"
        )
    return area


def locate_point(*, town: Area, latitude: float, longitude: float) -> Area | None:
    """The deepest area of ``town`` whose boundary contains the point (None if no boundary does)."""
    best: Area | None = None
    depth: dict[str, int] = {AreaLevel.VILLAGE: 1, AreaLevel.GRID: 2, AreaLevel.MICROGRID: 3}
    for area in Area.objects.filter(town=town, boundary__isnull=False).exclude(level=AreaLevel.TOWN):
        deeper = best is None or depth.get(area.level, 0) > depth.get(best.level, 0)
        if deeper and boundary_covers(area, latitude=latitude, longitude=longitude):
            best = area
    return best
