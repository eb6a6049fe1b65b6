"""Django's PostgreSQL backend with lock waits (lock_timeout, statement_timeout, deadlocks) logged."""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql.base import DatabaseWrapper as StockWrapper

from gridgov.db.busy import log_lock_waits


class DatabaseWrapper(StockWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(log_lock_waits)
