"""Petitions and disputes: lifecycle, mediation, backlog clearing, the 60+30-day petition limit, the
parties' personal data (encrypted, masked, logged reveal) and the year figures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from gridgov.data.cases.domain import reference
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Channel, Kind, Status
from gridgov.data.disputes.domain import (
    PartyInput,
    clear_backlog,
    parties_shown,
    record_mediation,
    register_dispute,
    request_petition_extension,
    reveal_parties,
)
from gridgov.data.disputes.enums import DisputeType, Method, Outcome
from gridgov.data.disputes.figures import year_figures
from gridgov.data.disputes.models import Dispute, DisputeParty
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import SecurityEvent
from gridgov.data.taxonomy.enums import Phase
from gridgov.data.taxonomy.models import TimeLimit
from gridgov.data.worktime.enums import TimeUnit
from tests.factories import MONDAY_0900, TownWorld, at, photo


def valid_id(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


PARTY = PartyInput(name="张三丰", phone="13800138000", id_number=valid_id("33092119900101123"))


def register(
    world: TownWorld, dtype: DisputeType, *, amount: str = "0", backlog: bool = False, now=MONDAY_0900, **kw: object
) -> Dispute:
    return register_dispute(
        town=world.town,
        actor=world.operator,
        type=dtype,
        description="工人反映拖欠工资",
        parties=[PARTY],
        amount=amount,
        backlog=backlog,
        department=world.dept_a,
        now=now,
        **kw,
    )


def close(world: TownWorld, dispute: Dispute, when) -> None:
    apply_action(case_id=dispute.case_id, actor=world.handler_a, action=Action.SIGN, now=when)
    apply_action(
        case_id=dispute.case_id,
        actor=world.handler_a,
        action=Action.RESOLVE,
        note="调解协议已履行",
        photos=photo(),
        now=when + timedelta(hours=1),
    )
    apply_action(
        case_id=dispute.case_id, actor=world.operator, action=Action.VERIFY_PASS, now=when + timedelta(hours=2)
    )


def test_labour_dispute_lifecycle_with_mediation(world: TownWorld) -> None:
    dispute = register(world, DisputeType.LABOUR, amount="1,250,000.50")
    case = dispute.case
    assert (case.kind, case.channel, case.status, case.category.code) == (
        Kind.DISPUTE,
        Channel.OTHER,
        Status.DISPATCHED,
        "0201",
    )
    assert dispute.amount == Decimal("1250000.50")
    record_mediation(
        dispute=dispute,
        actor=world.handler_a,
        method=Method.ARBITRATION,
        outcome=Outcome.RESOLVED,
        note="企业分两期支付",
        now=MONDAY_0900 + timedelta(hours=1),
    )
    close(world, dispute, at(2026, 11, 25, 9))
    dispute.refresh_from_db()
    assert (dispute.method, dispute.outcome, dispute.outcome_note) == ("arbitration", "resolved", "企业分两期支付")
    assert case.actions.get(action="comment").note == "调处方式：劳动仲裁；结果：调解成功；说明：企业分两期支付"


def test_petition_limit_is_60_days_plus_30_with_approval(world: TownWorld) -> None:
    dispute = register(world, DisputeType.PETITION)
    case = dispute.case
    assert case.channel == Channel.PETITION
    assert case.handle_deadline == MONDAY_0900 + timedelta(days=60)
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN, now=MONDAY_0900 + timedelta(hours=1))
    with pytest.raises(InvalidInput, match="不得超过30日"):
        request_petition_extension(dispute=dispute, actor=world.handler_a, note="需调查", days=31)
    request_petition_extension(
        dispute=dispute, actor=world.handler_a, note="情况复杂需进一步调查", now=MONDAY_0900 + timedelta(days=50)
    )
    apply_action(
        case_id=case.pk, actor=world.leader, action=Action.APPROVE_EXTENSION, now=MONDAY_0900 + timedelta(days=51)
    )
    case.refresh_from_db()
    assert case.handle_deadline == MONDAY_0900 + timedelta(days=90)
    with pytest.raises(NotAllowed, match="只能延期一次"):
        request_petition_extension(dispute=Dispute.objects.get(pk=dispute.pk), actor=world.handler_a, note="再延")
    labour = register(world, DisputeType.LABOUR)
    assert labour.case.handle_deadline == MONDAY_0900 + timedelta(days=15)
    with pytest.raises(NotAllowed, match="只有信访件"):
        request_petition_extension(dispute=labour, actor=world.handler_a, note="x")


def test_a_petition_limit_in_working_days_extends_by_at_most_30_calendar_days(world: TownWorld) -> None:
    """The law's 30 days are calendar days: where a town sets petitions in 工作日, 30 working days (six weeks) is
    refused, and the working days that end within 30 days of the deadline are granted."""
    petition = register(world, DisputeType.PETITION).case.category
    TimeLimit.objects.filter(category=petition, phase=Phase.HANDLE).update(value=40, unit=TimeUnit.WORK_DAYS)
    reference.clear()
    dispute = register(world, DisputeType.PETITION)
    case = dispute.case
    assert (case.handle_limit_unit, case.handle_deadline) == (TimeUnit.WORK_DAYS, at(2027, 1, 19, 9))
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.SIGN, now=MONDAY_0900 + timedelta(hours=1))
    with pytest.raises(InvalidInput, match="不得超过30日"):
        request_petition_extension(dispute=dispute, actor=world.handler_a, note="需调查", days=30)
    request_petition_extension(dispute=dispute, actor=world.handler_a, note="需调查", days=15)
    case.refresh_from_db()
    assert (case.status, case.pending_extension_value) == (Status.HANDLING, 15)


def test_backlog_petition_cleared_only_when_closed(world: TownWorld) -> None:
    dispute = register(world, DisputeType.PETITION, backlog=True, level="province")
    assert dispute.case.category.code == "0302"
    with pytest.raises(NotAllowed, match="办结"):
        clear_backlog(dispute=dispute, actor=world.leader)
    close(world, dispute, at(2026, 11, 24, 9))
    dispute = Dispute.objects.select_related("case").get(pk=dispute.pk)
    with pytest.raises(NotAllowed, match="指挥室或领导"):
        clear_backlog(dispute=dispute, actor=world.handler_a)
    clear_backlog(dispute=dispute, actor=world.leader, now=at(2026, 11, 26, 10))
    assert Dispute.objects.get(pk=dispute.pk).backlog_cleared_at == at(2026, 11, 26, 10)
    with pytest.raises(NotAllowed, match="已化解"):
        clear_backlog(dispute=dispute, actor=world.leader)


def test_parties_encrypted_masked_and_reveal_logged(world: TownWorld) -> None:
    dispute = register(world, DisputeType.CONFLICT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone, id_number FROM disputes_disputeparty")
        stored = cursor.fetchone()
    assert all(value.startswith("v1:") for value in stored)
    assert "张三丰" not in "".join(stored)
    [masked] = parties_shown(dispute)
    assert (masked.name, masked.phone, masked.id_number) == ("张**", "138****8000", "330921********1237")
    with pytest.raises(NotAllowed):
        reveal_parties(user=world.handler_a, dispute=dispute)
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_REVEALED).exists()
    [full] = reveal_parties(user=world.leader, dispute=dispute)
    assert (full.name, full.phone, full.id_number) == ("张三丰", "13800138000", PARTY.id_number)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PERSONAL_DATA_REVEALED)
    assert (event.user, event.detail["case"]) == (world.leader, dispute.case.number)


def test_bad_input_changes_nothing(world: TownWorld) -> None:
    with pytest.raises(InvalidInput, match="不能为负数") as negative:
        register(world, DisputeType.LABOUR, amount="-5")
    assert negative.value.field == "amount"
    with pytest.raises(InvalidInput, match="校验位不正确"):
        register_dispute(
            town=world.town,
            actor=world.operator,
            type=DisputeType.CONFLICT,
            description="x",
            parties=[PartyInput(name="李四", id_number="330921199001011230")],
            department=world.dept_a,
        )
    with pytest.raises(InvalidInput, match="至少填写一位当事人"):
        register_dispute(
            town=world.town,
            actor=world.operator,
            type=DisputeType.CONFLICT,
            description="x",
            parties=[],
            department=world.dept_a,
        )
    with pytest.raises(InvalidInput, match="类型"):
        register(world, "quarrel")
    with pytest.raises(NotAllowed):
        register_dispute(
            town=world.town,
            actor=world.handler_a,
            type=DisputeType.CONFLICT,
            description="x",
            parties=[PARTY],
            department=world.dept_a,
        )
    assert (Dispute.objects.count(), DisputeParty.objects.count()) == (0, 0)


def test_year_figures_hand_computed(world: TownWorld) -> None:
    labour_1 = register(world, DisputeType.LABOUR, amount="9600000")
    labour_2 = register(world, DisputeType.LABOUR, amount="6450000")
    register(world, DisputeType.LABOUR, amount="300000")  # still open
    conflict = register(world, DisputeType.CONFLICT)
    petition = register(world, DisputeType.PETITION)
    backlog = register(world, DisputeType.PETITION, backlog=True, now=at(2026, 3, 2), received_on=date(2025, 6, 1))
    for d in (labour_1, labour_2, conflict, backlog):
        close(world, d, at(2026, 11, 25, 9))
    clear_backlog(dispute=Dispute.objects.get(pk=backlog.pk), actor=world.leader, now=at(2026, 11, 26))
    del petition
    figures = year_figures(town=world.town, start=date(2026, 1, 1), end=date(2027, 1, 1), as_of=at(2026, 12, 31))
    assert {k: f.value for k, f in figures.items()} == {
        "petitions_received": 1,  # the backlog petition was received in 2025
        "petition_backlog_cleared": 1,
        "disputes_received": 4,
        "disputes_resolved": 3,
        "disputes_rate": Decimal("0.75"),
        "labour_disputes": 2,
        "labour_amount": Decimal("16050000.00"),
    }
