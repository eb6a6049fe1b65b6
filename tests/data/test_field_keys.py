"""The personal-data key is configuration, checked at start; rotate_field_key moves all data to a new key."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from gridgov.data.cases.models import Case
from gridgov.data.privacy import check_keys_at_start, key_problems
from tests.factories import TownWorld
from tests.wsgi_start import start_wsgi

KEY_A = base64.urlsafe_b64encode(b"a" * 32).decode()
KEY_B = base64.urlsafe_b64encode(b"b" * 32).decode()
WRONG = (
    "GRIDGOV_FIELD_ENCRYPTION_KEY 与写入个人信息时使用的密钥不符：无法解密密钥校验值（{path}）。"
    "请恢复原密钥；更换密钥时把原密钥放入 GRIDGOV_FIELD_ENCRYPTION_OLD_KEYS，再运行 manage.py rotate_field_key"
)


@pytest.fixture
def canary(settings, tmp_path: Path) -> Path:
    path = tmp_path / "field-key-canary.txt"
    settings.FIELD_KEY_CANARY_FILE = path
    settings.FIELD_ENCRYPTION_KEY = KEY_A
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    return path


def test_the_first_start_writes_the_canary_and_a_wrong_key_stops_the_next(settings, canary: Path) -> None:
    assert key_problems() == []
    assert canary.read_text().startswith("v1:")
    call_command("check")  # passes with the right key
    settings.FIELD_ENCRYPTION_KEY = KEY_B
    assert key_problems() == [WRONG.format(path=canary)]
    with pytest.raises(SystemCheckError) as stopped:
        call_command("check")
    assert WRONG.format(path=canary) in str(stopped.value)
    with pytest.raises(ImproperlyConfigured) as refused:
        check_keys_at_start()
    assert str(refused.value) == WRONG.format(path=canary)


def test_production_requires_the_key(settings, canary: Path) -> None:
    settings.FIELD_ENCRYPTION_KEY = ""
    settings.DEBUG = False
    assert key_problems() == [
        "GRIDGOV_FIELD_ENCRYPTION_KEY 未设置：生产环境必须配置个人信息加密密钥（32字节，urlsafe base64），"
        "不再由 SECRET_KEY 派生"
    ]
    settings.DEBUG = True  # development and the demo may derive it from the secret key
    assert key_problems() == []


def test_gunicorn_entry_point_refuses_a_wrong_key(canary: Path) -> None:
    assert key_problems() == []  # the canary, under key A
    started = start_wsgi(GRIDGOV_FIELD_ENCRYPTION_KEY=KEY_B, GRIDGOV_FIELD_KEY_CANARY=str(canary))
    assert started.returncode != 0
    assert WRONG.format(path=canary) in started.stderr


def test_rotate_field_key_re_encrypts_everything_under_the_new_key(
    world: TownWorld, settings, canary: Path, capsys
) -> None:
    case = world.report()
    Case.objects.filter(pk=case.pk).update(reporter_name="张三", reporter_phone="13800008000")
    assert key_problems() == []

    def raw() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reporter_name FROM cases_case WHERE id = %s", [case.pk])
            return str(cursor.fetchone()[0])

    before = raw()
    settings.FIELD_ENCRYPTION_KEY = KEY_B
    with pytest.raises(InvalidTag):
        Case.objects.get(pk=case.pk)
    settings.FIELD_ENCRYPTION_OLD_KEYS = [KEY_A]
    assert key_problems() == []  # readable through the old key meanwhile
    call_command("rotate_field_key")
    assert "已用当前密钥重新加密全部个人信息" in capsys.readouterr().out
    assert raw() != before
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.reporter_name, fresh.reporter_phone) == ("张三", "13800008000")
    assert key_problems() == []  # the canary now under key B
