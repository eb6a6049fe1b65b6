"""Excel import, the same way for every ledger (writing .xlsx files: ``workbooks``).

An :class:`Importer` (``importer``) names its columns and knows how to parse, identify, find and write one row.
The framework reads the workbook, matches headers (in any order, by header or alias), checks every row and
reports every problem with its row number, column and reason (a *dry run*, ``report``), and imports all rows in
one transaction — or none of them. Rows already imported before (by the importer's natural key) are skipped,
so importing the same file twice creates nothing twice.

The importers' names are importable from here as well (``Column``, ``Importer``, ``register`` …).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException

from gridgov.data.errors import DomainError, InvalidInput
from gridgov.data.safetext import control_character, refusal
from gridgov.data.sheets.importer import (
    Column,
    FailedAt,
    ImportContext,
    Importer,
    RowInvalid,
    get_importer,
    importers,
    normalise_header,
    register,
)
from gridgov.data.sheets.report import ImportReport, RowError
from gridgov.db.analyze import analyze_after_commit
from gridgov.types import CellValue, ParsedRow, SheetRow

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "XLSX_CONTENT_TYPE",
    "Column",
    "FailedAt",
    "ImportContext",
    "ImportReport",
    "Importer",
    "Progress",
    "RowError",
    "RowInvalid",
    "Sheet",
    "dry_run",
    "get_importer",
    "import_sheet",
    "importers",
    "read_sheet",
    "register",
]

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Progress = Callable[[int, int, str], None]


# --- reading ---------------------------------------------------------------------------------------------


def _cell_value(value: CellValue) -> CellValue:
    if isinstance(value, str):
        stripped = value.strip()
        return stripped if stripped else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass
class Sheet:
    headers: dict[str, str]  # column key → header as written in the file
    rows: list[tuple[int, SheetRow]]  # (Excel row number, values by column key)
    # Rows the file hides (hidden by hand, filtered out by an AutoFilter, folded in a group) that are imported all
    # the same — the file is the record — and named in the report; the sheet's name when the whole sheet is hidden.
    hidden_rows: list[int] = field(default_factory=list)
    hidden_sheet: str = ""


# What openpyxl raises for a damaged file: when it opens it, or when it parses a sheet's rows (XML cut short: a
# SyntaxError, as the XML parsers' ParseError are).
_DAMAGED = (InvalidFileException, zipfile.BadZipFile, SyntaxError, KeyError, IndexError, ValueError, OSError, TypeError)


def read_sheet(importer: Importer, content: bytes) -> Sheet:
    """Read the worksheet of an .xlsx file that holds the importer's columns (the first, unless a sheet without them
    comes before it); raises InvalidInput (Chinese) for anything unreadable."""
    if len(content) > MAX_BYTES:
        raise InvalidInput(_("文件超过20MB，请拆分后分批导入"), field="file")
    if not content.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(content)):
        raise InvalidInput(
            _("这不是Excel工作簿（.xlsx）文件。请在Excel或WPS中“另存为”.xlsx格式后再上传。"), field="file"
        )
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except _DAMAGED:
        raise InvalidInput(_("Excel文件已损坏或无法读取，请重新保存后再上传"), field="file") from None
    try:
        if not book.worksheets:
            raise InvalidInput(_("工作簿中没有工作表"), field="file")
        # The rows are on the first sheet whose header names every required column: a cover sheet, or a hidden
        # sheet of choices, may come before it. When no sheet has one, the first sheet's fault is reported.
        visible_first = sorted(book.worksheets, key=lambda sheet: sheet.sheet_state != "visible")
        first_fault: _NoHeader | None = None
        for sheet in visible_first:
            try:
                marks = _sheet_marks(sheet)
                found = _read_rows(importer, _merged_filled(sheet.iter_rows(values_only=True), marks.merged))
            except _NoHeader as fault:
                first_fault = first_fault or fault
            except _DAMAGED:
                # A sheet is only parsed while its rows are read: its damage shows here, not when opened.
                raise InvalidInput(_("Excel文件已损坏或无法读取，请重新保存后再上传"), field="file") from None
            else:
                found.hidden_rows = [number for number, _row in found.rows if number in marks.hidden_rows]
                found.hidden_sheet = "" if sheet.sheet_state == "visible" else str(sheet.title)
                return found
        assert first_fault is not None
        raise first_fault
    finally:
        book.close()


class _NoHeader(InvalidInput):
    """A sheet without the importer's header row, or whose header lacks a required column."""


# A merged range as the sheet's XML lists it (<mergeCell ref="A2:A4"/>, with or without a namespace prefix).
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')
# A row's opening tag (<row r="12" hidden="1" …>): hidden by hand, by an AutoFilter or in a folded group alike.
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\sr="([0-9]{1,7})"')
_HIDDEN = re.compile(rb'\shidden="(?:1|true)"')
_CHUNK = 1 << 20


