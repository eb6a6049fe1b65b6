"""What an import reports: every refused row with its number, column and reason, and the rows' counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from gridgov.types import JSONObject


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
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> JSONObject:
        return {
            "importer": self.importer,
            "total": self.total,
            "valid": self.valid,
            "skipped": self.skipped,
            "imported": self.imported,
            "dry_run": self.dry_run,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
        }

    @classmethod
    def from_dict(cls, data: JSONObject) -> ImportReport:
        return cls(
            importer=data["importer"],
            total=data["total"],
            valid=data["valid"],
            skipped=data["skipped"],
            imported=data["imported"],
            dry_run=data["dry_run"],
            errors=[RowError(row=e["row"], column=e["column"], message=e["message"]) for e in data["errors"]],
        )
