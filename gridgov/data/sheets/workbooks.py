"""Writing .xlsx files: a ledger's export (``workbook``) and an importer's template (``template_workbook``).

Every cell goes through ``safetext`` (no formula injection); datetimes are written in the town's local time.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from gridgov.data.safetext import excel_row, put_cell, sheet_title
from gridgov.data.sheets.importer import Importer
from gridgov.types import CellValue

_HEADER_FILL = PatternFill("solid", fgColor="FDE2E2")


def _excel_value(value: CellValue) -> CellValue:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value if timezone.is_naive(value) else timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (date, time, int, float, Decimal, bool)):
        return value
    return str(value)


def workbook(title: str | Promise, headers: Sequence[str | Promise], rows: Iterable[Sequence[CellValue]]) -> bytes:
    """An .xlsx with one sheet: a bold header row, then the rows (datetimes written in local time)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title(str(title)))
    sheet.freeze_panes = "A2"
    sheet.append(excel_row(sheet, [str(h) for h in headers]))
    for row in rows:
        sheet.append(excel_row(sheet, [_excel_value(v) for v in row]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_workbook(importer: Importer) -> bytes:
    """The import template: headers (required ones marked *), an example row, and notes per column."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title(str(importer.title), default=importer.name)
    for index, column in enumerate(importer.columns, start=1):
        cell = put_cell(sheet, row=1, column=index, value=("*" if column.required else "") + str(column.header))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        put_cell(sheet, row=2, column=index, value=column.example or None)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(str(column.header)) * 2 + 4)
    notes = book.create_sheet(_("填写说明"))
    notes.append(excel_row(notes, [_("列名"), _("是否必填"), _("说明")]))
    for column in importer.columns:
        notes.append(
            excel_row(notes, [str(column.header), _("必填") if column.required else _("选填"), str(column.help)])
        )
    if importer.notes:
        notes.append([])
        notes.append(excel_row(notes, [str(importer.notes)]))
    notes.append([])
    notes.append([_("第2行为示例，导入前请删除或改成真实数据。同一文件重复导入不会产生重复记录。")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
