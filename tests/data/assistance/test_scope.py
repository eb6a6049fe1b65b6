"""Who sees and records assistance: the town's command room, leaders and admins all of it; village staff their
village's households'; a handler their department's; grid workers, enterprises and residents nothing."""

from __future__ import annotations

import pytest

from gridgov.data.access import permissions
from gridgov.data.assistance.domain import PaymentInput, apply_card, record_attendance, record_payment
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Department, User
from gridgov.data.people.models import Household
from tests.data.people.factories import build_people
from tests.factories import WORLD_TODAY, TownWorld


def _pay(world: TownWorld, hh: Household, department: Department | None) -> int:
    data = PaymentInput(
        household=hh, kind=PaymentKind.TEMPORARY, amount="500", paid_on=WORLD_TODAY, department=department
    )
    return record_payment(town=world.town, actor=world.operator, data=data).pk


@pytest.fixture
def records(world: TownWorld) -> dict[str, int]:
    people = build_people(world)
    card_a = apply_card(town=world.town, actor=world.operator, resident=people.resident_a, applied_on=WORLD_TODAY)
    card_b = apply_card(
        town=world.town,
        actor=world.operator,
        resident=people.resident_b,
        applied_on=WORLD_TODAY,
        department=world.dept_a,
    )
    care_a = record_attendance(
        town=world.town, actor=world.operator, resident=people.resident_a, day=WORLD_TODAY, provider="中心"
    )
    care_b = record_attendance(
        town=world.town, actor=world.operator, resident=people.resident_b, day=WORLD_TODAY, provider="中心",
        department=world.dept_b,
    )  # fmt: skip
    return {
        "pay_a": _pay(world, people.household_a, world.dept_a),
        "pay_b": _pay(world, people.household_b, world.dept_b),
        "pay_b_by_a": _pay(world, people.household_b, world.dept_a),
        "card_a": card_a.pk,
        "card_b": card_b.pk,
        "care_a": care_a.pk,
        "care_b": care_b.pk,
    }


EVERYTHING = {"pay_a", "pay_b", "pay_b_by_a", "card_a", "card_b", "care_a", "care_b"}


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("operator", EVERYTHING),
        ("leader", EVERYTHING),
        ("admin", EVERYTHING),
        ("village_staff_a", {"pay_a", "card_a", "care_a"}),
        ("village_staff_b", {"pay_b", "pay_b_by_a", "card_b", "care_b"}),
        ("handler_a", {"pay_a", "pay_b_by_a", "card_b"}),
        # 李四 (household B) is in handler B's care group: handler B still sees only what their department paid.
        ("handler_b", {"pay_b", "care_b"}),
        ("grid_worker_a", set()),
        ("grid_worker_b", set()),
        ("resident", set()),
        ("enterprise", set()),
    ],
)
def test_each_role_sees_its_part(world: TownWorld, records: dict[str, int], persona: str, seen: set[str]):
    user = getattr(world, persona)
    names = {(k.split("_")[0], v): k for k, v in records.items()}
    found = {names["pay", pk] for pk in permissions.visible_payments(user).values_list("pk", flat=True)}
    found |= {names["card", pk] for pk in permissions.visible_veteran_cards(user).values_list("pk", flat=True)}
    found |= {names["care", pk] for pk in permissions.visible_day_care(user).values_list("pk", flat=True)}
    assert found == seen
    assert permissions.may_see_assistance(user) == (
        persona not in {"grid_worker_a", "grid_worker_b", "resident", "enterprise"}
    )


def test_who_may_record_for_which_household(world: TownWorld):
    people = build_people(world)
    a, b = people.household_a, people.household_b

    def may(user: User, household: Household, department: Department | None) -> bool:
        return permissions.may_record_assistance(user=user, household=household, department=department)

    assert [may(world.operator, a, None), may(world.admin, b, world.dept_b)] == [True, True]
    handler = world.handler_a
    assert [may(handler, b, world.dept_a), may(handler, a, world.dept_b), may(handler, a, None)] == [True, False, False]
    assert [may(world.village_staff_a, a, None), may(world.village_staff_a, b, None)] == [True, False]
    assert [may(world.leader, a, None), may(world.grid_worker_a, a, None), may(world.resident, a, None)] == [
        False, False, False
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("role", "actions"),
    [
        (Role.OPERATOR, {"add", "import", "figures"}),
        (Role.ADMIN, {"add", "import", "figures"}),
        (Role.LEADER, {"figures"}),
        (Role.HANDLER, {"add"}),
        (Role.VILLAGE_STAFF, {"add"}),
        (Role.GRID_WORKER, set()),
        (Role.RESIDENT, set()),
        (Role.ENTERPRISE, set()),
    ],
)
def test_the_list_pages_offer_recording_and_import_to_their_keepers(world: TownWorld, role: Role, actions: set[str]):
    assert permissions.assistance_actions(user=world.persona(role), town=world.town) == actions
