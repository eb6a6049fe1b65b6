"""The statements behind ``bulk.write_cases``: the numbers already used, keys reserved under the lock, the
town's own numbering (``own_number``), actions hash-chained as the engine chains them, and the rows inserted
(``executemany`` on SQLite, ``COPY`` on PostgreSQL)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain import rollups
from gridgov.data.cases.domain.audit import chain
from gridgov.data.cases.models import (
    Attachment,
    Case,
    CaseAction,
)
from gridgov.data.errors import Conflict, InvalidInput
from gridgov.data.org import numbering
from gridgov.data.org.models import Area
from gridgov.db import prepared
from gridgov.types import FromDjango, SQLValue

if TYPE_CHECKING:
    from gridgov.data.cases.domain.bulk import ActionRecord, CaseRecord


_OWN_NUMBER = re.compile(r"^(?P<prefix>.+?)(?P<year>\d{4})-(?P<seq>\d{1,9})$")


def own_prefix(town: Area) -> str:
    return town.case_prefix or town.code


def own_number(town: Area, year: int, seq: int) -> str:
    return f"{own_prefix(town)}{year}-{seq:06d}"


def own_number_sql(town: Area, year: int, drawn: numbering.Drawn) -> prepared.SQL:
    """``own_number`` of a number drawn in the writing batch, computed by the database (``numbering.draw``)."""
    return drawn.padded(head=f"{own_prefix(town)}{year}-", width=6)


def _wanted_seq(town: Area, number: str, year: int) -> int | None:
    """The sequence a number in the town's own pattern asks for (None for any other number)."""
    match = _OWN_NUMBER.match(number)
    if match is None or match["prefix"] != own_prefix(town) or int(match["year"]) != year:
        return None
    return int(match["seq"])


@dataclass(slots=True)
class Prepared:
    """What can be computed before taking the lock."""

    records: list[CaseRecord]
    years: list[int]

    @classmethod
    def of(cls, town: Area, records: Sequence[CaseRecord]) -> Prepared:
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


def existing_numbers(town: Area, prepared: Prepared) -> dict[str, bool]:
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
_UPDATED_AT = next(i for i, f in enumerate(_CASE_FIELDS) if f.attname == "updated_at")


def _case_rows(todo: Sequence[tuple[CaseRecord, int]]) -> list[list[SQLValue]]:
    """The cases' column values, each ``updated_at`` the time of its last step, as the engine leaves it (the
    column's ``auto_now`` would say when the batch ran: an imported 2019 case "updated" today)."""
    rows = values_of(Case, [record.case for record, _year in todo])
    field = _CASE_FIELDS[_UPDATED_AT]
    for row, (record, _year) in zip(rows, todo, strict=True):
        if record.actions:
            record.case.updated_at = record.actions[-1].created_at
            row[_UPDATED_AT] = field.get_db_prep_save(record.case.updated_at, connection)
    return rows


def plan_slice(town: Area, prepared: Prepared, existing: dict[str, bool]) -> _Plan:
    todo = [(r, y) for r, y in zip(prepared.records, prepared.years, strict=True) if r.case.number not in existing]
    cases = [r.case for r, _year in todo]
    n_actions = sum(len(r.actions) for r, _year in todo)
    n_files = sum(len(a.files) for r, _year in todo for a in r.actions)
    bases: dict[type[Model], int] = {}
    case_ids = reserve(Case, len(cases), bases)
    action_ids = iter(reserve(CaseAction, n_actions, bases))
    file_ids = iter(reserve(Attachment, n_files, bases))
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
        cases=_case_rows(todo),
        actions=values_of(CaseAction, action_rows),
        files=values_of(Attachment, file_rows),
        rollup_rows=rollups.contributions(rollups.snapshot(c) for c in cases),
    )


def reserve(model: type[Model], n: int, bases: dict[type[Model], int]) -> list[int]:
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


def values_of(model: type[Model], objects: Sequence[Model]) -> list[list[SQLValue]]:
    """Each object's column values as the database takes them (what ``bulk_create`` computes per row)."""
    fields = model._meta.concrete_fields
    return [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objects]


def insert_many(model: type[Model], rows: list[list[SQLValue]]) -> None:
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


def write_slice(town: Area, prepared: Prepared, plan: _Plan, *, fresh: bool = False) -> list[Case]:
    """Under the write lock: check nothing changed meanwhile (unless the plan was made under it), number
    the cases, insert everything."""
    if not fresh:
        existing = existing_numbers(town, prepared)
        if existing != plan.existing or _moved(plan):  # another writer came first: prepare again (rare)
            plan = plan_slice(town, prepared, existing)
    if not plan.todo:
        return []
    _number(town, plan.todo)
    for (record, year), row in zip(plan.todo, plan.cases, strict=True):
        row[_NUMBER_AT], row[_SEQ_AT], row[_YEAR_AT] = record.case.number, record.case.seq, year
    insert_many(Case, plan.cases)
    insert_many(CaseAction, plan.actions)
    insert_many(Attachment, plan.files)
    rollups.cases_added(town_id=town.pk, rows=plan.rollup_rows)
    cases = [record.case for record, _year in plan.todo]
    for case in cases:
        case._state.adding = False
        case._state.db = connection.alias
    return cases


def _number(town: Area, todo: list[tuple[CaseRecord, int]]) -> None:
    """Claim each case's sequence (and own number) and move the counters past them, gap-free."""
    years = sorted({year for _record, year in todo})
    last = numbering.last_values(series=numbering.CASES, town=town, years=years)
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
        if nxt[year] != last.get(year):
            numbering.set_last(series=numbering.CASES, town=town, year=year, value=nxt[year])


def _chain(record: CaseRecord) -> list[CaseAction]:
    """The record's actions hash-chained as the engine chains its own; sets the case's head and count."""
    case = record.case
    rows: list[CaseAction] = []
    head = ""
    for seq, step in enumerate(record.actions, start=1):
        row = action_row(case, step, seq=seq, prev_hash=head, attachment_hashes=[f.sha256 for f in step.files])
        rows.append(row)
        head = row.hash
    case.action_count = len(rows)
    case.audit_head = head
    return rows


def action_row(
    case: Case,
    step: ActionRecord,
    *,
    seq: int,
    prev_hash: str,
    attachment_hashes: Sequence[str],
    pk: int | None = None,
    notify_due_at: datetime | None = None,
) -> CaseAction:
    """The ``seq``-th action row of ``case`` recording ``step`` (unsaved), hash-chained after ``prev_hash``: the
    one builder of the engine's rows (``write_action``) and the bulk path's, so that both hash alike."""
    row = prepared.new(
        CaseAction,
        pk=pk,
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
        notify_due_at=notify_due_at,
    )
    chain(row, prev_hash=prev_hash, attachment_hashes=attachment_hashes)
    return row
