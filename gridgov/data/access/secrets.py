"""Making and checking secrets (API tokens, Open311 keys): random, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets

PREFIX_LENGTH = 8


def new_secret(kind: str) -> tuple[str, str, str]:
    """A fresh secret ``<kind>_<random>`` with its display prefix and digest."""
    secret = f"{kind}_{secrets.token_urlsafe(32)}"
    return secret, secret[: len(kind) + 1 + PREFIX_LENGTH], digest_of(secret)


def digest_of(secret: str) -> str:
    """Tokens are 256-bit random values, so a plain SHA-256 is enough (no password hashing needed)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
