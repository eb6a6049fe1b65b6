"""The bulk path: many fully-described cases written with a few bulk INSERTs in one short transaction.

Batch work (history and ledger imports, the demo's past year) describes each case completely in advance — a
``CaseRecord``: an unsaved ``Case`` with every column set, and its ``ActionRecord`` list (times, actors,
notes, data) — and hands them to ``write_cases``. Everything that needs no lock is done before the
transaction (the rollup contributions, the action payloads); inside it, per slice:

1. one query finds the numbers already used (a re-run skips imported cases; a native case with the same
   number is a Conflict), one reads the town's counters;
2. sequence numbers are claimed and the counters bumped (gap-free: the bump commits with the cases, or
   neither does); a number in the town's own pattern (DX2022-000123) keeps its sequence;
3. the cases are inserted with ``bulk_create``, their actions hash-chained in Python with the engine's
   ``action_digest`` (so ``verify_audit_chain`` checks them like any other) and inserted with
   ``bulk_create``, each case's ``action_count``/``audit_head`` set; photos stored beforehand
   (``store_photo``, once for any number of actions) get their Attachment rows;
4. the rollups get the summed contributions of all the slice's cases in a few upserts.

``write_cases`` is all or nothing (one transaction); ``write_cases_in_slices`` commits every ``slice_size``
cases so that a long build never holds the write lock for long, and a web request can interleave.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import ForeignKey, Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.attachments import Upload, check_image
from gridgov.data.cases.domain.audit import action_digest
from gridgov.data.cases.enums import TERMINAL_STATUSES
from gridgov.data.cases.models import (
    Attachment,
    Case,
    CaseAction,
    CaseCounter,
    attachment_path,
    display_path,
    thumbnail_path,
)
from gridgov.data.errors import Conflict, InvalidInput
from gridgov.data.metrics import rollups
from gridgov.data.org.models import Area
from gridgov.types import FromDjango, JSONObject, SQLValue

_OWN_NUMBER = re.compile(r"^(?P<prefix>.+?)(?P<year>\d{4})-(?P<seq>\d{1,9})$")
DEFAULT_SLICE = 100  # cases per transaction of a long build (a slice commits in well under 200 ms)


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A photo already in storage (see ``store_photo``), attached to an action by reference: the bulk path
    writes its Attachment row, never the file again."""

    kind: str
    file: str
    display: str
    thumbnail: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    width: int | None
    height: int | None

    @classmethod
    def of(cls, attachment: Attachment) -> StoredFile:
        return cls(
            kind=attachment.kind,
            file=attachment.file.name or "",
            display=attachment.display.name or "",
            thumbnail=attachment.thumbnail.name or "",
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            width=attachment.width,
            height=attachment.height,
        )


def store_photo(*, town: Area, upload: Upload) -> StoredFile:
    """Check ``upload`` and store its files once (content-addressed), for any number of bulk-written actions."""
    checked = check_image(upload)
    fields = checked.attachment_fields()
    probe = Attachment(town_id=town.pk, sha256=checked.sha256)
    names: dict[str, str] = {}
    for name, path in (("file", attachment_path), ("display", display_path), ("thumbnail", thumbnail_path)):
        content = fields[name]
        target = path(probe, content.name)
        if not default_storage.exists(target):
            target = default_storage.save(target, content)
        names[name] = target
    return StoredFile(
        kind=str(fields["kind"]),
        file=names["file"],
        display=names["display"],
        thumbnail=names["thumbnail"],
        original_name=fields["original_name"],
        content_type=fields["content_type"],
        size=fields["size"],
        sha256=checked.sha256,
        width=fields["width"],
        height=fields["height"],
    )


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """One step of a case, as the engine would have written it (its hash is computed on writing)."""

    action: str
    from_status: str
    to_status: str
    created_at: datetime
    actor_id: int | None = None
    actor_name: str = ""
    actor_role: str = ""
    note: str = ""
    data: JSONObject = field(default_factory=dict)
    files: tuple[StoredFile, ...] = ()


@dataclass(slots=True)
class CaseRecord:
    """A case described in full: ``case`` is unsaved with every column set except ``seq`` (and ``number``,
    when it is "" — the case then gets the next number of the town's own pattern)."""

    case: Case
    actions: list[ActionRecord]


def own_prefix(town: Area) -> str:
    return town.case_prefix or town.code


def own_number(town: Area, year: int, seq: int) -> str:
    return f"{own_prefix(town)}{year}-{seq:06d}"


def _wanted_seq(town: Area, number: str, year: int) -> int | None:
    """The sequence a number in the town's own pattern asks for (None for any other number)."""
    match = _OWN_NUMBER.match(number)
    if match is None or match["prefix"] != own_prefix(town) or int(match["year"]) != year:
        return None
    return int(match["seq"])


