"""The village collective economy's pages (村级集体经济): the year table (each kind, the total, last year's operating
income, the growth, 超50万元), the 红榜, the filters, the export, a village's months and its entry form (htmx, a
correction naming who corrected and when, an error that writes nothing), each role's part, the menu entry and the
year table's query count."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gridgov.data.collective.domain import IncomeInput, record_income
from gridgov.data.collective.enums import IncomeKind
from gridgov.data.collective.models import VillageIncome
from gridgov.data.org.domain import create_area
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.ui.web.menu import allows
from tests.factories import WORLD_TODAY, TownWorld, signed_in
from tests.ui.test_english_pages import _data_names, chinese_left

TABLE = reverse("ledgers:collective")
EXPORT = reverse("ledgers:collective_export")
YEAR = WORLD_TODAY.year
HTMX = {"HX-Request": "true"}
# The pages' queries: the session, the user, memberships, the town, the villages, the latest month entered, the sums
# (the months), the menu.
QUERIES = 9
VILLAGE_QUERIES = 9


def village_page(village: Area) -> str:
    return reverse("ledgers:collective_village", args=[village.pk])


def enter(world: TownWorld, village: Area, year: int, month: int, kind: IncomeKind, amount: str) -> VillageIncome:
    data = IncomeInput(village=village, year=year, month=month, kind=kind, amount=amount)
    return record_income(actor=world.operator, data=data, now=timezone.now())  # the world's clock


@pytest.fixture
def ledger(world: TownWorld) -> None:
    a, b = world.village_a, world.village_b
    enter(world, a, YEAR, 1, IncomeKind.OPERATING, "40万")
    enter(world, a, YEAR, 2, IncomeKind.OPERATING, "20万")
    enter(world, a, YEAR, 3, IncomeKind.SUBSIDY, "5万")
    enter(world, a, YEAR - 1, 2, IncomeKind.OPERATING, "50万")
    enter(world, b, YEAR, 1, IncomeKind.OPERATING, "30万")
    enter(world, b, YEAR, 1, IncomeKind.NON_OPERATING, "8000")
    enter(world, b, YEAR - 1, 1, IncomeKind.OPERATING, "20万")


def _row(text: str, village: Area) -> list[str]:
    row = re.search(rf'<tr data-village="{village.pk}">(.*?)</tr>', text, re.S)
    assert row is not None
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def test_the_year_table_has_each_kind_the_growth_and_the_threshold(world: TownWorld, ledger):
    page = signed_in(world.operator).get(TABLE, {"year": YEAR})
    assert page.status_code == 200
    assert _row(page.text, world.village_a) == [
        "双合村",
        "60万元 超50万元",
        "0元",
        "5万元",
        "65万元",
        "50万元",
        "20.0%",
    ]
    assert _row(page.text, world.village_b) == ["火箭村", "30万元", "8000元", "0元", "30.8万元", "20万元", "50.0%"]
    total = page.text[page.text.index('id="collective-total"') :]
    assert "<th>90万元</th><th>8000元</th><th>5万元</th><th>95.8万元</th><th>70万元</th><th>28.6%</th>" in total

    last_year = signed_in(world.operator).get(TABLE, {"year": YEAR - 1})
    assert _row(last_year.text, world.village_a) == ["双合村", "50万元", "0元", "0元", "50万元", "0元", "—"]
    assert 'data-over="1"' not in last_year.text  # 50万 is not over 50万


def test_the_red_list_ranks_by_operating_income_and_by_growth(world: TownWorld, ledger):
    page = signed_in(world.operator).get(TABLE, {"year": YEAR})

    def ranking(table_id: str) -> list[tuple[str, str]]:
        part = page.text[page.text.index(f'id="{table_id}"') :]
        part = part[: part.index("</table>")]
        rows = re.findall(r"<td>\d+</td><td>([^<]+)(?:<span[^>]*>[^<]*</span>)?</td><td>([^<]+)</td>", part)
        return [(name.strip(), value) for name, value in rows]

    assert ranking("red-income") == [("双合村", "60万元"), ("火箭村", "30万元")]
    assert ranking("red-growth") == [("火箭村", "50.0%"), ("双合村", "20.0%")]


def test_the_village_filter_answers_htmx_with_the_rows_only(world: TownWorld, ledger):
    page = signed_in(world.operator).get(TABLE, {"year": YEAR, "village": world.village_b.pk}, headers=HTMX)
    assert 'id="collective-filter"' not in page.text
    assert (
        f'data-village="{world.village_b.pk}"' in page.text,
        f'data-village="{world.village_a.pk}"' in page.text,
    ) == (
        True,
        False,
    )


def test_the_export_has_the_filtered_year(world: TownWorld, ledger):
    export = signed_in(world.operator).get(EXPORT, {"year": YEAR})
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("村", "年度", "经营性收入（元）")
    assert [(r[0], r[1], Decimal(str(r[2])), Decimal(str(r[5])), r[7], r[8]) for r in rows[1:]] == [
        ("双合村", YEAR, Decimal(600000), Decimal(650000), "20.0%", "是"),
        ("火箭村", YEAR, Decimal(300000), Decimal(308000), "50.0%", None),
    ]


@pytest.mark.parametrize(
    ("persona", "status", "villages"),
    [
        ("operator", 200, {"a", "b"}),
        ("leader", 200, {"a", "b"}),
        ("admin", 200, {"a", "b"}),
        ("village_staff_a", 200, {"a"}),
        ("village_staff_b", 200, {"b"}),
        ("handler_a", 403, set()),
        ("grid_worker_a", 403, set()),
        ("resident", 403, set()),
        ("enterprise", 403, set()),
    ],
)
def test_each_role_sees_its_villages(world: TownWorld, ledger, persona: str, status: int, villages: set[str]):
    user: User = getattr(world, persona)
    client = signed_in(user)
    page = client.get(TABLE, {"year": YEAR})
    assert page.status_code == status
    assert client.get(EXPORT).status_code == status
    assert allows(user, "collective") is (status == 200)
    pages = {
        name: client.get(village_page(v)).status_code for name, v in (("a", world.village_a), ("b", world.village_b))
    }
    assert {name for name, code in pages.items() if code == 200} == villages
    if status == 200:
        shown = {
            name
            for name, v in (("a", world.village_a), ("b", world.village_b))
            if f'data-village="{v.pk}"' in page.text
        }
        assert shown == villages
        assert {code for name, code in pages.items() if name not in villages} <= {404}
        export = load_workbook(io.BytesIO(client.get(EXPORT, {"year": YEAR}).content)).active
        assert len(list(export.iter_rows(values_only=True))) - 1 == len(villages)


def test_village_staff_record_for_their_village_and_correct_it(world: TownWorld, ledger):
    client = signed_in(world.village_staff_a)
    url = f"{village_page(world.village_a)}?year={YEAR}"
    first = client.post(url, {"month": "4", "kind": IncomeKind.OPERATING, "amount": "12,000", "note": ""}, headers=HTMX)
    assert first.status_code == 200
    assert 'id="collective-recorded"' in first.text
    assert "<h1>" not in first.text
    row = re.search(r'<tr data-month="4">(.*?)</tr>', first.text, re.S)
    assert row is not None
    assert "1.2万元" in row.group(1)
    assert "更正" not in row.group(1)

    second = client.post(
        url, {"month": "4", "kind": IncomeKind.OPERATING, "amount": "1.5万", "note": "复核"}, headers=HTMX
    )
    row = re.search(r'<tr data-month="4">(.*?)</tr>', second.text, re.S)
    assert row is not None
    assert "1.5万元" in row.group(1)
    assert f"吴村干于{WORLD_TODAY.year}年{WORLD_TODAY.month}月{WORLD_TODAY.day}日更正" in row.group(1)
    income = VillageIncome.objects.get(village=world.village_a, year=YEAR, month=4, kind=IncomeKind.OPERATING)
    assert (income.amount, income.note, income.updated_by) == (Decimal(15000), "复核", world.village_staff_a)


def test_a_bad_amount_is_named_and_writes_nothing(world: TownWorld, ledger):
    client = signed_in(world.operator)
    before = VillageIncome.objects.count()
    page = client.post(
        f"{village_page(world.village_b)}?year={YEAR}",
        {"month": "5", "kind": IncomeKind.SUBSIDY, "amount": "一万", "note": ""},
        headers=HTMX,
    )
    assert page.status_code == 200
    errors = re.search(r'id="amount-errors">(.*?)</ul>', page.text, re.S)
    assert errors is not None
    assert errors.group(1) == "<li>金额：“一万”不是金额</li>"
    assert 'value="一万"' in page.text  # what was typed stays
    assert VillageIncome.objects.count() == before


def test_a_month_not_yet_come_is_refused(world: TownWorld, ledger):
    if WORLD_TODAY.month == 12:
        pytest.skip("every month of the world's year has come")
    page = signed_in(world.operator).post(
        f"{village_page(world.village_a)}?year={YEAR}",
        {"month": str(WORLD_TODAY.month + 1), "kind": IncomeKind.OPERATING, "amount": "100"},
        headers=HTMX,
    )
    assert re.search(r'id="month-errors">.*尚未到来', page.text, re.S) is not None


def test_who_sees_the_form_and_who_may_post(world: TownWorld, ledger):
    leader = signed_in(world.leader)
    assert 'id="income-form"' not in leader.get(village_page(world.village_a)).text
    post = {"month": "1", "kind": IncomeKind.OPERATING, "amount": "1"}
    assert leader.post(village_page(world.village_a), post).status_code == 403
    assert signed_in(world.village_staff_a).post(village_page(world.village_b), post).status_code == 404
    assert 'id="income-form"' in signed_in(world.operator).get(village_page(world.village_b)).text
    redirect = signed_in(world.operator).post(f"{village_page(world.village_b)}?year={YEAR}", post)
    assert (redirect.status_code, redirect["Location"]) == (302, f"{village_page(world.village_b)}?year={YEAR}")


def test_the_year_table_costs_the_same_queries_for_more_villages(world: TownWorld, ledger, django_assert_num_queries):
    client = signed_in(world.operator)
    client.get(TABLE)  # the first request of a session writes to it
    with django_assert_num_queries(QUERIES):
        client.get(TABLE, {"year": YEAR})
    for n in range(3):
        village = create_area(code=f"33092110221{n}", name=f"新村{n}", level=AreaLevel.VILLAGE, parent=world.town)
        for month in (1, 2, 3):
            enter(world, village, YEAR, month, IncomeKind.OPERATING, "1万")
            enter(world, village, YEAR - 1, month, IncomeKind.SUBSIDY, "1万")
    with django_assert_num_queries(QUERIES):
        page = client.get(TABLE, {"year": YEAR})
    assert page.text.count("<tr data-village=") == 5


def test_the_village_page_costs_the_same_queries_for_more_months(world: TownWorld, ledger, django_assert_num_queries):
    client = signed_in(world.operator)
    client.get(TABLE)  # the first request of a session writes to it
    with django_assert_num_queries(VILLAGE_QUERIES):
        page = client.get(village_page(world.village_b), {"year": YEAR})
    for month in range(2, 10):
        enter(world, world.village_b, YEAR, month, IncomeKind.SUBSIDY, "1万")
        data = IncomeInput(village=world.village_b, year=YEAR, month=month, kind=IncomeKind.SUBSIDY, amount="2万")
        record_income(actor=world.village_staff_b, data=data, now=timezone.now())  # corrected: who and when shown
    with django_assert_num_queries(VILLAGE_QUERIES):
        page = client.get(village_page(world.village_b), {"year": YEAR})
    assert page.text.count('data-corrected="1"') == 8


def test_the_pages_read_in_english(world: TownWorld, ledger):
    data = IncomeInput(village=world.village_a, year=YEAR, month=1, kind=IncomeKind.OPERATING, amount="41万")
    record_income(actor=world.village_staff_a, data=data, now=timezone.now())  # a correction: who and when
    client = Client()
    client.force_login(world.operator)
    client.cookies["django_language"] = "en"
    names = _data_names()
    pages = [
        f"{TABLE}?year={YEAR}",
        f"{village_page(world.village_a)}?year={YEAR}",
        reverse("ledgers:collective_supports"),
    ]
    left = {url: chinese_left(client.get(url).text, names) for url in pages}
    assert left == {url: [] for url in pages}


@pytest.mark.parametrize(("persona", "status"), [("operator", 200), ("village_staff_a", 200), ("leader", 404)])
def test_the_import_link_opens_the_upload_page_for_those_who_import(world: TownWorld, persona: str, status: int):
    client = signed_in(getattr(world, persona))
    upload = reverse("imports:upload", args=["collective-incomes"])
    assert (f'href="{upload}"' in client.get(TABLE).text) is (status == 200)
    assert client.get(upload).status_code == status


def test_a_year_in_progress_is_compared_with_the_same_months_of_the_year_before(world: TownWorld, ledger):
    """This year has entries up to March: last year's June (30万) is not in the comparison (上年同期) until this
    year's June is entered; last year itself, finished, compares all its months."""
    enter(world, world.village_a, YEAR - 1, 6, IncomeKind.OPERATING, "30万")
    client = signed_in(world.operator)
    assert _row(client.get(TABLE, {"year": YEAR}).text, world.village_a)[5:] == ["50万元", "20.0%"]
    enter(world, world.village_b, YEAR, 6, IncomeKind.OPERATING, "1万")
    assert _row(client.get(TABLE, {"year": YEAR}).text, world.village_a)[5:] == ["80万元", "-25.0%"]
