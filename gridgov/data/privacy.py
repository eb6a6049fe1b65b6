"""Personal information (PIPL): encryption at rest and masking for display.

Stored values are "<prefix>" + base64(nonce + ciphertext + tag). The prefix names the cipher, so
rows stay readable after settings.FIELD_CIPHER changes; only new writes use the configured cipher.

- "v1:" AES-256-GCM with the 32-byte key material itself.
- "s1:" SM4-GCM (国密) with a 16-byte key = HKDF-SHA256(key material, salt none, info b"gridgov-sm4").

Key material: GRIDGOV_FIELD_ENCRYPTION_KEY (32 bytes, urlsafe base64). Only with DEBUG on (development, the
demo) may it be left unset, and is then derived from SECRET_KEY. While a key is being replaced the old ones are
listed in GRIDGOV_FIELD_ENCRYPTION_OLD_KEYS (comma-separated): values are read under the current key first, then
under each old one; ``manage.py rotate_field_key`` re-encrypts everything under the current key.

At start (a system check, and the WSGI entry point) :func:`key_problems` decrypts a canary value kept in a file
(``settings.FIELD_KEY_CANARY_FILE``, written at the first start): a wrong key stops the server with a message
naming the variable, instead of every page with personal data failing with ``InvalidTag``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from gridgov.types import FromDjango, SQLValue

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


KEY_VARIABLE = "GRIDGOV_FIELD_ENCRYPTION_KEY"
OLD_KEYS_VARIABLE = "GRIDGOV_FIELD_ENCRYPTION_OLD_KEYS"
_CANARY_TEXT = "gridgov-field-key-canary"


@lru_cache(maxsize=8)
def _key_material(key_text: str, secret_key: str, debug: bool = True, variable: str = KEY_VARIABLE) -> bytes:
    if key_text:
        try:
            key = base64.urlsafe_b64decode(key_text.encode())
        except ValueError:
            raise ImproperlyConfigured(f"{variable} is not urlsafe base64") from None
        if len(key) != 32:
            raise ImproperlyConfigured(f"{variable} must decode to 32 bytes")
        return key
    if not debug:
        raise ImproperlyConfigured(
            f"{KEY_VARIABLE} 未设置：生产环境必须配置个人信息加密密钥（32字节，urlsafe base64），不再由 SECRET_KEY 派生"
        )
    return hashlib.sha256(("gridgov-field-key:" + secret_key).encode()).digest()


def _current_key_material() -> bytes:
    return _key_material(settings.FIELD_ENCRYPTION_KEY, settings.SECRET_KEY, settings.DEBUG)


def _old_key_materials() -> list[bytes]:
    old: list[str] = list(getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", []))
    return [_key_material(k.strip(), "", True, OLD_KEYS_VARIABLE) for k in old if k.strip()]


def generate_key() -> str:
    """A new random key for GRIDGOV_FIELD_ENCRYPTION_KEY."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@lru_cache(maxsize=4)
def _aes(material: bytes) -> AESGCM:
    return AESGCM(material)


@lru_cache(maxsize=4)
def _sm4_key(material: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=16, salt=None, info=b"gridgov-sm4").derive(material)


@lru_cache(maxsize=4)
def _digest_key(material: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"gridgov-blind-index").derive(material)


def blind_index(value: str) -> str:
    """A keyed digest (HMAC-SHA256, hex) of a value kept encrypted, so that it can be found again and refused
    twice without decrypting every row: equal values give equal digests under the same key. Normalise the
    value first (an ID number upper-cased, spaces removed). Derived from the current field key: after
    ``rotate_field_key`` the digests are written anew with the values."""
    return hmac.new(_digest_key(_current_key_material()), value.encode(), hashlib.sha256).hexdigest()


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


def _decrypt_with(material: bytes, stored: str) -> str:
    if stored.startswith(_AES_PREFIX):
        raw = base64.b64decode(stored[len(_AES_PREFIX) :])
        return _aes(material).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode()
    raw = base64.b64decode(stored[len(_SM4_PREFIX) :])
    return _sm4_decrypt(_sm4_key(material), raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]).decode()