def write_cases(
    *, town: Area, records: Sequence[CaseRecord], then: Callable[[list[Case]], None] | None = None
) -> list[Case]:
    """Write ``records`` in one transaction, all or nothing; returns the cases written.

    A record whose number an imported case already has is skipped (a re-run after an interruption finishes
    the job); a number a native case has raises Conflict, and nothing is written. Everything that can be is
    computed before the transaction; inside it only the numbering and a few multi-row INSERTs remain.
    ``then`` (e.g. a ledger's detail rows for the new cases) runs in the same transaction, after them.
    """
    prepared = _Prepared.of(town, records)
    if connection.in_atomic_block:  # the caller's transaction holds the lock already: plan inside it
        with transaction.atomic():
            written = _write(town, prepared, _plan(town, prepared, _existing(town, prepared)), fresh=True)
            if then is not None:
                then(written)
            return written
    plan = _plan(town, prepared, _existing(town, prepared))
    with transaction.atomic():
        written = _write(town, prepared, plan)
        if then is not None:
            then(written)
        return written


def owe_notifications(cases: Sequence[Case], *, now: datetime) -> None:
    """Put the latest step of each open case just written in the outbox (call inside their transaction): the
    worker then tells whoever has it in hand, as the engine would have when the step was taken."""
    by_count: dict[int, list[int]] = {}
    for case in cases:
        if case.status not in TERMINAL_STATUSES and case.action_count:
            by_count.setdefault(case.action_count, []).append(case.pk)
    for seq, ids in by_count.items():
        for start in range(0, len(ids), 500):
            CaseAction.objects.filter(case_id__in=ids[start : start + 500], seq=seq).update(notify_due_at=now)


def insert_rows(rows: Sequence[Model]) -> None:
    """Insert a ledger's detail rows of cases just written (call inside their transaction, which holds the write
    lock): one multi-row insert per model, as the cases' own (``executemany``/``COPY``), in the order the
    models first appear; a row pointing at a row of an earlier model (a dispute's parties at their dispute)
    gets its id. Ids are reserved here, under the lock."""
    by_model: dict[type[Model], list[Model]] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    for model, same in by_model.items():
        links = [f for f in model._meta.concrete_fields if isinstance(f, ForeignKey)]
        for obj, pk in zip(same, _reserve(model, len(same), {}), strict=True):
            obj.pk = pk
            for link in links:  # a row saved since it was pointed at: take its id
                if getattr(obj, link.attname) is None and link.is_cached(obj):
                    target = link.get_cached_value(obj)
                    setattr(obj, link.attname, target.pk if target is not None else None)
        _insert(model, _values(model, same))
        for obj in same:
            obj._state.adding = False
            obj._state.db = connection.alias


def write_cases_in_slices(
    *,
    town: Area,
    records: Iterable[CaseRecord],
    slice_size: int = DEFAULT_SLICE,
    progress: Callable[[int], None] | None = None,
) -> list[Case]:
    """Write ``records`` ``slice_size`` cases per transaction (each slice all or nothing)."""
    written: list[Case] = []
    batch: list[CaseRecord] = []

    def flush() -> None:
        prepared = _Prepared.of(town, batch)
        plan = _plan(town, prepared, _existing(town, prepared))
        with transaction.atomic():
            written.extend(_write(town, prepared, plan))
        batch.clear()
        if progress is not None:
            progress(len(written))

    for record in records:
        batch.append(record)
        if len(batch) >= slice_size:
            flush()
    if batch:
        flush()
    return written


@dataclass(slots=True)
class _Prepared:
    """What can be computed before taking the lock."""

    records: list[CaseRecord]
    years: list[int]

    @classmethod
    def of(cls, town: Area, records: Sequence[CaseRecord]) -> _Prepared:
        numbers: set[str] = set()
        years: list[int] = []
        for record in records:
            case = record.case
            if not case._state.adding:  # describe a case afresh for each attempt
                raise InvalidInput(_("批量写入的事件不能是已保存的事件"))
            if case.town_id != town.pk:
                raise InvalidInput(_("批量写入的事件不属于%(town)s") % {"town": town.name})
            if not record.actions:
                raise InvalidInput(_("事件 %(n)s 没有流转记录") % {"n": case.number})
            if case.number:
                if case.number in numbers:
                    raise InvalidInput(_("编号 %(n)s 重复") % {"n": case.number}, field="number")
                numbers.add(case.number)
            years.append(timezone.localtime(case.reported_at).year)
        return cls(records=list(records), years=years)


