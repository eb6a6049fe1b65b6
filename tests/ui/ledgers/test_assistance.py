"""The assistance pages (救助帮扶): the payments list with its filters, totals per kind and masked names, the
masked export, the form that keeps its input on an error, each role's part, veterans' cards applied → issued,
day care, the navigation link and the list's query count."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gridgov.data.assistance.domain import PaymentInput, apply_card, record_attendance, record_payment
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.assistance.models import DayCareAttendance, Payment, VeteranCard
from gridgov.data.org.models import Department
from gridgov.data.people.models import Household
from tests.data.assistance.people import head, household, id_number, person
from tests.factories import WORLD_TODAY, TownWorld, signed_in

LIST = reverse("ledgers:assistance_payments")
EXPORT = reverse("ledgers:assistance_payments_export")
NEW = reverse("ledgers:assistance_payment_new")
YEAR = WORLD_TODAY.year
WORLD_TODAY_AT_MIDNIGHT = datetime.combine(WORLD_TODAY, datetime.min.time())  # a date as openpyxl reads it back
FIGURE_ROW = r'<tr data-key="(\w+)"><th>[^<]*</th><td><a href="([^"]+)">([^<]+)</a>'


def pay(
    world: TownWorld,
    hh: Household,
    kind: PaymentKind,
    amount: str,
    *,
    day: date = WORLD_TODAY,
    department: Department | None = None,
) -> Payment:
    data = PaymentInput(household=hh, kind=kind, amount=amount, paid_on=day, department=department)
    return record_payment(town=world.town, actor=world.operator, data=data)


@pytest.fixture
def ledger(world: TownWorld) -> dict[str, Household]:
    a = household(world, world.village_a, "A-001", "张阿大", serial=1)
    b = household(world, world.village_b, "B-001", "欧阳锋", serial=2)
    pay(world, a, PaymentKind.MINIMUM_LIVING, "8000", department=world.dept_a)
    pay(world, a, PaymentKind.MINIMUM_LIVING, "4000")
    pay(world, b, PaymentKind.CONDOLENCE, "1.5万", department=world.dept_b)
    pay(world, b, PaymentKind.MINIMUM_LIVING, "900", day=date(YEAR - 1, 12, 20))
    return {"a": a, "b": b}


def _list_rows(text: str) -> str:
    return text[text.index('id="payment-list"') :]


def test_the_list_masks_names_and_totals_the_filtered_rows_per_kind(world: TownWorld, ledger):
    client = signed_in(world.operator)
    page = client.get(LIST, {"year": YEAR})
    assert page.status_code == 200
    rows = _list_rows(page.text)
    assert ("张**" in rows, "欧**" in rows, "张阿大" in page.text, "欧阳锋" in page.text) == (True, True, False, False)
    totals = page.text[page.text.index('id="payment-totals"') : page.text.index('id="payment-list"')]
    assert "<td>低保</td><td>2</td><td>1.2万元</td>" in totals
    assert "<td>慰问金</td><td>1</td><td>1.5万元</td>" in totals
    assert "<th>3</th><th>2.7万元</th>" in totals

    village_b = client.get(LIST, {"village": world.village_b.pk}, headers={"HX-Request": "true"})
    assert "<th>2</th><th>1.59万元</th>" in village_b.text
    assert 'id="payment-filter"' not in village_b.text  # only the rows partial for htmx

    kind = client.get(LIST, {"year": YEAR, "kind": PaymentKind.CONDOLENCE})
    assert "<th>1</th><th>1.5万元</th>" in kind.text


def test_each_row_shows_its_amount_as_written_not_with_cents(world: TownWorld, ledger):
    rows = _list_rows(signed_in(world.operator).get(LIST, {"year": YEAR}).text)
    amounts = re.findall(r"<td>[^<]*</td><td>([^<]*)</td><td class=\"hide-sm\">", rows)
    assert amounts == ["15,000", "4,000", "8,000"]  # the newest first


def test_the_export_has_the_filtered_rows_masked(world: TownWorld, ledger):
    export = signed_in(world.operator).get(EXPORT, {"year": YEAR, "kind": PaymentKind.MINIMUM_LIVING})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:6] == ("户号", "村/社区", "姓名", "类型", "金额（元）", "发放日期")
    assert sorted((r[0], r[2], r[3], Decimal(str(r[4]))) for r in rows[1:]) == [
        ("A-001", "张**", "低保", Decimal(4000)),
        ("A-001", "张**", "低保", Decimal(8000)),
    ]


@pytest.mark.parametrize(
    ("persona", "status", "households"),
    [
        ("operator", 200, {"A-001", "B-001"}),
        ("leader", 200, {"A-001", "B-001"}),
        ("village_staff_a", 200, {"A-001"}),
        ("village_staff_b", 200, {"B-001"}),
        ("handler_a", 200, {"A-001"}),  # only the payment dept A made
        ("grid_worker_a", 403, set()),
        ("resident", 403, set()),
    ],
)
def test_each_role_sees_its_part_on_the_page_and_in_the_export(world: TownWorld, ledger, persona, status, households):
    client = signed_in(getattr(world, persona))
    page = client.get(LIST)
    assert page.status_code == status
    export = client.get(EXPORT)
    assert export.status_code == status
    if status == 200:
        rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
        assert {r[0] for r in rows[1:]} == households


def test_the_form_keeps_its_input_on_an_error_then_records(world: TownWorld, ledger):
    client = signed_in(world.operator)
    form = {
        "household": "A-001",
        "person": "",
        "kind": PaymentKind.TEMPORARY,
        "amount": "一千",
        "paid_on": WORLD_TODAY.isoformat(),
        "source": "县级财政",
        "department": "",
        "note": "",
    }
    bad = client.post(NEW, form)
    assert 'id="amount-errors"><li>金额：“一千”不是金额' in bad.text
    assert ('value="一千"' in bad.text, 'value="县级财政"' in bad.text) == (True, True)
    future = client.post(NEW, {**form, "amount": "1,000", "paid_on": (WORLD_TODAY + timedelta(days=1)).isoformat()})
    assert 'id="paid_on-errors"><li>发放日期不能晚于今天' in future.text
    unknown = client.post(NEW, {**form, "amount": "1,000", "household": "Z-404"})
    assert 'id="household-errors"><li>人员库中没有户号或身份证号为“Z-404”的户' in unknown.text
    person(world, ledger["b"], "李小二", serial=9)  # of household B, not A
    wrong_person = client.post(NEW, {**form, "amount": "1,000", "person": id_number(9)})
    assert 'id="person-errors"><li>所选人员不在该户中' in wrong_person.text
    assert Payment.objects.filter(kind=PaymentKind.TEMPORARY).count() == 0

    good = client.post(NEW, {**form, "amount": "1,000", "household": id_number(1)})
    assert good.status_code == 302
    made = Payment.objects.get(kind=PaymentKind.TEMPORARY)
    assert (made.household, made.amount, made.source, made.recorded_by) == (
        ledger["a"], Decimal("1000.00"), "县级财政", world.operator
    )  # fmt: skip


def test_village_staff_and_handlers_record_only_what_is_theirs(world: TownWorld, ledger):
    form = {"kind": PaymentKind.TEMPORARY, "amount": "500", "paid_on": WORLD_TODAY.isoformat(), "department": ""}
    staff = signed_in(world.village_staff_a)
    # Out of their sight, another village's household is "not found" — by number or by its head's ID number alike.
    refused = staff.post(NEW, {**form, "household": "B-001"})
    assert 'id="household-errors"><li>人员库中没有户号或身份证号为“B-001”的户' in refused.text
    by_id = staff.post(NEW, {**form, "household": id_number(2)})
    masked = id_number(2)[:6] + "********" + id_number(2)[-4:]
    assert f'id="household-errors"><li>人员库中没有户号或身份证号为“{masked}”的户' in by_id.text
    assert staff.post(NEW, {**form, "household": "A-001"}).status_code == 302
    handler = signed_in(world.handler_a)
    assert "您无权以该部门为该户登记发放" in handler.post(NEW, {**form, "household": "B-001"}).text
    ok = handler.post(NEW, {**form, "household": "B-001", "department": str(world.dept_a.pk)})
    assert ok.status_code == 302
    assert signed_in(world.grid_worker_a).post(NEW, {**form, "household": "A-001"}).status_code == 403
    assert sorted(Payment.objects.filter(kind=PaymentKind.TEMPORARY).values_list("household__number", flat=True)) == [
        "A-001",
        "B-001",
    ]


def test_a_card_is_applied_for_and_issued_on_the_pages(world: TownWorld, ledger):
    client = signed_in(world.operator)
    applied_on = WORLD_TODAY - timedelta(days=10)
    made = client.post(
        reverse("ledgers:assistance_card_new"),
        {"person": id_number(1), "applied_on": applied_on.isoformat(), "department": "", "note": ""},
    )
    assert made.status_code == 302
    card = VeteranCard.objects.get()
    issue = reverse("ledgers:assistance_card_issue", args=[card.pk])
    early = client.post(issue, {"issued_on": (applied_on - timedelta(days=1)).isoformat(), "number": "YDZ-9"})
    assert "发放日期不能早于申请日期" in early.text
    assert 'value="YDZ-9"' in early.text
    assert client.post(issue, {"issued_on": WORLD_TODAY.isoformat(), "number": "YDZ-9"}).status_code == 302
    card.refresh_from_db()
    assert (card.issued_on, card.number) == (WORLD_TODAY, "YDZ-9")
    listed = client.get(reverse("ledgers:assistance_cards"), {"status": "issued"})
    assert ("张**" in listed.text, "张阿大" in listed.text, "YDZ-9" in listed.text) == (True, False, True)
    # A grid worker neither sees nor issues cards.
    assert signed_in(world.grid_worker_a).get(reverse("ledgers:assistance_cards")).status_code == 403


def test_village_staff_do_not_issue_another_villages_card(world: TownWorld, ledger):
    card = apply_card(town=world.town, actor=world.operator, resident=head(ledger["b"]), applied_on=WORLD_TODAY)
    issue = reverse("ledgers:assistance_card_issue", args=[card.pk])
    assert signed_in(world.village_staff_a).post(issue, {"issued_on": WORLD_TODAY.isoformat()}).status_code == 404
    assert VeteranCard.objects.get().issued_on is None


def test_day_care_is_recorded_and_listed_masked(world: TownWorld, ledger):
    client = signed_in(world.operator)
    form = {"person": id_number(2), "day": WORLD_TODAY.isoformat(), "provider": "火箭村照料中心", "department": ""}
    assert client.post(reverse("ledgers:assistance_day_care_new"), form).status_code == 302
    again = client.post(reverse("ledgers:assistance_day_care_new"), form)
    assert 'id="day-errors"><li>该人员当天已有照料记录' in again.text
    assert DayCareAttendance.objects.count() == 1
    page = client.get(reverse("ledgers:assistance_day_care"), {"year": YEAR})
    assert ("欧**" in page.text, "欧阳锋" in page.text, "火箭村照料中心" in page.text) == (True, False, True)
    assert "1 人享受日间照料服务" in page.text


def test_the_navigation_links_the_ledger_for_those_who_see_it(world: TownWorld):
    index = reverse("ledgers:index")
    link = f'href="{LIST}"'
    assert link in signed_in(world.operator).get(index).text
    assert link in signed_in(world.village_staff_a).get(index).text
    assert link not in signed_in(world.grid_worker_a).get(index).text


def test_the_list_costs_the_same_queries_for_more_rows(world: TownWorld, ledger, django_assert_num_queries):
    """The session, the user, their memberships (two reads), the count, the totals, the page, the heads of its
    households, the villages of the filter, the menu's town and unread notifications: 11, for 4 rows or for 10."""
    client = signed_in(world.operator)
    client.get(LIST)  # the session's first read
    with django_assert_num_queries(11):
        assert client.get(LIST).status_code == 200
    for n in range(6):
        hh = household(world, world.village_a, f"A-1{n}", "王某某", serial=20 + n)
        pay(world, hh, PaymentKind.LIVING_ALLOWANCE, "300")
    with django_assert_num_queries(11):
        page = client.get(LIST)
    assert _list_rows(page.text).count("王**") == 6


