"""Django's SQLite backend with JSON support known from the library and lock waits logged."""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3.base import DatabaseWrapper as StockWrapper

from gridgov.db.busy import log_lock_waits
from gridgov.db.sqlite3.features import DatabaseFeatures


class DatabaseWrapper(StockWrapper):
    features_class = DatabaseFeatures

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(log_lock_waits)
