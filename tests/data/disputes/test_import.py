"""Excel import of the civic ledgers: a good file, a file with bad rows (nothing written, every error
reported with its row), the same file twice (no duplicates)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from gridgov.data.cases.models import Case
from gridgov.data.disputes.importers import DISPUTES
from gridgov.data.disputes.models import Dispute
from gridgov.data.inspections.domain import ItemSpec, create_round
from gridgov.data.inspections.importers import INSPECTION_PROBLEMS
from gridgov.data.inspections.models import InspectionProblem
from gridgov.data.problemlists.domain import create_list
from gridgov.data.problemlists.importers import PROBLEM_ITEMS
from gridgov.data.problemlists.models import ProblemItem
from gridgov.data.sheets.framework import ImportContext, dry_run, import_sheet
from tests.factories import MONDAY_0900, TownWorld, at
from tests.sheets import workbook

DISPUTE_HEADERS = [
    "受理编号",
    "类型",
    "受理日期",
    "当事人",
    "联系电话",
    "身份证号",
    "事由",
    "涉及金额（元）",
    "是否积案",
    "承办单位",
    "所在村",
]
GOOD_DISPUTES: list[list[Any]] = [
    [
        "LD-001",
        "劳资纠纷",
        "2026-11-02",
        "王五",
        "13900001111",
        "",
        "船厂拖欠工资",
        "96万元",
        "否",
        "综合行政执法中队",
        "双合村",
    ],
    ["XF-001", "信访", date(2026, 10, 8), "赵六", "", "", "反映征地补偿", "", "是", "ZFZ", ""],
]


def test_disputes_good_file_then_same_file_again(world: TownWorld) -> None:
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    content = workbook(DISPUTE_HEADERS, GOOD_DISPUTES)
    report = dry_run(importer=DISPUTES, content=content, ctx=ctx)
    assert (report.total, report.valid, report.errors, Dispute.objects.count()) == (2, 2, [], 0)
    report = import_sheet(importer=DISPUTES, content=content, ctx=ctx)
    assert (report.imported, report.errors) == (2, [])
    labour = Dispute.objects.get(import_key="LD-001")
    assert (labour.type, labour.amount, labour.received_on, labour.case.village) == (
        "labour",
        Decimal("960000.00"),
        date(2026, 11, 2),
        world.village_a,
    )
    assert Dispute.objects.get(import_key="XF-001").backlog is True
    again = import_sheet(importer=DISPUTES, content=content, ctx=ctx)
    assert (again.imported, again.skipped, Dispute.objects.count()) == (0, 2, 2)


def test_disputes_bad_rows_import_nothing(world: TownWorld) -> None:
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    rows: list[list[Any]] = [
        GOOD_DISPUTES[0],
        ["LD-002", "吵架", "2026-11-02", "甲", "", "", "x", "", "", "ZFZ", ""],
        ["LD-003", "劳资纠纷", "2026-11-02", "乙", "", "", "x", "-500", "", "ZFZ", "月亮村"],
        ["LD-004", "劳资纠纷", "2026-12-30", "丙", "12", "330921199001011230", "x", "", "", "不存在的所", ""],
        GOOD_DISPUTES[0],
    ]
    report = import_sheet(importer=DISPUTES, content=workbook(DISPUTE_HEADERS, rows), ctx=ctx)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "类型", "“吵架”不是可选值（可选：信访、矛盾纠纷、劳资纠纷）"),
        (4, "所在村", "村社“月亮村”不存在，本镇的村社有：双合村、火箭村"),
        (5, "受理日期", "受理日期晚于今天"),
        (6, "", "与第2行重复"),
    ]
    assert (report.imported, Dispute.objects.count(), Case.objects.count()) == (0, 0, 0)
    negative_row = ["LD-003", "劳资纠纷", "2026-11-02", "乙", "", "", "x", "-500", "", "ZFZ", ""]
    negative = import_sheet(importer=DISPUTES, content=workbook(DISPUTE_HEADERS, [negative_row]), ctx=ctx)
    assert [(e.column, e.message) for e in negative.errors] == [("涉及金额（元）", "金额不能为负数")]
    huge_row = ["LD-006", "劳资纠纷", "2026-11-02", "丁", "", "", "x", "99999999亿", "", "ZFZ", ""]
    huge = dry_run(importer=DISPUTES, content=workbook(DISPUTE_HEADERS, [GOOD_DISPUTES[1], huge_row]), ctx=ctx)
    too_large = (3, "涉及金额（元）", "涉及金额过大，请核对（单位：元）")
    assert [(e.row, e.column, e.message) for e in huge.errors] == [too_large]
    bad_id = ["LD-005", "劳资纠纷", "2026-11-02", "丙", "", "330921199001011230", "x", "", "", "ZFZ", ""]
    report = import_sheet(importer=DISPUTES, content=workbook(DISPUTE_HEADERS, [bad_id]), ctx=ctx)
    assert [(e.column, e.message) for e in report.errors] == [("身份证号", "身份证号 330921********1230 校验位不正确")]


def test_problem_items_import(world: TownWorld) -> None:
    create_list(town=world.town, actor=world.operator, name="基层治理问题清单")
    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    headers = ["清单名称", "问题编号", "问题描述", "问题来源", "责任单位", "责任人", "整改措施", "发现日期", "整改时限"]
    good = [
        [
            "基层治理问题清单",
            "JC-1",
            "资料不全",
            "上级交办",
            "村镇建设办",
            "钱建设",
            "补齐",
            "2026-11-02",
            "2026-12-31",
        ],
        ["基层治理问题清单", "JC-2", "台账缺失", "自查发现", "JSB", "钱建设", "建立台账", "2026-11-03", "2026-11-30"],
    ]
    report = import_sheet(importer=PROBLEM_ITEMS, content=workbook(headers, good), ctx=ctx)
    assert (report.imported, report.errors) == (2, [])
    assert list(ProblemItem.objects.order_by("found_on").values_list("source", "deadline")) == [
        ("superior", date(2026, 12, 31)),
        ("self_check", date(2026, 11, 30)),
    ]
    again = import_sheet(importer=PROBLEM_ITEMS, content=workbook(headers, good), ctx=ctx)
    assert (again.skipped, ProblemItem.objects.count()) == (2, 2)
    bad = [
        ["第八张清单", "X-1", "x", "上级交办", "JSB", "钱", "x", "2026-11-02", "2026-12-31"],
        ["基层治理问题清单", "X-2", "x", "上级交办", "JSB", "钱", "x", "2026-11-20", "2026-11-02"],
        ["基层治理问题清单", "X-3", "x", "上级交办", "JSB", "钱", "x", "2026-11-02", "不是日期"],
    ]
    report = import_sheet(importer=PROBLEM_ITEMS, content=workbook(headers, bad), ctx=ctx)
    assert [(e.row, e.column) for e in report.errors] == [(2, "清单名称"), (3, "整改时限"), (4, "整改时限")]
    assert report.errors[1].message == "整改时限早于发现日期"
    assert ProblemItem.objects.count() == 2


def test_inspection_problems_import(world: TownWorld) -> None:
    create_round(
        town=world.town,
        actor=world.operator,
        name="11月创城督查",
        start_date=date(2026, 11, 23),
        end_date=date(2026, 11, 27),
        organizer=world.operator,
        inspectors=[world.grid_worker_a],
        items=[ItemSpec("A01", "暴露垃圾", Decimal(2))],
    )
    ctx = ImportContext(town=world.town, user=world.operator, now=at(2026, 11, 28))
    headers = ["督查名称", "检查项目", "村（社区）", "点位", "问题描述", "发现时间", "督查人员"]
    good = [
        ["11月创城督查", "A01", "双合村", "村口", "垃圾未清运", "2026-11-23 10:00", "孙网格"],
        ["11月创城督查", "暴露垃圾", "火箭", "礼堂", "垃圾桶满溢", date(2026, 11, 24), ""],
    ]
    report = import_sheet(importer=INSPECTION_PROBLEMS, content=workbook(headers, good), ctx=ctx)
    assert (report.imported, report.errors) == (2, [])
    assert sorted(InspectionProblem.objects.values_list("village__name", "deduction")) == [
        ("双合村", Decimal("2.0")),
        ("火箭村", Decimal("2.0")),
    ]
    assert import_sheet(importer=INSPECTION_PROBLEMS, content=workbook(headers, good), ctx=ctx).skipped == 2
    bad = [
        ["11月创城督查", "B09", "双合村", "村口", "x", "2026-11-23", ""],
        ["11月创城督查", "A01", "双合村", "村口", "x", "2026-12-23", ""],
        ["11月创城督查", "A01", "双合村", "村口", "x", "2026-11-23", "周网格"],
    ]
    report = import_sheet(importer=INSPECTION_PROBLEMS, content=workbook(headers, bad), ctx=ctx)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "检查项目", "“B09”不是本轮督查的检查项目"),
        (3, "发现时间", "发现时间不在督查期间内"),
        (4, "督查人员", "“周网格”不是本轮督查人员"),
    ]
    assert InspectionProblem.objects.count() == 2


def test_wrong_file_type_is_refused(world: TownWorld) -> None:
    import pytest

    from gridgov.data.errors import InvalidInput

    ctx = ImportContext(town=world.town, user=world.operator, now=MONDAY_0900)
    with pytest.raises(InvalidInput, match="不是Excel工作簿"):
        dry_run(importer=DISPUTES, content=b"a,b,c\n1,2,3", ctx=ctx)
    import zipfile

    corrupt = io.BytesIO()
    with zipfile.ZipFile(corrupt, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(InvalidInput, match="已损坏"):
        dry_run(importer=DISPUTES, content=corrupt.getvalue(), ctx=ctx)
