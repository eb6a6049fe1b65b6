"""Settings helpers fail loudly on values they cannot read."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from gridgov.env import env_bool, env_int, env_list, env_str


def test_bool_accepts_the_usual_spellings(monkeypatch) -> None:
    for text, expected in (("1", True), ("yes", True), ("On", True), ("0", False), ("false", False), ("", False)):
        monkeypatch.setenv("GG_FLAG", text)
        assert env_bool("GG_FLAG", not expected) is expected


def test_bool_refuses_anything_else(monkeypatch) -> None:
    monkeypatch.setenv("GG_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured) as error:
        env_bool("GG_FLAG", False)
    assert str(error.value) == "GG_FLAG='maybe' is not a boolean (use 1/0, true/false, yes/no)"


def test_int_refuses_text_and_values_below_minimum(monkeypatch) -> None:
    monkeypatch.setenv("GG_N", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("GG_N", 1)
    monkeypatch.setenv("GG_N", "5")
    with pytest.raises(ImproperlyConfigured) as error:
        env_int("GG_N", 1, minimum=60)
    assert str(error.value) == "GG_N=5 must be at least 60"
    monkeypatch.delenv("GG_N")
    assert env_int("GG_N", 7) == 7


def test_required_string_and_lists(monkeypatch) -> None:
    monkeypatch.delenv("GG_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured):
        env_str("GG_REQUIRED")
    monkeypatch.setenv("GG_HOSTS", " a.example , b.example,, ")
    assert env_list("GG_HOSTS", []) == ["a.example", "b.example"]


def test_production_settings_refuse_to_start_without_a_secret(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDGOV_")}
    env.update({"DJANGO_SETTINGS_MODULE": "gridgov.settings", "GRIDGOV_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Environment variable GRIDGOV_SECRET_KEY is required" in result.stderr
    env["DATABASE_URL"] = "mysql://nope@localhost/db"
    env["GRIDGOV_DEBUG"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert "Unsupported database engine django.db.backends.mysql" in result.stderr
