"""The migration that gives dispute parties a kind tells the parties already written by their names: a company
recorded before it is shown by its name afterwards, a person stays masked."""

from __future__ import annotations

import pytest

from gridgov.data.disputes.domain import PartyInput, parties_shown, register_dispute
from gridgov.data.disputes.enums import PartyKind, PartyRole
from gridgov.data.disputes.models import DisputeParty
from tests.factories import TownWorld
from tests.migrating import migrate, migrate_to_latest

BEFORE = [("disputes", "0001_disputes_and_parties")]


@pytest.mark.django_db(transaction=True)
def test_parties_written_before_are_told_by_their_names(world: TownWorld) -> None:
    dispute = register_dispute(
        town=world.town,
        actor=world.operator,
        type="labour",
        description="外包班组反映拖欠工资",
        parties=[
            PartyInput(name="欧阳锋", phone="13912345678"),
            PartyInput(name="岱西船舶修造有限公司", role=PartyRole.RESPONDENT),
        ],
        department=world.dept_a,
    )
    try:
        migrate(BEFORE)
    finally:
        migrate_to_latest()
    kinds = list(DisputeParty.objects.filter(dispute=dispute).order_by("sort_order").values_list("kind", flat=True))
    assert kinds == [PartyKind.PERSON, PartyKind.ORGANISATION]
    assert [p.name for p in parties_shown(dispute)] == ["欧**", "岱西船舶修造有限公司"]


@pytest.mark.django_db(transaction=True)
def test_parties_the_old_guess_took_for_organisations_by_a_doubtful_name_are_persons_again(world: TownWorld) -> None:
    names = ["黄杨建局", "舟山船厂", "东海渔业", "岱西船舶修造有限公司"]
    dispute = register_dispute(
        town=world.town,
        actor=world.operator,
        type="labour",
        description="外包班组反映拖欠工资",
        parties=[PartyInput(name=name, kind=PartyKind.ORGANISATION) for name in names],  # as 0002 or a form left them
        department=world.dept_a,
    )
    try:
        migrate([("disputes", "0002_party_kind")])
    finally:
        migrate_to_latest()
    assert [(p.kind, p.name) for p in parties_shown(dispute)] == [
        ("person", "黄***"),  # 局 after a common surname: a person's name, masked again
        ("organisation", "舟山船厂"),
        ("organisation", "东海渔业"),  # given as 单位, a name the old guess did not take: as it was
        ("organisation", "岱西船舶修造有限公司"),
    ]