def _existing(town: Area, prepared: _Prepared) -> dict[str, bool]:
    """The records' numbers the town already has (number → imported); a native case's number is a Conflict."""
    numbered = [r.case.number for r in prepared.records if r.case.number]
    existing: dict[str, bool] = {}
    for i in range(0, len(numbered), 500):
        existing.update(
            Case.objects.filter(town=town, number__in=numbered[i : i + 500]).values_list("number", "imported")
        )
    for number, imported in existing.items():
        if not imported:
            raise Conflict(_("编号 %(number)s 已被本平台的事件使用，不能作为历史事件导入") % {"number": number})
    return existing


@dataclass(slots=True)
class _Plan:
    """The slice's rows, ready to insert: ids reserved, hashes chained, every value prepared for the database."""

    existing: dict[str, bool]
    todo: list[tuple[CaseRecord, int]]
    bases: dict[type[Model], int]  # SQLite: the largest id when the ids were reserved
    cases: list[list[SQLValue]]
    actions: list[list[SQLValue]]
    files: list[list[SQLValue]]
    rollup_rows: dict[rollups.Key, list[int]]


_CASE_FIELDS = list(Case._meta.concrete_fields)
_NUMBER_AT = next(i for i, f in enumerate(_CASE_FIELDS) if f.attname == "number")
_SEQ_AT = next(i for i, f in enumerate(_CASE_FIELDS) if f.attname == "seq")
_YEAR_AT = next(i for i, f in enumerate(_CASE_FIELDS) if f.attname == "year")


def _plan(town: Area, prepared: _Prepared, existing: dict[str, bool]) -> _Plan:
    todo = [(r, y) for r, y in zip(prepared.records, prepared.years, strict=True) if r.case.number not in existing]
    cases = [r.case for r, _year in todo]
    n_actions = sum(len(r.actions) for r, _year in todo)
    n_files = sum(len(a.files) for r, _year in todo for a in r.actions)
    bases: dict[type[Model], int] = {}
    case_ids = _reserve(Case, len(cases), bases)
    action_ids = iter(_reserve(CaseAction, n_actions, bases))
    file_ids = iter(_reserve(Attachment, n_files, bases))
    action_rows: list[CaseAction] = []
    file_rows: list[Attachment] = []
    for (record, year), pk in zip(todo, case_ids, strict=True):
        case = record.case
        case.pk = pk
        case.year = year
        for row, step in zip(_chain(record), record.actions, strict=True):
            row.pk = next(action_ids)
            action_rows.append(row)
            for f in step.files:
                file_rows.append(
                    Attachment(
                        pk=next(file_ids),
                        town_id=row.town_id,
                        case_id=pk,
                        action_id=row.pk,
                        created_at=row.created_at,
                        kind=f.kind,
                        file=f.file,
                        display=f.display,
                        thumbnail=f.thumbnail,
                        original_name=f.original_name,
                        content_type=f.content_type,
                        size=f.size,
                        sha256=f.sha256,
                        width=f.width,
                        height=f.height,
                    )
                )
    return _Plan(
        existing=existing,
        todo=todo,
        bases=bases,
        cases=_values(Case, cases),
        actions=_values(CaseAction, action_rows),
        files=_values(Attachment, file_rows),
        rollup_rows=rollups.contributions(rollups.snapshot(c) for c in cases),
    )


def _reserve(model: type[Model], n: int, bases: dict[type[Model], int]) -> list[int]:
    """``n`` ids for new rows of ``model``: from its sequence on PostgreSQL (no lock needed); elsewhere the
    ids after the largest one, checked again under the write lock (``_moved``)."""
    if n == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
            return [row[0] for row in cursor.fetchall()]
        base = _largest_id(cursor, table)
    bases[model] = base
    return list(range(base + 1, base + n + 1))


def _largest_id(cursor: FromDjango, table: str) -> int:
    cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
    largest = cursor.fetchone()[0] or 0
    if connection.vendor == "sqlite":  # AUTOINCREMENT: never reuse the id of a deleted row
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        largest = max(largest, row[0] if row else 0)
    return int(largest)


def _moved(plan: _Plan) -> bool:
    """Whether another writer added rows since the ids were reserved (then the plan is made again)."""
    with connection.cursor() as cursor:
        return any(_largest_id(cursor, model._meta.db_table) != base for model, base in plan.bases.items())


def _values(model: type[Model], objects: Sequence[Model]) -> list[list[SQLValue]]:
    """Each object's column values as the database takes them (what ``bulk_create`` computes per row)."""
    fields = model._meta.concrete_fields
    return [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objects]


