"""Rows a file hides — by hand, by an AutoFilter, or the whole sheet — are imported like the others (the file is the
record), and the check and the result name them, so that nobody is surprised."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from gridgov.data.org.models import Department
from gridgov.data.sheets.framework import dry_run, import_sheet
from gridgov.data.sheets.models import ImportJob
from gridgov.data.sheets.report import ImportReport, RowError
from tests.data.sheets.importers import DEPARTMENTS
from tests.data.sheets.test_framework import HEADER, ctx
from tests.factories import TownWorld


def _rows(count: int) -> list[list[object]]:
    return [[f"H{n}", f"隐藏测试站{n}", "站所"] for n in range(1, count + 1)]


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filtered_workbook() -> bytes:
    """A clerk's file: rows 3 and 5 hidden by hand, then an AutoFilter on 名称 that hides rows 8 to 10 (Excel
    writes a filtered row as hidden, beside the filter's criteria)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in _rows(10):
        sheet.append(row)
    for number in (3, 5, 8, 9, 10):
        sheet.row_dimensions[number].hidden = True
    sheet.auto_filter.ref = "A1:C11"
    sheet.auto_filter.add_filter_column(1, [f"隐藏测试站{n}" for n in (1, 3, 5, 10)])
    return _saved(book)


def test_hidden_and_filtered_rows_are_named_in_the_check_and_in_the_result(world: TownWorld) -> None:
    content = filtered_workbook()
    checked = dry_run(importer=DEPARTMENTS, content=content, ctx=ctx(world))
    assert (checked.errors, checked.valid, checked.hidden_rows, checked.hidden_sheet) == ([], 10, [3, 5, 8, 9, 10], "")
    assert checked.hidden_notice == "第3、5、8至10行在表格中是隐藏的（隐藏或筛选，共5行），与其他行一样将导入。"

    report = import_sheet(importer=DEPARTMENTS, content=content, ctx=ctx(world))
    assert (report.errors, report.imported) == ([], 10)
    assert report.hidden_notice == "第3、5、8至10行在表格中是隐藏的（隐藏或筛选，共5行），与其他行一样已导入。"
    assert Department.objects.filter(name__startswith="隐藏测试站").count() == 10
    assert ImportReport.from_dict(report.as_dict()) == report


def test_a_hidden_sheet_is_named_and_a_file_with_nothing_hidden_says_nothing(world: TownWorld) -> None:
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "说明"
    cover.append(["本表由办公室填报"])
    data = book.create_sheet("名单")
    data.append(HEADER)
    for row in _rows(2):
        data.append(row)
    data.sheet_state = "hidden"
    checked = dry_run(importer=DEPARTMENTS, content=_saved(book), ctx=ctx(world))
    assert (checked.errors, checked.valid, checked.hidden_rows) == ([], 2, [])
    assert checked.hidden_notice == "数据所在的工作表“名单”在工作簿中是隐藏的，与其他行一样将导入。"

    data.sheet_state = "visible"
    plain = dry_run(importer=DEPARTMENTS, content=_saved(book), ctx=ctx(world))
    assert (plain.valid, plain.hidden_rows, plain.hidden_sheet, plain.hidden_notice) == (2, [], "", "")


def test_a_failed_import_does_not_claim_the_hidden_rows_were_imported(world: TownWorld) -> None:
    report = ImportReport(importer="departments", total=3, hidden_rows=[2], dry_run=False)
    assert report.hidden_notice == "第2行在表格中是隐藏的（隐藏或筛选），与其他行一样已导入。"
    report.errors = [RowError(3, "", "坏")]  # nothing was written
    assert report.hidden_notice == ""
    many = ImportReport(importer="departments", hidden_rows=list(range(2, 40, 2)))
    assert many.hidden_notice == (
        "第2、4、6、8、10、12、14、16、18、20等行在表格中是隐藏的（隐藏或筛选，共19行），与其他行一样将导入。"
    )


def test_the_check_page_and_the_result_page_name_the_hidden_rows(
    client: Client, world: TownWorld, django_capture_on_commit_callbacks
) -> None:
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:upload", args=[DEPARTMENTS.name]),
            {"file": SimpleUploadedFile("部门.xlsx", filtered_workbook())},
        )
    check = ImportJob.objects.get()
    page = client.get(reverse("imports:job", args=[check.pk])).content.decode()
    assert (
        '<p class="notice" id="hidden-rows" role="status">'
        "第3、5、8至10行在表格中是隐藏的（隐藏或筛选，共5行），与其他行一样将导入。</p>"
    ) in page
    assert "确认导入10行" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[check.pk]))
    done = ImportJob.objects.exclude(pk=check.pk).get()
    result = client.get(reverse("imports:job", args=[done.pk])).content.decode()
    assert "第3、5、8至10行在表格中是隐藏的（隐藏或筛选，共5行），与其他行一样已导入。" in result
