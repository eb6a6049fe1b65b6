"""Idempotent creation: the same ``Idempotency-Key`` and body give the same answer, never a second object.

The record is written in the same transaction as the object it answers for, so either both exist or
neither; a retry — concurrent or not — hits the unique constraint, rolls back its own object and replays
the first answer (or is refused when the body differs). A retry that the domain refuses before writing —
a register's house, household or resident is unique by its address, 户号 or ID number, so the retry meets its own
first run as a duplicate — replays the first answer too, when there is one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
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
) -> Answer:
    """Run ``create`` once per (user, key); later calls with the same body replay the first answer.

    ``create_recording`` instead of ``create``: a function that writes the case and calls the callback it is
    given with the new case inside its own transaction (``report_case(on_written=…)``). The record is then
    written in that transaction without an outer one — on SQLite the write lock is held only while writing,
    not while the case is prepared. What is created is a case, or another record (a ledger's house, visit, …):
    the record links only a case.
    """
    key = check_key(key)
    digest = body_hash(body)
    # No look-up first: a retry is rare, and its record insert hits the unique constraint, rolls the whole
    # attempt back (nothing of it stays, no case number used) and replays the first answer below.
    answers: list[tuple[JSONObject, bool]] = []  # the answer stored, and whether its number was still to come

    def record(created: T) -> None:
        # A case whose number the database draws in this very batch (``report_case`` on PostgreSQL) has none
        # yet: its answer is stored with the number put in by the statement that stores it, from the case's
        # row written just before it in the same batch.
        numbered_later = isinstance(created, Case) and created.number is None
        answer = _rendered_with_drawn_number(created, render) if numbered_later else render(created)
        prepared.insert(
            prepared.new(
                IdempotencyRecord,
                user=user,
                key=key,
                body_hash=digest,
                case=created if isinstance(created, Case) else None,
                response_status=status,
                response_body=_with_case_number(answer, created.pk) if numbered_later else answer,
                created_at=now or timezone.now(),
            ),
            returning=False,  # nobody reads its key: queued with the case's writes (prepared.batched)
        )
        answers.append((answer, numbered_later))

    try:
        if create_recording is not None:
            created = create_recording(record)
            answer, numbered_later = answers[-1]
            if numbered_later:  # now that the number is known: put it where the placeholder stands
                assert isinstance(created, Case)
                answer = _numbered(answer, created.number)
        else:
            assert create is not None
            with transaction.atomic():
                record(create())
            answer = answers[-1][0]
    except (IntegrityError, DomainError):  # the key's record, or a refusal of what its first run wrote
        earlier = _replay(user=user, key=key, digest=digest)
        if earlier is None:
            raise
        return earlier
    return Answer(status=status, body=answer, replayed=False)


# Where a case's number goes in an answer rendered before the database has drawn it (plain ASCII: JSON keeps it
# as it is, and no answer holds it otherwise).
_DRAWN_NUMBER = "{{gridgov:drawn-case-number}}"


def _rendered_with_drawn_number[T: Model](created: T, render: Callable[[T], JSONObject]) -> JSONObject:
    assert isinstance(created, Case)
    unknown, created.number = created.number, _DRAWN_NUMBER
    try:
        return render(created)
    finally:
        created.number = unknown


def _numbered(answer: JSONObject, number: str) -> JSONObject:
    """``answer`` with ``number`` wherever it says ``_DRAWN_NUMBER`` (what the stored copy gets in SQL)."""

    def filled(value: object) -> object:
        if isinstance(value, str):
            return value.replace(_DRAWN_NUMBER, number)
        if isinstance(value, dict):
            return {key: filled(item) for key, item in value.items()}
        if isinstance(value, list):
            return [filled(item) for item in value]
        return value

    return {key: filled(value) for key, value in answer.items()}


def _with_case_number(answer: JSONObject, case_id: int) -> prepared.SQL:
    """``answer`` as stored JSON, with the case's number (read from its row) wherever it says ``_DRAWN_NUMBER``."""
    qn = connection.ops.quote_name
    number = f"(SELECT {qn('number')} FROM {qn(Case._meta.db_table)} WHERE {qn('id')} = %s)"
    text = json.dumps(answer)  # as the JSONField would write it (no encoder)
    cast = "CAST({} AS jsonb)" if connection.vendor == "postgresql" else "json({})"
    return prepared.SQL(cast.format(f"replace(%s, %s, {number})"), (text, _DRAWN_NUMBER, case_id))


def _replay(*, user: User, key: str, digest: str) -> Answer | None:
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is None:
        return None
    if record.body_hash != digest:
        raise InvalidInput(
            _("Idempotency-Key“%(key)s”已用于另一个不同内容的请求，请为新请求使用新的 Key") % {"key": key},
            field="Idempotency-Key",
            code=KEY_REUSED,
        )
    return Answer(status=record.response_status, body=dict(record.response_body), replayed=True)


def earlier_answer(*, user: User, key: str, body: JSONObject) -> Answer | None:
    """The first answer already recorded for (user, key), or None; InvalidInput when the body differs.

    For actions on an existing case, which must be looked up before they run: a resent verification would
    otherwise meet its own first run as a version conflict instead of replaying the first answer."""
    return _replay(user=user, key=check_key(key), digest=body_hash(body))
