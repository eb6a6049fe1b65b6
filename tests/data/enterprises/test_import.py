"""Excel import of the enterprise directory, hazards and service requests: good file, bad rows (nothing
imported, every error reported), the same file twice (no duplicates), wrong and corrupt files."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from gridgov.data.cases.models import Case
from gridgov.data.enterprises.domain.hazards import record_hazard
from gridgov.data.enterprises.domain.services import raise_request
from gridgov.data.enterprises.enums import Book, Grade, RequestType
from gridgov.data.enterprises.importers import ENTERPRISES, HAZARDS, SERVICE_REQUESTS
from gridgov.data.enterprises.models import Hazard, ServiceRequest
from gridgov.data.errors import InvalidInput
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Enterprise
from gridgov.data.sheets.framework import ImportContext, dry_run, import_sheet, read_sheet
from gridgov.data.sheets.workbooks import template_workbook, workbook
from tests.data.enterprises.conftest import EnterpriseWorld, valid_code
from tests.data.ledger_bulk import assert_filed_as_engine, assert_write_flat
from tests.factories import MONDAY_0900, SHANGHAI

HAZARD_HEADERS = ["企业名称", "统一社会信用代码", "台账", "隐患等级", "隐患类别", "隐患部位", "隐患描述", "发现日期",
                  "整改责任人", "整改期限", "整改措施", "整改资金（元）"]  # fmt: skip


def ctx(ew: EnterpriseWorld) -> ImportContext:
    return ImportContext(town=ew.w.town, user=ew.w.operator, now=MONDAY_0900)


def test_enterprise_directory_import_good_bad_twice(ew: EnterpriseWorld) -> None:
    code_1, code_2 = valid_code("91330921MA2A0B2F5"), valid_code("91330921MA2A0B2G6")
    good = workbook(
        "企业名录",
        ["企业名称", "统一社会信用代码", "所在村/社区", "联系人", "联系电话"],
        [["岱西水产加工厂", code_1, "双合", "林厂长", "13900001111"], ["岱西机械厂", code_2.lower(), "", "", ""]],
    )
    report = import_sheet(importer=ENTERPRISES, content=good, ctx=ctx(ew))
    assert (report.ok, report.imported, report.skipped) == (True, 2, 0)
    fish = Enterprise.objects.get(credit_code=code_1)
    assert (fish.village, fish.contact_phone) == (ew.w.village_a, "13900001111")
    again = import_sheet(importer=ENTERPRISES, content=good, ctx=ctx(ew))
    assert (again.imported, again.skipped, Enterprise.objects.count()) == (0, 2, 4)
    bad = workbook(
        "企业名录",
        ["企业名称", "统一社会信用代码", "所在村/社区", "联系电话"],
        [
            ["甲厂", valid_code("91330921MA2A0B2H7"), "", ""],
            ["乙厂", "91330921MA2A0B2H7X", "", ""],
            ["丙厂", valid_code("91330921MA2A0B2J8"), "月亮村", ""],
            ["丁厂", valid_code("91330921MA2A0B2K9"), "", "12ab"],
            ["戊厂", valid_code("91330921MA2A0B2H7"), "", ""],
        ],
    )
    report = import_sheet(importer=ENTERPRISES, content=bad, ctx=ctx(ew))
    expected_check = valid_code("91330921MA2A0B2H7")[-1]
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "统一社会信用代码", f"统一社会信用代码“91330921MA2A0B2H7X”校验位错误（应为 {expected_check}），请核对"),
        (4, "所在村/社区", "村社“月亮村”不存在，本镇的村社有：双合村、火箭村"),
        (5, "联系电话", "联系电话“12ab”格式不正确"),
        (6, "", "与第2行重复"),
    ]
    assert (report.imported, Enterprise.objects.count()) == (0, 4)


def hazard_row(ew: EnterpriseWorld, **changes: object) -> list[object]:
    values: dict[str, object] = {
        "企业名称": ew.shipyard.name,
        "统一社会信用代码": ew.shipyard.credit_code,
        "台账": "企业自查",
        "隐患等级": "一般",
        "隐患类别": "电气安全",
        "隐患部位": "1号车间",
        "隐患描述": "配电箱未接地",
        "发现日期": date(2026, 11, 2),
        "整改责任人": "张安全",
        "整改期限": date(2026, 11, 30),
        "整改措施": "更换接地线",
        "整改资金（元）": "1,200",
    }
    values.update(changes)
    return [values[h] for h in HAZARD_HEADERS]


def test_hazard_import_good_file_and_twice(ew: EnterpriseWorld) -> None:
    content = workbook(
        "隐患台账",
        HAZARD_HEADERS,
        [
            hazard_row(ew),
            hazard_row(ew, 台账="政府检查", 隐患等级="重大", 隐患部位="油漆库", 隐患描述="防爆灯具缺失", 整改期限=None),
            hazard_row(ew, 企业名称="", 统一社会信用代码=ew.chemical.credit_code, 台账="第三方", 隐患类别="消防安全"),
        ],
    )
    assert dry_run(importer=HAZARDS, content=content, ctx=ctx(ew)).as_dict() == {
        "importer": "hazards",
        "total": 3,
        "valid": 3,
        "skipped": 0,
        "imported": 0,
        "dry_run": True,
        "errors": [],
    }
    assert Hazard.objects.count() == 0
    report = import_sheet(importer=HAZARDS, content=content, ctx=ctx(ew))
    assert (report.ok, report.imported) == (True, 3)
    rows = list(
        Hazard.objects.order_by("id").values_list(
            "enterprise__name", "book", "grade", "deadline", "funds", "case__supervision_count"
        )
    )
    assert rows == [
        ("岱西船舶修造有限公司", Book.SELF, Grade.GENERAL, date(2026, 11, 30), Decimal("1200.00"), 0),
        ("岱西船舶修造有限公司", Book.GOVERNMENT, Grade.MAJOR, date(2026, 11, 17), Decimal("1200.00"), 1),
        ("岱西石化储运有限公司", Book.THIRD_PARTY, Grade.GENERAL, date(2026, 11, 30), Decimal("1200.00"), 0),
    ]
    again = import_sheet(importer=HAZARDS, content=content, ctx=ctx(ew))
    assert (again.ok, again.imported, again.skipped, Hazard.objects.count(), Case.objects.count()) == (True, 0, 3, 3, 3)


def test_hazard_import_bad_rows_imports_nothing_and_reports_every_error(ew: EnterpriseWorld) -> None:
    content = workbook(
        "隐患台账",
        HAZARD_HEADERS,
        [
            hazard_row(ew),
            hazard_row(ew, 统一社会信用代码="91330100799655058A"),
            hazard_row(ew, 统一社会信用代码="91330100799655058B"),
            hazard_row(ew, 台账="自己查的"),
            hazard_row(ew, 隐患类别="外星入侵"),
            hazard_row(ew, 整改期限=date(2026, 10, 1)),
            hazard_row(ew, **{"整改资金（元）": "-50"}),
            hazard_row(ew, 隐患部位=""),
            hazard_row(ew, 企业名称="别的公司"),
            hazard_row(ew, 发现日期="2026-13-45"),
            hazard_row(ew),
        ],
    )
    report = import_sheet(importer=HAZARDS, content=content, ctx=ctx(ew))
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "统一社会信用代码"),
        (4, "统一社会信用代码"),
        (5, "台账"),
        (6, "隐患类别"),
        (7, "整改期限"),
        (8, "整改资金（元）"),
        (9, "隐患部位"),
        (10, "企业名称"),
        (11, "发现日期"),
        (12, ""),
    ]
    messages = [e.message for e in report.errors]
    assert messages[0] == "统一社会信用代码“91330100799655058A”校验位错误（应为 B），请核对"
    assert messages[1] == "统一社会信用代码“91330100799655058B”不在本镇企业名录中，请先在企业名录中登记该企业"
    assert messages[2] == "“自己查的”不是可选值（可选：企业自查、政府检查、第三方）"
    assert messages[3] == "没有“外星入侵”这个隐患类别"
    assert messages[4] == "整改期限早于发现日期"
    assert messages[5] == "金额不能为负数"
    assert messages[9] == "与第2行重复"
    assert (report.imported, Hazard.objects.count(), Case.objects.count()) == (0, 0, 0)


def test_wrong_and_corrupt_files_are_refused(ew: EnterpriseWorld) -> None:
    with pytest.raises(InvalidInput) as info:
        dry_run(importer=HAZARDS, content="企业名称,统一社会信用代码\n".encode(), ctx=ctx(ew))
    assert info.value.message == "这不是Excel工作簿（.xlsx）文件。请在Excel或WPS中“另存为”.xlsx格式后再上传。"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # a zip, but not a workbook inside
        archive.writestr("xl/workbook.xml", "<broken")
    broken = buffer.getvalue()
    with pytest.raises(InvalidInput) as info:
        dry_run(importer=HAZARDS, content=broken, ctx=ctx(ew))
    assert info.value.message == "Excel文件已损坏或无法读取，请重新保存后再上传"
    # the template is a readable workbook with this importer's headers
    report = dry_run(importer=HAZARDS, content=template_workbook(HAZARDS), ctx=ctx(ew))
    assert report.total == 1  # the example row


def test_service_request_import(ew: EnterpriseWorld) -> None:
    headers = ["企业名称", "统一社会信用代码", "诉求类型", "诉求内容", "提出日期", "提出会议"]
    content = workbook(
        "企业诉求台账",
        headers,
        [
            [ew.shipyard.name, ew.shipyard.credit_code, "融资", "流动资金贷款", date(2026, 9, 1), ""],
            ["", ew.chemical.credit_code, "用工", "招焊工", "2026/10/8", ""],
        ],
    )
    report = import_sheet(importer=SERVICE_REQUESTS, content=content, ctx=ctx(ew))
    assert (report.ok, report.imported) == (True, 2)
    assert list(ServiceRequest.objects.order_by("id").values_list("request_type", "case__reported_at__date")) == [
        (RequestType.FINANCING, date(2026, 9, 1)),
        (RequestType.LABOUR, date(2026, 10, 8)),
    ]
    assert import_sheet(importer=SERVICE_REQUESTS, content=content, ctx=ctx(ew)).skipped == 2
    bad = workbook(
        "企业诉求台账",
        headers,
        [
            [ew.shipyard.name, ew.shipyard.credit_code, "贷款", "x", date(2026, 9, 1), ""],
            [ew.shipyard.name, ew.shipyard.credit_code, "融资", "y", date(2027, 9, 1), ""],
            [ew.shipyard.name, ew.shipyard.credit_code, "融资", "z", date(2026, 9, 1), "不存在的会"],
            ["", "91330100799655058A", "融资", "v", date(2026, 9, 1), ""],
            ["", "91330100799655058B", "融资", "w", date(2026, 9, 1), ""],
        ],
    )
    report = import_sheet(importer=SERVICE_REQUESTS, content=bad, ctx=ctx(ew))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "诉求类型", "“贷款”不是可选值（可选：要素保障、融资、用工、审批、政策）"),
        (3, "提出日期", "提出日期晚于今天"),
        (4, "提出会议", "没有名为“不存在的会”的乡镇长有约，请先登记会议"),
        (5, "统一社会信用代码", "统一社会信用代码“91330100799655058A”校验位错误（应为 B），请核对"),
        (6, "统一社会信用代码", "统一社会信用代码“91330100799655058B”不在本镇企业名录中，请先在企业名录中登记该企业"),
    ]
    assert ServiceRequest.objects.count() == 2


def test_open_hazards_imported_in_bulk_are_filed_as_record_hazard_files_them(ew: EnterpriseWorld) -> None:
    """Open rows are replayed in memory and written through the bulk path: the same case, actions, hazard row,
    audit chain, rollups and owed notifications as ``record_hazard`` gives, without the engine in the import."""
    rows = [
        hazard_row(ew, 隐患部位="1号车间"),
        hazard_row(ew, 台账="政府检查", 隐患等级="重大", 隐患部位="油漆库", 隐患描述="防爆灯具缺失", 整改期限=None),
    ]
    content = workbook("隐患台账", HAZARD_HEADERS, rows)
    report = import_sheet(importer=HAZARDS, content=content, ctx=ctx(ew))
    assert (report.ok, report.imported) == (True, 2)
    imported = list(Hazard.objects.select_related("case").order_by("id"))
    parsed = [HAZARDS.parse_row(values, ctx=ctx(ew)) for _number, values in read_sheet(HAZARDS, content).rows]
    by_engine = [
        record_hazard(actor=ew.w.operator, data=p.data, source_key=p.source_key + "-engine", now=MONDAY_0900)
        for p in parsed
    ]
    assert_filed_as_engine(town=ew.w.town, imported=[h.case for h in imported], by_engine=[h.case for h in by_engine])
    assert [(h.deadline, h.grade, h.book) for h in imported] == [(h.deadline, h.grade, h.book) for h in by_engine]


def service_file(ew: EnterpriseWorld, first: int, n: int) -> bytes:
    kinds = ["融资", "用工", "审批"]
    rows = [
        [ew.shipyard.name if i % 2 else "", (ew.shipyard if i % 2 else ew.chemical).credit_code, kinds[i % 3],
         f"诉求{i}", date(2026, 11, 2 + i % 20), ""]
        for i in range(first, first + n)
    ]  # fmt: skip
    return workbook("企业诉求台账", SERVICE_HEADERS, rows)


SERVICE_HEADERS = ["企业名称", "统一社会信用代码", "诉求类型", "诉求内容", "提出日期", "提出会议"]


def test_open_requests_imported_in_bulk_are_raised_as_raise_request_raises_them(ew: EnterpriseWorld) -> None:
    content = service_file(ew, 1, 2)
    report = import_sheet(importer=SERVICE_REQUESTS, content=content, ctx=ctx(ew))
    assert (report.ok, report.imported) == (True, 2)
    imported = list(ServiceRequest.objects.order_by("id"))
    parsed = [
        SERVICE_REQUESTS.parse_row(values, ctx=ctx(ew))
        for _number, values in read_sheet(SERVICE_REQUESTS, content).rows
    ]
    by_engine = [
        raise_request(
            actor=ew.w.operator, enterprise=p.enterprise, request_type=p.request_type, description=p.description,
            meeting=p.meeting, source_key=p.source_key + "-engine",
            now=datetime.combine(p.raised_on, time(9, 0), tzinfo=SHANGHAI),
        )
        for p in parsed
    ]  # fmt: skip
    assert_filed_as_engine(town=ew.w.town, imported=[r.case for r in imported], by_engine=[r.case for r in by_engine])
    assert [(r.enterprise_id, r.request_type, r.meeting_id) for r in imported] == [
        (r.enterprise_id, r.request_type, r.meeting_id) for r in by_engine
    ]


def test_open_ledger_rows_write_flat_and_a_failing_row_writes_nothing(ew: EnterpriseWorld) -> None:
    assert_write_flat(importer=SERVICE_REQUESTS, ctx=ctx(ew), file_of=lambda first, n: service_file(ew, first, n))
    assert_write_flat(
        importer=HAZARDS,
        ctx=ctx(ew),
        file_of=lambda first, n: workbook(
            "隐患台账", HAZARD_HEADERS, [hazard_row(ew, 隐患部位=f"{i}号车间") for i in range(first, first + n)]
        ),
    )
    before = (Hazard.objects.count(), Case.objects.count())
    # a finished hazard and an open one entered by the other company's user: nothing at all is written
    finished = [*hazard_row(ew, 隐患部位="仓库"), "2026-11-10", "李安监", "2026-11-12"]
    headers = [*HAZARD_HEADERS, "整改完成日期", "验收人", "验收日期"]
    content = workbook("隐患台账", headers, [finished, [*hazard_row(ew, 隐患部位="码头"), "", "", ""]])
    outsider = ImportContext(town=ew.w.town, user=ew.chemical_user, now=MONDAY_0900)
    report = import_sheet(importer=HAZARDS, content=content, ctx=outsider)
    assert [(e.row, e.column) for e in report.errors] == [(0, "")]
    assert (report.imported, Hazard.objects.count(), Case.objects.count()) == (0, *before)


def test_the_enterprise_books_are_imported_by_those_who_manage_the_enterprises(ew: EnterpriseWorld) -> None:
    roles = (Role.OPERATOR, Role.LEADER, Role.ADMIN, Role.HANDLER, Role.VILLAGE_STAFF, Role.ENTERPRISE)
    managers = [True, True, True, False, False, False]
    assert [HAZARDS.allowed(ew.w.persona(role)) for role in roles] == managers
    assert [SERVICE_REQUESTS.allowed(ew.w.persona(role)) for role in roles] == managers
