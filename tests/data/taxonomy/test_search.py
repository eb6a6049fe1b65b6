"""Category search by Chinese text, full pinyin and pinyin initials, per town, cached."""

from __future__ import annotations

import pytest

from gridgov.data.org.domain import create_area
from gridgov.data.org.enums import AreaLevel
from gridgov.data.taxonomy.defaults import install_default_taxonomy
from gridgov.data.taxonomy.models import Category
from gridgov.data.taxonomy.search import majors, search_categories, town_index
from tests.factories import TownWorld


def labels(world: TownWorld, query: str, **kwargs: object) -> list[str]:
    return [e.label for e in search_categories(town=world.town, query=query, **kwargs)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("暴露垃圾", "市容环卫 / 暴露垃圾"),
        ("暴露", "市容环卫 / 暴露垃圾"),
        ("baolulaji", "市容环卫 / 暴露垃圾"),
        ("BaoLu", "市容环卫 / 暴露垃圾"),
        ("bllj", "市容环卫 / 暴露垃圾"),
        ("baolulj", "市容环卫 / 暴露垃圾"),
        ("ldlf", "市容环卫 / 乱堆乱放"),
        ("luandui", "市容环卫 / 乱堆乱放"),
        ("tdds", "消防安全 / 通道堵塞"),
        ("qx", "劳资纠纷 / 欠薪"),
        ("井盖", "公共设施 / 井盖"),
        ("lu deng", "公共设施 / 路灯"),
    ],
)
def test_finds_by_text_full_pinyin_and_initials(world: TownWorld, query: str, first: str) -> None:
    assert labels(world, query)[0] == first


def test_a_major_name_finds_its_sub_categories_after_direct_hits(world: TownWorld) -> None:
    assert labels(world, "xfaq") == [
        "消防安全 / 通道堵塞",
        "消防安全 / 电动车停放充电",
        "消防安全 / 三合一场所",
        "消防安全 / 消防设施缺损",
        "消防安全 / 群租房",
    ]


def test_keywords_are_searched(world: TownWorld) -> None:
    Category.objects.filter(pk=world.category.pk).update(keywords="垃圾桶 满溢")
    assert labels(world, "manyi") == ["市容环卫 / 暴露垃圾"]
    assert labels(world, "满溢") == ["市容环卫 / 暴露垃圾"]


def test_no_match_and_empty_query(world: TownWorld) -> None:
    assert labels(world, "zzzzqqq") == []
    assert labels(world, "") == []
    assert labels(world, "   ") == []


def test_a_major_chip_lists_its_sub_categories(world: TownWorld) -> None:
    major = Category.objects.get(town=world.town, code="12")
    assert labels(world, "", major_id=major.pk) == [
        "市容环卫 / 暴露垃圾",
        "市容环卫 / 乱堆乱放",
        "市容环卫 / 占道经营",
        "市容环卫 / 小广告",
        "市容环卫 / 垃圾分类",
    ]
    # A name that starts with the query ranks above one that contains it.
    assert labels(world, "lj", major_id=major.pk) == ["市容环卫 / 垃圾分类", "市容环卫 / 暴露垃圾"]
    found = labels(world, "laji")
    assert (found[0], "市容环卫 / 暴露垃圾" in found, "生态环境 / 滩涂海漂垃圾" in found) == (
        "市容环卫 / 垃圾分类",
        True,
        True,
    )


def test_majors_are_the_22_quick_chips(world: TownWorld) -> None:
    chips = majors(town=world.town)
    assert (len(chips), chips[0].name, chips[-1].name) == (22, "矛盾纠纷", "突发及其他")


def test_inactive_categories_are_not_offered_and_edits_are_picked_up(world: TownWorld) -> None:
    before = town_index(world.town)
    Category.objects.filter(pk=world.category.pk).update(active=False)
    assert "市容环卫 / 暴露垃圾" not in labels(world, "bllj")
    Category.objects.filter(town=world.town, code="07").update(active=False)
    assert labels(world, "tdds") == []
    assert town_index(world.town) is not before


def test_the_index_is_reused_while_nothing_changes(world: TownWorld, django_assert_num_queries) -> None:
    first = town_index(world.town)
    with django_assert_num_queries(1):
        assert town_index(world.town) is first


def test_each_town_has_its_own_index(world: TownWorld) -> None:
    other = create_area(code="330921103", name="长涂镇", level=AreaLevel.TOWN, parent=world.county)
    install_default_taxonomy(town=other)
    Category.objects.filter(town=other, code="1201").update(name="沿街垃圾")
    assert labels(world, "yjlj") == []
    assert [e.label for e in search_categories(town=other, query="yjlj")] == ["市容环卫 / 沿街垃圾"]
    found = search_categories(town=other, query="yjlj")[0]
    assert Category.objects.get(pk=found.id).town_id == other.pk
