"""The people register's domain: houses, households, residents, key and care groups, their display (masked)
and the persons' PIPL rights. Every write checks the actor's scope (``people.scope``); every error is an
``InvalidInput`` naming the field in Chinese, and nothing is half-written."""

from gridgov.data.people.domain.display import ERASED_NAME, PersonView, person_view, reveal_person
from gridgov.data.people.domain.groups import DEFAULT_GROUPS, install_default_groups, join_group, leave_group
from gridgov.data.people.domain.households import HouseholdInput, register_household, update_household
from gridgov.data.people.domain.houses import HouseInput, register_house, update_house
from gridgov.data.people.domain.pipl import erase_person, export_person, person_record, purge_moved_out
from gridgov.data.people.domain.residents import (
    ResidentInput,
    check_edits_resident,
    move_out,
    register_resident,
    update_resident,
)

__all__ = [
    "DEFAULT_GROUPS",
    "ERASED_NAME",
    "HouseInput",
    "HouseholdInput",
    "PersonView",
    "ResidentInput",
    "check_edits_resident",
    "erase_person",
    "export_person",
    "install_default_groups",
    "join_group",
    "leave_group",
    "move_out",
    "person_record",
    "person_view",
    "purge_moved_out",
    "register_house",
    "register_household",
    "register_resident",
    "reveal_person",
    "update_house",
    "update_household",
    "update_resident",
]