@dataclass(frozen=True)
class _Merged:
    first_row: int  # 1-based, as Excel numbers rows and columns
    first_column: int
    last_row: int
    last_column: int


@dataclass(frozen=True)
class _Marks:
    merged: list[_Merged]
    hidden_rows: frozenset[int]  # row numbers as Excel shows them


def _sheet_marks(sheet: object) -> _Marks:
    """What openpyxl does not read from a sheet opened read-only — its merged cells and its hidden rows — found
    in the sheet's XML, read in chunks (a merged range is listed after all the rows)."""
    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(getattr(sheet, "parent", None), "_archive", None)  # the workbook's open zip
    if not path or archive is None:
        return _Marks([], frozenset())
    found: set[_Merged] = set()
    hidden: set[int] = set()
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            for row in _ROW.finditer(window):
                number = _ROW_NUMBER.search(row[1])
                if number and _HIDDEN.search(row[1]):
                    hidden.add(int(number[1]))
            for match in _MERGE_CELL.finditer(window):
                first_column, first_row, last_column, last_row = match.groups()
                found.add(
                    _Merged(
                        int(first_row),
                        column_index_from_string(first_column.decode()),
                        int(last_row),
                        column_index_from_string(last_column.decode()),
                    )
                )
            tail = window[-400:]  # a tag cut between two chunks is matched whole in the next window
    return _Marks(sorted(found, key=lambda merged: (merged.first_row, merged.first_column)), frozenset(hidden))


def _merged_filled(rows: Iterable[Sequence[CellValue]], merged: list[_Merged]) -> Iterator[Sequence[CellValue]]:
    """The rows with each merged range's value in every cell of it, as Excel shows it (a 村 merged over the rows
    of its houses). A row whose own cells are all empty stays empty: a range reaching past the data adds no row."""
    if not merged:
        yield from rows
        return
    starting: dict[int, list[_Merged]] = {}
    for item in merged:
        starting.setdefault(item.first_row, []).append(item)
    open_ranges: list[tuple[_Merged, CellValue]] = []
    for number, values in enumerate(rows, start=1):
        open_ranges = [(item, value) for item, value in open_ranges if item.last_row >= number]
        for item in starting.get(number, ()):
            index = item.first_column - 1
            open_ranges.append((item, values[index] if index < len(values) else None))
        if not open_ranges or all(value is None for value in values):
            yield values
            continue
        filled = list(values)
        for item, value in open_ranges:
            if len(filled) < item.last_column:
                filled.extend([None] * (item.last_column - len(filled)))
            for index in range(item.first_column - 1, item.last_column):
                if filled[index] is None:
                    filled[index] = value
        yield filled


def _read_rows(importer: Importer, rows: Iterable[Sequence[CellValue]]) -> Sheet:
    by_name: dict[str, Column] = {}
    for column in importer.columns:
        for name in column.names():
            by_name[name] = column
    iterator = iter(enumerate(rows, start=1))
    mapping: dict[int, Column] | None = None
    headers: dict[str, str] = {}
    # The header row is the first row that names at least one known column (a title row may precede it).
    for number, values in iterator:
        found = {
            index: by_name[normalise_header(str(v))]
            for index, v in enumerate(values)
            if v is not None and normalise_header(str(v)) in by_name
        }
        if found:
            mapping = found
            headers = {col.key: str(values[index]).strip() for index, col in found.items()}
            break
        if number >= 10:
            break
    if mapping is None:
        raise _NoHeader(
            _("没有找到表头。请使用本台账的导入模板，第一行为列名（如“%(header)s”）。")
            % {"header": importer.columns[0].header if importer.columns else ""},
            field="file",
        )
    missing = [str(c.header) for c in importer.columns if c.required and c.key not in headers]
    if missing:
        raise _NoHeader(_("缺少必填列：%(columns)s") % {"columns": "、".join(missing)}, field="file")
    data: list[tuple[int, SheetRow]] = []
    for number, values in iterator:
        row = {col.key: _cell_value(values[i]) if i < len(values) else None for i, col in mapping.items()}
        if all(v is None for v in row.values()):
            continue
        data.append((number, row))
        if len(data) > MAX_ROWS:
            raise InvalidInput(_("一次最多导入%(max)s行，请拆分文件") % {"max": MAX_ROWS}, field="file")
    for column in importer.columns:
        headers.setdefault(column.key, str(column.header))
    return Sheet(headers=headers, rows=data)


# --- checking and importing ------------------------------------------------------------------------------


def _noop(done: int, total: int, message: str) -> None:
    return None


