"""Idempotent creation: the same ``Idempotency-Key`` and body give the same answer, never a second object.

The record is written in the same transaction as the object it answers for, so either both exist or
neither; a retry — concurrent or not — hits the unique constraint, rolls back its own object and replays
the first answer (or is refused when the body differs). A retry that the domain refuses before writing —
a register's house, household or resident is unique by its address, 户号 or ID number, so the retry meets its own
first run as a duplicate — replays the first answer too, when there is one. A report's record keeps no answer:
a retry rebuilds it from the case (``first_answer``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.access.models import IdempotencyRecord
from gridgov.data.canonical import canonical_digest
from gridgov.data.cases.models import Case
from gridgov.data.errors import DomainError, InvalidInput
from gridgov.data.org.models import User
from gridgov.db import prepared
from gridgov.types import JSONObject

MAX_KEY_LENGTH = 128
KEY_REUSED = "idempotency_key_reused"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: JSONObject
    replayed: bool


def body_hash(body: JSONObject) -> str:
    return canonical_digest(body)


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidInput(
            _("Idempotency-Key 必须是 1–%(n)s 个可打印 ASCII 字符") % {"n": MAX_KEY_LENGTH}, field="Idempotency-Key"
        )
    return key


def create_once[T: Model](
    *,
    user: User,
    key: str,
    body: JSONObject,
    create: Callable[[], T] | None = None,
    render: Callable[[T], JSONObject],
    status: int = 201,
    now: datetime | None = None,
    create_recording: Callable[[Callable[[T], None]], T] | None = None,
    first_answer: Callable[[Case], JSONObject] | None = None,
) -> Answer:
    """Run ``create`` once per (user, key); later calls with the same body replay the first answer.

    ``create_recording`` instead of ``create``: a function that writes the case and calls the callback it is
    given with the new case inside its own transaction (``report_case(on_written=…)``). The record is then
    written in that transaction without an outer one — on SQLite the write lock is held only while writing,
    not while the case is prepared. What is created is a case, or another record (a ledger's house, visit, …):
    the record links only a case.

    ``first_answer``: for a case, its first answer rebuilt from the case (as it was when created, however it has
    moved on since) — given, the record stores no answer (NULL) and a retry rebuilds it. A report is the
    hottest write there is, and its answer is wanted again only by the rare retry: rendering and storing it
    inside the report's transaction, with a number the database draws in that very batch on PostgreSQL, would
    cost every report for it. ``render`` gives the first answer itself, after the transaction.
    """
    key = check_key(key)
    digest = body_hash(body)
    # No look-up first: a retry is rare, and its record insert hits the unique constraint, rolls the whole
    # attempt back (nothing of it stays, no case number used) and replays the first answer below.
    stored: list[JSONObject | None] = []  # the answer stored, None when a retry rebuilds it

    def record(created: T) -> None:
        case = created if isinstance(created, Case) else None
        answer = None if case is not None and first_answer is not None else render(created)
        # A case whose number the database draws in this very batch (``report_case`` on PostgreSQL) has none yet:
        # only a record that stores no answer can be written with it.
        assert answer is None or case is None or case.number is not None, "a report's answer before its number"
        prepared.insert(
            prepared.new(
                IdempotencyRecord,
                user=user,
                key=key,
                body_hash=digest,
                case=case,
                response_status=status,
                response_body=answer,
                created_at=now or timezone.now(),
            ),
            returning=False,  # nobody reads its key: queued with the case's writes (prepared.batched)
        )
        stored.append(answer)

    try:
        if create_recording is not None:
            created = create_recording(record)
        else:
            assert create is not None
            with transaction.atomic():
                created = create()
                record(created)
    except (IntegrityError, DomainError):  # the key's record, or a refusal of what its first run wrote
        earlier = _replay(user=user, key=key, digest=digest, first_answer=first_answer)
        if earlier is None:
            raise
        return earlier
    answer = stored[-1]
    # Not stored: rendered now that the transaction is over (and a number drawn by its batch is known).
    return Answer(status=status, body=render(created) if answer is None else answer, replayed=False)


def _replay(
    *, user: User, key: str, digest: str, first_answer: Callable[[Case], JSONObject] | None = None
) -> Answer | None:
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is None:
        return None
    if record.body_hash != digest:
        raise InvalidInput(
            _("Idempotency-Key“%(key)s”已用于另一个不同内容的请求，请为新请求使用新的 Key") % {"key": key},
            field="Idempotency-Key",
            code=KEY_REUSED,
        )
    if record.response_body is None:  # a new case's record: its first answer is rebuilt from the case
        # Only the create that wrote it sends the same body (the hash covers what tells the callers apart).
        assert first_answer is not None, "a case's first answer asked of a caller that cannot rebuild it"
        case = record.case  # read now: the one retry that needs it pays for it
        assert case is not None  # its case is never deleted (it would take the record with it)
        return Answer(status=record.response_status, body=first_answer(case), replayed=True)
    return Answer(status=record.response_status, body=dict(record.response_body), replayed=True)


def earlier_answer(*, user: User, key: str, body: JSONObject) -> Answer | None:
    """The first answer already recorded for (user, key), or None; InvalidInput when the body differs.

    For actions on an existing case, which must be looked up before they run: a resent verification would
    otherwise meet its own first run as a version conflict instead of replaying the first answer."""
    return _replay(user=user, key=check_key(key), digest=body_hash(body))
