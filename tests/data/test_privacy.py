"""Personal data: masked for display, encrypted at rest with a key that can be set per deployment."""

from __future__ import annotations

import base64
import hashlib
import runpy

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured

import gridgov.settings as gridgov_settings
from gridgov.data.privacy import blind_index, decrypt_text, encrypt_text, mask_id_number, mask_name, mask_phone


def test_masks_as_chinese_users_expect() -> None:
    assert mask_phone("13800008000") == "138****8000"
    assert mask_id_number("330921199001010123") == "330921********0123"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert (mask_phone("12345"), mask_name(""), mask_id_number("123")) == ("*****", "", "***")


def test_encryption_round_trip_uses_a_fresh_nonce() -> None:
    first, second = encrypt_text("13800008000"), encrypt_text("13800008000")
    assert first != second
    assert first.startswith("v1:")
    assert decrypt_text(first) == decrypt_text(second) == "13800008000"
    assert (encrypt_text(""), decrypt_text("")) == ("", "")


def test_a_different_key_cannot_read_the_data(settings) -> None:
    sealed = encrypt_text("张三")
    settings.FIELD_ENCRYPTION_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
    with pytest.raises(InvalidTag):
        decrypt_text(sealed)
    assert decrypt_text(encrypt_text("李四")) == "李四"


def test_a_malformed_key_is_refused(settings) -> None:
    settings.FIELD_ENCRYPTION_KEY = base64.urlsafe_b64encode(b"short").decode()
    with pytest.raises(ImproperlyConfigured) as error:
        encrypt_text("x")
    assert str(error.value) == "GRIDGOV_FIELD_ENCRYPTION_KEY must decode to 32 bytes"


def test_sm4_round_trip_hides_the_plain_text(settings) -> None:
    settings.FIELD_CIPHER = "sm4-gcm"
    first, second = encrypt_text("13800008000"), encrypt_text("13800008000")
    assert first != second
    assert (first[:3], second[:3]) == ("s1:", "s1:")
    assert "13800008000" not in first
    assert len(base64.b64decode(first[3:])) == 12 + len("13800008000") + 16
    assert decrypt_text(first) == decrypt_text(second) == "13800008000"
    assert decrypt_text(encrypt_text("欧阳娜娜")) == "欧阳娜娜"
    assert (encrypt_text(""), decrypt_text("")) == ("", "")


def test_sm4_key_is_hkdf_of_the_key_material(settings) -> None:
    settings.FIELD_ENCRYPTION_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
    settings.FIELD_CIPHER = "sm4-gcm"
    key = HKDF(algorithm=hashes.SHA256(), length=16, salt=None, info=b"gridgov-sm4").derive(b"k" * 32)
    raw = base64.b64decode(encrypt_text("张三")[3:])
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(raw[:12], raw[-16:])).decryptor()
    assert decryptor.update(raw[12:-16]) + decryptor.finalize() == "张三".encode()


def test_rows_stay_readable_when_the_cipher_changes(settings) -> None:
    settings.FIELD_CIPHER = "aes-256-gcm"
    under_aes = encrypt_text("张三")
    settings.FIELD_CIPHER = "sm4-gcm"
    under_sm4 = encrypt_text("李四")
    assert (under_aes[:3], under_sm4[:3]) == ("v1:", "s1:")
    assert (decrypt_text(under_aes), decrypt_text(under_sm4)) == ("张三", "李四")
    settings.FIELD_CIPHER = "aes-256-gcm"
    assert (decrypt_text(under_aes), decrypt_text(under_sm4)) == ("张三", "李四")
    assert decrypt_text("13800008000") == "13800008000"  # legacy plain text


def test_tampered_sm4_ciphertext_is_refused(settings) -> None:
    settings.FIELD_CIPHER = "sm4-gcm"
    raw = bytearray(base64.b64decode(encrypt_text("13800008000")[3:]))
    raw[12] ^= 0x01
    with pytest.raises(InvalidTag):
        decrypt_text("s1:" + base64.b64encode(bytes(raw)).decode())
    with pytest.raises(InvalidTag):
        decrypt_text("s1:" + base64.b64encode(bytes(raw[:20])).decode())


def test_sm4_needs_the_same_key(settings) -> None:
    settings.FIELD_CIPHER = "sm4-gcm"
    sealed = encrypt_text("张三")
    settings.FIELD_ENCRYPTION_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
    with pytest.raises(InvalidTag):
        decrypt_text(sealed)


def test_an_unknown_cipher_is_refused(settings, monkeypatch) -> None:
    message = "GRIDGOV_FIELD_CIPHER='des' is not supported (use aes-256-gcm or sm4-gcm)"
    settings.FIELD_CIPHER = "des"
    with pytest.raises(ImproperlyConfigured) as error:
        encrypt_text("x")
    assert str(error.value) == message
    monkeypatch.setenv("GRIDGOV_FIELD_CIPHER", "des")
    with pytest.raises(ImproperlyConfigured) as error:
        runpy.run_path(gridgov_settings.__file__)  # a fresh copy: the check that stops the server at start
    assert str(error.value) == message


def test_blind_index_is_keyed_and_stable(settings) -> None:
    """The digest of an encrypted column's value: equal for equal values under one key, not a plain hash, and
    different under another key (so the digests of one deployment say nothing in another)."""
    number = "330921199001010123"
    first = blind_index(number)
    assert first == blind_index(number)
    assert first != blind_index("330921199001010131")
    assert first != hashlib.sha256(number.encode()).hexdigest()
    assert len(first) == 64
    settings.FIELD_ENCRYPTION_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
    assert blind_index(number) != first
