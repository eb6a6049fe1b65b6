"""The .docx opens with python-docx and has the official-document look; the .xlsx holds the values."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from gridgov.data.writers import BODY_FONT, HEADING_FONT, TITLE_FONT, Outline, write_docx, write_xlsx


def _outline() -> Outline:
    outline = Outline(
        header="岱西镇基层智治工作通报",
        title="关于2026年10月基层智治工作情况的通报",
        document_number="岱西智治〔2026〕3号",
        issue_line="2026年第3期",
        signature=["岱西镇综合信息指挥室", "2026年11月2日"],
    )
    outline.heading("一、总体情况")
    outline.paragraph("10月全镇共上报事件120件。")
    outline.table(
        ["名次", "村（社区）", "立案数", "综合指标值"], [["1", "双合村", "40", "96.5"], ["2", "火箭村", "3", "—"]]
    )
    return outline


def test_docx_opens_and_has_header_number_fonts_and_table() -> None:
    document = Document(io.BytesIO(write_docx(_outline())))
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["岱西镇基层智治工作通报", "2026年第3期", "岱西智治〔2026〕3号"]
    assert "关于2026年10月基层智治工作情况的通报" in texts
    assert "10月全镇共上报事件120件。" in texts
    assert texts[-2:] == ["岱西镇综合信息指挥室", "2026年11月2日"]
    header_run = document.paragraphs[0].runs[0]
    assert str(header_run.font.color.rgb) == "C00000"
    assert header_run._element.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT
    body = next(p for p in document.paragraphs if p.text.startswith("10月"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == BODY_FONT
    heading = next(p for p in document.paragraphs if p.text == "一、总体情况")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == HEADING_FONT
    [table] = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["名次", "村（社区）", "立案数", "综合指标值"],
        ["1", "双合村", "40", "96.5"],
        ["2", "火箭村", "3", "—"],
    ]


def test_xlsx_holds_the_table_values_with_whole_numbers_as_numbers() -> None:
    sheet = load_workbook(io.BytesIO(write_xlsx(_outline(), sheet_title="通报"))).active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["关于2026年10月基层智治工作情况的通报"]
    assert rows[1] == ["2026年第3期 岱西智治〔2026〕3号"]
    assert ["名次", "村（社区）", "立案数", "综合指标值"] in rows
    assert [1, "双合村", 40, "96.5"] in rows
    assert [2, "火箭村", 3, "—"] in rows