def test_the_pages_read_in_english(world: TownWorld, ledger):
    from tests.ui.test_english_pages import _data_names, _english, chinese_left

    card = apply_card(town=world.town, actor=world.operator, resident=head(ledger["a"]), applied_on=WORLD_TODAY)
    client = _english(world.operator)
    names = _data_names()
    urls = [
        LIST,
        NEW,
        reverse("ledgers:assistance_cards"),
        reverse("ledgers:assistance_card_new"),
        reverse("ledgers:assistance_day_care"),
        reverse("ledgers:assistance_day_care_new"),
        reverse("ledgers:assistance_figures"),
    ]
    left = {url: chinese_left(client.get(url).text, names) for url in urls}
    assert left == {url: [] for url in urls}
    issued = client.post(reverse("ledgers:assistance_card_issue", args=[card.pk]), {"issued_on": "2000-01-01"})
    assert "The date issued cannot be earlier than the date applied" in issued.text
    assert ("Date issued" in issued.text, "Date paid" in client.get(LIST).text) == (True, True)


def test_english_totals_are_whole_amounts_not_ten_thousands(world: TownWorld, ledger):
    from tests.ui.test_english_pages import _english

    page = _english(world.operator).get(LIST, {"year": YEAR}).text
    totals = page[page.index('id="payment-totals"') : page.index('id="payment-list"')]
    assert "<th>3</th><th>27,000 yuan</th>" in totals  # not "2.7 ten thousand yuan"
    assert "ten thousand" not in totals


