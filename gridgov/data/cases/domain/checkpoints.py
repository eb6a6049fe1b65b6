"""Signed checkpoints: the audit chain anchored outside the database.

Whoever can write the database can rewrite an action and recompute every hash after it and the case's head;
the chain alone then verifies. A checkpoint records, per town, each case's action count and head hash as of
a moment, signed with HMAC-SHA256 under ``GRIDGOV_AUDIT_KEY`` (configuration, never stored in the database).
Checkpoints are appended to a file (``settings.AUDIT_CHECKPOINT_FILE``, one JSON object per line) and written
to the log. Verification requires each case's chain still to hold the head its latest signed checkpoint
recorded: a recomputed chain does not, unless the key is known too.

A checkpoint line lists only the cases whose count changed since the file's previous line for the town, so the
file grows with the work done, not with the number of cases times the days.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gridgov.data.canonical import canonical_json
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area
from gridgov.types import JSONObject

logger = logging.getLogger("gridgov.audit")


def audit_key() -> bytes:
    """The HMAC key: GRIDGOV_AUDIT_KEY; in DEBUG (demo, development) a key derived from the secret key."""
    configured: str = getattr(settings, "AUDIT_KEY", "")
    if configured:
        return configured.encode()
    if settings.DEBUG:
        return hashlib.sha256(("gridgov-audit-key:" + settings.SECRET_KEY).encode()).digest()
    raise ImproperlyConfigured("GRIDGOV_AUDIT_KEY 未设置：生产环境必须配置审计检查点签名密钥")


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def _canonical(body: JSONObject) -> bytes:
    return canonical_json(body).encode()


def sign(body: JSONObject) -> str:
    return hmac.new(audit_key(), _canonical(body), hashlib.sha256).hexdigest()


@dataclass
class Anchors:
    """What the checkpoint file says: each case's latest signed (count, head), and the lines that failed."""

    heads: dict[int, tuple[int, str]] = field(default_factory=dict)
    bad_lines: list[int] = field(default_factory=list)
    lines: int = 0


def read_anchors(path: Path | None = None) -> Anchors:
    """Read and check every line of the checkpoint file (a missing file is an empty one)."""
    anchors = Anchors()
    path = path or checkpoint_path()
    if not path.exists():
        return anchors
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            anchors.lines += 1
            try:
                record = json.loads(line)
                signature = record.pop("sig")
                good = hmac.compare_digest(signature, sign(record))
            except (ValueError, KeyError, TypeError, AttributeError):
                good = False
            if not good:
                anchors.bad_lines.append(number)
                continue
            for case_id, (count, head) in record["cases"].items():
                anchors.heads[int(case_id)] = (int(count), str(head))
    return anchors


def write_checkpoint(*, now: datetime, towns: Iterable[Area] | None = None, path: Path | None = None) -> int:
    """Append one signed line per town (the cases changed since the last line); returns the cases recorded.

    Call it only after a verification passed: a checkpoint anchors the chains as they are."""
    path = path or checkpoint_path()
    known = read_anchors(path).heads
    if towns is None:
        towns = Area.objects.filter(pk__in=Case.objects.values("town_id").distinct())
    recorded = 0
    lines: list[str] = []
    for town in sorted(towns, key=lambda t: t.pk):
        changed: dict[str, list[Any]] = {}  # Any: the changed rows' values as JSON holds them
        total = 0
        summary = hashlib.sha256()
        rows = Case.objects.filter(town=town).order_by("pk").values_list("pk", "action_count", "audit_head")
        for case_id, count, head in rows.iterator(chunk_size=5000):
            total += 1
            summary.update(f"{case_id}:{count}:{head};".encode())
            if known.get(case_id) != (count, head):
                changed[str(case_id)] = [count, head]
        body = {"at": now.isoformat(), "town": town.code, "total": total, "head": summary.hexdigest(), "cases": changed}
        line = json.dumps({**body, "sig": sign(body)}, ensure_ascii=False, sort_keys=True)
        lines.append(line)
        recorded += len(changed)
        logger.info("审计检查点 %s：%s 件，更新 %s 件，总哈希 %s", town.code, total, len(changed), body["head"])
    if lines:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
            handle.flush()
            os.fsync(handle.fileno())
    return recorded
