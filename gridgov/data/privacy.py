"""Personal information (PIPL): encryption at rest and masking for display.

Stored values are "<prefix>" + base64(nonce + ciphertext + tag). The prefix names the cipher, so
rows stay readable after settings.FIELD_CIPHER changes; only new writes use the configured cipher.

- "v1:" AES-256-GCM with the 32-byte key material itself.
- "s1:" SM4-GCM (国密) with a 16-byte key = HKDF-SHA256(key material, salt none, info b"gridgov-sm4").

Key material: GRIDGOV_FIELD_ENCRYPTION_KEY (32 bytes, urlsafe base64), else derived from SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

AES_256_GCM = "aes-256-gcm"
SM4_GCM = "sm4-gcm"
CIPHERS = (AES_256_GCM, SM4_GCM)

_AES_PREFIX = "v1:"
_SM4_PREFIX = "s1:"
_NONCE_BYTES = 12
_TAG_BYTES = 16


def cipher_name_error(name: str) -> ImproperlyConfigured:
    """The error for an unsupported GRIDGOV_FIELD_CIPHER (settings.py raises the same text)."""
    return ImproperlyConfigured(f"GRIDGOV_FIELD_CIPHER={name!r} is not supported (use aes-256-gcm or sm4-gcm)")


@lru_cache(maxsize=4)
def _key_material(key_text: str, secret_key: str) -> bytes:
    if key_text:
        try:
            key = base64.urlsafe_b64decode(key_text.encode())
        except ValueError:
            raise ImproperlyConfigured("GRIDGOV_FIELD_ENCRYPTION_KEY is not urlsafe base64") from None
        if len(key) != 32:
            raise ImproperlyConfigured("GRIDGOV_FIELD_ENCRYPTION_KEY must decode to 32 bytes")
        return key
    return hashlib.sha256(("gridgov-field-key:" + secret_key).encode()).digest()


def _current_key_material() -> bytes:
    return _key_material(settings.FIELD_ENCRYPTION_KEY, settings.SECRET_KEY)


@lru_cache(maxsize=4)
def _aes(material: bytes) -> AESGCM:
    return AESGCM(material)


@lru_cache(maxsize=4)
def _sm4_key(material: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=16, salt=None, info=b"gridgov-sm4").derive(material)


def _sm4_encrypt(key: bytes, nonce: bytes, data: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _sm4_decrypt(key: bytes, nonce: bytes, sealed: bytes) -> bytes:
    if len(sealed) < _TAG_BYTES:
        raise InvalidTag
    body, tag = sealed[:-_TAG_BYTES], sealed[-_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def encrypt_text(plain: str) -> str:
    """Encrypt with settings.FIELD_CIPHER; "" stays ""."""
    if plain == "":
        return ""
    name = settings.FIELD_CIPHER
    if name not in CIPHERS:
        raise cipher_name_error(name)
    material = _current_key_material()
    nonce = os.urandom(_NONCE_BYTES)
    if name == SM4_GCM:
        prefix, sealed = _SM4_PREFIX, _sm4_encrypt(_sm4_key(material), nonce, plain.encode())
    else:
        prefix, sealed = _AES_PREFIX, _aes(material).encrypt(nonce, plain.encode(), None)
    return prefix + base64.b64encode(nonce + sealed).decode()


def decrypt_text(stored: str) -> str:
    """Decrypt with the cipher named by the prefix; unprefixed legacy text is returned as is."""
    if not stored:
        return ""
    if stored.startswith(_AES_PREFIX):
        raw = base64.b64decode(stored[len(_AES_PREFIX) :])
        return _aes(_current_key_material()).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode()
    if stored.startswith(_SM4_PREFIX):
        raw = base64.b64decode(stored[len(_SM4_PREFIX) :])
        key = _sm4_key(_current_key_material())
        return _sm4_decrypt(key, raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]).decode()
    return stored  # written before encryption was enabled


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored encrypted (AES-256-GCM or SM4-GCM). Not searchable; masked on display."""

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
