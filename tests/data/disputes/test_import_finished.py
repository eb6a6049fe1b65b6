"""Importing a dispute ledger whose rows are already 化解: they become imported closed cases on their
化解日期 (a backlog petition so closed counts as 积案化解), so 化解率 of past years is right; re-import
creates nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.enums import Kind, Status
from gridgov.data.cases.models import Case
from gridgov.data.disputes.domain import parties_shown
from gridgov.data.disputes.enums import Method, Outcome
from gridgov.data.disputes.figures import year_figures
from gridgov.data.disputes.importers import DISPUTES
from gridgov.data.disputes.models import Dispute
from gridgov.data.sheets.framework import ImportContext, import_sheet
from gridgov.data.sheets.workbooks import workbook
from tests.factories import MONDAY_0900, SHANGHAI, TownWorld

HEADERS = ["受理编号", "类型", "受理日期", "当事人", "联系电话", "事由", "涉及金额（元）", "是否积案", "承办单位",
           "化解日期", "调处方式", "调处结果"]  # fmt: skip


def good_file() -> bytes:
    return workbook(
        "信访与矛盾纠纷",
        HEADERS,
        [
            ["MD-001", "矛盾纠纷", date(2025, 3, 1), "张三", "13900001111", "邻里排水纠纷", "", "否", "ZFZ",
             date(2025, 3, 15), "人民调解", "调解成功"],
            ["LD-001", "劳资纠纷", date(2025, 4, 1), "李四", "", "拖欠工资", "50000", "否", "ZFZ",
             date(2025, 4, 20), "劳动仲裁", "调解成功"],
            ["LD-002", "劳资纠纷", date(2025, 5, 1), "王五", "", "拖欠工资", "8000", "否", "ZFZ", "", "", ""],
            ["XF-001", "信访", date(2025, 2, 1), "赵六", "", "重复信访", "", "是", "ZFZ", date(2025, 3, 30), "", ""],
        ],
    )  # fmt: skip


def test_resolved_disputes_count_and_reimport_creates_nothing(world: TownWorld) -> None:
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    report = import_sheet(importer=DISPUTES, content=good_file(), ctx=ctx)
    assert (report.ok, report.imported) == (True, 4)

    figures = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=MONDAY_0900)
    assert (figures["disputes_received"].value, figures["disputes_resolved"].value) == (3, 2)
    assert figures["disputes_rate"].value == Decimal(2) / Decimal(3)
    assert (figures["labour_disputes"].value, figures["labour_amount"].value) == (1, Decimal("50000"))
    assert (figures["petitions_received"].value, figures["petition_backlog_cleared"].value) == (1, 1)

    labour = Dispute.objects.select_related("case").get(import_key="LD-001")
    case = labour.case
    assert (case.kind, case.status, case.imported, case.department_id) == (
        Kind.DISPUTE,
        Status.CLOSED,
        True,
        world.dept_a.pk,
    )
    assert case.reported_at == datetime(2025, 4, 1, 9, 0, tzinfo=SHANGHAI)
    assert case.closed_at == datetime(2025, 4, 20, 17, 30, tzinfo=SHANGHAI)
    assert (labour.method, labour.outcome, labour.backlog_cleared_at) == (Method.ARBITRATION, Outcome.RESOLVED, None)
    assert [p.name for p in parties_shown(labour)] == ["李*"]
    petition = Dispute.objects.get(import_key="XF-001")
    assert petition.backlog_cleared_at == datetime(2025, 3, 30, 17, 30, tzinfo=SHANGHAI)
    assert Dispute.objects.get(import_key="LD-002").case.status == Status.DISPATCHED
    assert all(broken is None for _c, broken in verify_chains(Case.objects.all()))

    again = import_sheet(importer=DISPUTES, content=good_file(), ctx=ctx)
    assert (again.ok, again.imported, again.skipped) == (True, 0, 4)
    assert (Dispute.objects.count(), Case.objects.count()) == (4, 4)


def test_resolution_before_receipt_is_a_row_error(world: TownWorld) -> None:
    bad = workbook(
        "信访与矛盾纠纷",
        HEADERS,
        [
            ["MD-001", "矛盾纠纷", date(2025, 3, 1), "张三", "", "排水", "", "否", "ZFZ", date(2025, 2, 1), "", ""],
            ["MD-002", "矛盾纠纷", date(2025, 3, 1), "张三", "", "排水", "", "否", "ZFZ", "", "人民调解", ""],
            ["MD-003", "矛盾纠纷", date(2025, 3, 1), "张三", "", "排水", "", "否", "ZFZ", date(2026, 12, 1), "", ""],
        ],
    )  # fmt: skip
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    report = import_sheet(importer=DISPUTES, content=bad, ctx=ctx)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "化解日期", "化解日期早于受理日期"),
        (3, "化解日期", "填写了调处方式或结果的，请填写化解日期"),
        (4, "化解日期", "化解日期晚于今天"),
    ]
    assert (report.imported, Dispute.objects.count(), Case.objects.count()) == (0, 0, 0)
