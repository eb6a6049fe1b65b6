"""What every ledger import's bulk path must prove against the engine: open rows written in bulk are filed
exactly as the ledger's ``record_*`` files them, the write's statements do not grow with the rows, and a
row that fails leaves nothing written."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.cases.domain import notifications
from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.models import Case
from gridgov.data.metrics import rollups
from gridgov.data.org.models import Area
from gridgov.data.sheets.framework import ImportContext, Importer, ImportReport, import_sheet
from gridgov.db.prepared.sending import statements_sent


def filed(case: Case) -> tuple[object, ...]:
    """Everything of a case and its steps that does not name the case itself (id, number, hashes)."""
    case = Case.objects.get(pk=case.pk)
    actions = [
        (a.seq, a.action, a.from_status, a.to_status, a.actor_id, a.actor_name, a.actor_role, a.note, a.data,
         a.created_at)
        for a in case.actions.order_by("seq")
    ]  # fmt: skip
    return (
        case.status, case.kind, case.channel, case.priority, case.category_id, case.major_category_id,
        case.title, case.description, case.address, case.area_id, case.area_path, case.village_id, case.grid_id,
        case.enterprise_id, case.department_id, case.reporter_id, case.reporter_role, case.reported_at,
        case.registered_at, case.dispatched_at, case.dispatch_deadline, case.handle_deadline,
        case.supervision_count, case.version, case.action_count, case.imported, actions,
    )  # fmt: skip


def assert_filed_as_engine(*, town: Area, imported: Sequence[Case], by_engine: Sequence[Case]) -> None:
    """The imported open cases equal the engine's, case by case; every audit chain verifies; the rollups
    (the indicators' counts) equal a recount; each imported case owes its latest step to the outbox, which
    the engine's case owes too (the engine owes every step; the bulk path only the one that says who has it
    in hand now)."""
    assert [filed(c) for c in imported] == [filed(c) for c in by_engine]
    ids = [c.pk for c in [*imported, *by_engine]]
    assert [broken for _case, broken in verify_chains(Case.objects.filter(pk__in=ids))] == [None] * len(ids)
    assert rollups.check(town=town) == []
    owed = set(notifications.pending().values_list("case_id", "seq"))
    latest = {(c.pk, Case.objects.get(pk=c.pk).action_count) for c in imported}
    assert {(case_id, seq) for case_id, seq in owed if case_id in {c.pk for c in imported}} == latest
    assert {(c.pk, Case.objects.get(pk=c.pk).action_count) for c in by_engine} <= owed


def write_statements(*, importer: Importer, content: bytes, ctx: ImportContext) -> tuple[ImportReport, int]:
    """Import ``content`` and count the statements that write (INSERT/UPDATE/DELETE)."""
    with CaptureQueriesContext(connection) as queries:
        report = import_sheet(importer=importer, content=content, ctx=ctx)
    writing = ("INSERT", "UPDATE", "DELETE")
    first = [statements_sent(q["sql"].lstrip())[0] for q in queries.captured_queries]  # a prepared one as it runs
    return report, sum(1 for sql in first if sql.upper().startswith(writing))


def assert_write_flat(*, importer: Importer, ctx: ImportContext, file_of: Callable[[int, int], bytes]) -> None:
    """Importing 2 open rows and then 6 others writes with the same number of statements (``file_of(first, n)``:
    a file of ``n`` new open rows numbered from ``first``), after a first import that installs what a ledger
    installs once (its categories)."""
    assert import_sheet(importer=importer, content=file_of(200, 1), ctx=ctx).imported == 1
    small, small_writes = write_statements(importer=importer, content=file_of(0, 2), ctx=ctx)
    large, large_writes = write_statements(importer=importer, content=file_of(100, 6), ctx=ctx)
    assert (small.imported, large.imported, small.errors, large.errors) == (2, 6, [], [])
    assert large_writes == small_writes
