"""Django's PostgreSQL backend with lock waits (lock_timeout, statement_timeout, deadlocks) logged."""

from __future__ import annotations

from django.db.backends.postgresql.base import DatabaseWrapper as StockWrapper

from gridgov.db.busy import log_lock_waits
from gridgov.types import FromDjango


class DatabaseWrapper(StockWrapper):
    def __init__(self, *args: FromDjango, **kwargs: FromDjango) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(log_lock_waits)
