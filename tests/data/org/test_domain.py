"""Building the area tree and granting roles: shapes and scopes that do not fit are refused."""

from __future__ import annotations

import pytest

from gridgov.data.errors import InvalidInput
from gridgov.data.org.domain import ancestors_by_level, create_area, grant_role
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import User
from tests.factories import TownWorld


def test_paths_and_tenant_key(world: TownWorld) -> None:
    assert world.town.path == "330921/330921102/"
    assert world.grid_a.path == "330921/330921102/330921102201/33092110220101/"
    assert (world.town.town_id, world.grid_a.town_id, world.county.town_id) == (world.town.pk, world.town.pk, None)
    micro = create_area(code="3309211022010101", name="微网格1", level=AreaLevel.MICROGRID, parent=world.grid_a)
    levels = ancestors_by_level(micro)
    assert {level: area.name for level, area in levels.items()} == {
        "county": "岱山县",
        "town": "岱西镇",
        "village": "双合村",
        "grid": "双合村第1网格",
        "microgrid": "微网格1",
    }


def test_a_grid_must_hang_under_a_village(world: TownWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        create_area(code="999", name="错位网格", level=AreaLevel.GRID, parent=world.town)
    assert error.value.message == "网格的上级必须是村/社区"


def test_duplicate_area_code_is_refused(world: TownWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        create_area(code="330921102201", name="重复", level=AreaLevel.VILLAGE, parent=world.town)
    assert error.value.message == "区域代码 330921102201 已存在"


def test_roles_need_a_fitting_scope(world: TownWorld) -> None:
    user = User.objects.create_user(username="new", password="x-x-x-x-1")
    with pytest.raises(InvalidInput) as error:
        grant_role(user=user, role=Role.OPERATOR, area=world.village_a)
    assert error.value.message == "受理员/派遣员的范围必须是：县/区、乡镇/街道"
    with pytest.raises(InvalidInput) as error:
        grant_role(user=user, role=Role.HANDLER)
    assert error.value.message == "处置人员必须属于一个部门"
    membership = grant_role(user=user, role=Role.VILLAGE_STAFF, area=world.village_a)
    assert membership.department == world.committee_a  # village staff handle their committee's cases
    assert grant_role(user=user, role=Role.VILLAGE_STAFF, area=world.village_a) == membership  # idempotent


def test_install_taxonomy_command_is_idempotent(world: TownWorld, capsys) -> None:
    from django.core.management import CommandError, call_command

    call_command("install_taxonomy", world.town.code)
    assert capsys.readouterr().out.strip() == "岱西镇：新增 0 个小类"  # the world already has it
    with pytest.raises(CommandError) as error:
        call_command("install_taxonomy", "000")
    assert str(error.value) == "没有区划代码为 000 的乡镇"
