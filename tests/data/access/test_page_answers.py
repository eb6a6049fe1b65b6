"""The permission module's answers that pages pass on as they are: unmask personal data, verify, confirm an import."""

from __future__ import annotations

import pytest

from gridgov.data.access.permissions import may_confirm_import, may_reveal_contact, may_verify, record_actions
from gridgov.data.cases.enums import Status
from gridgov.data.org.enums import Role
from gridgov.data.sheets.framework import ImportReport, RowError
from gridgov.data.sheets.models import ImportJob, JobMode
from tests.factories import MONDAY_0900

pytestmark = pytest.mark.django_db


def test_the_command_room_leaders_and_admins_may_unmask_a_reporter_and_nobody_else(world) -> None:
    case = world.bring_to(Status.DISPATCHED)
    answers = {role: may_reveal_contact(user=world.persona(role), case=case) for role in Role}
    assert answers == {
        Role.OPERATOR: True,
        Role.LEADER: True,
        Role.ADMIN: True,
        Role.HANDLER: False,
        Role.GRID_WORKER: False,
        Role.VILLAGE_STAFF: False,
        Role.RESIDENT: False,
        Role.ENTERPRISE: False,
    }


def test_verifying_is_offered_on_a_resolved_case_to_the_verifiers_only(world) -> None:
    resolved = world.bring_to(Status.RESOLVED)
    dispatched = world.bring_to(Status.DISPATCHED)
    assert {role for role in Role if may_verify(user=world.persona(role), case=resolved)} == {
        Role.OPERATOR,
        Role.ADMIN,
        Role.GRID_WORKER,
    }
    assert {role for role in Role if may_verify(user=world.persona(role), case=dispatched)} == set()


def test_a_clean_dry_run_with_rows_to_write_may_be_confirmed_and_nothing_else(world) -> None:
    dry = ImportJob(town=world.town, user=world.operator, importer="problem_items", mode=JobMode.DRY_RUN)
    done = ImportJob(town=world.town, user=world.operator, importer="problem_items", mode=JobMode.IMPORT)
    clean = ImportReport(importer="problem_items", total=3, valid=3, skipped=1)
    assert may_confirm_import(job=dry, report=clean) is True
    assert may_confirm_import(job=dry, report=None) is False
    assert may_confirm_import(job=done, report=clean) is False
    assert (
        may_confirm_import(job=dry, report=ImportReport(importer="problem_items", total=2, valid=2, skipped=2)) is False
    )
    broken = ImportReport(
        importer="problem_items", total=3, valid=2, errors=[RowError(row=3, column="list", message="缺")]
    )
    assert may_confirm_import(job=dry, report=broken) is False


def test_a_dispute_page_offers_reveal_and_unmasks_exactly_for_whom_the_module_says(world) -> None:
    from gridgov.data.disputes.domain import PartyInput, register_dispute, reveal_parties
    from gridgov.data.disputes.enums import DisputeType
    from gridgov.data.errors import NotAllowed

    dispute = register_dispute(
        town=world.town,
        actor=world.operator,
        type=DisputeType.CONFLICT,
        description="邻里纠纷",
        parties=[PartyInput(name="张三丰", phone="13800138000")],
        department=world.dept_a,
        now=MONDAY_0900,
    )
    offered = {}
    unmasked = {}
    for role in Role:
        user = world.persona(role)
        offered[role] = "reveal" in record_actions(user=user, record=dispute)
        try:
            unmasked[role] = reveal_parties(user=user, dispute=dispute)[0].name == "张三丰"
        except NotAllowed:
            unmasked[role] = False
    expected = {role: may_reveal_contact(user=world.persona(role), case=dispute.case) for role in Role}
    assert offered == expected
    assert unmasked == expected
    assert {role for role, yes in expected.items() if yes} == {Role.OPERATOR, Role.LEADER, Role.ADMIN}


def test_the_import_entry_is_for_whoever_may_use_one_importer_at_least(world) -> None:
    from django.contrib.auth.models import AnonymousUser

    from gridgov.data.access.permissions import may_import
    from gridgov.data.sheets.framework import importers

    answers = {role: may_import(world.persona(role)) for role in Role}
    assert answers == {role: any(i.allowed(world.persona(role)) for i in importers()) for role in Role}
    # Village staff import the people register of their own village (people.importers).
    importing = {Role.OPERATOR, Role.LEADER, Role.ADMIN, Role.VILLAGE_STAFF}
    assert {role for role, yes in answers.items() if yes} == importing
    assert may_import(AnonymousUser()) is False
