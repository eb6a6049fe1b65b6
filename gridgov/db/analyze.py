"""Fresh planner statistics right after a batch write (PostgreSQL); ``analyze_after_commit`` is the one call.

PostgreSQL plans a query from the statistics ``ANALYZE`` keeps (``pg_class.reltuples``, ``pg_statistic``).
Autovacuum refreshes a table's once it has changed by ``autovacuum_analyze_threshold`` +
``autovacuum_analyze_scale_factor`` × its rows — but only at its next round, and until then a table it last
analysed empty is planned as empty: right after a large import a query over the people register took 150 s
instead of 2 s. So every batch path (the spreadsheet imports and through them the history import, the demo
build and its 2022, the rollup rebuild) calls ``analyze_after_commit()`` when it has written. Once its
transaction commits, every table that autovacuum would analyse now is analysed at once: changed by at least
autovacuum's threshold since its last analyse, counting what this connection has written and not yet reported
to the statistics (``pg_stat_xact_user_tables``). That is the tables the batch filled, and any other that
autovacuum was about to analyse anyway.

Locks: ``ANALYZE`` takes SHARE UPDATE EXCLUSIVE on a table, which readers and writers (ACCESS SHARE, ROW
EXCLUSIVE) never wait for, nor it for them; only VACUUM, another ANALYZE, CREATE INDEX CONCURRENTLY and some
ALTER TABLE conflict. ``SKIP_LOCKED`` leaves a table held by such work to it instead of waiting, and outside a
transaction block each table is analysed in a transaction of its own, so no lock outlasts that table's sample.
A failure is logged, never raised: the batch's own work is committed and stands.

SQLite: nothing. Without ``sqlite_stat1`` its planner takes every index as selective — plans that do not go
stale as tables fill — and ``ANALYZE`` would scan whole indexes holding the write lock the web's writes wait for.
"""

from __future__ import annotations

import logging
import time
from functools import partial

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

logger = logging.getLogger(__name__)

# The tables autovacuum would analyse now (its own rule, its settings; per-table storage options aside).
_DUE = """
SELECT format('%I.%I', s.schemaname, s.relname)
FROM pg_stat_user_tables s
JOIN pg_class c ON c.oid = s.relid
LEFT JOIN pg_stat_xact_user_tables x ON x.relid = s.relid
WHERE s.n_mod_since_analyze + COALESCE(x.n_tup_ins + x.n_tup_upd + x.n_tup_del, 0)
    >= current_setting('autovacuum_analyze_threshold')::float8
       + current_setting('autovacuum_analyze_scale_factor')::float8 * GREATEST(c.reltuples, 0)
ORDER BY 1
"""


def analyze_after_commit(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Once the current transaction commits (at once outside one): ANALYZE the tables due (PostgreSQL only)."""
    if connections[using].vendor == "postgresql":
        transaction.on_commit(partial(analyze_due_tables, using=using), using=using)


def analyze_due_tables(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """ANALYZE every table changed by autovacuum's threshold since its last analyse; returns their names (none on
    SQLite, nor when the database refused: logged)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            # Committed changes reach pg_stat_user_tables when the backend next goes idle, at most once a second
            # unless asked: after this statement, before the next one is read.
            cursor.execute("SELECT pg_stat_force_next_flush()")
            cursor.execute(_DUE)
            tables = [row[0] for row in cursor.fetchall()]
            if tables:
                cursor.execute(f"ANALYZE (SKIP_LOCKED) {', '.join(tables)}")
    except DatabaseError:
        logger.warning("批量写入后更新统计信息（ANALYZE）失败；由autovacuum稍后完成", exc_info=True)
        return []
    if tables:
        logger.info("ANALYZE %s (%.1f s)", ", ".join(tables), time.monotonic() - started)
    return tables
