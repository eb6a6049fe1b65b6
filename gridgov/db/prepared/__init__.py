"""Statements built once per process for the few writes and reads every API call makes.

Django compiles each ORM statement anew: for a 74-column case that is more time than SQLite takes to
insert it. Intake (``POST /api/cases``: token, memberships, case, action, idempotency record) runs a
handful of statements whose shape never changes, so their SQL text is built once per model and database
and only the values are bound per call. Values still go through each field's own ``pre_save`` and
``get_db_prep_save`` (and, for reads, the backend's and field's converters), exactly as the ORM does.

Anything with behaviour these shortcuts would skip — ``pre_save``/``post_save`` receivers on the model,
database-side defaults — falls back to the ORM, so the result is always what ``save()`` would have written.

- ``sending``: how statements reach the database — batches, the request's short transaction, PostgreSQL
  binding with a kept split;
- ``writes``: ``insert``, ``new``, ``stage``/``insert_staged`` (with ``SQL`` for columns the database computes),
  ``update``, ``next_pk_sql`` and ``reserved_keys``;
- ``reads``: ``select`` and ``select_together``;
- ``fields``: what the three ask of a model's fields.
"""

from gridgov.db.prepared.reads import Query, select, select_together
from gridgov.db.prepared.sending import (
    Later,
    batched,
    execute,
    fetch_later,
    fetch_one,
    on_commit,
    send_queued,
    transaction,
)
from gridgov.db.prepared.writes import (
    SQL,
    Staged,
    insert,
    insert_staged,
    new,
    next_pk_sql,
    reserved_keys,
    stage,
    update,
)

__all__ = [
    "SQL",
    "Later",
    "Query",
    "Staged",
    "batched",
    "execute",
    "fetch_later",
    "fetch_one",
    "insert",
    "insert_staged",
    "new",
    "next_pk_sql",
    "on_commit",
    "reserved_keys",
    "select",
    "select_together",
    "send_queued",
    "stage",
    "transaction",
    "update",
]
