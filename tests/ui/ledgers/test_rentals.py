"""The group-rental rectification pages (群租房整改): the add form (a failed submit keeps the input), the list
with its filters, pager, query count and Excel export, and the record's life on its page (签收 → 整改 → 验收)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gridgov.data.cases.enums import Status
from gridgov.data.people.enums import HouseUse
from gridgov.data.rentals.models import Rectification
from tests.data.rentals.builders import close, fire_safety_by, make_house, record
from tests.factories import MONDAY_0900, TownWorld, jpeg, signed_in
from tests.ui.test_english_pages import _data_names, chinese_left


@pytest.fixture
def rentals(world: TownWorld) -> TownWorld:
    fire_safety_by(world)
    return world


def test_add_form_keeps_the_input_on_error_then_records(rentals: TownWorld) -> None:
    w = rentals
    house = make_house(w, rooms=6)
    make_house(w, "双合村1组1号", use=HouseUse.OWN)  # not offered: not a 群租房
    client = signed_in(w.operator)
    page = client.get(reverse("ledgers:rectification_new"))
    assert page.status_code == 200
    assert "双合村3组12号（6间）" in page.text
    assert "双合村1组1号" not in page.text
    data = {"house": house.pk, "rooms": 7, "problems": ["blocked_exit", "wiring"], "found_on": "2026-11-23"}
    failed = client.post(reverse("ledgers:rectification_new"), data)
    assert failed.status_code == 200
    assert "涉及间数不能超过该房屋的间数（6间）" in failed.text
    assert 'name="rooms" value="7"' in failed.text
    assert 'value="wiring" id="id_problems_4" checked' in failed.text
    assert Rectification.objects.count() == 0
    done = client.post(reverse("ledgers:rectification_new"), {**data, "rooms": 6})
    row = Rectification.objects.get()
    assert (done.status_code, done.url) == (302, reverse("ledgers:rectification", args=[row.pk]))
    assert (row.rooms, row.problems, row.case.status, row.case.department) == (
        6,
        "blocked_exit,wiring",
        Status.DISPATCHED,
        w.dept_b,
    )


def test_only_the_keepers_may_add(rentals: TownWorld) -> None:
    for user, status in [(rentals.leader, 403), (rentals.handler_b, 403), (rentals.operator, 200)]:
        assert signed_in(user).get(reverse("ledgers:rectification_new")).status_code == status


def test_life_on_the_record_page(rentals: TownWorld) -> None:
    w = rentals
    row = record(w, make_house(w))
    url = reverse("ledgers:rectification", args=[row.pk])
    handler = signed_in(w.handler_b)
    assert 'data-step="sign"' in handler.get(url).text
    assert handler.post(url, {"step": "rectify", "measures": "x", "rectified_on": "2026-11-23"}).status_code == 403
    assert handler.post(url, {"step": "sign"}).status_code == 302
    page = handler.get(url)
    assert 'data-step="rectify"' in page.text
    no_photo = handler.post(url, {"step": "rectify", "measures": "清理通道", "rectified_on": "2026-11-23"})
    assert "需要上传至少一张现场照片" in no_photo.text
    assert "清理通道" in no_photo.text
    image = SimpleUploadedFile("after.jpg", jpeg(), content_type="image/jpeg")
    done = handler.post(
        url, {"step": "rectify", "measures": "清理通道", "rectified_on": "2026-11-23", "photos": [image]}
    )
    assert done.status_code == 302
    row.refresh_from_db()
    assert (row.case.status, row.measures) == (Status.RESOLVED, "清理通道")
    operator = signed_in(w.operator)
    assert 'data-step="accept"' in operator.get(url).text
    assert operator.post(url, {"step": "accept", "note": "复查合格"}).status_code == 302
    row.case.refresh_from_db()
    assert row.case.status == Status.CLOSED
    assert "已验收" in operator.get(url).text
    # the other department never sees it
    assert signed_in(w.handler_a).get(url).status_code == 404


def test_list_filters_pages_and_queries(rentals: TownWorld, django_assert_num_queries) -> None:
    w = rentals
    rows = [record(w, make_house(w, f"双合村3组{n}号")) for n in range(3)]
    close(w, rows[0], MONDAY_0900 + timedelta(minutes=5))
    record(w, make_house(w, "火箭村2组8号", village=w.village_b))
    client = signed_in(w.operator)
    url = reverse("ledgers:rectifications")
    client.get(url)  # the session and the user's memberships warmed
    with django_assert_num_queries(9):
        page = client.get(url)
    assert len(re.findall(r'href="/ledgers/rentals/\d+/"', page.text)) == 4
    assert 'data-step="add"' in page.text
    for n in range(3, 8):
        record(w, make_house(w, f"双合村4组{n}号"))
    with django_assert_num_queries(9):  # as many for nine rows as for four
        client.get(url)
    village_b = client.get(url, {"village": w.village_b.pk})
    assert ("火箭村2组8号" in village_b.text, "双合村3组0号" in village_b.text) == (True, False)
    closed = client.get(url, {"status": Status.CLOSED})
    assert closed.text.count("已验收") == 1
    rows_only = client.get(url, {"status": "open"}, headers={"HX-Request": "true"})
    assert ("<h1>" in rows_only.text, rows_only.text.count("<tr>")) == (False, 1 + 8)


def test_export_as_filtered(rentals: TownWorld) -> None:
    w = rentals
    row = record(w, make_house(w), rooms=3)
    record(w, make_house(w, "火箭村2组8号", village=w.village_b))
    response = signed_in(w.operator).get(reverse("ledgers:rectifications_export"), {"village": w.village_a.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert values[0][:5] == ["事件编号", "村/社区", "地址", "涉及间数", "存在问题"]
    assert [line[:5] for line in values[1:]] == [
        [row.case.number, "双合村", "双合村3组12号", 3, "消防通道堵塞、电动车室内充电"]
    ]


def test_list_is_for_the_town_staff_and_shows_what_they_may_see(rentals: TownWorld) -> None:
    w = rentals
    record(w, make_house(w))
    url = reverse("ledgers:rectifications")
    assert signed_in(w.resident).get(url).status_code == 403
    assert "双合村3组12号" in signed_in(w.handler_b).get(url).text
    assert "双合村3组12号" not in signed_in(w.handler_a).get(url).text


def test_pages_read_in_english(rentals: TownWorld) -> None:
    w = rentals
    row = record(w, make_house(w))
    idle = make_house(w, "双合村5组1号", use=HouseUse.IDLE)
    operator = Client()
    operator.force_login(w.operator)
    operator.cookies["django_language"] = "en"
    names = sorted([*_data_names(), "双合村3组12号", "双合村5组1号"], key=len, reverse=True)
    for url in (
        reverse("ledgers:rectifications"),
        reverse("ledgers:rectification_new"),
        reverse("ledgers:rectification", args=[row.pk]),
        reverse("imports:upload", args=["rentals"]),
        reverse("ledgers:index"),
        reverse("ledgers:farmhouses"),
        reverse("ledgers:farmhouse_revitalise", args=[idle.pk]),
        reverse("ledgers:civic_figures"),
    ):
        page = operator.get(url)
        assert (url, page.status_code, chinese_left(page.text, names)) == (url, 200, [])


def test_farmhouse_revitalisation_pages(rentals: TownWorld, django_assert_num_queries) -> None:
    w = rentals
    mine = make_house(w, "双合村5组1号", use=HouseUse.IDLE, rooms=3)
    theirs = make_house(w, "火箭村6组2号", use=HouseUse.IDLE, rooms=3, village=w.village_b)
    make_house(w, "双合村5组2号", use=HouseUse.GROUP_RENTAL)  # not idle: not listed
    staff = signed_in(w.village_staff_a)
    page = staff.get(reverse("ledgers:farmhouses"))
    assert ("双合村5组1号" in page.text, "火箭村6组2号" in page.text, "双合村5组2号" in page.text) == (
        True,
        False,
        False,
    )
    assert 'id="figures"' not in page.text  # the town's figures are for its keepers
    url = reverse("ledgers:farmhouse_revitalise", args=[mine.pk])
    failed = staff.post(url, {"revitalised_on": "2026-11-20", "added_income": "很多"})
    assert ("农户增收：“很多”不是金额" in failed.text, 'value="很多"' in failed.text) == (True, True)
    done = staff.post(url, {"revitalised_on": "2026-11-20", "added_income": "3.5万元"})
    assert (done.status_code, done.url) == (302, reverse("ledgers:farmhouses"))
    mine.refresh_from_db()
    assert (mine.revitalisation, str(mine.added_income)) == ("revitalised", "35000.00")
    assert staff.get(reverse("ledgers:farmhouse_revitalise", args=[theirs.pk])).status_code == 404
    operator = signed_in(w.operator)
    operator.get(reverse("ledgers:farmhouses"))
    with django_assert_num_queries(10):
        listed = operator.get(reverse("ledgers:farmhouses"), {"year": "2026"})
    assert "2026年盘活闲置农房1户，农户增收3.5万元" in listed.text
    assert ("<td>35,000</td>" in listed.text, "35000.00" in listed.text) == (True, False)
    assert listed.text.count('data-step="revitalise"') == 2
    for n in range(3, 7):
        make_house(w, f"双合村5组{n}号", use=HouseUse.IDLE)
    with django_assert_num_queries(10):  # as many for six houses as for two
        operator.get(reverse("ledgers:farmhouses"), {"year": "2026"})
    assert signed_in(w.handler_b).get(reverse("ledgers:farmhouses")).text.count('data-step="revitalise"') == 0


def test_civic_figures_page_reads_the_rentals_figures(rentals: TownWorld) -> None:
    w = rentals
    row = record(w, make_house(w, rooms=6), rooms=4)
    close(w, row, MONDAY_0900 + timedelta(minutes=5))
    house = make_house(w, "双合村5组1号", use=HouseUse.IDLE)
    signed_in(w.operator).post(
        reverse("ledgers:farmhouse_revitalise", args=[house.pk]),
        {"revitalised_on": "2026-03-01", "added_income": "12000"},
    )
    page = signed_in(w.operator).get(reverse("ledgers:civic_figures"), {"year": "2026"})
    for text in ("整改群租房", "4间", "盘活闲置农房", "1户", "农户增收", "1.20万元"):
        assert text in page.text, text
