"""Areas, departments, categories and the current user through the API."""

from __future__ import annotations

from tests.factories import TownWorld


def test_areas_in_path_order_and_by_level(world: TownWorld, as_user) -> None:
    api = as_user(world.operator)
    areas = api.get("/api/areas").json()
    assert [a["name"] for a in areas] == ["岱西镇", "双合村", "双合村第1网格", "火箭村", "火箭村第1网格"]
    assert areas[1] == {
        "id": world.village_a.pk,
        "code": "330921102201",
        "name": "双合村",
        "level": "village",
        "parent_id": world.town.pk,
        "town_id": world.town.pk,
        "path": "330921/330921102/330921102201/",
    }
    villages = api.get("/api/areas", level="village").json()
    assert [a["name"] for a in villages] == ["双合村", "火箭村"]
    assert api.get("/api/areas", level="planet").status_code == 422


def test_departments_and_categories(world: TownWorld, as_user) -> None:
    api = as_user(world.handler_a)
    departments = api.get("/api/departments").json()
    assert [d["code"] for d in departments] == ["JSB", "VC01", "VC02", "ZFZ"]
    categories = api.get("/api/categories").json()
    assert len(categories) == 22
    sanitation = next(c for c in categories if c["code"] == "12")
    assert sanitation["name"] == "市容环卫"
    assert [s["name"] for s in sanitation["children"]] == ["暴露垃圾", "乱堆乱放", "占道经营", "小广告", "垃圾分类"]
    assert sanitation["children"][0]["default_department_id"] == world.dept_a.pk


def test_reference_lists_take_few_queries(world: TownWorld, as_user, django_assert_max_num_queries) -> None:
    api = as_user(world.operator)
    with django_assert_max_num_queries(6):
        api.get("/api/categories")
    with django_assert_max_num_queries(5):
        api.get("/api/areas")


def test_me_lists_memberships(world: TownWorld, as_user) -> None:
    me = as_user(world.handler_a).get("/api/me").json()
    assert me == {
        "id": world.handler_a.pk,
        "username": "handler_a",
        "full_name": "赵执法",
        "memberships": [
            {
                "role": "handler",
                "role_label": "处置人员",
                "area_id": None,
                "area_name": None,
                "department_id": world.dept_a.pk,
                "department_name": "综合行政执法中队",
            }
        ],
    }
