"""Backup and restore: the database, the uploaded files and a manifest, in one .tar.gz.

The archive holds:

- ``database.sqlite3`` (SQLite, copied with SQLite's online backup API while the server runs) or
  ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom`` of one snapshot);
- ``media/…`` every uploaded file;
- ``audit-checkpoints.jsonl`` and ``field-key-canary.txt`` when present (the audit anchor and the key check);
- ``manifest.json``: the row count of every table and every case's audit-chain head, read from the same
  snapshot as the dump, and the SHA-256 of every file in the archive.

``restore`` refuses a database or media directory that is not empty, puts everything in place, then checks
the manifest (counts, heads, file hashes) and verifies every audit chain; any difference is an error.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.domain.checkpoints import checkpoint_path, read_anchors
from gridgov.data.cases.models import Case
from gridgov.data.privacy import canary_path, key_problems
from gridgov.types import FromDjango, JSONObject

FORMAT = 1
Say = Callable[[str], None]


class BackupError(Exception):
    pass


def _tables() -> list[str]:
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed})


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(settings_dict: FromDjango) -> tuple[list[str], dict[str, str]]:
    args = []
    env = dict(os.environ)
    if settings_dict.get("HOST"):
        args += ["-h", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", str(settings_dict["USER"])]
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
            return str(candidate)
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端工具")
    return found


def _run_postgres_tool(name: str, *options: str) -> None:
    """Run pg_dump or pg_restore against the default database's server; BackupError with its message if it fails."""
    args, env = _pg_env(connection.settings_dict)
    done = subprocess.run([_tool(name), *args, *options], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{name} 失败：{done.stderr.strip()}")


def _counts(cursor: FromDjango, tables: list[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _heads(cursor: FromDjango) -> dict[str, str]:
    cursor.execute(f"SELECT number, audit_head FROM {Case._meta.db_table} ORDER BY id")
    return {str(number): str(head) for number, head in cursor.fetchall()}


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Made:
    counts: dict[str, int]
    files: int


def backup(*, output: Path, now: datetime, say: Say = lambda _m: None) -> Made:
    """Write the archive to ``output`` (via a temporary file beside it, renamed when complete)."""
    tables = _tables()
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        if connection.vendor == "sqlite":
            dump = work / "database.sqlite3"
            source = sqlite3.connect(str(connection.settings_dict["NAME"]))
            target = sqlite3.connect(str(dump))
            try:
                source.backup(target)
            finally:
                source.close()
            try:
                lite = target.cursor()
                counts = _counts(lite, tables, _quote_sqlite)
                heads = _heads(lite)
            finally:
                target.close()
        elif connection.vendor == "postgresql":
            dump = work / "database.pgdump"
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = _counts(cursor, tables, connection.ops.quote_name)
                heads = _heads(cursor)
                _run_postgres_tool(
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-acl",
                    f"--snapshot={snapshot}",
                    "-f",
                    str(dump),
                    str(connection.settings_dict["NAME"]),
                )
        else:
            raise BackupError(f"不支持的数据库：{connection.vendor}")
        say(f"数据库已导出（{sum(counts.values())} 行）")
        files: dict[str, str] = {dump.name: _sha256(dump)}
        extras = [
            (path, stored)
            for path, stored in (
                (checkpoint_path(), "audit-checkpoints.jsonl"),
                (canary_path(), "field-key-canary.txt"),
            )
            if path.exists()
        ]
        media_root = Path(settings.MEDIA_ROOT)
        media = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "vendor": connection.vendor,
            "counts": counts,
            "heads": heads,
            "files": files,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=dump.name)
            for path, stored in extras:
                archive.add(path, arcname=stored)
                files[stored] = _sha256(path)
            for path in media:
                name = "media/" + path.relative_to(media_root).as_posix()
                archive.add(path, arcname=name)
                files[name] = _sha256(path)
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
        partial.replace(output)
        say(f"上传文件 {len(media)} 个；备份已写入 {output}")
        return Made(counts=counts, files=len(media))


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"备份文件中有不安全的路径：{member.name}")
        members.append(member)
    return members


def _database_is_empty() -> bool:
    if connection.vendor == "sqlite":
        name = Path(str(connection.settings_dict["NAME"]))
        if not name.exists() or name.stat().st_size == 0:
            return True
        probe = sqlite3.connect(str(name))
        try:
            found = probe.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            probe.close()
        return int(found) == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()")
        return int(cursor.fetchone()[0]) == 0


def restore(*, source: Path, say: Say = lambda _m: None) -> list[str]:
    """Restore ``source`` into the configured (empty) database and media directory; returns the problems
    found when checking the result against the manifest and verifying every chain (empty: all good)."""
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"上传文件目录 {media_root} 不是空的：请恢复到空的数据目录")
    if not _database_is_empty():
        raise BackupError("目标数据库不是空的：请恢复到空数据库（新建数据库，或删除数据库文件）")
    with tarfile.open(source, "r:gz") as archive, tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        archive.extractall(work, members=_safe_members(archive), filter="data")
        manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError("无法识别的备份格式")
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"备份来自 {manifest['vendor']}，当前数据库是 {connection.vendor}")
        files = manifest["files"].items()
        problems = [f"文件 {name} 与清单的哈希不符" for name, sha in files if _sha256(work / name) != sha]
        if problems:
            return problems
        if connection.vendor == "sqlite":
            name = Path(str(connection.settings_dict["NAME"]))
            connections.close_all()
            for suffix in ("", "-wal", "-shm"):
                Path(str(name) + suffix).unlink(missing_ok=True)
            name.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / "database.sqlite3", name)
        else:
            connections.close_all()
            _run_postgres_tool(
                "pg_restore",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "-d",
                str(connection.settings_dict["NAME"]),
                str(work / "database.pgdump"),
            )
        say("数据库已恢复")
        media_root.mkdir(parents=True, exist_ok=True)
        if (work / "media").exists():
            shutil.copytree(work / "media", media_root, dirs_exist_ok=True)
        for stored, target in (("audit-checkpoints.jsonl", checkpoint_path()), ("field-key-canary.txt", canary_path())):
            if (work / stored).exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(work / stored, target)
        say("上传文件、审计检查点与密钥校验值已恢复")
    return check_restored(manifest)


def check_restored(manifest: JSONObject) -> list[str]:
    """The restored database against the manifest: counts, chain heads, then every chain verified."""
    problems: list[str] = []
    with connection.cursor() as cursor:
        quote = connection.ops.quote_name
        counts = _counts(cursor, list(manifest["counts"]), quote)
        heads = _heads(cursor)
    for table, expected in manifest["counts"].items():
        if counts[table] != expected:
            problems.append(f"表 {table}：清单 {expected} 行，恢复后 {counts[table]} 行")
    if heads != manifest["heads"]:
        differing = sorted(set(heads.items()) ^ set(manifest["heads"].items()))
        problems.append(f"审计链头与清单不符：{len(differing)} 处，如 {differing[0][0]}")
    problems.extend(key_problems())
    anchors = read_anchors()
    problems.extend(f"检查点文件第{line}行签名无效" for line in anchors.bad_lines)
    cases = Case.objects.order_by("pk").iterator(chunk_size=500)
    problems.extend(f"审计链断裂：{link}" for _case, link in verify_chains(cases, anchors=anchors.heads) if link)
    return problems