def _insert(model: type[Model], rows: list[list[SQLValue]]) -> None:
    """Insert prepared rows: SQLite runs one prepared statement per row (``executemany``, in C, no round
    trips); PostgreSQL streams them with ``COPY … FROM STDIN`` (one round trip, no SQL to parse)."""
    if not rows:
        return
    qn = connection.ops.quote_name
    fields = model._meta.concrete_fields
    columns = ", ".join(qn(f.column or f.attname) for f in fields)
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _write(town: Area, prepared: _Prepared, plan: _Plan, *, fresh: bool = False) -> list[Case]:
    """Under the write lock: check nothing changed meanwhile (unless the plan was made under it), number
    the cases, insert everything."""
    if not fresh:
        existing = _existing(town, prepared)
        if existing != plan.existing or _moved(plan):  # another writer came first: prepare again (rare)
            plan = _plan(town, prepared, existing)
    if not plan.todo:
        return []
    _number(town, plan.todo)
    for (record, year), row in zip(plan.todo, plan.cases, strict=True):
        row[_NUMBER_AT], row[_SEQ_AT], row[_YEAR_AT] = record.case.number, record.case.seq, year
    _insert(Case, plan.cases)
    _insert(CaseAction, plan.actions)
    _insert(Attachment, plan.files)
    rollups.cases_added(town_id=town.pk, rows=plan.rollup_rows)
    cases = [record.case for record, _year in plan.todo]
    for case in cases:
        case._state.adding = False
        case._state.db = connection.alias
    return cases


def _number(town: Area, todo: list[tuple[CaseRecord, int]]) -> None:
    """Claim each case's sequence (and own number) and move the counters past them, gap-free."""
    years = sorted({year for _record, year in todo})
    last = dict(CaseCounter.objects.filter(town=town, year__in=years).values_list("year", "last_value"))
    # Normally the counter is past every sequence; a case numbered by hand beyond it is stepped over.
    taken: dict[int, set[int]] = defaultdict(set)
    for year in years:
        beyond = Case.objects.filter(town=town, year=year, seq__gt=last.get(year, 0))
        taken[year].update(beyond.values_list("seq", flat=True))
    wanted: dict[int, set[int]] = defaultdict(set)
    kept: list[bool] = []
    for record, year in todo:
        seq = _wanted_seq(town, record.case.number, year) if record.case.number else None
        keep = seq is not None and seq not in taken[year] and seq not in wanted[year]
        if keep and seq is not None and seq <= last.get(year, 0):
            keep = not Case.objects.filter(town=town, year=year, seq=seq).exists()
        if keep and seq is not None:
            wanted[year].add(seq)
        kept.append(keep)
    top = dict(last)
    for year in years:
        if wanted[year]:
            top[year] = max(top.get(year, 0), max(wanted[year]))
    nxt = {year: top.get(year, 0) for year in years}
    for (record, year), keep in zip(todo, kept, strict=True):
        case = record.case
        case.year = year
        if keep:
            case.seq = _wanted_seq(town, case.number, year)  # type: ignore[assignment]  # kept only where the number gives a wanted seq, so never None here
            continue
        seq = nxt[year] + 1
        while seq in taken[year] or seq in wanted[year]:
            seq += 1
        nxt[year] = seq
        case.seq = seq
        if not case.number:
            case.number = own_number(town, year, seq)
    for year in years:
        value = nxt[year]
        if year in last:
            if value != last[year]:
                CaseCounter.objects.filter(town=town, year=year).update(last_value=value)
        else:
            CaseCounter.objects.create(town=town, year=year, last_value=value)


def _chain(record: CaseRecord) -> list[CaseAction]:
    """The record's actions hash-chained as the engine chains its own; sets the case's head and count."""
    case = record.case
    rows: list[CaseAction] = []
    head = ""
    for seq, step in enumerate(record.actions, start=1):
        digest = action_digest(
            case_id=case.pk,
            seq=seq,
            action=step.action,
            from_status=step.from_status,
            to_status=step.to_status,
            actor_id=step.actor_id,
            actor_name=step.actor_name,
            actor_role=step.actor_role,
            note=step.note,
            data=step.data,
            created_at=step.created_at,
            attachment_hashes=[f.sha256 for f in step.files],
            prev_hash=head,
        )
        rows.append(
            CaseAction(
                town_id=case.town_id,
                case=case,
                seq=seq,
                action=step.action,
                from_status=step.from_status,
                to_status=step.to_status,
                actor_id=step.actor_id,
                actor_name=step.actor_name,
                actor_role=step.actor_role,
                note=step.note,
                data=step.data,
                created_at=step.created_at,
                prev_hash=head,
                hash=digest,
            )
        )
        head = digest
    case.action_count = len(rows)
    case.audit_head = head
    return rows


def last_seq(*, town: Area, year: int) -> int:
    """The highest sequence a case of ``town`` has in ``year`` (0 when none): for checks and tests."""
    return Case.objects.filter(town=town, year=year).aggregate(top=Max("seq"))["top"] or 0