def _check(
    importer: Importer, sheet: Sheet, *, ctx: ImportContext, progress: Progress
) -> tuple[ImportReport, list[ParsedRow]]:
    report = ImportReport(
        importer=importer.name, total=len(sheet.rows), hidden_rows=sheet.hidden_rows, hidden_sheet=sheet.hidden_sheet
    )
    to_write: list[ParsedRow] = []
    seen: dict[Hashable, int] = {}
    required = [c for c in importer.columns if c.required]
    step = max(1, len(sheet.rows) // 100)
    for index, (number, row) in enumerate(sheet.rows, start=1):
        if index % step == 0:
            progress(index, len(sheet.rows), _("正在检查第%(n)s行") % {"n": number})
        blank = [c for c in required if row.get(c.key) in (None, "")]
        if blank:
            for column in blank:
                report.errors.append(RowError(number, sheet.headers[column.key], _("必填项为空")))
            continue
        dirty = [name for name, value in row.items() if isinstance(value, str) and control_character(value)]
        if dirty:
            for name in dirty:
                character = control_character(row[name]) or ""
                report.errors.append(
                    RowError(number, sheet.headers.get(name, name), refusal(sheet.headers.get(name, name), character))
                )
            continue
        try:
            parsed = importer.parse_row(row, ctx=ctx)
        except (RowInvalid, DomainError) as error:
            report.errors.append(_row_error(sheet, number, error))
            continue
        key = importer.natural_key(parsed)
        if key in seen:
            report.errors.append(
                RowError(number, "", _("与第%(row)s行重复") % {"row": seen[key]}),
            )
            continue
        seen[key] = number
        report.valid += 1
        if importer.exists(parsed, ctx=ctx):
            report.skipped += 1
        else:
            to_write.append((number, parsed))
    return report, to_write


def dry_run(*, importer: Importer, content: bytes, ctx: ImportContext, progress: Progress = _noop) -> ImportReport:
    """Check every row without writing anything."""
    sheet = read_sheet(importer, content)
    report, rows = _check(importer, sheet, ctx=ctx, progress=progress)
    if rows:  # also beside other rows' errors, so that one dry run lists every bad row it can
        progress(report.total, report.total, _("正在按导入时的派遣和期限逐行核对"))
        together = _checked_together(importer, sheet, rows, ctx=ctx)
        report.errors.extend(together)
        report.valid -= sum(1 for error in together if error.row)
    progress(report.total, report.total, _("检查完成"))
    return report


def _checked_together(
    importer: Importer, sheet: Sheet, rows: list[tuple[int, ParsedRow]], *, ctx: ImportContext
) -> list[RowError]:
    """What the import would refuse once the rows are described together (e.g. a village without a committee
    to dispatch an open row to), so that a clean dry run means a clean import."""
    try:
        importer.check_all([parsed for _number, parsed in rows], ctx=ctx)
    except FailedAt as failed:
        return _failed_rows(sheet, rows, failed)
    except (RowInvalid, DomainError) as error:
        return [_row_error(sheet, 0, error)]
    return []


def _failed_rows(sheet: Sheet, rows: list[tuple[int, ParsedRow]], failed: FailedAt) -> list[RowError]:
    return [_row_error(sheet, rows[index][0], error) for index, error in failed.failures]


class _RowFailed(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


def _row_error(sheet: Sheet, number: int, error: RowInvalid | DomainError) -> RowError:
    """The report's line for a row that failed while read, planned or written (row 0: the whole file), naming
    the column of the refused value (a domain error's field, when it is one of the sheet's columns)."""
    if isinstance(error, RowInvalid) and error.column:
        return RowError(number, sheet.headers.get(error.column, error.column) or "", error.message)
    field_name = getattr(error, "field", None)
    return RowError(number, sheet.headers.get(field_name, "") if field_name else "", error.message)


def import_sheet(*, importer: Importer, content: bytes, ctx: ImportContext, progress: Progress = _noop) -> ImportReport:
    """Import every row in one transaction, or nothing when any row is bad (the report then lists why)."""
    sheet = read_sheet(importer, content)
    report, rows = _check(importer, sheet, ctx=ctx, progress=progress)
    report.dry_run = False
    if report.errors:
        return report
    total = len(rows)
    step = max(1, total // 100)
    progress(0, total, _("正在写入"))
    try:
        # The bulk path: everything was checked above, without holding the write lock.
        written = importer.apply_all([parsed for _number, parsed in rows], ctx=ctx)
    except FailedAt as failed:
        report.errors.extend(_failed_rows(sheet, rows, failed))
        return report
    except (RowInvalid, DomainError) as error:
        # Not a row's own fault (e.g. the user may not write this ledger): the whole file is concerned.
        report.errors.append(_row_error(sheet, 0, error))
        return report
    if not written:
        try:
            with transaction.atomic():
                for index, (number, parsed) in enumerate(rows, start=1):
                    try:
                        importer.apply(parsed, ctx=ctx)
                    except (RowInvalid, DomainError) as error:
                        raise _RowFailed(_row_error(sheet, number, error)) from error
                    if index % step == 0 or index == total:
                        progress(index, total, _("正在写入第%(n)s行") % {"n": number})
        except _RowFailed as failed:
            report.errors.append(failed.error)
            return report
    report.imported = total
    analyze_after_commit()  # the tables filled are planned by their new size at once (PostgreSQL)
    progress(total, total, _("导入完成"))
    return report
