"""The audit chain: each CaseAction's hash covers its content and the previous action's hash.

Editing, deleting or reordering any stored action breaks the chain from that point on; the last hash is
also kept on the case (``audit_head``) so that dropping the newest actions is detected too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.files.storage import default_storage

from gridgov.data.canonical import canonical_digest
from gridgov.data.cases.models import Case, CaseAction
from gridgov.types import JSONObject


def _timestamp(moment: datetime) -> str:
    """``2026-11-23T01:02:03.000000Z``: UTC, always six digits of microseconds — what
    ``strftime("%Y-%m-%dT%H:%M:%S.%fZ")`` gives, at less than half its cost."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def action_digest(
    *,
    case_id: int,
    seq: int,
    action: str,
    from_status: str,
    to_status: str,
    actor_id: int | None,
    actor_name: str,
    actor_role: str,
    note: str,
    data: JSONObject,
    created_at: datetime,
    attachment_hashes: Sequence[str],
    prev_hash: str,
) -> str:
    payload = {
        "case": case_id,
        "seq": seq,
        "action": action,
        "from": from_status,
        "to": to_status,
        "actor": actor_id,
        "name": actor_name,
        "role": actor_role,
        "note": note,
        "data": data,
        "at": _timestamp(created_at),
        "files": sorted(attachment_hashes),
        "prev": prev_hash,
    }
    return canonical_digest(payload)


def digest_of(row: CaseAction, attachment_hashes: Sequence[str]) -> str:
    return action_digest(
        case_id=row.case_id,
        seq=row.seq,
        action=row.action,
        from_status=row.from_status,
        to_status=row.to_status,
        actor_id=row.actor_id,
        actor_name=row.actor_name,
        actor_role=row.actor_role,
        note=row.note,
        data=row.data,
        created_at=row.created_at,
        attachment_hashes=attachment_hashes,
        prev_hash=row.prev_hash,
    )


def chain(row: CaseAction, *, prev_hash: str, attachment_hashes: Sequence[str]) -> str:
    """Link ``row`` (its content set) into its case's chain after ``prev_hash``: sets its ``prev_hash`` and its
    ``hash`` — the engine, the bulk path and ``verify_audit_chain`` all hash the row itself (``digest_of``)."""
    row.prev_hash = prev_hash
    row.hash = digest_of(row, attachment_hashes)
    return row.hash


@dataclass(frozen=True, slots=True)
class BrokenLink:
    case_number: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"{self.case_number} 第{self.seq}条流转记录：{self.reason}"


def verify_case_chain(
    case: Case,
    actions: Iterable[CaseAction],
    files: dict[int, list[str]],
    *,
    anchor: tuple[int, str] | None = None,
) -> BrokenLink | None:
    """Check one case's actions (in seq order). ``files`` maps action id → attachment hashes; ``anchor`` is
    the case's last signed checkpoint (action count, head hash), which the stored chain must still hold."""
    prev = ""
    expected_seq = 1
    seen: dict[int, str] = {}
    for row in actions:
        if row.seq != expected_seq:
            return BrokenLink(case.number, expected_seq, f"缺少序号 {expected_seq}（记录被删除或重排）")
        if row.prev_hash != prev:
            return BrokenLink(case.number, row.seq, "与上一条记录的哈希不衔接")
        if digest_of(row, files.get(row.pk, [])) != row.hash:
            return BrokenLink(case.number, row.seq, "内容与哈希不符（记录被修改）")
        prev = row.hash
        seen[row.seq] = row.hash
        expected_seq += 1
    if expected_seq - 1 != case.action_count or prev != case.audit_head:
        return BrokenLink(case.number, expected_seq, "案卷记录的最新哈希与流转记录不符（末尾记录被删除）")
    if anchor is not None and seen.get(anchor[0]) != anchor[1]:
        return BrokenLink(case.number, anchor[0], "与签名检查点不符（检查点之后记录被改写并重算哈希）")
    return None


def file_digest(name: str) -> str | None:
    """The SHA-256 of a stored file as it is on disk now, or None when it is missing."""
    try:
        with default_storage.open(name, "rb") as handle:
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
            return digest.hexdigest()
    except (FileNotFoundError, OSError):
        return None


def verify_chains(
    cases: Iterable[Case],
    *,
    anchors: dict[int, tuple[int, str]] | None = None,
    check_files: bool = True,
) -> Iterable[tuple[Case, BrokenLink | None]]:
    """Verify many cases, a batch at a time, yielding each case with its first broken link (or None).

    ``anchors`` (case id → signed action count and head, from the checkpoint file) must still be held by the
    stored chains; with ``check_files`` each attachment's file is re-hashed and compared with its record."""
    from gridgov.data.cases.models import Attachment

    batch: list[Case] = []

    def flush() -> Iterable[tuple[Case, BrokenLink | None]]:
        ids = [c.pk for c in batch]
        actions: dict[int, list[CaseAction]] = {pk: [] for pk in ids}
        for row in CaseAction.objects.filter(case_id__in=ids).order_by("case_id", "seq"):
            actions[row.case_id].append(row)
        files: dict[int, list[str]] = {}
        on_disk: dict[int, BrokenLink] = {}
        seq_of = {row.pk: row.seq for rows in actions.values() for row in rows}
        number_of = {c.pk: c.number for c in batch}
        attachments = Attachment.objects.filter(case_id__in=ids, action__isnull=False).order_by("pk")
        for case_id, action_id, sha, name in attachments.values_list("case_id", "action_id", "sha256", "file"):
            files.setdefault(action_id, []).append(sha)
            if check_files and case_id not in on_disk:
                found = file_digest(name)
                if found != sha:
                    reason = "附件文件缺失" if found is None else "附件文件与记录的哈希不符（文件被替换或损坏）"
                    on_disk[case_id] = BrokenLink(number_of[case_id], seq_of.get(action_id, 0), reason)
        for c in batch:
            anchor = anchors.get(c.pk) if anchors else None
            broken = verify_case_chain(c, actions[c.pk], files, anchor=anchor)
            yield c, broken if broken is not None else on_disk.get(c.pk)

    for case in cases:
        batch.append(case)
        if len(batch) >= 500:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
