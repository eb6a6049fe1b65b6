"""What an import reports: every refused row with its number, column and reason, the rows' counts, and the rows
the file hides (imported like the others: the report says so)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gridgov.types import JSONObject

# Runs of hidden rows named one by one; the rest are counted.
_NAMED_RUNS = 10


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as Excel shows it
    column: str  # the column's header as written in the file ("" when the whole row is concerned)
    message: str


@dataclass
class ImportReport:
    importer: str
    total: int = 0  # data rows in the file (blank rows ignored)
    valid: int = 0  # rows that passed every check
    skipped: int = 0  # rows already imported earlier (same natural key)
    imported: int = 0  # rows written (0 in a dry run)
    dry_run: bool = True
    errors: list[RowError] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)  # data rows the file hides (by hand or by a filter)
    hidden_sheet: str = ""  # the sheet's name when the rows are on a hidden sheet

    @property
    def hidden_notice(self) -> str:
        """What the clerk may not expect: rows (or the sheet) hidden in the file, imported like the others — "将导入"
        in the check, "已导入" once imported; "" when nothing is hidden, or nothing was imported for an error."""
        if not (self.hidden_rows or self.hidden_sheet) or (not self.dry_run and self.errors):
            return ""
        parts = []
        if self.hidden_sheet:
            parts.append(_("数据所在的工作表“%(sheet)s”在工作簿中是隐藏的") % {"sheet": self.hidden_sheet})
        if self.hidden_rows:
            parts.append(
                ngettext(
                    "第%(rows)s行在表格中是隐藏的（隐藏或筛选）",
                    "第%(rows)s行在表格中是隐藏的（隐藏或筛选，共%(n)s行）",
                    len(self.hidden_rows),
                )
                % {"rows": _row_list(self.hidden_rows), "n": len(self.hidden_rows)}
            )
        done = _("，与其他行一样将导入。") if self.dry_run else _("，与其他行一样已导入。")
        return _("；").join(parts) + done

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> JSONObject:
        """The report as its job keeps it (JSON): every field, each error as an object (row, column, message)."""
        kept = asdict(self)
        # what the file hides only where it hides something (most files hide nothing)
        if not self.hidden_rows:
            del kept["hidden_rows"]
        if not self.hidden_sheet:
            del kept["hidden_sheet"]
        return kept

    @classmethod
    def from_dict(cls, data: JSONObject) -> ImportReport:
        """A report kept by ``as_dict`` (those kept before the hidden rows were reported have none)."""
        kept = {item.name: data[item.name] for item in fields(cls) if item.name in data}
        kept["errors"] = [RowError(**error) for error in data["errors"]]
        kept["hidden_rows"] = [int(number) for number in data.get("hidden_rows", [])]
        return cls(**kept)


def _row_list(numbers: list[int]) -> str:
    """Row numbers as a clerk writes them: 12、15、20至24 — the first runs, then 等."""
    runs: list[tuple[int, int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    named = [
        str(first) if first == last else _("%(first)s至%(last)s") % {"first": first, "last": last}
        for first, last in runs[:_NAMED_RUNS]
    ]
    listed = _("、").join(named)
    return _("%(rows)s等") % {"rows": listed} if len(runs) > _NAMED_RUNS else listed
