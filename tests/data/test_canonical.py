"""The one canonical JSON form behind the audit chain, Idempotency-Key bodies and Open311 fingerprints."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from gridgov.data.canonical import canonical_digest, canonical_json


def test_keys_are_sorted_items_close_and_chinese_kept() -> None:
    assert canonical_json({"b": [1, 2], "a": "网格"}) == '{"a":"网格","b":[1,2]}'


def test_values_json_cannot_hold_are_written_as_text() -> None:
    assert canonical_json({"on": date(2026, 3, 1), "amount": Decimal("1.50")}) == '{"amount":"1.50","on":"2026-03-01"}'


def test_the_digest_is_the_sha256_of_that_text_whatever_the_key_order() -> None:
    expected = hashlib.sha256('{"a":"网格","b":1}'.encode()).hexdigest()
    assert (canonical_digest({"a": "网格", "b": 1}), canonical_digest({"b": 1, "a": "网格"})) == (expected, expected)
