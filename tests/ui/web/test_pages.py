"""The first pages: sign-in, the scoped home list, the case page, and the admin for the taxonomy."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.urls import reverse

from gridgov.data.cases.enums import Status
from gridgov.data.org.models import User
from tests.factories import MONDAY_0900, TownWorld, signed_in


def test_sign_in_with_password_and_land_on_home(world: TownWorld) -> None:
    client = Client()
    response = client.post(reverse("web:login"), {"username": "operator", "password": "pw-for-tests-1"})
    assert (response.status_code, response["Location"]) == (302, "/")
    home = client.get("/", follow=True)
    assert home.redirect_chain == [("/triage/", 302)]
    assert "受理派遣" in home.text


def test_wrong_password_shows_a_chinese_error_and_keeps_the_username(world: TownWorld) -> None:
    response = Client().post(reverse("web:login"), {"username": "gw_a", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.text
    assert 'value="gw_a"' in response.text


def test_home_requires_sign_in(world: TownWorld) -> None:
    response = Client().get("/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/")


def test_home_lists_only_cases_in_scope(world: TownWorld) -> None:
    mine = world.report(reporter=world.grid_worker_a, area=world.grid_a)
    other = world.report(reporter=world.grid_worker_b, area=world.grid_b)
    page = signed_in(world.grid_worker_a).get("/cases/").text
    assert mine.number in page
    assert other.number not in page


def test_home_list_query_count_does_not_grow_with_cases(world: TownWorld, django_assert_max_num_queries) -> None:
    for _ in range(3):
        world.bring_to(Status.HANDLING)
    client = signed_in(world.operator)
    with django_assert_max_num_queries(12) as few:
        client.get("/cases/")
    for _ in range(6):
        world.bring_to(Status.DISPATCHED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/cases/")


def test_case_page_shows_timeline_and_deadline(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    page = signed_in(world.operator).get(reverse("web:case_detail", args=[case.pk])).text
    for text in (case.number, "待核查", "上报", "立案", "派遣", "签收", "处置反馈", "已清运", "流转记录"):
        assert text in page


def test_case_page_of_another_village_is_not_found(world: TownWorld) -> None:
    case = world.report(reporter=world.grid_worker_b, area=world.grid_b)
    response = signed_in(world.grid_worker_a).get(reverse("web:case_detail", args=[case.pk]))
    assert response.status_code == 404


def test_case_page_query_count_does_not_grow_with_history(world: TownWorld, django_assert_max_num_queries) -> None:
    short = world.bring_to(Status.DISPATCHED)
    long = world.bring_to(Status.CLOSED)
    client = signed_in(world.operator)
    with django_assert_max_num_queries(20) as baseline:
        client.get(reverse("web:case_detail", args=[short.pk]))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("web:case_detail", args=[long.pk]))


def test_admin_edits_taxonomy_and_sees_cases_read_only(world: TownWorld) -> None:
    admin = User.objects.create_superuser(username="root", password="pw-for-tests-1")
    client = signed_in(admin)
    assert client.get("/admin/taxonomy/category/?q=暴露垃圾").status_code == 200
    category_page = client.get(f"/admin/taxonomy/category/{world.category.pk}/change/")
    assert category_page.status_code == 200
    assert "处置时限" in category_page.text
    case = world.bring_to(Status.CLOSED)
    case_page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert case_page.status_code == 200
    assert 'name="_save"' not in case_page.text  # no way to edit a case behind the engine's back
    assert client.get("/admin/worktime/calendarday/").status_code == 200


def test_photos_are_served_only_within_scope(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    photo = case.attachments.get()
    url = reverse("web:case_file", args=[case.pk, photo.pk])
    response = signed_in(world.operator).get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
    assert signed_in(world.grid_worker_b).get(url).status_code == 404
    other = world.report(reporter=world.grid_worker_a)
    assert signed_in(world.operator).get(reverse("web:case_file", args=[other.pk, photo.pk])).status_code == 404
    assert Client().get(url).status_code == 302  # sign in first


def test_admin_adds_an_area_in_the_right_place_and_refuses_a_wrong_one(world: TownWorld) -> None:
    from gridgov.data.org.models import Area

    client = signed_in(User.objects.create_superuser(username="root", password="pw-for-tests-1"))
    form = {"code": "33092110220102", "name": "双合村第2网格", "level": "grid", "sort_order": 0, "boundary": "null"}
    wrong = client.post("/admin/org/area/add/", {**form, "parent": world.town.pk})
    assert wrong.status_code == 200
    assert "网格的上级必须是村/社区" in wrong.text
    assert not Area.objects.filter(code="33092110220102").exists()
    bad_shape = client.post(
        "/admin/org/area/add/", {**form, "parent": world.village_a.pk, "boundary": '{"type": "Point"}'}
    )
    assert "边界必须是 GeoJSON 的 Polygon 或 MultiPolygon" in bad_shape.text
    right = client.post("/admin/org/area/add/", {**form, "parent": world.village_a.pk})
    assert right.status_code == 302
    area = Area.objects.get(code="33092110220102")
    assert (area.path, area.town_id) == (world.village_a.path + "33092110220102/", world.town.pk)


def test_admin_refuses_a_third_level_category_and_a_misfit_role(world: TownWorld) -> None:
    client = signed_in(User.objects.create_superuser(username="root", password="pw-for-tests-1"))
    response = client.post(
        "/admin/taxonomy/category/add/",
        {
            "town": world.town.pk,
            "parent": world.category.pk,
            "code": "120101",
            "name": "三级分类",
            "default_priority": "normal",
            "sort_order": 0,
            "active": "on",
            "time_limits-TOTAL_FORMS": 0,
            "time_limits-INITIAL_FORMS": 0,
        },
    )
    assert "分类只有两级：上级必须是大类" in response.text
    response = client.post(
        "/admin/org/membership/add/", {"user": world.resident.pk, "role": "operator", "area": world.village_a.pk}
    )
    assert "受理员/派遣员的范围必须是：县/区、乡镇/街道" in response.text


def test_reporter_contact_is_masked_and_unmasking_is_logged(world: TownWorld) -> None:
    from gridgov.data.cases.domain.engine import report_case
    from gridgov.data.cases.enums import Channel
    from gridgov.data.org.models import SecurityEvent

    case = report_case(
        town=world.town,
        reporter=None,
        channel=Channel.HOTLINE,
        category=world.category,
        description="路灯不亮",
        area=world.grid_a,
        reporter_name="张三丰",
        reporter_phone="13800008000",
    )
    operator = signed_in(world.operator)
    page = operator.get(reverse("web:case_detail", args=[case.pk])).text
    assert "张** 138****8000" in page
    assert "13800008000" not in page
    revealed = operator.post(reverse("web:case_reveal_contact", args=[case.pk])).text
    assert "张三丰 13800008000" in revealed
    event = SecurityEvent.objects.get(kind="personal_data_revealed")
    assert (event.user_id, event.detail) == (
        world.operator.pk,
        {"case": case.number, "fields": ["reporter_name", "reporter_phone"]},
    )
    # A grid worker of the village sees the case, masked, and cannot unmask it.
    gw = signed_in(world.grid_worker_a)
    assert "查看完整信息" not in gw.get(reverse("web:case_detail", args=[case.pk])).text
    refused = gw.post(reverse("web:case_reveal_contact", args=[case.pk]))
    assert refused.status_code == 403
    assert SecurityEvent.objects.filter(kind="personal_data_revealed").count() == 1


def test_photos_come_as_thumbnail_and_display_copies(world: TownWorld) -> None:
    case = world.bring_to(Status.RESOLVED)
    photo = case.attachments.get()
    url = reverse("web:case_file", args=[case.pk, photo.pk])
    client = signed_in(world.operator)
    page = client.get(reverse("web:case_detail", args=[case.pk])).text
    assert f'<img src="{url}?size=thumb"' in page
    for size in ("thumb", "display"):
        response = client.get(f"{url}?size={size}")
        assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_case_page_shows_lamp_and_remaining_working_time(world: TownWorld) -> None:
    from django.utils import timezone

    fresh = world.report(now=timezone.now())
    page = signed_in(world.operator).get(reverse("web:case_detail", args=[fresh.pk])).text
    assert '<span class="lamp lamp-green" aria-hidden="true"></span> 正常' in page
    assert re.search(r"· 剩余(1个工作小时|[1-5]?[0-9]分钟)\s", page)  # a working hour to dispatch, in its unit
    late = world.report(now=MONDAY_0900 - timedelta(days=7))  # a week before the world's morning: long overdue
    page = signed_in(world.operator).get(reverse("web:case_detail", args=[late.pk])).text
    assert '<span class="lamp lamp-red" aria-hidden="true"></span> 超期' in page
    # 16 Nov 10:00–17:30, four working days, 23 Nov 08:30–10:00: 37.5 working hours (and the seconds since)
    assert "已超期37个工作小时" in page
    closed = world.bring_to(Status.CLOSED)
    assert 'id="deadline"' not in signed_in(world.operator).get(reverse("web:case_detail", args=[closed.pk])).text
