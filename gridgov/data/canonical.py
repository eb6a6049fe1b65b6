"""A value's canonical JSON — keys sorted, no spaces between items, Chinese kept as written — and its SHA-256.

One form for every hash of a value: the audit chain's action hashes and signed checkpoints, the bodies kept
with an Idempotency-Key, the fingerprint of an Open311 request. Two values hash alike exactly when their JSON
does, whatever the order their keys were written in. A value JSON cannot hold (a date, a Decimal) is written
as its ``str``.
"""

from __future__ import annotations

import hashlib
import json


def canonical_json(value: object) -> str:
    """``value`` as canonical JSON text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def canonical_digest(value: object) -> str:
    """The SHA-256 of ``value``'s canonical JSON, in hex."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()
