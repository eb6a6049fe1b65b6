"""Excel import of the funds arrived by month (到位资金台账): leads named by number or exact name, months and amounts
as people write them, a dry run naming each bad row and column in Chinese, the domain's checks (the lead signed, the
month neither to come nor before the signing, the amount above 0), a lead's month once in the file and never
corrected by an import, all or nothing; and the pages that lead to it."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gridgov.data.investment.domain import ArrivalInput, LeadInput, record_arrival, record_lead
from gridgov.data.investment.enums import Industry, Source
from gridgov.data.investment.importers import ARRIVALS
from gridgov.data.investment.models import FundArrival, Lead
from gridgov.data.org.models import User
from gridgov.data.sheets.framework import ImportContext, RowError, dry_run, import_sheet
from gridgov.data.sheets.models import ImportJob, JobMode, JobState
from gridgov.types import CellValue
from tests.factories import WORLD_NOW, TownWorld, signed_in
from tests.sheets import workbook

pytestmark = pytest.mark.django_db
HEADERS = ["项目", "月份", "到位资金", "备注"]


def xlsx(rows: list[list[CellValue]]) -> bytes:
    return workbook(HEADERS, rows)


def _ctx(world: TownWorld, user: User) -> ImportContext:
    return ImportContext(town=world.town, user=user, now=timezone.now())


def _lead(world: TownWorld, name: str, *, signed_on: date | None) -> Lead:
    data = LeadInput(
        town=world.town,
        name=name,
        source=Source.LEADER,
        industry=Industry.SHIPBUILDING,
        lead_on=date(2026, 1, 5),
        talks_on=date(2026, 2, 1) if signed_on else None,
        signed_on=signed_on,
        signed_amount="2亿" if signed_on else None,
    )
    return record_lead(actor=world.operator, data=data, now=WORLD_NOW)


@pytest.fixture
def leads(world: TownWorld) -> dict[str, Lead]:
    found = {
        "ship": _lead(world, "船舶修造项目", signed_on=date(2026, 3, 1)),
        "petro": _lead(world, "石化配套项目", signed_on=date(2026, 2, 10)),
        "talks": _lead(world, "洽谈项目", signed_on=None),
        "twin_1": _lead(world, "重名项目", signed_on=date(2026, 3, 1)),
        "twin_2": _lead(world, "重名项目", signed_on=date(2026, 4, 1)),
    }
    august = ArrivalInput(lead=found["ship"], year=2026, month=8, amount="100万")
    record_arrival(actor=world.operator, data=august, now=WORLD_NOW)
    return found


def _good(leads: dict[str, Lead]) -> list[list[CellValue]]:
    return [
        [leads["ship"].pk, "2026-03", "3,500万", "首期"],  # by number (a number cell), months as people write them
        ["船舶修造项目", "2026年4月", "1.2亿", ""],
        [str(leads["ship"].pk), "2026/5", "１２００万", ""],  # full-width digits
        ["石化配套项目", datetime(2026, 2, 1), 500000, ""],  # Excel made 2026-02 a date
        ["石化配套项目", "２０２６年７月", "80万元", ""],
        [str(leads["twin_2"].pk), "202610", "300万", ""],  # a name two leads bear: by number
        ["船舶修造项目", "2026-08", "100万", ""],  # entered before with the same amount: skipped
    ]


def test_a_good_sheet_is_checked_then_imported_once(world: TownWorld, investor: User, leads: dict[str, Lead]):
    content = xlsx(_good(leads))
    checked = dry_run(importer=ARRIVALS, content=content, ctx=_ctx(world, investor))
    assert (checked.errors, checked.valid, checked.skipped, FundArrival.objects.count()) == ([], 7, 1, 1)
    report = import_sheet(importer=ARRIVALS, content=content, ctx=_ctx(world, investor))
    assert (report.errors, report.imported, report.skipped) == ([], 6, 1)
    rows = set(FundArrival.objects.values_list("lead__name", "year", "month", "amount", "note", "town"))
    assert rows == {
        ("船舶修造项目", 2026, 3, Decimal(35_000_000), "首期", world.town.pk),
        ("船舶修造项目", 2026, 4, Decimal(120_000_000), "", world.town.pk),
        ("船舶修造项目", 2026, 5, Decimal(12_000_000), "", world.town.pk),
        ("船舶修造项目", 2026, 8, Decimal(1_000_000), "", world.town.pk),
        ("石化配套项目", 2026, 2, Decimal(500_000), "", world.town.pk),
        ("石化配套项目", 2026, 7, Decimal(800_000), "", world.town.pk),
        ("重名项目", 2026, 10, Decimal(3_000_000), "", world.town.pk),
    }
    assert FundArrival.objects.get(lead=leads["twin_2"]).created_by == investor
    again = import_sheet(importer=ARRIVALS, content=content, ctx=_ctx(world, investor))
    assert (again.errors, again.imported, again.skipped, FundArrival.objects.count()) == ([], 0, 7, 7)


def test_each_bad_row_is_named_in_chinese_and_nothing_is_written(
    world: TownWorld, investor: User, leads: dict[str, Lead]
):
    ship = leads["ship"].pk
    bad = [
        ["船舶修造项目", "2026-03", "3,500万", ""],  # row 2: good
        ["没有的项目", "2026-03", "100万", ""],
        [999999, "2026-03", "100万", ""],
        ["重名项目", "2026-05", "100万", ""],
        ["洽谈项目", "2026-05", "100万", ""],
        [ship, "2026-12", "100万", ""],  # WORLD_TODAY is in November 2026
        [ship, "2026-02", "100万", ""],  # signed 2026-03-01
        [ship, "三月", "100万", ""],
        [ship, "2026-13", "100万", ""],
        [ship, 2026.1, "100万", ""],
        [ship, "2026-06", "很多", ""],
        [ship, "2026-06", "0", ""],
        [ship, "2026-06", None, ""],
        [ship, "2026年3月", "200万", ""],  # the month of row 2 again
        [ship, "2026-08", "150万", ""],  # entered before as 100万
    ]
    content = xlsx(bad)
    checked = dry_run(importer=ARRIVALS, content=content, ctx=_ctx(world, investor))
    assert checked.errors == [
        RowError(3, "项目", "找不到名为“没有的项目”的招商项目"),
        RowError(4, "项目", "找不到编号为999999的招商项目"),
        RowError(5, "项目", "名为“重名项目”的招商项目不止一个，请改填项目编号（见项目页面）"),
        RowError(6, "项目", "到位资金：项目“洽谈项目”尚未签约"),
        RowError(7, "月份", "月份：2026年12月尚未到来"),
        RowError(8, "月份", "月份：2026年2月早于签约（2026年3月1日）"),
        RowError(9, "月份", "“三月”不是月份，请写成2022-03、2022年3月或2022/3"),
        RowError(10, "月份", "月份：应为1至12，而不是13"),
        RowError(11, "月份", "“2026.1”分不清月份，请写成2022年10月或2022-10"),
        RowError(12, "到位资金", "“很多”不是金额"),
        RowError(13, "到位资金", "到位资金必须大于0"),
        RowError(14, "到位资金", "必填项为空"),
        RowError(15, "", "与第2行重复"),
        RowError(
            16,
            "月份",
            "项目“船舶修造项目”2026年8月的到位资金已登记为1,000,000.00元，导入不更正已登记的月份，请在项目页面更正",
        ),
    ]
    assert (checked.valid, FundArrival.objects.count()) == (1, 1)
    report = import_sheet(importer=ARRIVALS, content=content, ctx=_ctx(world, investor))
    assert (report.imported, len(report.errors)) == (0, 14)
    assert list(FundArrival.objects.values_list("month", "amount")) == [(8, Decimal(1_000_000))]


def test_one_bad_row_and_nothing_is_written(world: TownWorld, investor: User, leads: dict[str, Lead]):
    rows = [*_good(leads), ["洽谈项目", "2026-05", "100万", ""]]
    report = import_sheet(importer=ARRIVALS, content=xlsx(rows), ctx=_ctx(world, investor))
    assert (report.imported, [(e.row, e.column) for e in report.errors]) == (0, [(9, "项目")])
    assert FundArrival.objects.count() == 1  # only the arrival entered before


def test_only_those_who_keep_the_ledger_may_import(world: TownWorld, leads: dict[str, Lead]):
    personas = ("operator", "leader", "admin", "handler_a", "village_staff_a", "grid_worker_a")
    assert [ARRIVALS.allowed(getattr(world, p)) for p in personas] == [True, True, True, False, False, False]
    report = import_sheet(importer=ARRIVALS, content=xlsx(_good(leads)[:1]), ctx=_ctx(world, world.handler_a))
    assert (report.imported, [e.message for e in report.errors], FundArrival.objects.count()) == (
        0,
        ["您无权登记岱西镇的招商引资信息"],
        1,
    )


def test_the_investment_pages_lead_to_the_import_and_its_template(world: TownWorld, leads: dict[str, Lead]):
    client = signed_in(world.operator)
    upload = reverse("imports:upload", args=["investment-arrivals"])
    for page in ("ledgers:investment_leads", "ledgers:investment_arrivals"):
        assert f'href="{upload}"' in client.get(reverse(page)).text
    assert client.get(upload).status_code == 200
    lead_page = client.get(reverse("ledgers:investment_lead", args=[leads["ship"].pk])).text
    assert f'<dd id="lead-number">{leads["ship"].pk}</dd>' in lead_page  # the number a sheet may name it by
    book = load_workbook(io.BytesIO(client.get(reverse("imports:template", args=["investment-arrivals"])).content))
    assert [c.value for c in book.worksheets[0][1]] == ["*项目", "*月份", "*到位资金", "备注"]
    notes = " ".join(str(c.value) for row in book.worksheets[1].iter_rows() for c in row if c.value)
    assert "项目编号（项目页面所示）或项目全称" in notes
    assert signed_in(world.handler_a).get(upload).status_code == 404


def test_the_economic_department_checks_then_confirms_on_the_import_pages(
    world: TownWorld, investor: User, leads: dict[str, Lead], django_capture_on_commit_callbacks
):
    client = signed_in(investor)
    content = xlsx(_good(leads))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:upload", args=["investment-arrivals"]),
            {"file": SimpleUploadedFile("到位资金.xlsx", content)},
        )
    check = ImportJob.objects.get()
    assert (check.mode, check.state, (check.report or {})["valid"], FundArrival.objects.count()) == (
        JobMode.DRY_RUN, JobState.DONE, 7, 1,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[check.pk]))
    done = ImportJob.objects.exclude(pk=check.pk).get()
    assert (done.state, (done.report or {})["imported"], FundArrival.objects.count()) == (JobState.DONE, 6, 7)
    page = client.get(reverse("ledgers:investment_arrivals"), {"year": "2026"}).text
    assert '<th id="arrivals-total">1.72亿元</th>' in page  # 17,230万: the six rows imported and August entered before
