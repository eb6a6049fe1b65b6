"""Django's database cache, except that reading never writes.

The stock backend deletes the expired entries it comes across while reading (``get``/``get_many``): a read that
needs the write lock, so on SQLite a page that merely looks something up in the cache (the category search
index, a rate limit) waits behind an import and may answer 503. Here reads leave expired entries alone — they
are not returned, and ``set`` culls them as it always did once the table is full.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.core.cache.backends.db import DatabaseCache as StockDatabaseCache

from gridgov.types import FromDjango

_reading = threading.local()


class DatabaseCache(StockDatabaseCache):
    def get_many(self, keys: Iterable[FromDjango], version: int | None = None) -> dict[FromDjango, FromDjango]:
        _reading.active = True
        try:
            return super().get_many(keys, version=version)
        finally:
            _reading.active = False

    def _base_delete_many(self, keys: list[str]) -> bool:
        if getattr(_reading, "active", False):
            return False  # expired entries found by a read: left for set() to cull
        return bool(super()._base_delete_many(keys))  # type: ignore[misc]  # not in the stubs
