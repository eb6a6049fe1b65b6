"""Text that cannot attack its reader: one place for what we accept and what we write into spreadsheets.

Input: text fields refuse NUL and the other C0 control characters (newline and tab are text); every way in
(web forms, the API's schemas, Open311, sheet imports) uses :func:`control_character` / :func:`check_text`,
so the refusal reads the same everywhere and names the field.

Output: every .xlsx we write passes its cells through :func:`excel_cell`. It drops the characters XML cannot
hold (so a row stored before the input check still exports) and writes text that Excel would read as a
formula or a DDE call (``= + - @``, tab, CR first) as a text cell with Excel's quote prefix: the value is
kept exactly, but Excel shows it as text and never evaluates it. :func:`csv_cell` does the same for CSV,
where a leading ``'`` is the only way to say "text".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from gridgov.data.errors import InvalidInput
from gridgov.types import CellValue

# C0 controls except tab (\x09), newline (\x0a) and CR (\x0d, which browsers send in "\r\n"), and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What XML 1.0 cannot hold at all (openpyxl refuses these with IllegalCharacterError).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def control_character(text: str) -> str | None:
    """The first forbidden control character in ``text`` (as ``\\xNN``), or None when the text is clean."""
    found = _CONTROL.search(text)
    return None if found is None else f"\\x{ord(found.group()):02x}"


def blank(text: str) -> bool:
    """True when ``text`` shows nothing: only spaces and invisible characters (zero-width spaces, joiners, the BOM),
    so a required text made of them is refused as empty."""
    return all(unicodedata.category(character) in ("Zs", "Zl", "Zp", "Cc", "Cf") for character in text)


def refusal(label: str, character: str) -> str:
    return _("“%(field)s”含有不可见的控制字符（%(char)s），请删除后重新提交") % {"field": label, "char": character}


def check_text(value: object, *, field: str, label: str | None = None) -> None:
    """Raise InvalidInput naming ``field`` when ``value`` (a string, or strings nested in lists/dicts) holds
    a control character other than newline and tab."""
    for text in strings_in(value):
        character = control_character(text)
        if character is not None:
            raise InvalidInput(refusal(label or field, character), field=field)


def check_fields(values: Mapping[str, object]) -> None:
    """:func:`check_text` for every item of a mapping (a POST body, a parsed row), in order."""
    for field, value in values.items():
        check_text(value, field=field)


def strings_in(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)


def validate_form_text(value: object) -> None:
    """The Django form validator (every form CharField has it): the form shows the error at its field."""
    for text in strings_in(value):
        character = control_character(text)
        if character is not None:
            raise ValidationError(
                _("含有不可见的控制字符（%(char)s），请删除后重新提交"),
                code="control_character",
                params={"char": character},
            )


# --- writing ---------------------------------------------------------------------------------------------


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold."""
    return _NOT_XML.sub("", text)


def needs_quoting(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def excel_cell(sheet: Worksheet | WriteOnlyWorksheet, value: CellValue) -> CellValue:
    """``value`` ready for ``sheet.append``: strings cleaned, formula-like strings as quoted text cells."""
    if not isinstance(value, str):
        return value
    text = xml_text(value)
    if not needs_quoting(text):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # never a formula, whatever openpyxl guessed from the leading "="
    cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    return cell


def put_cell(sheet: Worksheet, *, row: int, column: int, value: CellValue) -> Cell:
    """``sheet.cell(row, column, value)`` for a normal (not write-only) sheet, with :func:`excel_cell`'s care."""
    safe = excel_cell(sheet, value)
    cell = sheet.cell(row=row, column=column, value=safe.value if isinstance(safe, Cell) else safe)
    if isinstance(safe, Cell):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def excel_row(sheet: Worksheet | WriteOnlyWorksheet, values: Sequence[CellValue]) -> list[CellValue]:
    return [excel_cell(sheet, v) for v in values]


def sheet_title(text: str, *, default: str = "Sheet1") -> str:
    """A worksheet title Excel accepts: no ``[]:*?/\\`` or control characters, at most 31 characters."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", xml_text(text)).strip().strip("'")
    return cleaned[:31] or default


def csv_cell(value: CellValue) -> CellValue:
    """``value`` for a CSV row: cleaned, and a formula-like string prefixed with ``'``."""
    if not isinstance(value, str):
        return value
    text = xml_text(value)
    return "'" + text if needs_quoting(text) else text
