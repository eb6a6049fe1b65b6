"""Old platforms export .xlsx or .csv; a CSV becomes a workbook so both go through the same checks.

CSV files come as UTF-8 (with or without the BOM Excel writes) or as GB18030/GBK (what Chinese Excel saves
by default); the encoding is detected, never guessed silently: a file that is neither is refused.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput
from gridgov.data.sheets.framework import MAX_BYTES
from gridgov.data.sheets.workbooks import workbook


def decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InvalidInput(_("无法识别CSV文件的编码，请另存为 UTF-8 或 GB18030 编码的CSV"), field="file") from None


def csv_rows(data: bytes) -> list[list[str]]:
    """The cells of a CSV file (comma, semicolon or tab separated)."""
    text = decode_csv(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def as_workbook(data: bytes, *, filename: str) -> bytes:
    """The file as .xlsx bytes for the sheets framework: a workbook as it is, a CSV converted."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(_("文件超过20MB，请拆分后分批导入"), field="file")
    name = filename.lower()
    if name.endswith(".xlsx"):
        return data
    if not name.endswith(".csv"):
        raise InvalidInput(_("只能导入 .xlsx 或 .csv 文件"), field="file")
    rows = csv_rows(data)
    if not rows:
        raise InvalidInput(_("文件是空的"), field="file")
    return workbook(_("历史事件"), rows[0], rows[1:])
