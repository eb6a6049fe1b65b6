"""The audit chain holds against a database writer: names, files on disk, recomputed chains, all reported."""

from __future__ import annotations

import importlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from gridgov.data.cases.domain.audit import digest_of, verify_chains
from gridgov.data.cases.domain.audit_runs import queue_daily_verification, verify_all
from gridgov.data.cases.domain.checkpoints import read_anchors, write_checkpoint
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Attachment, AuditRun, Case, CaseAction
from tests.factories import MONDAY_0900, TownWorld, signed_in


@pytest.fixture
def checkpoints(settings, tmp_path: Path) -> Path:
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_FILE = path
    return path


def broken(case: Case, *, anchors: dict[int, tuple[int, str]] | None = None) -> str | None:
    [(_case, link)] = list(verify_chains([Case.objects.get(pk=case.pk)], anchors=anchors))
    return None if link is None else str(link)


def test_an_actor_name_changed_by_sql_is_detected(world: TownWorld) -> None:
    case = world.bring_to(Status.CLOSED)
    assert broken(case) is None
    CaseAction.objects.filter(case=case, seq=2).update(actor_name="冒名者")
    assert broken(case) == f"{case.number} 第2条流转记录：内容与哈希不符（记录被修改）"


def test_a_file_replaced_on_disk_is_detected(world: TownWorld) -> None:
    case = world.bring_to(Status.CLOSED)
    attachment = Attachment.objects.get(case=case)
    seq = CaseAction.objects.get(attachments=attachment).seq
    assert broken(case) is None
    Path(default_storage.path(attachment.file.name)).write_bytes(b"another picture")
    assert broken(case) == f"{case.number} 第{seq}条流转记录：附件文件与记录的哈希不符（文件被替换或损坏）"
    Path(default_storage.path(attachment.file.name)).unlink()
    assert broken(case) == f"{case.number} 第{seq}条流转记录：附件文件缺失"


def rewrite_and_recompute(case: Case) -> None:
    """What a database writer can do: change a note, then recompute every hash after it and the head."""
    files: dict[int, list[str]] = {}
    for action_id, sha in Attachment.objects.filter(case=case).values_list("action_id", "sha256"):
        files.setdefault(action_id, []).append(sha)
    prev = ""
    for row in CaseAction.objects.filter(case=case).order_by("seq"):
        if row.seq == 2:
            row.note = "改写后的意见"
        row.prev_hash = prev
        row.hash = digest_of(row, files.get(row.pk, []))
        row.save()
        prev = row.hash
    Case.objects.filter(pk=case.pk).update(audit_head=prev)


def test_a_recomputed_chain_is_caught_by_the_signed_checkpoint(world: TownWorld, checkpoints: Path) -> None:
    case = world.bring_to(Status.CLOSED)
    other = world.bring_to(Status.DISPATCHED)
    assert write_checkpoint(now=MONDAY_0900) == 2
    line = json.loads(checkpoints.read_text().splitlines()[0])
    assert (line["town"], line["total"], sorted(line["cases"])) == (
        world.town.code,
        2,
        sorted([str(case.pk), str(other.pk)]),
    )
    rewrite_and_recompute(case)
    assert broken(case) is None  # the chain alone is consistent again
    anchors = read_anchors().heads
    assert broken(case, anchors=anchors) == (
        f"{case.number} 第{case.action_count}条流转记录：与签名检查点不符（检查点之后记录被改写并重算哈希）"
    )
    assert broken(other, anchors=anchors) is None


def test_a_later_checkpoint_records_only_what_changed_and_progress_still_verifies(
    world: TownWorld, checkpoints: Path
) -> None:
    case = world.bring_to(Status.DISPATCHED)
    world.bring_to(Status.CLOSED)
    assert write_checkpoint(now=MONDAY_0900) == 2
    assert write_checkpoint(now=MONDAY_0900) == 0
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN, now=MONDAY_0900 + timedelta(hours=1))
    run = verify_all(run=AuditRun.objects.create(created_at=MONDAY_0900), now=MONDAY_0900)
    assert (run.ok, run.checked, run.broken) == (True, 2, [])


