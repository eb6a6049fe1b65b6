"""backup → restore into an empty database and data directory → identical counts and a passing chain."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from gridgov.data.cases.domain.checkpoints import write_checkpoint
from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Attachment, Case, CaseAction
from gridgov.data.privacy import key_problems
from tests.factories import MONDAY_0900, TownWorld, build_world


@pytest.fixture
def committed_world(transactional_db, clock, settings, tmp_path: Path) -> TownWorld:
    """A world whose rows are committed (a backup reads the database from outside the test's transaction)."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "var" / "audit-checkpoints.jsonl"
    settings.FIELD_KEY_CANARY_FILE = tmp_path / "var" / "field-key-canary.txt"
    return build_world()


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The DATABASE_URL of a new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'gridgov.sqlite3'}"
        return
    if shutil.which("pg_dump") is None and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_dump")):
        pytest.skip("pg_dump is not installed")
    name = f"restored_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    base = connection.settings_dict
    yield f"postgres://{base['USER']}:{base['PASSWORD'] or ''}@{base['HOST']}:{base['PORT']}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def manage(*args: str, database_url: str, var: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "GRIDGOV_VAR_DIR": str(var),
        "GRIDGOV_MEDIA_ROOT": str(var / "media"),
        "GRIDGOV_AUDIT_CHECKPOINTS": str(var / "audit-checkpoints.jsonl"),
        "GRIDGOV_FIELD_KEY_CANARY": str(var / "field-key-canary.txt"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def restored_counts(database_url: str, tables: list[str]) -> dict[str, int]:
    if database_url.startswith("sqlite:///"):
        db = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            db.close()
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as pg:
        return {t: pg.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # type: ignore[index]


def test_backup_and_restore_round_trip(committed_world: TownWorld, empty_database: str, tmp_path: Path, capsys) -> None:
    world = committed_world
    closed = world.bring_to(Status.CLOSED)
    world.bring_to(Status.DISPATCHED)
    assert key_problems() == []
    assert write_checkpoint(now=MONDAY_0900) == 2
    archive = tmp_path / "backup" / "gridgov.tar.gz"
    call_command("backup", "--output", str(archive))
    assert "备份完成" in capsys.readouterr().out

    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.loads(opened.extractfile("manifest.json").read())
    photo = Attachment.objects.get(case=closed)
    assert f"media/{photo.file.name}" in names
    assert {"manifest.json", "audit-checkpoints.jsonl", "field-key-canary.txt"} <= set(names)
    assert manifest["counts"]["cases_case"] == Case.objects.count() == 2
    assert manifest["counts"]["cases_caseaction"] == CaseAction.objects.count()
    assert manifest["heads"] == dict(Case.objects.values_list("number", "audit_head"))

    var = tmp_path / "restored"
    done = manage("restore", str(archive), database_url=empty_database, var=var)
    assert done.returncode == 0, done.stderr
    assert "恢复完成：行数、审计链头与清单一致，审计链完好" in done.stdout
    assert restored_counts(empty_database, list(manifest["counts"])) == manifest["counts"]
    assert (var / "media" / str(photo.file.name)).read_bytes() == Path(photo.file.path).read_bytes()

    again = manage("restore", str(archive), database_url=empty_database, var=tmp_path / "other")
    assert again.returncode != 0
    assert "目标数据库不是空的" in again.stderr
    verified = manage("verify_audit_chain", database_url=empty_database, var=var)
    assert verified.returncode == 0, verified.stderr
    assert "审计链完好：已校验 2 件事件" in verified.stdout


def test_a_restore_that_does_not_match_its_manifest_fails(
    committed_world: TownWorld, empty_database: str, tmp_path: Path
) -> None:
    committed_world.bring_to(Status.CLOSED)
    archive = tmp_path / "gridgov.tar.gz"
    call_command("backup", "--output", str(archive))
    # A manifest whose counts were not those of the dump (a damaged or mixed-up backup).
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(forged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name == "manifest.json":
                manifest = json.loads(data.read())
                manifest["counts"]["cases_case"] = 5
                body = json.dumps(manifest).encode()
                member.size = len(body)
                import io

                target.addfile(member, io.BytesIO(body))
            else:
                target.addfile(member, data)
    done = manage("restore", str(forged), database_url=empty_database, var=tmp_path / "restored")
    assert done.returncode != 0
    assert "表 cases_case：清单 5 行，恢复后 1 行" in done.stderr
