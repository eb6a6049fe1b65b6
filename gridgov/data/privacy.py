"""Personal information (PIPL): encryption at rest and masking for display."""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

_PREFIX = "v1:"


@lru_cache(maxsize=4)
def _cipher(key_text: str, secret_key: str) -> AESGCM:
    if key_text:
        try:
            key = base64.urlsafe_b64decode(key_text.encode())
        except ValueError:
            raise ImproperlyConfigured("GRIDGOV_FIELD_ENCRYPTION_KEY is not urlsafe base64") from None
        if len(key) != 32:
            raise ImproperlyConfigured("GRIDGOV_FIELD_ENCRYPTION_KEY must decode to 32 bytes")
    else:
        key = hashlib.sha256(("gridgov-field-key:" + secret_key).encode()).digest()
    return AESGCM(key)


def _current_cipher() -> AESGCM:
    return _cipher(settings.FIELD_ENCRYPTION_KEY, settings.SECRET_KEY)


def encrypt_text(plain: str) -> str:
    if plain == "":
        return ""
    nonce = os.urandom(12)
    sealed = _current_cipher().encrypt(nonce, plain.encode(), None)
    return _PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt_text(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(_PREFIX):
        return stored  # written before encryption was enabled
    raw = base64.b64decode(stored[len(_PREFIX) :])
    return _current_cipher().decrypt(raw[:12], raw[12:], None).decode()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored encrypted (AES-256-GCM). Not searchable; masked on display."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else encrypt_text(str(value))


def mask_phone(phone: str) -> str:
    """138****8000: keep the first 3 and last 4 digits."""
    phone = phone.strip()
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """张** / 欧阳**: keep the first character."""
    name = name.strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask_id_number(number: str) -> str:
    """330921********0123: keep the first 6 and last 4 characters."""
    number = number.strip()
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
