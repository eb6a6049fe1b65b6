"""WAL checkpoints off the request path.

In WAL mode every commit appends its pages to the log; a checkpoint copies them back into the database file
and syncs it. By default SQLite runs one inside whichever commit takes the log past 1,000 pages — on a busy
intake that is a web request every few dozen reports, which then copies megabytes and waits for the disk
while holding its worker. Web processes therefore checkpoint only past ``GRIDGOV_SQLITE_WEB_CHECKPOINT_PAGES``
(a safety net), and the background worker, which is up whenever GridGov runs, checkpoints the log
``PASSIVE``-ly (never waiting for, nor blocking, readers and writers) about once a second.
"""

from __future__ import annotations

import logging
import time

from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger("gridgov.db")

_last = 0.0


def checkpoint_if_due(*, every: float = 1.0) -> int | None:
    """Run a passive checkpoint if ``every`` seconds have passed since the last one (SQLite only); returns the
    pages the log still holds after it (None when nothing was done)."""
    global _last
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "sqlite" or db.in_atomic_block:
        return None
    now = time.monotonic()
    if now - _last < every:
        return None
    _last = now
    db.ensure_connection()
    assert db.connection is not None
    busy, pages, copied = db.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    if busy:
        log.debug("WAL checkpoint blocked (%s of %s pages copied)", copied, pages)
    return int(pages) - int(copied) if pages >= 0 else None
