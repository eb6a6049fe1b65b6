"""Importing an old platform's export (.xlsx / .csv) from the command line: all or nothing, no duplicates."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gridgov.data.cases.enums import Action, Channel, Satisfaction, Status
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.errors import InvalidInput
from gridgov.data.sheets.framework import ImportContext, ImportReport, dry_run, get_importer, import_sheet
from gridgov.ops.history.rows import RowReader
from tests.factories import at
from tests.sheets import workbook

pytestmark = pytest.mark.django_db

HEADERS = [
    "事件编号",
    "事件分类",
    "所属村（社区）",
    "所属网格",
    "来源渠道",
    "事件描述",
    "地址",
    "上报时间",
    "立案时间",
    "派遣时间",
    "处置完成时间",
    "结案时间",
    "处置期限",
    "返工次数",
    "满意度",
    "状态",
]
GOOD = [
    # closed, by code; on time; rated
    ["OLD-0001", "1201", "双合村", "双合村第1网格", "网格员上报", "路边垃圾满溢", "双合村3号",
     "2022-03-07 09:00", "2022-03-07 09:20", "2022-03-07 09:40", "2022-03-07 14:00", "2022-03-08 09:00",
     "2022-03-08 09:40", "0", "满意", "已结案"],
    # closed, by name, late, one rework, grid by code
    ["OLD-0002", "路灯", "火箭村", "33092110220201", "12345热线", "路灯不亮", "",
     "2022-04-11 10:00", "2022-04-11 10:30", "2022-04-11 11:00", "2022-04-20 16:00", "2022-04-21 09:00",
     "2022-04-14", "1", "基本满意", "已办结"],
    # resolved on the spot by a grid worker (closed without dispatch), major/sub name
    ["OLD-0003", "市容环卫/乱堆乱放", "双合村", "", "网格员", "门口堆放杂物", "",
     "2022-05-09 08:50", "", "", "", "2022-05-09 09:10", "", "", "", "结案"],
    # still open in the old system
    ["OLD-0004", "0701", "火箭村", "", "群众上报", "楼道堆放杂物", "",
     "2022-12-29 15:00", "2022-12-29 15:30", "2022-12-29 16:00", "", "", "", "", "", "处置中"],
    # rejected
    ["OLD-0005", "1201", "火箭村", "", "群众上报", "重复反映", "",
     "2022-06-01 10:00", "", "", "", "2022-06-01 10:30", "", "", "", "不予立案"],
]  # fmt: skip


def xlsx(rows: Sequence[Sequence[object]], headers: Sequence[object] = HEADERS) -> bytes:
    return workbook(headers, rows)


def csv_bytes(rows: list[list[Any]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def check(world, content: bytes, *, write: bool = False) -> ImportReport:
    ctx = ImportContext(town=world.town, user=world.admin, now=at(2026, 11, 25))
    run_it = import_sheet if write else dry_run
    return run_it(importer=get_importer("history"), content=content, ctx=ctx)


def messages(report: ImportReport) -> list[str]:
    return [f"第{e.row}行【{e.column}】：{e.message}" for e in report.errors]


def run(tmp_path: Path, data: bytes, name: str, *args: str) -> tuple[str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_history", str(path), "--town", "DX", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_becomes_cases_with_import_actions(world, tmp_path) -> None:
    out, err = run(tmp_path, xlsx(GOOD), "old.xlsx")
    assert out.strip() == "导入完成：共 5 行，新导入 5 件，已导入过而跳过 0 件"
    assert "[" + "#" * 30 + "] 5/5 导入完成" in err
    cases = {c.number: c for c in Case.objects.all()}
    assert sorted(cases) == ["OLD-0001", "OLD-0002", "OLD-0003", "OLD-0004", "OLD-0005"]
    assert all(c.imported for c in cases.values())
    assert CaseAction.objects.exclude(action=Action.IMPORT).count() == 0
    one, two, three, four, five = (cases[f"OLD-000{n}"] for n in range(1, 6))
    assert (one.status, one.category.code, one.grid, one.channel) == (
        Status.CLOSED,
        "1201",
        world.grid_a,
        Channel.GRID_WORKER,
    )
    assert (one.closed_at, one.handle_deadline, one.satisfaction) == (
        at(2022, 3, 8, 9, 0),
        at(2022, 3, 8, 9, 40),
        Satisfaction.SATISFIED,
    )
    assert (two.category.code, two.grid, two.channel, two.rework_count) == ("1302", world.grid_b, Channel.HOTLINE, 1)
    assert two.handle_deadline == at(2022, 4, 14, 23, 59) + timedelta(seconds=59)  # a bare date: the end of that day
    assert CaseAction.objects.get(case=two, data__step="resolve").data["on_time"] is False
    assert CaseAction.objects.get(case=one, data__step="resolve").data["on_time"] is True
    assert (three.category.code, three.self_resolved, three.registered_at, three.village, three.grid) == (
        "1202",
        True,
        at(2022, 5, 9, 8, 50),
        world.village_a,
        None,
    )
    assert (four.status, four.category.code) == (Status.HANDLING, "0701")
    assert (five.status, five.rejected_at, five.registered_at) == (Status.REJECTED, at(2022, 6, 1, 10, 30), None)
    chain = io.StringIO()
    call_command("verify_audit_chain", stdout=chain)
    assert chain.getvalue().strip() == "审计链完好：已校验 5 件事件"


def test_the_same_file_twice_makes_no_duplicates(world, tmp_path) -> None:
    run(tmp_path, xlsx(GOOD), "old.xlsx")
    actions = CaseAction.objects.count()
    out, _err = run(tmp_path, xlsx(GOOD), "old.xlsx")
    assert out.strip() == "导入完成：共 5 行，新导入 0 件，已导入过而跳过 5 件"
    assert (Case.objects.count(), CaseAction.objects.count()) == (5, actions)


def test_a_dry_run_writes_nothing(world, tmp_path) -> None:
    out, _err = run(tmp_path, xlsx(GOOD), "old.xlsx", "--dry-run")
    assert out.strip() == "检查通过：共 5 行，可导入 5 件，已导入过 0 件（未写入，去掉 --dry-run 正式导入）"
    assert Case.objects.count() == 0


def test_a_file_with_bad_rows_imports_nothing_and_names_every_error(world, tmp_path) -> None:
    bad = [list(row) for row in GOOD]
    bad[0][1] = "天上掉馅饼"  # row 2: unknown category
    bad[1][2] = "不存在村"  # row 3: unknown village
    bad[2][4] = "飞鸽传书"  # row 4: bad channel
    bad[3][8], bad[3][9] = "2022-12-29 15:30", "2022-12-28 16:00"  # row 5: dispatched before registered
    bad[4][11] = "2022-05-31 10:00"  # row 6: closed (rejected) before reported
    bad.append([*GOOD[0][:1], "1202", *GOOD[0][2:]])  # row 7: the same number again
    bad.append(["OLD-0099", *GOOD[0][1:7], "2022-02-30 09:00", *GOOD[0][8:]])  # row 8: no such day
    with pytest.raises(CommandError) as caught:
        run(tmp_path, xlsx(bad), "bad.xlsx")
    assert str(caught.value) == "共 7 行，6 处错误，未导入任何事件"
    assert Case.objects.count() == 0
    bad[0][1] = "1201"  # with row 2 right, row 7 is its duplicate
    assert messages(check(world, xlsx(bad))) == [
        "第3行【所属村（社区）】：村社“不存在村”不存在，本镇的村社有：双合村、火箭村",
        "第4行【来源渠道】：来源渠道“飞鸽传书”无法识别，可填：网格员上报、群众上报、12345热线、企业上报、督查巡查、信访、上级交办、Open311、其他",
        "第5行【派遣时间】：派遣时间（2022-12-28 16:00）早于立案时间（2022-12-29 15:30）",
        "第6行【结案时间】：结案时间（2022-05-31 10:00）早于上报时间（2022-06-01 10:00）",
        "第7行【】：与第2行重复",
        "第8行【上报时间】：上报时间“2022-02-30 09:00”不是有效的时间，请写成 2022-03-07 09:30",
    ]
    assert Case.objects.count() == 0


def test_a_number_taken_by_a_native_case_is_found_by_the_dry_run(world) -> None:
    rows = [list(row) for row in GOOD]
    rows[4][0] = "DX2022-000001"
    rows[4][7] = "2022-06-01 09:00"
    assert check(world, xlsx(rows)).ok
    world.report(now=at(2022, 6, 1))
    # A year the holiday package does not know (2003) is counted on the provisional calendar, not refused.
    rows[0][7:12] = ["2003-03-07 09:00", "2003-03-07 09:20", "2003-03-07 09:40", "2003-03-07 14:00", "2003-03-08"]
    rows[0][12] = ""
    assert messages(check(world, xlsx(rows))) == [
        "第6行【事件编号】：编号 DX2022-000001 已被本平台的事件使用，不能作为历史事件导入",
    ]
    report = check(world, xlsx(rows), write=True)
    assert (report.ok, report.imported, Case.objects.count()) == (False, 0, 1)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gb18030_or_utf8_with_or_without_bom(world, tmp_path, encoding) -> None:
    out, _err = run(tmp_path, csv_bytes(GOOD, encoding), "old.csv")
    assert out.strip() == "导入完成：共 5 行，新导入 5 件，已导入过而跳过 0 件"
    assert Case.objects.get(number="OLD-0002").description == "路灯不亮"


def test_wrong_files_are_refused_with_a_clear_message(world, tmp_path) -> None:
    with pytest.raises(CommandError) as caught:
        run(tmp_path, b"not a workbook", "old.xlsx")
    assert str(caught.value) == "这不是Excel工作簿（.xlsx）文件。请在Excel或WPS中“另存为”.xlsx格式后再上传。"
    with pytest.raises(CommandError) as caught:
        run(tmp_path, b"x", "old.txt")
    assert str(caught.value) == "只能导入 .xlsx 或 .csv 文件"
    with pytest.raises(CommandError) as caught:
        run(tmp_path, xlsx([], headers=["事件编号", "事件描述"]), "old.xlsx")
    assert str(caught.value) == "缺少必填列：事件分类、来源渠道、上报时间、状态"
    with pytest.raises(CommandError) as caught:
        call_command("import_history", str(tmp_path / "old.xlsx"), "--town", "XX")
    assert str(caught.value) == "找不到乡镇“XX”（请填写案卷编号前缀或区划代码）"


def test_categories_by_code_exact_name_or_an_unambiguous_close_match(world) -> None:
    reader = RowReader(town=world.town)
    assert reader.category("1201").code == "1201"
    assert reader.category(701.0).code == "0701"  # Excel dropped the leading zero
    assert reader.category("暴露垃圾").code == "1201"
    assert reader.category("市容环卫 / 暴露垃圾").code == "1201"
    assert reader.category("暴露性垃圾").code == "1201"  # close to exactly one sub-category
    with pytest.raises(InvalidInput) as caught:
        reader.category("市容环卫")
    assert str(caught.value) == "“市容环卫”是大类，请填写小类的编码或名称"
    with pytest.raises(InvalidInput) as caught:
        reader.category("垃圾")
    assert str(caught.value) == "事件分类“垃圾”不存在：请填写本镇的小类编码或名称"


def test_closure_rate_over_imported_cases(world, tmp_path) -> None:
    """办结率 of 2022 (cohort: registered in 2022) recounted over what the import wrote: 3 of 4 closed."""
    run(tmp_path, xlsx(GOOD), "old.xlsx")
    cohort = Case.objects.filter(registered_at__gte=at(2022, 1, 1, 0, 0), registered_at__lt=at(2023, 1, 1, 0, 0))
    assert (cohort.count(), cohort.filter(status=Status.CLOSED).count()) == (4, 3)
