"""Re-hash every audit chain once: the hash now also covers the actor's name (what the timeline shows).

Only chains that still verify under the old hash are re-hashed; a chain already broken stays broken (so it is
not laundered) and is named in the recorded run. The run is kept as an ``AuditRun`` of kind "rehash".
Reversible: going back re-hashes the chains under the old hash.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone

from gridgov.data.cases.domain.audit import action_digest


def _old_digest(row: Any, files: list[str], prev: str) -> str:
    payload = {
        "case": row.case_id,
        "seq": row.seq,
        "action": row.action,
        "from": row.from_status,
        "to": row.to_status,
        "actor": row.actor_id,
        "role": row.actor_role,
        "note": row.note,
        "data": row.data,
        "at": row.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "files": sorted(files),
        "prev": prev,
    }
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _new_digest(row: Any, files: list[str], prev: str) -> str:
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
        attachment_hashes=files,
        prev_hash=prev,
    )


def _rehash(apps: StateApps, *, check: Any, make: Any) -> tuple[int, list[str]]:
    Case = apps.get_model("cases", "Case")
    CaseAction = apps.get_model("cases", "CaseAction")
    Attachment = apps.get_model("cases", "Attachment")
    done = 0
    skipped: list[str] = []
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        actions: dict[int, list[Any]] = {pk: [] for pk in chunk}
        for row in CaseAction.objects.filter(case_id__in=chunk).order_by("case_id", "seq"):
            actions[row.case_id].append(row)
        files: dict[int, list[str]] = {}
        for action_id, sha in Attachment.objects.filter(case_id__in=chunk, action__isnull=False).values_list(
            "action_id", "sha256"
        ):
            files.setdefault(action_id, []).append(sha)
        changed: list[Any] = []
        heads: list[Any] = []
        for case in Case.objects.filter(pk__in=chunk).order_by("pk"):
            rows = actions[case.pk]
            prev = ""
            intact = [r.seq for r in rows] == list(range(1, len(rows) + 1))
            for row in rows:
                if row.prev_hash != prev or check(row, files.get(row.pk, []), prev) != row.hash:
                    intact = False
                    break
                prev = row.hash
            if not intact or prev != case.audit_head or len(rows) != case.action_count:
                skipped.append(case.number)
                continue
            prev = ""
            for row in rows:
                row.prev_hash = prev
                row.hash = make(row, files.get(row.pk, []), prev)
                prev = row.hash
                changed.append(row)
            case.audit_head = prev
            heads.append(case)
            done += 1
        CaseAction.objects.bulk_update(changed, ["prev_hash", "hash"], batch_size=500)
        Case.objects.bulk_update(heads, ["audit_head"], batch_size=500)
    return done, skipped


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    AuditRun = apps.get_model("cases", "AuditRun")
    started = timezone.now()
    done, skipped = _rehash(apps, check=_old_digest, make=_new_digest)
    note = f"审计链哈希升级（覆盖操作人姓名）：已重算 {done} 件"
    if skipped:
        note += f"；{len(skipped)} 件原链已断裂，未重算：" + "、".join(skipped[:200])
    AuditRun.objects.create(
        kind="rehash",
        created_at=started,
        finished_at=datetime.now(UTC),
        ok=not skipped,
        checked=done + len(skipped),
        broken_count=len(skipped),
        broken=skipped[:1000],
        note=note,
    )


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _rehash(apps, check=_new_digest, make=_old_digest)
    apps.get_model("cases", "AuditRun").objects.filter(kind="rehash").delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_audit_runs_and_checkpoints")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
