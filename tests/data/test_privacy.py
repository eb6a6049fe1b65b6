"""Personal data: masked for display, encrypted at rest with a key that can be set per deployment."""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured

from gridgov.data.privacy import decrypt_text, encrypt_text, mask_id_number, mask_name, mask_phone


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
