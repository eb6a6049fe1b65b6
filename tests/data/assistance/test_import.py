"""Excel import of 困难群众台账 (payments) and 优待证发放台账 (cards): a dry run with every bad row named in Chinese,
all or nothing, the same file twice writes nothing twice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from gridgov.data.assistance.domain import apply_card, issue_card
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.assistance.importers import PAYMENTS, VETERAN_CARDS
from gridgov.data.assistance.models import Payment, VeteranCard
from gridgov.data.sheets.framework import RowError, dry_run, import_sheet
from tests.data.assistance.people import head, household, id_number
from tests.factories import WORLD_TODAY, TownWorld
from tests.sheets import import_context, workbook

PAYMENT_HEADERS = ["户号", "户主身份证号", "类型", "金额", "发放日期", "资金来源", "发放部门"]
CARD_HEADERS = ["身份证号", "申请日期", "发放日期", "证号"]
TOMORROW = (WORLD_TODAY + timedelta(days=1)).isoformat()
LAST_MONTH = (WORLD_TODAY - timedelta(days=30)).isoformat()


def test_a_good_payment_sheet_is_checked_then_imported_once(world: TownWorld):
    a = household(world, world.village_a, "A-001", "张阿大", serial=1)
    b = household(world, world.village_b, "B-001", "李阿二", serial=2)
    content = workbook(
        PAYMENT_HEADERS,
        [
            ["A-001", "", "低保", "1,200", LAST_MONTH, "县级财政", "综合行政执法中队"],
            ["", id_number(2), "慰问金", "１.２万", WORLD_TODAY.isoformat(), "", "JSB"],
        ],
    )
    checked = dry_run(importer=PAYMENTS, content=content, ctx=import_context(world))
    assert (checked.errors, checked.valid, Payment.objects.count()) == ([], 2, 0)

    report = import_sheet(importer=PAYMENTS, content=content, ctx=import_context(world))
    assert (report.errors, report.imported) == ([], 2)
    rows = set(Payment.objects.values_list("household", "kind", "amount", "source", "department"))
    assert rows == {
        (a.pk, PaymentKind.MINIMUM_LIVING, Decimal("1200.00"), "县级财政", world.dept_a.pk),
        (b.pk, PaymentKind.CONDOLENCE, Decimal("12000.00"), "", world.dept_b.pk),
    }

    again = import_sheet(importer=PAYMENTS, content=content, ctx=import_context(world))
    assert (again.errors, again.skipped, again.imported, Payment.objects.count()) == ([], 2, 0, 2)


def test_bad_payment_rows_are_each_named_and_nothing_is_written(world: TownWorld):
    household(world, world.village_a, "A-001", "张阿大", serial=1)
    content = workbook(
        PAYMENT_HEADERS,
        [
            ["A-001", "", "低保", "1200", LAST_MONTH, "", ""],  # good
            ["X-999", "", "低保", "1200", LAST_MONTH, "", ""],
            ["", id_number(77), "低保", "1200", LAST_MONTH, "", ""],
            ["A-001", "", "低保", "一千二", LAST_MONTH, "", ""],
            ["A-001", "", "低保", "0", LAST_MONTH, "", ""],
            ["A-001", "", "低保", "1200", TOMORROW, "", ""],
            ["A-001", "", "奖金", "1200", LAST_MONTH, "", ""],
            ["", "", "低保", "1200", LAST_MONTH, "", ""],
        ],
    )
    expected = [
        RowError(3, "户号", "人员库中没有户号为“X-999”的户"),
        RowError(4, "户主身份证号", "人员库中没有身份证号为330921********" + id_number(77)[-4:] + "的人员"),
        RowError(5, "金额", "金额：“一千二”不是金额"),
        RowError(6, "金额", "金额必须大于0"),
        RowError(7, "发放日期", "发放日期不能晚于今天"),
        RowError(
            8, "类型", "“奖金”不是可选值（可选：低保、低边、临时救助、慰问金、生活补助、养老保险补助、医疗保险补助）"
        ),
        RowError(9, "户号", "请填写户号或户主身份证号"),
    ]
    checked = dry_run(importer=PAYMENTS, content=content, ctx=import_context(world))
    assert (checked.errors, checked.valid) == (expected, 1)

    report = import_sheet(importer=PAYMENTS, content=content, ctx=import_context(world))
    assert (report.errors, report.imported, Payment.objects.count()) == (expected, 0, 0)


def test_the_card_sheet_imports_applications_and_issues_all_or_nothing(world: TownWorld):
    veteran = head(household(world, world.village_a, "A-001", "陈老兵", serial=4))
    other = head(household(world, world.village_b, "B-001", "周老兵", serial=5))
    good = [
        [id_number(4), LAST_MONTH, WORLD_TODAY.isoformat(), "YDZ-004"],
        [id_number(5), LAST_MONTH, "", ""],
    ]
    bad = [
        [id_number(4), WORLD_TODAY.isoformat(), LAST_MONTH, "YDZ-004"],
        [id_number(99), LAST_MONTH, "", ""],
        [id_number(5), TOMORROW, "", ""],
    ]
    report = import_sheet(importer=VETERAN_CARDS, content=workbook(CARD_HEADERS, good + bad), ctx=import_context(world))
    assert report.errors == [
        RowError(4, "发放日期", "发放日期不能早于申请日期"),
        RowError(5, "身份证号", "人员库中没有身份证号为330921********" + id_number(99)[-4:] + "的人员"),
        RowError(6, "申请日期", "申请日期不能晚于今天"),
    ]
    assert VeteranCard.objects.count() == 0

    report = import_sheet(importer=VETERAN_CARDS, content=workbook(CARD_HEADERS, good), ctx=import_context(world))
    assert (report.errors, report.imported) == ([], 2)
    cards = set(VeteranCard.objects.values_list("resident", "issued_on", "number"))
    assert cards == {(veteran.pk, WORLD_TODAY, "YDZ-004"), (other.pk, None, "")}


def test_the_card_sheet_issues_cards_applied_for_by_hand_and_skips_those_issued(world: TownWorld):
    applied_on = WORLD_TODAY - timedelta(days=20)
    waiting = head(household(world, world.village_a, "A-001", "陈老兵", serial=4))
    done = head(household(world, world.village_b, "B-001", "周老兵", serial=5))
    card = apply_card(town=world.town, actor=world.operator, resident=waiting, applied_on=applied_on)
    finished = apply_card(town=world.town, actor=world.operator, resident=done, applied_on=applied_on)
    issue_card(card=finished, actor=world.operator, issued_on=applied_on, number="YDZ-005")

    too_early = (applied_on - timedelta(days=1)).isoformat()
    bad = import_sheet(
        importer=VETERAN_CARDS,
        content=workbook(CARD_HEADERS, [[id_number(4), (applied_on - timedelta(days=5)).isoformat(), too_early, ""]]),
        ctx=import_context(world),
    )
    day = applied_on
    assert bad.errors == [
        RowError(2, "发放日期", f"发放日期早于已登记的申请日期（{day.year}年{day.month}月{day.day}日）")
    ]

    rows = [
        [id_number(4), LAST_MONTH, WORLD_TODAY.isoformat(), "YDZ-004"],
        [id_number(5), LAST_MONTH, WORLD_TODAY.isoformat(), "X"],
    ]
    report = import_sheet(importer=VETERAN_CARDS, content=workbook(CARD_HEADERS, rows), ctx=import_context(world))
    assert (report.errors, report.skipped, report.imported) == ([], 1, 1)
    cards = set(VeteranCard.objects.values_list("pk", "applied_on", "issued_on", "number"))
    assert cards == {(card.pk, applied_on, WORLD_TODAY, "YDZ-004"), (finished.pk, applied_on, applied_on, "YDZ-005")}
