"""Public reporting without an account: phone number, case number, follow link, lookup, rate limits."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from gridgov.data.access.permissions import follow_token as token_for
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.domain.images import gps_of
from gridgov.data.cases.enums import Action, AttachmentKind, Channel
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area
from gridgov.ui.phone.follow import follow_url
from tests.factories import TownWorld, photo, signed_in
from tests.ui.phone.conftest import IN_GRID_A, OUT_OF_TOWN, box, jpeg_file, once_token

REPORT = "/m/public/report/"


def form(world: TownWorld, token: str, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "once_token": token,
        "town": world.town.code,
        "category": world.category.pk,
        "description": "小区门口垃圾堆了三天没人管",
        "latitude": "",
        "longitude": "",
        "area": "",
        "address": "",
        "phone": "139 1234 5678",
        "name": "陈女士",
    }
    data.update(overrides)
    return data


def submit(world: TownWorld, client: Client | None = None, **overrides: object):
    client = client or Client()
    return client.post(REPORT, form(world, once_token(client, REPORT), **overrides))


def test_public_report_gives_a_number_and_a_follow_link(world: TownWorld) -> None:
    page = Client().get(REPORT)
    assert page.status_code == 200
    assert ">提交</button>" in page.text
    assert page.text.count('class="chip"') == 22
    response = submit(world, photos=[jpeg_file("scene.jpg")])
    case = Case.objects.get()
    done = f"/m/public/done/{case.number}/?t={token_for(case.number)}"
    assert (response.status_code, response["Location"]) == (302, done)
    assert (case.channel, case.reporter, case.reporter_phone, case.reporter_name) == (
        Channel.RESIDENT,
        None,
        "13912345678",
        "陈女士",
    )
    assert case.attachments.get().kind == AttachmentKind.BEFORE
    with connection.cursor() as cursor:  # stored encrypted, never in plain text
        cursor.execute("SELECT reporter_phone FROM cases_case WHERE id = %s", [case.pk])
        raw = cursor.fetchone()[0]
    assert "13912345678" not in raw
    answer = Client().get(done)
    assert f'<p class="big-number" id="case-number">{case.number}</p>' in answer.text
    assert f'id="follow-link" href="{follow_url(case.number)}"' in answer.text
    follow = Client().get(follow_url(case.number))
    assert (follow.status_code, '<span class="status s-reported" id="case-status">待受理</span>' in follow.text) == (
        200,
        True,
    )


def test_a_signed_in_resident_s_report_is_theirs_and_staff_report_without_an_account(world: TownWorld) -> None:
    resident = signed_in(world.resident)
    mine = resident.get("/cases/")
    assert f'<a class="button" href="{REPORT}">我要上报</a>' in mine.text
    submit(world, resident)
    operator = signed_in(world.operator)
    assert f'href="{REPORT}">我要上报</a>' not in operator.get("/cases/").text
    submit(world, operator, description="路灯不亮")
    reported = list(Case.objects.order_by("pk").values_list("reporter", "reporter_role", "channel"))
    assert reported == [(world.resident.pk, "resident", "resident"), (None, "", "resident")]
    assert [c.number for c, _lamp in resident.get("/cases/").context["rows"]] == [
        Case.objects.order_by("pk").first().number
    ]


def test_the_done_page_needs_the_token(world: TownWorld) -> None:
    submit(world)
    number = Case.objects.get().number
    assert Client().get(f"/m/public/done/{number}/").status_code == 404
    assert Client().get(f"/m/public/done/{number}/?t=abc").status_code == 404


def test_public_status_shows_status_timeline_and_after_photos_only(world: TownWorld) -> None:
    submit(world, photos=[jpeg_file("before.jpg")])
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(area=world.grid_a, area_path=world.grid_a.path)
    op, handler = world.operator, world.handler_a
    apply_action(case_id=case.pk, actor=op, action=Action.REGISTER)
    apply_action(case_id=case.pk, actor=op, action=Action.COMMENT, note="内部备注：联系人很着急")
    apply_action(case_id=case.pk, actor=op, action=Action.DISPATCH, department=world.dept_a)
    apply_action(case_id=case.pk, actor=handler, action=Action.SIGN)
    apply_action(case_id=case.pk, actor=handler, action=Action.RESOLVE, note="已由赵执法清运", photos=photo())
    before = case.attachments.get(kind=AttachmentKind.BEFORE)
    after = case.attachments.get(kind=AttachmentKind.AFTER)
    page = Client().get(follow_url(case.number))
    assert page.status_code == 200
    text = page.text
    assert '<span class="status s-resolved" id="case-status">待核查</span>' in text
    assert "市容环卫 / 暴露垃圾" in text
    timeline = text[text.index('id="public-timeline"') : text.index("</ol>", text.index('id="public-timeline"'))]
    assert re.findall(r"<b>([^<]+)</b>", timeline) == ["上报", "立案", "派遣", "签收", "处置反馈"]
    for secret in (
        "王芳",
        "赵执法",
        "陈女士",
        "13912345678",
        "139****5678",
        "内部备注",
        "已由赵执法清运",
        "综合行政执法中队",
    ):
        assert secret not in text, secret
    token = token_for(case.number)
    assert f"/m/public/case/{case.number}/photos/{after.pk}/?t=" in text
    assert f"/photos/{before.pk}/" not in text
    shown = Client().get(f"/m/public/case/{case.number}/photos/{after.pk}/", {"t": token})
    assert (shown.status_code, shown["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(shown.streaming_content)[:2] == b"\xff\xd8"
    assert Client().get(f"/m/public/case/{case.number}/photos/{before.pk}/", {"t": token}).status_code == 404
    assert Client().get(f"/m/public/case/{case.number}/photos/{after.pk}/", {"t": "x"}).status_code == 404


def test_a_wrong_token_or_a_grid_workers_case_is_not_shown(world: TownWorld) -> None:
    submit(world)
    number = Case.objects.get().number
    wrong = Client().get(f"/m/public/case/{number}/", {"t": token_for("DX2026-000999")})
    assert wrong.status_code == 404
    assert "链接无效或已失效" in wrong.text
    internal = world.report()
    assert Client().get(follow_url(internal.number)).status_code == 404


def test_lookup_by_number_and_phone(world: TownWorld) -> None:
    submit(world)
    case = Case.objects.get()
    client = Client()
    found = client.post("/m/public/lookup/", {"number": case.number.lower(), "phone": "13912345678"})
    assert (found.status_code, found["Location"]) == (302, follow_url(case.number))
    spaced = client.post("/m/public/lookup/", {"number": case.number, "phone": "139 1234 5678"})
    assert spaced["Location"] == follow_url(case.number)
    not_mobile = client.post("/m/public/lookup/", {"number": case.number, "phone": "12345"})
    assert "请填写 11 位中国大陆手机号码，例如 13800000000" in not_mobile.text
    wrong = client.post("/m/public/lookup/", {"number": case.number, "phone": "13900000000"})
    assert wrong.status_code == 404
    assert "未找到与该编号和手机号码对应的事件，请核对后重试" in wrong.text
    assert f'value="{case.number}"' in wrong.text


def test_bad_phone_numbers_are_refused_and_the_form_kept(world: TownWorld) -> None:
    for phone, message in (
        ("", "请填写手机号码，便于工作人员联系您"),
        ("12345", "请填写 11 位中国大陆手机号码，例如 13800000000"),
        ("0580-4471234", "请填写 11 位中国大陆手机号码，例如 13800000000"),
        ("12912345678", "请填写 11 位中国大陆手机号码，例如 13800000000"),
    ):
        response = submit(world, phone=phone)
        assert response.status_code == 200
        assert f'<p class="error" id="phone-error">{message}</p>' in response.text
        assert "小区门口垃圾堆了三天没人管" in response.text
    assert Case.objects.count() == 0
    assert submit(world, phone="+86 139-1234-5678").status_code == 302


def test_public_errors_no_category_broken_photo_out_of_town(bounded: TownWorld) -> None:
    world = bounded
    no_category = submit(world, category="")
    assert "请选择事件分类" in no_category.text
    broken = submit(world, photos=[jpeg_file(), SimpleUploadedFile("x.png", b"GIF89a broken", "image/gif")])
    assert "“x.png”不是有效的图片（支持 JPEG、PNG、WEBP、GIF）" in broken.text
    assert "照片未保存：请重新选择照片后再提交（其他内容已保留）" in broken.text
    outside = submit(world, latitude=OUT_OF_TOWN[0], longitude=OUT_OF_TOWN[1])
    assert "该位置不在岱西镇范围内，请重新定位或在地图上选点" in outside.text
    assert Case.objects.count() == 0
    inside = submit(world, latitude=IN_GRID_A[0], longitude=IN_GRID_A[1])
    assert inside.status_code == 302
    assert Case.objects.get().grid == world.grid_a


def test_double_submit_creates_one_public_case(world: TownWorld) -> None:
    client = Client()
    token = once_token(client, REPORT)
    first = client.post(REPORT, form(world, token))
    second = client.post(REPORT, form(world, token))
    assert Case.objects.count() == 1
    assert (second.status_code, second["Location"]) == (302, first["Location"])


def test_reports_are_rate_limited_per_phone_and_per_ip(world: TownWorld, settings) -> None:
    settings.GRIDGOV_PUBLIC_REPORTS_PER_PHONE_DAY = 2
    settings.GRIDGOV_PUBLIC_REPORTS_PER_IP_HOUR = 3
    assert submit(world).status_code == 302
    assert submit(world).status_code == 302
    limited = submit(world)
    assert limited.status_code == 429
    assert "提交过于频繁，请稍后再试；紧急情况请拨打 110 或 12345" in limited.text
    assert "小区门口垃圾堆了三天没人管" in limited.text
    assert submit(world, phone="13700000000").status_code == 302  # another phone, same address: 3rd of 3
    assert submit(world, phone="13600000000").status_code == 429  # the address is now over its limit
    assert Case.objects.count() == 3


def test_lookups_are_rate_limited(world: TownWorld, settings) -> None:
    settings.GRIDGOV_PUBLIC_LOOKUPS_PER_IP_HOUR = 2
    client = Client()
    for _ in range(2):
        assert client.post("/m/public/lookup/", {"number": "DX2026-000001", "phone": "13900000000"}).status_code == 404
    limited = client.post("/m/public/lookup/", {"number": "DX2026-000001", "phone": "13900000000"})
    assert (limited.status_code, "查询过于频繁，请稍后再试" in limited.text) == (429, True)


def test_public_pages_are_named_and_need_no_account(world: TownWorld) -> None:
    assert reverse("phone:public_report") == REPORT
    assert reverse("phone:public_lookup") == "/m/public/lookup/"
    assert Client().get("/m/public/lookup/").status_code == 200


def test_with_several_towns_the_reporter_picks_one(world: TownWorld) -> None:
    from gridgov.data.org.domain import create_area
    from gridgov.data.org.enums import AreaLevel

    create_area(code="330921103", name="长涂镇", level=AreaLevel.TOWN, parent=world.county)
    chooser = Client().get(REPORT)
    assert (chooser.status_code, "请选择事件所在的乡镇" in chooser.text) == (200, True)
    assert '<a href="?town=330921103">长涂镇</a>' in chooser.text
    assert "岱西镇 · 我要反映" in Client().get(REPORT, {"town": world.town.code}).text


def test_a_photos_gps_point_places_the_report_when_nothing_else_does(bounded: TownWorld) -> None:
    from tests.data.cases.test_images import rotated_jpeg_with_gps

    world = bounded
    Area.objects.filter(pk=world.town.pk).update(boundary=box(122.0, 30.2, 122.2, 30.3))
    # The photo was taken at 30.26 N, 122.1 E: on the line between A and B; move village B to cover it.
    Area.objects.filter(pk__in=[world.village_b.pk, world.grid_b.pk]).update(boundary=box(122.09, 30.2, 122.2, 30.3))
    Area.objects.filter(pk__in=[world.village_a.pk, world.grid_a.pk]).update(boundary=box(122.0, 30.2, 122.09, 30.3))
    geotagged = SimpleUploadedFile("geo.jpg", rotated_jpeg_with_gps(), content_type="image/jpeg")
    assert submit(world, photos=[geotagged]).status_code == 302
    case = Case.objects.get()
    assert (case.grid, str(case.latitude), str(case.longitude)) == (world.grid_b, "30.260000", "122.100000")
    with case.attachments.get().file.open("rb") as kept:
        assert gps_of(kept.read()) is None  # the hint was used; the kept photo has no GPS all the same


def test_a_photo_taken_outside_the_town_is_no_hint(bounded: TownWorld) -> None:
    from tests.data.cases.test_images import rotated_jpeg_with_gps

    world = bounded
    Area.objects.filter(pk=world.town.pk).update(boundary=box(120.0, 29.0, 120.1, 29.1))
    Area.objects.exclude(pk=world.town.pk).update(boundary=None)
    geotagged = SimpleUploadedFile("geo.jpg", rotated_jpeg_with_gps(), content_type="image/jpeg")
    assert submit(world, photos=[geotagged]).status_code == 302
    case = Case.objects.get()
    assert (case.area, case.latitude) == (world.town, None)
