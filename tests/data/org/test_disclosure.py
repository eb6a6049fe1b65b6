"""The one rule of showing personal data: who holds a value decides; only a logged reveal shows more."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import gridgov
from gridgov.data.org.disclosure import Disclosed, Holder, Item, as_private, disclose, holder_of_role, in_full
from gridgov.data.org.enums import Role

PLAIN = {"name": "欧阳建华", "phone": "13800138000", "id_number": "330921198001011232"}


def test_what_each_holder_shows_in_full_without_a_reveal() -> None:
    table = {holder: [item for item in Item if in_full(holder=holder, item=item)] for holder in Holder}
    assert table == {
        Holder.PRIVATE: [],
        Holder.OFFICIAL: [Item.NAME],
        Holder.ORGANISATION: [Item.NAME, Item.ID_NUMBER],
    }


def test_a_logged_reveal_shows_everything_of_everyone() -> None:
    assert all(in_full(holder=holder, item=item, revealed=True) for holder in Holder for item in Item)


@pytest.mark.parametrize(
    ("holder", "expected"),
    [
        (Holder.PRIVATE, Disclosed(name="欧***", phone="138****8000", id_number="330921********1232", masked=True)),
        (
            Holder.OFFICIAL,
            Disclosed(name="欧阳建华", phone="138****8000", id_number="330921********1232", masked=True),
        ),
        (
            Holder.ORGANISATION,
            Disclosed(name="欧阳建华", phone="138****8000", id_number="330921198001011232", masked=True),
        ),
    ],
)
def test_disclose(holder: Holder, expected: Disclosed) -> None:
    assert disclose(holder=holder, **PLAIN) == expected
    assert disclose(holder=holder, **PLAIN, revealed=True) == Disclosed(**PLAIN, masked=False)


def test_nothing_to_mask_is_not_masked() -> None:
    assert disclose(holder=Holder.OFFICIAL, name="孙网格") == Disclosed(
        name="孙网格", phone="", id_number="", masked=False
    )


def test_the_holder_of_an_account_by_the_role_it_acted_in() -> None:
    assert {role: holder_of_role(role) for role in Role} == {
        Role.GRID_WORKER: Holder.OFFICIAL,
        Role.VILLAGE_STAFF: Holder.OFFICIAL,
        Role.OPERATOR: Holder.OFFICIAL,
        Role.HANDLER: Holder.OFFICIAL,
        Role.LEADER: Holder.OFFICIAL,
        Role.ADMIN: Holder.OFFICIAL,
        Role.ENTERPRISE: Holder.ORGANISATION,
        Role.RESIDENT: Holder.PRIVATE,
    }
    assert holder_of_role("") == Holder.PRIVATE  # no role recorded (an imported step): kept private


def test_a_value_no_holder_is_told_for_is_shown_as_a_private_persons() -> None:
    assert [as_private(PLAIN[item], item=item) for item in Item] == ["欧***", "138****8000", "330921********1232"]


MASKS = {"mask_name", "mask_phone", "mask_id_number"}
# The formats (privacy) and the one rule that uses them (org.disclosure).
RULE = {"data/privacy.py", "data/org/disclosure.py"}


def test_nothing_masks_personal_data_but_the_rule() -> None:
    """Every page, message, log line and admin column asks org.disclosure; none calls privacy's masks itself."""
    root = Path(gridgov.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        where = path.relative_to(root).as_posix()
        if where in RULE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = {alias.name for alias in node.names}
            elif isinstance(node, ast.Name):
                names = {node.id}
            elif isinstance(node, ast.Attribute):
                names = {node.attr}
            else:
                continue
            if names & MASKS:
                found.append(f"{where}:{node.lineno}")
    assert found == []
