"""Importing a hazard or service-request ledger whose rows are already finished (验收销号, 办结): those rows
become imported cases closed on the row's dates, so the year's figures count them; open rows stay open."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.enums import Action, Kind, Satisfaction, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.enterprises.figures import year_figures
from gridgov.data.enterprises.importers import HAZARDS, SERVICE_REQUESTS
from gridgov.data.enterprises.models import Hazard, ServiceRequest
from gridgov.data.sheets.framework import ImportContext, import_sheet
from gridgov.data.sheets.workbooks import workbook
from tests.data.enterprises.conftest import EnterpriseWorld
from tests.factories import MONDAY_0900, SHANGHAI

HEADERS = ["企业名称", "统一社会信用代码", "台账", "隐患等级", "隐患类别", "隐患部位", "隐患描述", "发现日期",
           "整改期限", "整改完成日期", "验收人", "销号日期"]  # fmt: skip
YEAR_2025 = {"start": date(2025, 1, 1), "end": date(2026, 1, 1)}


def ctx(ew: EnterpriseWorld) -> ImportContext:
    return ImportContext(town=ew.w.town, user=ew.w.operator, now=MONDAY_0900)


def hazard(
    ew: EnterpriseWorld, where: str, *, book: str = "企业自查", grade: str = "一般", **dates: object
) -> list[object]:
    return [
        ew.shipyard.name,
        ew.shipyard.credit_code,
        book,
        grade,
        "电气安全",
        where,
        f"{where}配电箱未接地",
        dates.get("found", date(2025, 3, 3)),
        dates.get("deadline", date(2025, 3, 31)),
        dates.get("rectified", ""),
        dates.get("acceptor", ""),
        dates.get("accepted", ""),
    ]


def hazard_file(ew: EnterpriseWorld) -> bytes:
    return workbook(
        "隐患台账",
        HEADERS,
        [
            hazard(ew, "1号车间", rectified=date(2025, 3, 10), acceptor="王验收", accepted=date(2025, 3, 12)),
            hazard(ew, "2号车间", grade="重大", acceptor="王验收", accepted=date(2025, 4, 1)),
            hazard(ew, "3号车间"),  # still open
            hazard(ew, "码头", book="政府检查", rectified=date(2025, 3, 20)),  # rectified, not yet accepted
        ],
    )


def test_finished_hazards_count_as_rectified_and_reimport_creates_nothing(ew: EnterpriseWorld) -> None:
    report = import_sheet(importer=HAZARDS, content=hazard_file(ew), ctx=ctx(ew))
    assert (report.ok, report.imported) == (True, 4)

    figures = year_figures(town=ew.w.town, as_of=MONDAY_0900, **YEAR_2025)
    assert figures["hazards_self_found"].value == 3
    assert figures["hazards_self_rectified"].value == 2
    assert figures["hazards_self_rate"].value == Decimal("0.6667")  # 2/3
    assert (figures["hazards_gov_found"].value, figures["hazards_gov_rectified"].value) == (1, 0)
    assert figures["hazards_major"].value == 1

    first = Hazard.objects.select_related("case").get(location="1号车间")
    case = first.case
    assert (first.rectified_on, first.acceptor, first.accepted_on) == (date(2025, 3, 10), "王验收", date(2025, 3, 12))
    assert (case.kind, case.status, case.imported, case.enterprise_id) == (
        Kind.HAZARD,
        Status.CLOSED,
        True,
        ew.shipyard.pk,
    )
    assert case.reported_at == datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)
    assert case.dispatched_at == datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)
    assert case.resolved_at == datetime(2025, 3, 10, 17, 0, tzinfo=SHANGHAI)
    assert case.closed_at == datetime(2025, 3, 12, 17, 30, tzinfo=SHANGHAI)
    assert case.handle_deadline == datetime(2025, 3, 31, 17, 30, tzinfo=SHANGHAI)
    assert case.number == f"{ew.w.town.case_prefix or ew.w.town.code}2025-000001"
    steps = list(CaseAction.objects.filter(case=case).order_by("seq").values_list("action", "data__step"))
    assert steps == [(Action.IMPORT, s) for s in ("report", "register", "dispatch", "resolve", "close")]

    major = Hazard.objects.select_related("case").get(location="2号车间")
    assert (major.case.status, major.rectified_on, major.case.priority) == (Status.CLOSED, date(2025, 4, 1), "major")
    dock = Hazard.objects.select_related("case").get(location="码头")
    assert (dock.case.status, dock.rectified_on, dock.accepted_on) == (Status.RESOLVED, date(2025, 3, 20), None)
    still_open = Hazard.objects.select_related("case").get(location="3号车间")
    assert (still_open.case.imported, still_open.case.closed_at) == (False, None)

    assert all(broken is None for _c, broken in verify_chains(Case.objects.all()))

    again = import_sheet(importer=HAZARDS, content=hazard_file(ew), ctx=ctx(ew))
    assert (again.ok, again.imported, again.skipped) == (True, 0, 4)
    assert (Hazard.objects.count(), Case.objects.count()) == (4, 4)


def test_hazard_dates_out_of_order_are_row_errors(ew: EnterpriseWorld) -> None:
    bad = workbook(
        "隐患台账",
        HEADERS,
        [
            hazard(ew, "1号车间", acceptor="王验收", accepted=date(2025, 3, 1)),  # accepted before found
            hazard(ew, "2号车间", rectified=date(2025, 3, 20), acceptor="王验收", accepted=date(2025, 3, 15)),
            hazard(ew, "3号车间", accepted=date(2025, 3, 15)),  # no acceptor
            hazard(ew, "4号车间", rectified=date(2025, 2, 1)),
            hazard(ew, "5号车间", acceptor="王验收", accepted=date(2026, 12, 1)),  # after today
        ],
    )
    report = import_sheet(importer=HAZARDS, content=bad, ctx=ctx(ew))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "销号日期", "验收日期早于发现日期"),
        (3, "销号日期", "验收日期早于整改完成日期"),
        (4, "验收人", "已填验收日期，请填写验收人"),
        (5, "整改完成日期", "整改完成日期早于发现日期"),
        (6, "销号日期", "验收日期晚于今天"),
    ]
    assert (report.imported, Hazard.objects.count(), Case.objects.count()) == (0, 0, 0)


SERVICE_HEADERS = ["企业名称", "统一社会信用代码", "诉求类型", "诉求内容", "提出日期", "办结日期", "协调融资（元）",
                   "企业满意度"]  # fmt: skip


def service_file(ew: EnterpriseWorld) -> bytes:
    code = ew.shipyard.credit_code
    return workbook(
        "企业诉求台账",
        SERVICE_HEADERS,
        [
            [ew.shipyard.name, code, "融资", "流动资金贷款", date(2025, 5, 6), date(2025, 6, 30), "3,000,000", "满意"],
            [ew.shipyard.name, code, "用工", "招工难", date(2025, 7, 1), date(2025, 7, 20), "", ""],
            [ew.shipyard.name, code, "审批", "厂房扩建审批", date(2025, 9, 1), "", "", ""],
        ],
    )


def test_solved_service_requests_count_and_reimport_creates_nothing(ew: EnterpriseWorld) -> None:
    report = import_sheet(importer=SERVICE_REQUESTS, content=service_file(ew), ctx=ctx(ew))
    assert (report.ok, report.imported) == (True, 3)
    loan = ServiceRequest.objects.select_related("case").get(request_type="financing")
    assert (loan.case.kind, loan.case.status, loan.case.satisfaction) == (
        Kind.SERVICE,
        Status.CLOSED,
        Satisfaction.SATISFIED,
    )
    assert loan.case.closed_at == datetime(2025, 6, 30, 17, 30, tzinfo=SHANGHAI)
    assert loan.financing_amount == Decimal("3000000")

    figures = year_figures(town=ew.w.town, as_of=MONDAY_0900, start=date(2025, 1, 1), end=date(2026, 1, 1))
    assert (figures["service_requests"].value, figures["service_solved"].value) == (3, 2)
    assert figures["financing_amount"].value == Decimal("3000000")
    assert all(broken is None for _c, broken in verify_chains(Case.objects.all()))

    again = import_sheet(importer=SERVICE_REQUESTS, content=service_file(ew), ctx=ctx(ew))
    assert (again.ok, again.imported, again.skipped) == (True, 0, 3)
    assert (ServiceRequest.objects.count(), Case.objects.count()) == (3, 3)


def test_service_request_solved_before_raised_is_a_row_error(ew: EnterpriseWorld) -> None:
    code = ew.shipyard.credit_code
    bad = workbook(
        "企业诉求台账",
        SERVICE_HEADERS,
        [
            [ew.shipyard.name, code, "融资", "贷款", date(2025, 5, 6), date(2025, 5, 1), "", ""],
            [ew.shipyard.name, code, "用工", "招工难", date(2025, 7, 1), "", "100", ""],
        ],
    )
    report = import_sheet(importer=SERVICE_REQUESTS, content=bad, ctx=ctx(ew))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "办结日期", "办结日期早于提出日期"),
        (3, "办结日期", "填写了协调融资或满意度的诉求须有办结日期"),
    ]
    assert (report.imported, ServiceRequest.objects.count()) == (0, 0)