def test_the_payment_sheet_goes_through_the_import_pages(world: TownWorld, ledger, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gridgov.data.sheets.models import ImportJob, JobMode
    from tests.data.assistance.test_import import PAYMENT_HEADERS
    from tests.sheets import workbook

    client = signed_in(world.operator)
    upload = reverse("imports:upload", args=["assistance-payments"])
    assert client.get(upload).status_code == 200
    before = Payment.objects.count()
    bad = workbook(
        PAYMENT_HEADERS,
        [
            ["A-001", "", "临时救助", "1,000", WORLD_TODAY.isoformat(), "", ""],
            ["X-9", "", "低保", "5", WORLD_TODAY.isoformat(), "", ""],
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload, {"file": SimpleUploadedFile("困难群众台账.xlsx", bad)})
    job = ImportJob.objects.get()
    html = client.get(reverse("imports:job", args=[job.pk])).text
    assert "<td>3</td><td>户号</td><td>人员库中没有户号为“X-9”的户</td>" in html
    assert "确认导入" not in html

    good = workbook(PAYMENT_HEADERS, [["A-001", "", "临时救助", "1,000", WORLD_TODAY.isoformat(), "", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload, {"file": SimpleUploadedFile("困难群众台账.xlsx", good)})
    check = ImportJob.objects.exclude(pk=job.pk).get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[check.pk]))
    done = ImportJob.objects.get(mode=JobMode.IMPORT)
    assert (done.report or {})["imported"] == 1
    assert Payment.objects.count() == before + 1
    assert signed_in(world.village_staff_a).get(upload).status_code in (403, 404)


def test_an_erased_person_is_shown_by_the_placeholder(world: TownWorld, ledger):
    from django.utils import timezone

    from gridgov.data.people.domain import ERASED_NAME, erase_person

    erase_person(user=world.operator, resident=head(ledger["a"]), now=timezone.now())
    rows = _list_rows(signed_in(world.operator).get(LIST, {"village": world.village_a.pk}).text)
    assert (rows.count(f"<td>{ERASED_NAME}</td>"), "张" in rows) == (2, False)


# Exact counts, the same at one row and at five (each row's person, house, village and department in the rows' query).
@pytest.mark.parametrize(("url_name", "queries"), [("ledgers:assistance_cards", 8), ("ledgers:assistance_day_care", 9)])
def test_the_card_and_day_care_lists_cost_the_same_queries_for_more_rows(world: TownWorld, url_name, queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gridgov.data.assistance.domain import record_attendance

    client = signed_in(world.operator)
    url = reverse(url_name)

    def add(n: int) -> None:
        veteran = head(household(world, world.village_a, f"A-{n}", "赵某某", serial=40 + n))
        apply_card(town=world.town, actor=world.operator, resident=veteran, applied_on=WORLD_TODAY)
        record_attendance(town=world.town, actor=world.operator, resident=veteran, day=WORLD_TODAY, provider="中心")

    add(0)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(1, 5):
        add(n)
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    assert (len(one), len(five), page.text.count("赵**")) == (queries, queries, 5)


def test_the_year_figures_link_to_exactly_their_records(world: TownWorld, ledger):
    from gridgov.data.assistance.domain import issue_card, record_attendance

    a, b = ledger["a"], ledger["b"]
    pay(world, a, PaymentKind.PENSION_SUBSIDY, "300")
    pay(world, b, PaymentKind.MEDICAL_SUBSIDY, "200")
    pay(world, b, PaymentKind.LIVING_ALLOWANCE, "1,000")
    issued = apply_card(town=world.town, actor=world.operator, resident=head(a), applied_on=date(YEAR - 1, 6, 1))
    issue_card(card=issued, actor=world.operator, issued_on=date(YEAR, 2, 1), number="YDZ-1")
    apply_card(town=world.town, actor=world.operator, resident=head(b), applied_on=WORLD_TODAY)  # not issued
    for day in (WORLD_TODAY, WORLD_TODAY - timedelta(days=1)):
        record_attendance(town=world.town, actor=world.operator, resident=head(b), day=day, provider="中心")

    client = signed_in(world.operator)
    page = client.get(reverse("ledgers:assistance_figures"), {"year": YEAR}).text
    found = re.findall(FIGURE_ROW, page.replace("&amp;", "&"))
    rows = {key: (url, text) for key, url, text in found}
    assert {key: text for key, (_url, text) in rows.items()} == {
        "assistance_living": "1.3万元",  # 8000 + 4000 + 1000 this year (last year's 900 not)
        "assistance_condolence": "1.5万元",
        "insurance_subsidies": "2人次",
        "veteran_cards_issued": "1名",
        "day_care_persons": "1名",
    }
    living = client.get(rows["assistance_living"][0]).text
    assert "<th>3</th><th>1.3万元</th>" in living
    insurance = client.get(rows["insurance_subsidies"][0]).text
    assert "<th>2</th><th>500元</th>" in insurance
    cards = client.get(rows["veteran_cards_issued"][0]).text
    assert (cards.count('<tr id="card-'), "YDZ-1" in cards) == (1, True)
    assert "1 人享受日间照料服务" in client.get(rows["day_care_persons"][0]).text
    assert signed_in(world.leader).get(reverse("ledgers:assistance_figures")).status_code == 200
    assert signed_in(world.village_staff_a).get(reverse("ledgers:assistance_figures")).status_code == 403


def _sheet(response) -> list[tuple[object, ...]]:
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_card_and_day_care_exports_list_the_filtered_rows_masked(world: TownWorld, ledger):
    card = apply_card(town=world.town, actor=world.operator, resident=head(ledger["a"]), applied_on=WORLD_TODAY)
    apply_card(town=world.town, actor=world.operator, resident=head(ledger["b"]), applied_on=WORLD_TODAY)
    VeteranCard.objects.filter(pk=card.pk).update(issued_on=WORLD_TODAY, number="YDZ-1")
    record_attendance(
        town=world.town, actor=world.operator, resident=head(ledger["b"]), day=WORLD_TODAY, provider="照料中心"
    )
    operator, staff_a = signed_in(world.operator), signed_in(world.village_staff_a)
    issued = _sheet(operator.get(reverse("ledgers:assistance_cards_export"), {"status": "issued", "year": YEAR}))
    assert issued == [
        ("姓名", "村/社区", "申请日期", "发放日期", "证号", "经办部门", "备注"),
        ("张**", "双合村", WORLD_TODAY_AT_MIDNIGHT, WORLD_TODAY_AT_MIDNIGHT, "YDZ-1", None, None),
    ]
    assert [row[0] for row in _sheet(staff_a.get(reverse("ledgers:assistance_cards_export")))[1:]] == ["张**"]
    days = _sheet(operator.get(reverse("ledgers:assistance_day_care_export"), {"year": YEAR}))
    assert days == [
        ("日期", "姓名", "村/社区", "照料机构", "主管部门"),
        (WORLD_TODAY_AT_MIDNIGHT, "欧**", "火箭村", "照料中心", None),
    ]
    assert _sheet(staff_a.get(reverse("ledgers:assistance_day_care_export")))[1:] == []
    assert signed_in(world.grid_worker_a).get(reverse("ledgers:assistance_cards_export")).status_code == 403
