"""The enterprises' yearly figures pages: the list's filters and its export with the same filters, one enterprise's
years with the entry form (errors next to the field, nothing written), the 低效企业整治 list's status changes,
scope per role, query counts."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gridgov.data.enterprises.domain.enterprises import create_enterprise
from gridgov.data.enterprises.domain.yearly import YearInput, record_year
from gridgov.data.enterprises.enums import Measure, Rectification
from gridgov.data.enterprises.models_yearly import EfficiencyThreshold, EnterpriseYear
from tests.data.enterprises.conftest import EnterpriseWorld, build_enterprise_world, valid_code
from tests.factories import MONDAY_0900, WORLD_TODAY, TownWorld, signed_in

LIST = "/ledgers/years/"
# The session, the user, their memberships, the count (the list) or the rows (the 整治 list), the page's rows, the
# menu's town and unread notifications: the same for 2 rows or for 8; the 整治 list also reads the staff's town and
# the year's threshold.
QUERIES = 7
RECT_QUERIES = 9


@pytest.fixture
def ew(world: TownWorld) -> EnterpriseWorld:
    return build_enterprise_world(world)


def _rows(ew: EnterpriseWorld) -> None:
    op = ew.w.operator
    record_year(
        actor=op,
        data=YearInput(enterprise=ew.shipyard, year=2025, above_scale=True, key=True, fixed_investment="3.2亿"),
        now=MONDAY_0900,
    )
    record_year(
        actor=op,
        data=YearInput(enterprise=ew.chemical, year=2025, low_efficiency=True, land_mu="10", tax="2万"),
        now=MONDAY_0900,
    )


def _sheet(content: bytes) -> list[tuple[object, ...]]:
    return [tuple(r) for r in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)]


def test_the_list_filters_and_exports_the_same_rows(ew: EnterpriseWorld) -> None:
    assert reverse("ledgers:enterprise_years") == LIST
    _rows(ew)
    client = signed_in(ew.w.operator)
    page = client.get(LIST, {"year": "2025", "low": "1"})
    assert "岱西石化储运有限公司" in page.text
    assert "岱西船舶修造有限公司" not in page.text
    page = client.get(LIST, {"above": "1"})
    assert "岱西船舶修造有限公司" in page.text
    assert "岱西石化储运有限公司" not in page.text
    export = client.get(reverse("ledgers:enterprise_years_export"), {"low": "1"})
    rows = _sheet(export.content)
    assert [(r[0], r[2], r[10], r[12], r[13]) for r in rows[1:]] == [
        ("岱西石化储运有限公司", 2025, "2000.00", "是", "未整治")
    ]


def test_an_enterprise_user_sees_its_own_rows_and_others_none(ew: EnterpriseWorld) -> None:
    _rows(ew)
    page = signed_in(ew.shipyard_user).get(LIST)
    assert "岱西船舶修造有限公司" in page.text
    assert "岱西石化储运有限公司" not in page.text
    assert "岱西船舶修造有限公司" not in signed_in(ew.w.grid_worker_a).get(LIST).text
    other = signed_in(ew.shipyard_user).get(reverse("ledgers:enterprise_years_of", args=[ew.chemical.pk]))
    assert other.status_code == 404
    own = signed_in(ew.shipyard_user).get(reverse("ledgers:enterprise_years_of", args=[ew.shipyard.pk]))
    assert own.status_code == 200
    assert "登记或更正年度数据" not in own.text
    refused = signed_in(ew.shipyard_user).post(
        reverse("ledgers:enterprise_years_of", args=[ew.shipyard.pk]), {"year": "2024"}
    )
    assert refused.status_code == 403
    assert EnterpriseYear.objects.filter(year=2024).count() == 0


def test_the_entry_form_records_and_shows_errors_next_to_the_field(ew: EnterpriseWorld) -> None:
    url = reverse("ledgers:enterprise_years_of", args=[ew.shipyard.pk])
    client = signed_in(ew.w.operator)
    bad = client.post(url, {"year": "2025", "land_mu": "0", "tax": "1万"}, headers={"HX-Request": "true"})
    assert "用地面积（亩）应大于0" in bad.text
    assert EnterpriseYear.objects.count() == 0
    ok = client.post(url, {"year": "2025", "land_mu": "12.5", "tax": "3.5万", "output": "1200万"})
    assert ok.status_code == 200
    row = EnterpriseYear.objects.get()
    assert (row.tax_per_mu, row.output_per_mu) == (Decimal("2800.00"), Decimal("960000.00"))
    shown = ("<td>12.5</td>" in ok.text, "<td>2,800</td><td>960,000</td>" in ok.text, "2800.00" in ok.text)
    assert shown == (True, True, False)


def test_the_rectification_list_moves_a_firm_on(ew: EnterpriseWorld) -> None:
    _rows(ew)
    row = EnterpriseYear.objects.get(low_efficiency=True)
    client = signed_in(ew.w.operator)
    page = client.get(reverse("ledgers:enterprise_rectifications"), {"year": "2025"})
    assert "岱西石化储运有限公司" in page.text
    url = reverse("ledgers:enterprise_rectify", args=[row.pk])
    future = client.post(
        url,
        {
            f"r{row.pk}-rectification": Rectification.DONE,
            f"r{row.pk}-rectified_on": (WORLD_TODAY + timedelta(days=1)).isoformat(),
            f"r{row.pk}-measure": Measure.VACATE,
        },
    )
    assert "尚未到来" in future.text
    row.refresh_from_db()
    assert row.rectification == Rectification.PENDING
    client.post(
        url,
        {
            f"r{row.pk}-rectification": Rectification.DONE,
            f"r{row.pk}-rectified_on": WORLD_TODAY.isoformat(),
            f"r{row.pk}-measure": Measure.VACATE,
        },
    )
    row.refresh_from_db()
    assert (row.rectification, row.rectified_on, row.measure) == (Rectification.DONE, WORLD_TODAY, Measure.VACATE)
    day = f"{WORLD_TODAY.year}年{WORLD_TODAY.month}月{WORLD_TODAY.day}日"
    assert f"已整治 · {day}</td>" in client.get(LIST, {"year": "2025"}).text
    assert f"<td>{day}</td>" in client.get(reverse("ledgers:enterprise_rectifications"), {"year": "2025"}).text
    assert signed_in(ew.chemical_user).post(url, {f"r{row.pk}-rectification": "pending"}).status_code == 403


def test_the_list_costs_the_same_queries_for_more_rows(ew: EnterpriseWorld, django_assert_num_queries) -> None:
    _rows(ew)
    client = signed_in(ew.w.operator)
    client.get(LIST)
    with django_assert_num_queries(QUERIES):
        assert client.get(LIST).status_code == 200
    for n in range(6):
        firm = create_enterprise(town=ew.w.town, name=f"岱西企业{n}", credit_code=valid_code(f"91330921MA2A0C{n}X1"))
        record_year(actor=ew.w.operator, data=YearInput(enterprise=firm, year=2025), now=MONDAY_0900)
    with django_assert_num_queries(QUERIES):
        page = client.get(LIST)
    assert page.text.count("岱西企业") == 6
    rect = reverse("ledgers:enterprise_rectifications")
    client.get(rect, {"year": 2025})
    with django_assert_num_queries(RECT_QUERIES):
        client.get(rect, {"year": 2025})
    for n in range(6):
        firm = create_enterprise(town=ew.w.town, name=f"低效企业{n}", credit_code=valid_code(f"91330921MA2A0D{n}X1"))
        record_year(
            actor=ew.w.operator, data=YearInput(enterprise=firm, year=2025, low_efficiency=True), now=MONDAY_0900
        )
    with django_assert_num_queries(RECT_QUERIES):
        assert client.get(rect, {"year": 2025}).text.count("<td>低效企业") == 6


def test_the_pages_read_in_english(ew: EnterpriseWorld) -> None:
    from tests.ui.test_english_pages import _data_names, _english, chinese_left

    _rows(ew)
    client = _english(ew.w.operator)
    names = [*_data_names(), "岱西船舶修造有限公司", "岱西石化储运有限公司"]
    urls = [
        LIST,
        reverse("ledgers:enterprise_rectifications") + "?year=2025",
        reverse("ledgers:enterprise_years_of", args=[ew.shipyard.pk]),
    ]
    left = {url: chinese_left(client.get(url).text, names) for url in urls}
    assert left == {url: [] for url in urls}


def test_the_import_page_is_offered_to_recorders(ew: EnterpriseWorld) -> None:
    upload = reverse("imports:upload", args=["enterprise-years"])
    assert upload in signed_in(ew.w.operator).get(LIST).text
    assert signed_in(ew.w.operator).get(upload).status_code == 200
    assert upload not in signed_in(ew.shipyard_user).get(LIST).text


def test_the_year_in_review_links_its_numbers_to_the_list(ew: EnterpriseWorld) -> None:
    _rows(ew)
    page = signed_in(ew.w.leader).get(reverse("dashboard:year"), {"year": 2025})
    assert page.status_code == 200
    assert f'href="{LIST}?year=2025&amp;new=1"' in page.text
    assert f'href="{LIST}?year=2025&amp;key=1"' in page.text
    listed = signed_in(ew.w.leader).get(LIST, {"year": "2025", "new": "1"})
    assert "岱西船舶修造有限公司" in listed.text
    assert "岱西石化储运有限公司" not in listed.text


def test_the_threshold_form_marks_the_firms_below_it(ew: EnterpriseWorld) -> None:
    _rows(ew)  # the chemical firm: low-efficiency already (2000 元/亩); the shipyard has no land area
    record_year(
        actor=ew.w.operator,
        data=YearInput(enterprise=ew.shipyard, year=2025, land_mu="10", tax="1万"),  # 1000 元/亩
        now=MONDAY_0900,
    )
    url = reverse("ledgers:enterprise_threshold") + "?year=2025"
    client = signed_in(ew.w.operator)
    refused = client.post(url, {"tax_per_mu": "0"}, follow=True)
    assert "亩均税收门槛必须大于0" in refused.text
    done = client.post(url, {"tax_per_mu": "5000"}, follow=True)
    assert "已设定门槛，新标记低效企业1家" in done.text
    assert sorted(EnterpriseYear.objects.filter(low_efficiency=True).values_list("enterprise__name", flat=True)) == [
        "岱西石化储运有限公司",
        "岱西船舶修造有限公司",
    ]
    assert signed_in(ew.shipyard_user).post(url, {"tax_per_mu": "9000"}).status_code == 403


def test_the_threshold_is_not_set_for_a_year_it_cannot_read(ew: EnterpriseWorld) -> None:
    """An unreadable ?year= is refused: the threshold is not quietly set for this year instead."""
    client = signed_in(ew.w.operator)
    said = [
        client.post(reverse("ledgers:enterprise_threshold") + f"?year={year}", {"tax_per_mu": "5000"}, follow=True)
        for year in ("1800", "x")
    ]
    assert ["年份“1800”无效，未设定门槛" in said[0].text, "年份“x”无效，未设定门槛" in said[1].text] == [True, True]
    assert EfficiencyThreshold.objects.count() == 0
