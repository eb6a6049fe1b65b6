"""A grid worker reports an event on the phone: picker, photos, place, on-the-spot resolution, bad input."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gridgov.data.cases.domain.images import MAX_IMAGE_BYTES
from gridgov.data.cases.enums import AttachmentKind, Channel, Status
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.categories import install_enterprise_categories
from gridgov.data.org.models import Area
from gridgov.data.taxonomy.models import Category
from tests.factories import TownWorld, signed_in
from tests.ui.phone.conftest import IN_GRID_A, IN_GRID_B, OUT_OF_TOWN, jpeg_file, once_token

REPORT = "/m/report/"


def form(world: TownWorld, token: str, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "once_token": token,
        "category": world.category.pk,
        "description": "村口垃圾桶满溢，两天未清运",
        "latitude": "",
        "longitude": "",
        "area": "",
        "address": "双合村村口",
    }
    data.update(overrides)
    return data


def test_report_page_has_the_picker_chips_photo_input_and_submit(world: TownWorld) -> None:
    page = signed_in(world.grid_worker_a).get(REPORT)
    assert page.status_code == 200
    text = page.text
    assert text.count('class="chip"') == 22
    assert 'accept="image/*"' in text
    assert 'capture="environment"' in text
    assert "multiple" in text
    assert f'<option value="{world.grid_a.pk}" selected>' in text  # the worker's own grid by default
    assert ">上报</button>" in text
    assert "leaflet.js" in text  # named for the map-pin step, loaded only when it is opened
    assert '<script src="/static/vendor/leaflet' not in text
    # the pin's pictures by their static names (hashed in production, where Leaflet's own guess finds none)
    assert 'data-marker-icon="/static/vendor/leaflet/images/marker-icon.png"' in text
    assert 'data-marker-shadow="/static/vendor/leaflet/images/marker-shadow.png"' in text


def test_category_search_partial_finds_by_initials_and_by_chip(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    found = client.get("/m/categories/", {"town": world.town.pk, "q": "bllj"})
    assert found.status_code == 200
    assert f'value="{world.category.pk}"' in found.text
    assert "市容环卫 / 暴露垃圾" in found.text
    major = Category.objects.get(town=world.town, code="07")
    chip = client.get("/m/categories/", {"town": world.town.pk, "major": major.pk})
    assert chip.text.count('name="category"') == 5
    nothing = client.get("/m/categories/", {"town": world.town.pk, "q": "zzzqqq"})
    assert "没有找到匹配的分类" in nothing.text
    assert client.get("/m/categories/", {"town": "x"}).status_code == 404


def test_report_with_photo_creates_a_case_and_shows_its_number(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    token = once_token(client, REPORT)
    response = client.post(REPORT, {**form(world, token), "photos": [jpeg_file("a.jpg"), jpeg_file("b.jpg")]})
    case = Case.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("phone:case", args=[case.pk]))
    assert (case.status, case.channel, case.reporter, case.area, case.category) == (
        Status.REPORTED,
        Channel.GRID_WORKER,
        world.grid_worker_a,
        world.grid_a,  # neither chosen nor located: the worker's own grid
        world.category,
    )
    assert case.address == "双合村村口"
    assert [(a.kind, a.original_name) for a in case.attachments.order_by("id")] == [
        (AttachmentKind.BEFORE, "a.jpg"),
        (AttachmentKind.BEFORE, "b.jpg"),
    ]
    page = client.get(response["Location"])
    assert f"上报成功，事件编号 {case.number}" in page.text
    assert page.text.count("/thumb/") == 2


def test_gps_point_places_the_case_in_its_grid(bounded: TownWorld) -> None:
    world = bounded
    client = signed_in(world.grid_worker_b)
    token = once_token(client, REPORT)
    client.post(REPORT, form(world, token, latitude=IN_GRID_B[0], longitude=IN_GRID_B[1]))
    case = Case.objects.get()
    assert (case.area, case.village, case.grid) == (world.grid_b, world.village_b, world.grid_b)
    assert (str(case.latitude), str(case.longitude)) == IN_GRID_B


def test_the_chosen_area_wins_over_the_point(bounded: TownWorld) -> None:
    world = bounded
    client = signed_in(world.grid_worker_a)
    token = once_token(client, REPORT)
    client.post(REPORT, form(world, token, area=world.grid_a.pk, latitude=IN_GRID_B[0], longitude=IN_GRID_B[1]))
    assert Case.objects.get().area == world.grid_a


def test_pressing_submit_twice_creates_one_case(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    token = once_token(client, REPORT)
    first = client.post(REPORT, form(world, token))
    second = client.post(REPORT, form(world, token))
    assert Case.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


def test_a_forged_token_creates_nothing_and_keeps_the_form(world: TownWorld) -> None:
    response = signed_in(world.grid_worker_a).post(REPORT, form(world, "forged"))
    assert response.status_code == 200
    assert "表单已失效" in response.text
    assert "村口垃圾桶满溢，两天未清运" in response.text
    assert Case.objects.count() == 0


def test_no_category_keeps_what_was_typed(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    response = client.post(REPORT, form(world, once_token(client, REPORT), category=""))
    assert response.status_code == 200
    assert '<p class="error" id="category-error">请选择事件分类</p>' in response.text
    assert "村口垃圾桶满溢，两天未清运" in response.text
    assert 'value="双合村村口"' in response.text
    assert Case.objects.count() == 0


def test_a_major_category_is_refused(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    major = Category.objects.get(town=world.town, code="12")
    response = client.post(REPORT, form(world, once_token(client, REPORT), category=major.pk))
    assert f"事件分类“{major.pk}”不存在或已停用，请选择一个小类" in response.text
    assert Case.objects.count() == 0


def test_a_ledger_s_own_category_is_neither_offered_nor_taken(world: TownWorld) -> None:
    install_enterprise_categories(town=world.town)
    hazard = Category.objects.get(town=world.town, code="YH01")
    client = signed_in(world.grid_worker_a)
    page = client.get(REPORT)
    assert (page.text.count('class="chip"'), f'value="{hazard.pk}"' in page.text) == (22, False)
    response = client.post(REPORT, form(world, once_token(client, REPORT), category=hazard.pk))
    assert f"事件分类“{hazard.pk}”不存在或已停用，请选择一个小类" in response.text
    assert Case.objects.count() == 0


def test_the_chosen_category_stays_checked_after_an_error(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    response = client.post(REPORT, form(world, once_token(client, REPORT), description=""))
    assert '<p class="error" id="description-error">请填写事件描述</p>' in response.text
    checked = f'<input type="radio" name="category" value="{world.category.pk}" checked> 市容环卫 / 暴露垃圾'
    assert checked in response.text


def post_photos(world: TownWorld, photos: list[SimpleUploadedFile]) -> str:
    client = signed_in(world.grid_worker_a)
    response = client.post(REPORT, {**form(world, once_token(client, REPORT)), "photos": photos})
    assert response.status_code == 200
    assert Case.objects.count() == 0
    assert "村口垃圾桶满溢，两天未清运" in response.text  # the rest of the form is kept
    assert "照片未保存：请重新选择照片后再提交（其他内容已保留）" in response.text
    return response.text


def test_a_broken_image_is_refused_next_to_the_photo_field(world: TownWorld) -> None:
    broken = SimpleUploadedFile("broken.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", content_type="image/jpeg")
    text = post_photos(world, [jpeg_file(), broken])
    assert '<p class="error" id="photos-error">“broken.jpg”不是有效的图片（支持 JPEG、PNG、WEBP、GIF）</p>' in text


def test_a_file_of_the_wrong_type_is_refused(world: TownWorld) -> None:
    text = post_photos(world, [SimpleUploadedFile("note.jpg", b"hello, not an image", content_type="image/jpeg")])
    assert "“note.jpg”不是有效的图片（支持 JPEG、PNG、WEBP、GIF）" in text


def test_a_too_large_image_is_refused(world: TownWorld) -> None:
    huge = SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"\0" * MAX_IMAGE_BYTES, content_type="image/jpeg")
    assert "照片“huge.jpg”超过 15 MB，请压缩后重新选择" in post_photos(world, [huge])


def test_ten_photos_are_refused(world: TownWorld) -> None:
    text = post_photos(world, [jpeg_file(f"{i}.jpg") for i in range(10)])
    assert "每次最多上传 9 张照片，您选择了 10 张" in text


def test_a_point_outside_the_town_is_refused(bounded: TownWorld) -> None:
    world = bounded
    client = signed_in(world.grid_worker_a)
    token = once_token(client, REPORT)
    response = client.post(REPORT, form(world, token, latitude=OUT_OF_TOWN[0], longitude=OUT_OF_TOWN[1]))
    assert response.status_code == 200
    assert '<p class="error" id="location-error">该位置不在岱西镇范围内，请重新定位或在地图上选点</p>' in response.text
    assert Case.objects.count() == 0


def test_malformed_coordinates_are_refused(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    response = client.post(REPORT, form(world, once_token(client, REPORT), latitude="abc", longitude="122"))
    assert "位置坐标格式不正确，请重新定位或在地图上选点" in response.text
    assert Case.objects.count() == 0


def test_resolve_on_the_spot_closes_the_case_with_the_after_photo(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    data = {
        **form(world, once_token(client, REPORT)),
        "photos": [jpeg_file("before.jpg")],
        "resolve_on_spot": "on",
        "resolution_note": "已当场清理",
        "after_photos": [jpeg_file("after.jpg", (20, 160, 60))],
    }
    response = client.post(REPORT, data)
    case = Case.objects.get()
    assert (case.status, case.self_resolved, case.handler) == (Status.CLOSED, True, world.grid_worker_a)
    assert [(a.kind, a.original_name) for a in case.attachments.order_by("id")] == [
        (AttachmentKind.BEFORE, "before.jpg"),
        (AttachmentKind.AFTER, "after.jpg"),
    ]
    assert list(case.actions.order_by("seq").values_list("action", "note")) == [
        ("report", ""),
        ("self_resolve", "已当场清理"),
    ]
    assert f"已上报并自行处置，事件编号 {case.number}" in client.get(response["Location"]).text


def test_resolve_on_the_spot_outside_ones_grids_is_refused_and_nothing_is_saved(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    data = {
        **form(world, once_token(client, REPORT), area=world.grid_b.pk),  # not offered to them (a stale form)
        "resolve_on_spot": "on",
        "resolution_note": "已当场清理",
        "after_photos": [jpeg_file("after.jpg")],
    }
    response = client.post(REPORT, data)
    assert response.status_code == 200
    assert '<p class="error" id="area-error">请从列表中选择村或网格</p>' in response.text
    assert Case.objects.count() == 0


def test_a_grid_worker_is_offered_only_their_own_grids_a_village_cadre_the_whole_town(world: TownWorld) -> None:
    def offered(page: str) -> list[Area]:
        select = page[page.index('<select name="area"') :]
        select = select[: select.index("</select>")]
        areas = (world.village_a, world.grid_a, world.village_b, world.grid_b)
        return [area for area in areas if f'<option value="{area.pk}"' in select]

    assert offered(signed_in(world.grid_worker_a).get(REPORT).text) == [world.grid_a]
    assert offered(signed_in(world.village_staff_a).get(REPORT).text) == [
        world.village_a,
        world.grid_a,
        world.village_b,
        world.grid_b,
    ]


def test_a_point_in_another_grid_is_refused_and_the_form_kept(bounded: TownWorld) -> None:
    world = bounded
    client = signed_in(world.grid_worker_a)
    response = client.post(
        REPORT, form(world, once_token(client, REPORT), latitude=IN_GRID_B[0], longitude=IN_GRID_B[1])
    )
    assert response.status_code == 200
    refusal = "网格员只能在自己负责的网格内上报事件：区域“火箭村第1网格”不在您的网格内"
    assert f'<p class="error" id="location-error">{refusal}</p>' in response.text
    assert "村口垃圾桶满溢，两天未清运</textarea>" in response.text
    assert Case.objects.count() == 0
    # the same rule, told as soon as the worker locates themselves there
    located = client.get("/m/locate/", {"town": world.town.pk, "latitude": IN_GRID_B[0], "longitude": IN_GRID_B[1]})
    assert f'<p class="error" id="location-error">{refusal}</p>' in located.text
    village = signed_in(world.village_staff_a)
    assert (
        "location-error"
        not in village.get(
            "/m/locate/", {"town": world.town.pk, "latitude": IN_GRID_B[0], "longitude": IN_GRID_B[1]}
        ).text
    )


def test_resolve_on_the_spot_needs_a_note_and_an_after_photo(world: TownWorld) -> None:
    client = signed_in(world.grid_worker_a)
    no_note = client.post(REPORT, {**form(world, once_token(client, REPORT)), "resolve_on_spot": "on"})
    assert '<p class="error" id="resolution-note-error">自行处置需要填写处置说明</p>' in no_note.text
    no_photo = client.post(
        REPORT, {**form(world, once_token(client, REPORT)), "resolve_on_spot": "on", "resolution_note": "已清理"}
    )
    assert '<p class="error" id="after-photos-error">自行处置需要上传至少一张处置后照片</p>' in no_photo.text
    assert Case.objects.count() == 0


def test_locate_prefills_village_and_grid(bounded: TownWorld) -> None:
    world = bounded
    client = signed_in(world.grid_worker_a)
    response = client.get("/m/locate/", {"town": world.town.pk, "latitude": IN_GRID_A[0], "longitude": IN_GRID_A[1]})
    assert response.status_code == 200
    assert "已定位：双合村 · 双合村第1网格" in response.text
    assert f'<option value="{world.grid_a.pk}" selected>' in response.text
    assert f'value="{IN_GRID_A[0]}"' in response.text
    outside = client.get("/m/locate/", {"town": world.town.pk, "latitude": OUT_OF_TOWN[0], "longitude": OUT_OF_TOWN[1]})
    assert '<p class="error" id="location-error">该位置不在岱西镇范围内，请重新定位或在地图上选点</p>' in outside.text
    assert 'name="latitude" value=' not in outside.text  # the bad point is not kept


def test_town_map_is_geojson_of_the_boundaries(bounded: TownWorld) -> None:
    data = signed_in(bounded.grid_worker_a).get("/m/map.geojson", {"town": bounded.town.pk}).json()
    assert [f["properties"]["name"] for f in data["features"]] == [
        "岱西镇",
        "双合村",
        "双合村第1网格",
        "火箭村",
        "火箭村第1网格",
    ]


def test_users_without_a_field_role_are_sent_to_the_desktop(world: TownWorld) -> None:
    for user in (world.operator, world.handler_a):
        response = signed_in(user).get(REPORT)
        assert response.status_code == 403
        assert "手机端任务页面供网格员和村干部使用" in response.text


def test_phone_pages_need_sign_in(world: TownWorld) -> None:
    from django.test import Client

    response = Client().get(REPORT)
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/m/report/")


def test_without_javascript_the_categories_are_a_plain_list(world: TownWorld) -> None:
    text = signed_in(world.grid_worker_a).get(REPORT).text
    noscript = text[text.index("<noscript>") : text.index("</noscript>")]
    assert noscript.count("<optgroup") == 22
    assert f'<option value="{world.category.pk}">暴露垃圾</option>' in noscript
