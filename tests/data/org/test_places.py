"""A town's villages by the names people write: one lookup for every import, one refusal naming the villages."""

from __future__ import annotations

import pytest

from gridgov.data.errors import InvalidInput
from gridgov.data.org.domain import create_area
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.places import village_named
from tests.factories import TownWorld


@pytest.mark.parametrize("typed", ["双合村", "双合", " 双 合 村", "330921102201", "３３０９２１１０２２０１"])
def test_a_village_is_found_by_its_name_short_name_or_code(world: TownWorld, typed: str) -> None:
    assert village_named(typed, town=world.town) == world.village_a


def test_a_village_the_town_does_not_have_is_refused_with_the_towns_villages(world: TownWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        village_named("双河村", town=world.town)
    assert (error.value.message, error.value.field) == ("村社“双河村”不存在，本镇的村社有：双合村、火箭村", "village")


def test_the_same_answer_from_villages_loaded_once(world: TownWorld, django_assert_num_queries) -> None:
    loaded = [world.village_b, world.village_a]
    with django_assert_num_queries(0), pytest.raises(InvalidInput) as error:
        village_named("双河", town=world.town, villages=loaded, field="所在村")
    assert (error.value.message, error.value.field) == ("村社“双河”不存在，本镇的村社有：双合村、火箭村", "所在村")


def test_two_villages_of_one_short_name_ask_for_the_code(world: TownWorld) -> None:
    create_area(code="330921102203", name="双合社区", level=AreaLevel.VILLAGE, parent=world.town)
    with pytest.raises(InvalidInput) as error:
        village_named("双合", town=world.town)
    assert error.value.message == "村社“双合”不唯一（双合村 330921102201、双合社区 330921102203），请填写区划代码"
    assert village_named("双合社区", town=world.town).code == "330921102203"


def test_a_town_without_villages_says_so(world: TownWorld) -> None:
    town = create_area(code="330921103", name="秀山乡", level=AreaLevel.TOWN, parent=world.county)
    with pytest.raises(InvalidInput) as error:
        village_named("双合村", town=town)
    assert error.value.message == "村社“双合村”不存在，本镇尚未设立村社"
