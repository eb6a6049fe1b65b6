"""The demo's fixed data tables, kept as CSV files beside the ledger modules that read them.

A table that is only data (names, amounts, groups) reads better as rows of a spreadsheet than as constructor calls;
the module that uses it turns each row into its own typed record.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent


def read_table(name: str) -> list[dict[str, str]]:
    """The rows of the CSV file ``name`` in this folder, in file order, each keyed by the header row's names."""
    with (HERE / name).open(encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows))
