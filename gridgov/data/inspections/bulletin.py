"""The bulletin as a .docx in the look of an official document (红头, 文号, 仿宋 body, tables)."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from gridgov.data.inspections.models import InspectionBulletin

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEAD_FONT = "黑体"
RED = RGBColor(0xC0, 0x00, 0x00)


def _font(run: Any, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), name)


def _paragraph(
    doc: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = 16,
    bold: bool = False,
    align: Any = None,
    color: RGBColor | None = None,
    indent: bool = False,
) -> Any:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _red_rule(paragraph: Any) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def _table(doc: Any, headers: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEAD_FONT, 12)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, 12)


def _date(text: str) -> str:
    day = datetime.fromisoformat(text)
    return f"{day.year}年{day.month}月{day.day}日"


def bulletin_docx(bulletin: InspectionBulletin, *, issuer: str = "") -> bytes:
    """The bulletin as .docx bytes, built from its archived snapshot (the same text every time)."""
    snap = bulletin.snapshot
    issuer = issuer or _("%(town)s创城工作领导小组办公室") % {"town": bulletin.town.name}
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    _paragraph(
        doc,
        bulletin.round.bulletin_title,
        font=TITLE_FONT,
        size=36,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
    )
    number = _("%(year)s年第%(seq)s期") % {"year": bulletin.year, "seq": bulletin.seq}
    _red_rule(_paragraph(doc, number, align=WD_ALIGN_PARAGRAPH.CENTER))
    _paragraph(doc, issuer, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        doc,
        _("关于%(round)s情况的通报") % {"round": snap["round"]},
        font=TITLE_FONT,
        size=22,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _paragraph(doc, _("各村（社区）、各有关单位："))
    problems: list[dict[str, Any]] = snap["problems"]
    fixed = sum(1 for p in problems if p["rectified"])
    _paragraph(
        doc,
        _(
            "%(start)s至%(end)s，镇督查组开展了%(round)s，共发现问题%(n)s个，截至%(as_of)s已整改%(fixed)s个。"
            "现将各村得分排名及问题清单通报如下："
        )
        % {
            "start": _date(snap["start"]),
            "end": _date(snap["end"]),
            "round": snap["round"],
            "n": len(problems),
            "as_of": _date(snap["as_of"]),
            "fixed": fixed,
        },
        indent=True,
    )
    _paragraph(doc, _("一、各村得分排名"), font=HEAD_FONT)
    _table(
        doc,
        [_("名次"), _("村（社区）"), _("问题数"), _("已整改"), _("扣分"), _("得分")],
        [
            [str(r["rank"]), r["village"], str(r["problems"]), str(r["rectified"]), r["deduction"], r["score"]]
            for r in snap["ranking"]
        ],
    )
    _paragraph(doc, _("二、发现的问题"), font=HEAD_FONT)
    if problems:
        _table(
            doc,
            [_("序号"), _("村（社区）"), _("点位"), _("检查项目"), _("问题描述"), _("扣分"), _("整改情况")],
            [
                [str(i), p["village"], p["spot"], p["item"], p["description"], p["deduction"], p["status"]]
                for i, p in enumerate(problems, start=1)
            ],
        )
    else:
        _paragraph(doc, _("本轮督查未发现问题。"), indent=True)
    _paragraph(doc, _("三、工作要求"), font=HEAD_FONT)
    _paragraph(
        doc, _("请各村对照问题清单立即整改，整改情况通过基层智治平台反馈，镇督查组将逐一复查销号。"), indent=True
    )
    _paragraph(doc, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, _date(bulletin.issued_at.isoformat()), align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
