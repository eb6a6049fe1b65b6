"""The audit chain detects an edited, deleted or reordered action, and the command reports it."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from gridgov.data.cases.domain.audit import verify_chains
from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Attachment, Case, CaseAction
from tests.factories import TownWorld


def first_break(case: Case) -> str | None:
    fresh = Case.objects.get(pk=case.pk)
    [(_case, broken)] = list(verify_chains([fresh]))
    return None if broken is None else str(broken)


def test_an_untouched_chain_verifies(world: TownWorld, capsys) -> None:
    world.bring_to(Status.CLOSED)
    world.bring_to(Status.REJECTED)
    call_command("verify_audit_chain")
    assert capsys.readouterr().out.strip() == "审计链完好：已校验 2 件事件"


def test_an_edited_note_is_detected_at_its_link(world: TownWorld) -> None:
    case = world.bring_to(Status.CLOSED)
    CaseAction.objects.filter(case=case, seq=3).update(note="篡改后的意见")
    assert first_break(case) == f"{case.number} 第3条流转记录：内容与哈希不符（记录被修改）"
    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain", "--case", case.number)
    assert str(error.value) == "审计链断裂：1 件（已校验 1 件）"


def test_an_edited_actor_or_time_is_detected(world: TownWorld) -> None:
    case = world.bring_to(Status.CLOSED)
    row = CaseAction.objects.get(case=case, seq=2)
    CaseAction.objects.filter(pk=row.pk).update(actor=world.leader)
    assert first_break(case) == f"{case.number} 第2条流转记录：内容与哈希不符（记录被修改）"


def test_a_swapped_photo_is_detected(world: TownWorld) -> None:
    case = world.bring_to(Status.CLOSED)
    Attachment.objects.filter(case=case).update(sha256="0" * 64)
    assert first_break(case) == f"{case.number} 第5条流转记录：内容与哈希不符（记录被修改）"


def test_a_deleted_middle_action_is_detected(world: TownWorld) -> None:
    case = world.bring_to(Status.CLOSED)
    Attachment.objects.filter(case=case).delete()
    CaseAction.objects.filter(case=case, seq=2).delete()
    assert first_break(case) == f"{case.number} 第2条流转记录：缺少序号 2（记录被删除或重排）"


def test_a_deleted_last_action_is_detected(world: TownWorld) -> None:
    case = world.bring_to(Status.CLOSED)
    CaseAction.objects.filter(case=case, seq=6).delete()
    assert first_break(case) == f"{case.number} 第6条流转记录：案卷记录的最新哈希与流转记录不符（末尾记录被删除）"


def test_a_recomputed_hash_without_the_next_link_is_detected(world: TownWorld) -> None:
    from gridgov.data.cases.domain.audit import digest_of

    case = world.bring_to(Status.CLOSED)
    row = CaseAction.objects.get(case=case, seq=2)
    row.note = "篡改"
    row.hash = digest_of(row, [])
    row.save()  # the forger recomputes this row's hash but not the rest of the chain
    assert first_break(case) == f"{case.number} 第3条流转记录：与上一条记录的哈希不衔接"


def test_unknown_case_number_is_an_error(world: TownWorld) -> None:
    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain", "--case", "DX2026-999999")
    assert str(error.value) == "案卷 DX2026-999999 不存在"
