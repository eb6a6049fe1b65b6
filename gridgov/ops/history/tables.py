"""Old platforms export .xlsx or .csv; both become the same stream of rows keyed by column key.

CSV files come as UTF-8 (with or without the BOM Excel writes) or as GB18030/GBK (what Chinese Excel saves
by default); the encoding is detected, never guessed silently: a file that is neither is refused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput
from gridgov.ops.history.rows import COLUMNS, _norm

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Table:
    """Rows keyed by column key, each with its row number as the user sees it in the file (header = 1)."""

    rows: list[tuple[int, dict[str, Any]]]
    ignored_headers: list[str]


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


def csv_cells(data: bytes) -> list[list[str]]:
    text = decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def xlsx_cells(data: bytes) -> list[list[Any]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidInput(_("文件不是有效的 Excel（.xlsx）文件，或文件已损坏"), field="file") from None
    sheet = workbook.worksheets[0]
    rows = [
        [cell.strip() if isinstance(cell, str) else cell for cell in row] for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return rows


def header_keys(headers: Sequence[Any]) -> tuple[dict[int, str], list[str]]:
    """Map header positions to column keys (by header or alias, spaces ignored); the unknown headers."""
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        for name in (str(column.header), *column.aliases, column.key):
            lookup.setdefault(_norm(name), column.key)
    keys: dict[int, str] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        text = _norm(str(header or "")).lstrip("*")
        if not text:
            continue
        key = lookup.get(text)
        if key is None or key in keys.values():
            unknown.append(str(header))
        else:
            keys[index] = key
    missing = [str(c.header) for c in COLUMNS if c.required and c.key not in keys.values()]
    if missing:
        raise InvalidInput(_("表头缺少必填列：%(columns)s") % {"columns": "、".join(missing)}, field="file")
    return keys, unknown


def read_table(data: bytes, *, filename: str) -> Table:
    """An .xlsx or .csv export as rows keyed by column key (blank rows skipped)."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(_("文件过大（超过 50MB），请分批导入"), field="file")
    name = filename.lower()
    if name.endswith(".csv"):
        cells: list[list[Any]] = csv_cells(data)
    elif name.endswith(".xlsx"):
        cells = xlsx_cells(data)
    else:
        raise InvalidInput(_("只能导入 .xlsx 或 .csv 文件"), field="file")
    if not cells:
        raise InvalidInput(_("文件是空的"), field="file")
    keys, unknown = header_keys(cells[0])
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, row in enumerate(cells[1:], start=2):
        values = {key: (row[index] if index < len(row) else None) for index, key in keys.items()}
        if all(v is None or v == "" for v in values.values()):
            continue
        rows.append((number, values))
    return Table(rows, unknown)


def iter_rows(table: Table) -> Iterator[tuple[int, dict[str, Any]]]:
    yield from table.rows