def test_a_forged_checkpoint_line_is_reported(world: TownWorld, checkpoints: Path) -> None:
    world.bring_to(Status.CLOSED)
    write_checkpoint(now=MONDAY_0900)
    record = json.loads(checkpoints.read_text())
    record["total"] = 99
    checkpoints.write_text(json.dumps(record) + "\n")
    run = verify_all(run=AuditRun.objects.create(created_at=MONDAY_0900), now=MONDAY_0900, checkpoint=False)
    assert (run.ok, run.broken) == (
        False,
        ["检查点文件第1行签名无效（被修改，或 GRIDGOV_AUDIT_KEY 不是写入时的密钥）"],
    )


def test_the_command_reports_every_broken_case_and_exits_non_zero(world: TownWorld, capsys) -> None:
    cases = [world.bring_to(Status.CLOSED) for _ in range(3)]
    CaseAction.objects.filter(case__in=cases, seq=3).update(note="篡改")
    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain", "--limit", "2")
    assert str(error.value) == "审计链断裂：3 件（已校验 3 件）（另有 1 件未列出）"
    assert capsys.readouterr().err.splitlines() == [
        f"审计链断裂：{c.number} 第3条流转记录：内容与哈希不符（记录被修改）" for c in cases[:2]
    ]
    run = AuditRun.objects.get(kind=AuditRun.Kind.VERIFY)
    assert (run.ok, run.checked, run.broken_count, len(run.broken)) == (False, 3, 3, 2)


def test_the_daily_verification_runs_once_a_day_and_alerts_admins(
    world: TownWorld, settings, checkpoints: Path
) -> None:
    settings.AUDIT_VERIFY_HOURS = 24
    settings.ADMINS = ["admin@example.org"]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    case = world.bring_to(Status.CLOSED)
    first = queue_daily_verification(now=MONDAY_0900)
    assert first is not None
    first.refresh_from_db()
    assert (first.ok, first.checked, first.note) == (True, 1, "已写入签名检查点（更新 1 件）")
    assert queue_daily_verification(now=MONDAY_0900.replace(hour=20)) is None
    rewrite_and_recompute(case)
    second = queue_daily_verification(now=MONDAY_0900.replace(day=24, hour=10))
    assert second is not None
    second.refresh_from_db()
    assert (second.ok, second.broken_count) == (False, 1)
    assert [m.subject for m in mail.outbox] == ["[Django] 审计链校验失败：1 件断裂"]


def test_the_admin_page_shows_runs_and_starts_one(world: TownWorld, checkpoints: Path) -> None:
    world.bring_to(Status.CLOSED)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client = signed_in(world.admin)
    page = client.get("/admin/cases/auditrun/")
    assert page.status_code == 200
    assert "立即校验审计链" in page.text
    assert client.get("/admin/cases/auditrun/start/").status_code == 405
    answer = client.post("/admin/cases/auditrun/start/", follow=True)
    assert "审计链完好：已校验 1 件事件" in answer.text
    run = AuditRun.objects.get(kind=AuditRun.Kind.VERIFY)
    assert (run.requested_by, run.ok, run.checked) == (world.admin, True, 1)


def test_the_migration_rehashes_intact_chains_once_and_records_it(world: TownWorld) -> None:
    migration = importlib.import_module("gridgov.data.cases.migrations.0011_rehash_audit_chains_with_actor_name")
    intact = world.bring_to(Status.CLOSED)
    forged = world.bring_to(Status.CLOSED)
    # The chains as the old hash (without the actor's name) made them; one of them already forged.
    migration._rehash(apps, check=migration._new_digest, make=migration._old_digest)
    CaseAction.objects.filter(case=forged, seq=2).update(note="篡改")
    assert broken(intact) == f"{intact.number} 第1条流转记录：内容与哈希不符（记录被修改）"
    migration.forwards(apps, None)
    assert broken(intact) is None
    assert broken(forged) == f"{forged.number} 第1条流转记录：内容与哈希不符（记录被修改）"  # not laundered
    run = AuditRun.objects.filter(kind=AuditRun.Kind.REHASH).latest("id")
    assert (run.ok, run.checked, run.broken) == (False, 2, [forged.number])
    assert run.note == f"审计链哈希升级（覆盖操作人姓名）：已重算 1 件；1 件原链已断裂，未重算：{forged.number}"
