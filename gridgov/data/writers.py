"""Files for print and for spreadsheets: an official-document .docx (红头 title, 文号, 仿宋 body, 黑体
headings, tables) and a plain .xlsx, both written from a document outline of blocks.

The outline keeps the writers independent of where the words come from (the platform's bulletins, the inspection
rounds' bulletins, the year in review): every .docx of the platform is written here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Literal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gridgov.data.safetext import excel_row, xml_text
from gridgov.data.safetext import sheet_title as safe_title

# Font names as Chinese government documents name them (GB/T 9704); Word substitutes when missing.
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
RED = RGBColor(0xC0, 0x00, 0x00)


@dataclass(frozen=True)
class TextStyle:
    """How a run of text looks: its font, its size in points, bold or not, and a colour when not black."""

    font: str
    size: float
    bold: bool = False
    color: RGBColor | None = None


# The document's styles, from the red header down to the table cells.
RED_HEADER = TextStyle(TITLE_FONT, 36, color=RED)
TITLE = TextStyle(TITLE_FONT, 22)
HEADING = TextStyle(HEADING_FONT, 16)
BODY = TextStyle(BODY_FONT, 16)
TABLE_HEADER = TextStyle(HEADING_FONT, 12)
TABLE_BODY = TextStyle(BODY_FONT, 12)


@dataclass
class Block:
    kind: Literal["heading", "paragraph", "table"]
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Outline:
    """A document: the issuing body's red header, 文号, title, then headings, paragraphs and tables."""

    header: str  # 红头: e.g. 岱西镇基层智治工作通报
    title: str
    document_number: str = ""  # 文号: 岱西智治〔2026〕3号
    issue_line: str = ""  # e.g. 2026年第3期
    blocks: list[Block] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)  # closing lines, right-aligned (issuer, date)

    def heading(self, text: str) -> None:
        self.blocks.append(Block(kind="heading", text=text))

    def paragraph(self, text: str) -> None:
        self.blocks.append(Block(kind="paragraph", text=text))

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.blocks.append(Block(kind="table", header=header, rows=rows))


def _run_fonts(rpr: BaseOxmlElement) -> BaseOxmlElement:
    """The ``w:rFonts`` of run properties (made first when missing): where Word reads the font for Chinese text,
    which python-docx's ``font.name`` does not set."""
    fonts: BaseOxmlElement | None = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    return fonts


def _font(run: Run, style: TextStyle) -> None:
    run.font.name = style.font
    run.font.size = Pt(style.size)
    run.font.bold = style.bold
    if style.color is not None:
        run.font.color.rgb = style.color
    fonts = _run_fonts(run._element.get_or_add_rPr())
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), style.font)


def _red_rule(paragraph: Paragraph) -> None:
    """The red line under the 红头 (a bottom border of the 文号 paragraph)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _line(
    document: DocxDocument, text: str, style: TextStyle, *, align: WD_PARAGRAPH_ALIGNMENT, indent: bool = False
) -> Paragraph:
    paragraph: Paragraph = document.add_paragraph()
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(style.size * 2)
    paragraph.paragraph_format.line_spacing = Pt(28)
    _font(paragraph.add_run(xml_text(text)), style)
    return paragraph


def write_docx(outline: Outline) -> bytes:
    document = Document()
    section = document.sections[0]
    # A4 with the margins of GB/T 9704: top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm.
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    _run_fonts(normal.element.get_or_add_rPr()).set(qn("w:eastAsia"), BODY_FONT)

    _line(document, outline.header, RED_HEADER, align=WD_ALIGN_PARAGRAPH.CENTER)
    if outline.issue_line:
        _line(document, outline.issue_line, BODY, align=WD_ALIGN_PARAGRAPH.CENTER)
    rule = _line(document, outline.document_number, BODY, align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_rule(rule)
    _line(document, "", BODY, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(document, outline.title, TITLE, align=WD_ALIGN_PARAGRAPH.CENTER)

    for block in outline.blocks:
        if block.kind == "heading":
            _line(document, block.text, HEADING, align=WD_ALIGN_PARAGRAPH.LEFT, indent=True)
        elif block.kind == "paragraph":
            _line(document, block.text, BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
        else:
            _table(document, block)
    if outline.signature:
        _line(document, "", BODY, align=WD_ALIGN_PARAGRAPH.LEFT)
        for text in outline.signature:
            _line(document, text, BODY, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: DocxDocument, block: Block) -> None:
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(xml_text(text)), TABLE_HEADER)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(xml_text(text)), TABLE_BODY)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph()


def write_xlsx(outline: Outline, *, sheet_title: str) -> bytes:
    """The outline's tables one under another (with their headings), and its paragraphs as notes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = safe_title(sheet_title)
    sheet.append(excel_row(sheet, [outline.title]))
    sheet["A1"].font = Font(bold=True, size=14)
    if outline.document_number or outline.issue_line:
        sheet.append(excel_row(sheet, [" ".join(t for t in (outline.issue_line, outline.document_number) if t)]))
    widths: dict[int, int] = {}
    for block in outline.blocks:
        if block.kind == "heading":
            sheet.append([])
            sheet.append(excel_row(sheet, [block.text]))
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        elif block.kind == "paragraph":
            sheet.append(excel_row(sheet, [block.text]))
            sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=False)
        else:
            sheet.append(excel_row(sheet, block.header))
            for column in range(1, len(block.header) + 1):
                sheet.cell(row=sheet.max_row, column=column).font = Font(bold=True)
            for row in block.rows:
                sheet.append(excel_row(sheet, [_cell_value(text) for text in row]))
            for index, text in enumerate(block.header, start=1):
                longest = max([len(text), *(len(r[index - 1]) for r in block.rows)])
                widths[index] = max(widths.get(index, 8), min(longest * 2 + 2, 60))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_value(text: str) -> str | int:
    """Whole numbers as numbers (so they sum in a spreadsheet); everything else as written."""
    return int(text) if text.isdigit() and len(text) < 15 else text
