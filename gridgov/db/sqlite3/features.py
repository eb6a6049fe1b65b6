"""SQLite features that are known from the library, not probed on the database.

Django's stock backend finds out whether JSON works by running ``SELECT JSON(...)`` inside a transaction and
taking any OperationalError for "no JSON". With ``transaction_mode`` IMMEDIATE that transaction waits for the
write lock, so on a database busy with an import the answer was "no" and the system check failed
(``fields.E180 SQLite does not support JSONFields``), killing ``runserver`` and ``db_worker`` at start.
JSON is part of SQLite's core since 3.38; older libraries were mostly built with the JSON1 extension, which a
query outside any transaction (it reads no table, so it needs no lock) finds out.
"""

from __future__ import annotations

import sqlite3

from django.db import OperationalError
from django.db.backends.sqlite3 import base as _stock_base  # noqa: F401  (Django imports base before features)
from django.db.backends.sqlite3.features import DatabaseFeatures as StockFeatures
from django.utils.functional import cached_property

JSON_BUILT_IN = (3, 38, 0)


class DatabaseFeatures(StockFeatures):
    @cached_property
    def supports_json_field(self) -> bool:  # type: ignore[override]  # an attribute in the stubs
        if sqlite3.sqlite_version_info >= JSON_BUILT_IN:
            return True
        try:
            with self.connection.cursor() as cursor:
                cursor.execute('SELECT JSON(\'{"a": "b"}\')')
        except OperationalError:
            return False
        return True
