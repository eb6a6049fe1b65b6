"""With DEBUG off, a web process refuses to start without collected static files instead of answering 500."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from gridgov.settings_checks import check_static_files_at_start, static_files_check, static_files_problems
from tests.wsgi_start import start_wsgi

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def _missing(root: Path) -> str:
    manifest = root / "staticfiles.json"
    return (
        f"静态文件尚未收集（缺少 {manifest}）：GRIDGOV_DEBUG 关闭时所有页面都会出错。请先运行 manage.py collectstatic "
        f"--noinput。 / Static files have not been collected ({manifest} is missing): with GRIDGOV_DEBUG off every"
        " page would fail. Run manage.py collectstatic --noinput first."
    )


@pytest.fixture
def production(settings, tmp_path: Path) -> Path:
    """DEBUG off with the production storage, a static root of its own and one small static directory."""
    source = tmp_path / "source"
    (source / "app").mkdir(parents=True)
    (source / "app" / "site.css").write_text("body { margin: 0 }\n")
    root = tmp_path / "static"
    settings.DEBUG = False
    settings.STATIC_ROOT = root
    settings.STATICFILES_DIRS = [source]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    return root


def test_without_collectstatic_the_check_and_the_start_name_the_command(production: Path) -> None:
    assert static_files_problems() == [_missing(production)]
    with pytest.raises(SystemCheckError) as stopped:
        call_command("check")
    assert _missing(production) in str(stopped.value)
    with pytest.raises(ImproperlyConfigured) as refused:
        check_static_files_at_start()
    assert str(refused.value) == _missing(production)


def test_after_collectstatic_it_starts_and_a_file_added_since_is_named(production: Path) -> None:
    call_command("collectstatic", "--noinput", verbosity=0)
    assert static_files_problems() == []
    call_command("check")  # passes
    check_static_files_at_start()

    source = Path(django_settings.STATICFILES_DIRS[0])
    (source / "app" / "new.js").write_text("console.log(1);\n")  # deployed code, collectstatic not run again
    manifest = production / "staticfiles.json"
    assert static_files_problems() == [
        f"静态文件清单（{manifest}）已过期：1个文件未收集（如 app/new.js），用到它们的页面会出错。请重新运行 "
        f"manage.py collectstatic --noinput。 / The static files manifest ({manifest}) is out of date: 1 files are"
        " not collected (e.g. app/new.js); pages using them would fail. Run manage.py collectstatic --noinput again."
    ]


def test_debug_and_batch_commands_are_not_stopped(production: Path, settings, monkeypatch) -> None:
    monkeypatch.setattr(sys, "argv", ["manage.py", "migrate"])  # upgrades migrate before they collect
    assert static_files_check() == []
    monkeypatch.setattr(sys, "argv", ["manage.py", "runserver", "127.0.0.1:8123"])
    assert [message.id for message in static_files_check()] == ["gridgov.E003"]
    settings.DEBUG = True  # development serves the files from their apps
    assert static_files_problems() == []


def test_gunicorn_entry_point_refuses_to_start_without_collected_files(tmp_path: Path) -> None:
    started = start_wsgi(
        GRIDGOV_FIELD_ENCRYPTION_KEY=base64.urlsafe_b64encode(b"a" * 32).decode(),
        GRIDGOV_FIELD_KEY_CANARY=str(tmp_path / "canary.txt"),
        GRIDGOV_VAR_DIR=str(tmp_path),
    )
    assert started.returncode != 0
    assert _missing(tmp_path / "static") in started.stderr
