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
cases so that a long build never holds the write lock for long, and a web request can interleave. A build
whose units differ in size (a family with its records, a house with its case) groups them with ``paced``:
each transaction takes as many rows as the last one's pace fits in ``SLICE_SECONDS``. The statements
themselves are in ``bulk_statements``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import ForeignKey, Max, Model

from gridgov.data.cases.domain.attachments import Upload, check_image
from gridgov.data.cases.domain.bulk_statements import (
    Prepared,
    existing_numbers,
    insert_many,
    plan_slice,
    reserve,
    values_of,
    write_slice,
)
from gridgov.data.cases.enums import TERMINAL_STATUSES
from gridgov.data.cases.models import (
    Attachment,
    Case,
    CaseAction,
    attachment_path,
    display_path,
    thumbnail_path,
)
from gridgov.data.org.models import Area
from gridgov.types import JSONObject

if TYPE_CHECKING:
    from gridgov.data.cases.domain.steps import Step

DEFAULT_SLICE = 100  # cases per transaction of a long build (a slice commits in well under 200 ms)
SLICE_SECONDS = 0.08  # what ``paced`` aims a transaction at: well under the 200 ms a request may wait behind it


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

    @classmethod
    def of(cls, step: Step, *, from_status: str, files: tuple[StoredFile, ...] = ()) -> ActionRecord:
        """What the action row says of ``step``, just taken (the case in its new status): the actor's id and name
        only for someone signed in, the capacity they acted in, the note and data the step collected."""
        actor = step.actor
        actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        return cls(
            action=step.action,
            from_status=from_status,
            to_status=step.case.status,
            created_at=step.now,
            actor_id=actor_id,
            actor_name=str(actor) if actor_id is not None else "",
            actor_role=step.role.value if step.role is not None else "",
            note=step.note,
            data=step.data,
            files=files,
        )


@dataclass(slots=True)
class CaseRecord:
    """A case described in full: ``case`` is unsaved with every column set except ``seq`` (and ``number``,
    when it is "" — the case then gets the next number of the town's own pattern)."""

    case: Case
    actions: list[ActionRecord]


def write_cases(
    *,
    town: Area,
    records: Sequence[CaseRecord],
    before: Callable[[], None] | None = None,
    then: Callable[[list[Case]], None] | None = None,
) -> list[Case]:
    """Write ``records`` in one transaction, all or nothing; returns the cases written.

    A record whose number an imported case already has is skipped (a re-run after an interruption finishes
    the job); a number a native case has raises Conflict, and nothing is written. Everything that can be is
    computed before the transaction; inside it only the numbering and a few multi-row INSERTs remain.
    ``before`` (e.g. rows the detail rows point at) runs in the same transaction before the cases, ``then`` (e.g. a
    ledger's detail rows for the new cases) after them: the cases are planned outside the transaction all the same.
    """
    prepared = Prepared.of(town, records)
    if connection.in_atomic_block:  # the caller's transaction holds the lock already: plan inside it
        with transaction.atomic():
            if before is not None:
                before()
            written = write_slice(
                town, prepared, plan_slice(town, prepared, existing_numbers(town, prepared)), fresh=True
            )
            if then is not None:
                then(written)
            return written
    plan = plan_slice(town, prepared, existing_numbers(town, prepared))
    with transaction.atomic():
        if before is not None:
            before()
        written = write_slice(town, prepared, plan)
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
        for obj, pk in zip(same, reserve(model, len(same), {}), strict=True):
            obj.pk = pk
            for link in links:  # a row saved since it was pointed at: take its id
                if getattr(obj, link.attname) is None and link.is_cached(obj):
                    target = link.get_cached_value(obj)
                    setattr(obj, link.attname, target.pk if target is not None else None)
        insert_many(model, values_of(model, same))
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
        prepared = Prepared.of(town, batch)
        plan = plan_slice(town, prepared, existing_numbers(town, prepared))
        with transaction.atomic():
            written.extend(write_slice(town, prepared, plan))
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
class Pacer:
    """How many rows the next transaction of a long build may take (``rows``): as many as the last one's pace
    fits in ``target`` seconds, at most ``most``. Only how the rows are grouped into transactions depends on
    the clock, never which rows are written or in what order."""

    most: int
    target: float = SLICE_SECONDS
    rows: int = 0  # the budget of the next transaction (``most`` until a first one was timed)

    def __post_init__(self) -> None:
        self.rows = self.rows or self.most

    def took(self, seconds: float, *, rows: int) -> None:
        """A transaction of ``rows`` rows held the lock ``seconds``: size the next one from its pace."""
        fits = self.target * rows / seconds if seconds > 0 else self.most
        self.rows = max(1, min(self.most, int(fits)))


def paced[T](units: Iterable[T], *, pacer: Pacer, rows: Callable[[T], int]) -> Iterator[list[T]]:
    """``units`` (each written whole: a family with its records, a house with its case) grouped into transactions
    of at most ``pacer.rows`` rows, read afresh for each group (the caller reports each write to ``pacer.took``).
    A unit larger than the budget goes alone."""
    group: list[T] = []
    size = 0
    for unit in units:
        n = rows(unit)
        if group and size + n > pacer.rows:
            yield group
            group, size = [], 0
        group.append(unit)
        size += n
    if group:
        yield group


def last_seq(*, town: Area, year: int) -> int:
    """The highest sequence a case of ``town`` has in ``year`` (0 when none): for checks and tests."""
    return Case.objects.filter(town=town, year=year).aggregate(top=Max("seq"))["top"] or 0