def decrypt_text(stored: str) -> str:
    """Decrypt with the cipher named by the prefix, under the current key, else under each old key
    (GRIDGOV_FIELD_ENCRYPTION_OLD_KEYS); unprefixed legacy text is returned as is."""
    if not stored:
        return ""
    if not stored.startswith((_AES_PREFIX, _SM4_PREFIX)):
        return stored  # written before encryption was enabled
    try:
        return _decrypt_with(_current_key_material(), stored)
    except InvalidTag:
        for material in _old_key_materials():
            try:
                return _decrypt_with(material, stored)
            except InvalidTag:
                continue
        raise


def canary_path() -> Path:
    return Path(settings.FIELD_KEY_CANARY_FILE)


def write_canary() -> None:
    """(Re)write the canary under the current key (first start; after ``rotate_field_key``)."""
    path = canary_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(encrypt_text(_CANARY_TEXT) + "\n", encoding="utf-8")


def key_problems() -> list[str]:
    """What stops the server from starting: no key in production, a malformed key, or a key that cannot read
    the canary written under the key in use until now. The first start writes the canary."""
    try:
        _current_key_material()
        _old_key_materials()
    except ImproperlyConfigured as error:
        return [str(error)]
    path = canary_path()
    if not path.exists():
        try:
            write_canary()
        except OSError as error:
            return [f"无法写入个人信息密钥校验文件 {path}：{error}"]
        return []
    try:
        readable = decrypt_text(path.read_text(encoding="utf-8").strip()) == _CANARY_TEXT
    except (InvalidTag, ValueError, UnicodeDecodeError):
        readable = False
    if readable:
        return []
    return [
        f"{KEY_VARIABLE} 与写入个人信息时使用的密钥不符：无法解密密钥校验值（{path}）。"
        f"请恢复原密钥；更换密钥时把原密钥放入 {OLD_KEYS_VARIABLE}，再运行 manage.py rotate_field_key"
    ]


def keys_check(app_configs: FromDjango = None, **kwargs: FromDjango) -> list[checks.CheckMessage]:
    """The system check (runserver, migrate, check and most commands): the keys are configured and right."""
    errors: list[checks.CheckMessage] = [
        checks.Error(problem, id="gridgov.E001", hint=f"设置环境变量 {KEY_VARIABLE}") for problem in key_problems()
    ]
    if not settings.DEBUG and not getattr(settings, "AUDIT_KEY", ""):
        errors.append(
            checks.Error(
                "GRIDGOV_AUDIT_KEY 未设置：生产环境必须配置审计检查点签名密钥",
                id="gridgov.E002",
                hint="设置环境变量 GRIDGOV_AUDIT_KEY（随机长字符串，妥善保存在数据库以外）",
            )
        )
    return errors


def check_keys_at_start() -> None:
    """For entry points that run no system checks (gunicorn via WSGI): refuse to start on a key problem."""
    problems = key_problems()
    if problems:
        raise ImproperlyConfigured("；".join(problems))


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # TextField is generic in django-stubs only; this field reads and writes str
    """A text column stored encrypted (AES-256-GCM or SM4-GCM). Not searchable; masked on display."""

    def from_db_value(self, value: str | None, expression: FromDjango, connection: FromDjango) -> str | None:
        return None if value is None else decrypt_text(value)

    def get_prep_value(self, value: SQLValue) -> SQLValue:
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


def rotate_all(*, batch: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted column of every model under the current key (values still readable under an
    old key are read through GRIDGOV_FIELD_ENCRYPTION_OLD_KEYS), and rewrite the model's blind indexes
    (``BLIND_INDEXES``) under it; then rewrite the canary. Returns rows per model."""
    from django.apps import apps
    from django.db import transaction

    done: dict[str, int] = {}
    for model in apps.get_models():
        columns = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if not columns:
            continue
        # A model's blind indexes (digest column → the encrypted column it digests, ``BLIND_INDEXES``) are keyed
        # by the field key too: written anew from the decrypted values, in the same statement.
        digests: dict[str, str] = dict(getattr(model, "BLIND_INDEXES", {}))
        manager = model._base_manager
        ids = list(manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            with transaction.atomic():
                rows = list(manager.filter(pk__in=ids[start : start + batch]).only("pk", *columns, *digests))
                for row in rows:
                    for digest, source in digests.items():
                        plain = getattr(row, source)
                        setattr(row, digest, blind_index(plain) if plain else "")
                manager.bulk_update(rows, [*columns, *digests])
        done[model._meta.label] = len(ids)
    write_canary()
    return done
