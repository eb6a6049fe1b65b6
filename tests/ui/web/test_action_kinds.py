"""Refusing actions (不予立案, 退回…) look apart from forward ones: the class comes from the transition table."""

from __future__ import annotations

from gridgov.data.cases.enums import Action
from gridgov.data.cases.transitions import ActionKind, Transition
from tests.factories import TownWorld, signed_in


def test_reject_is_styled_as_refusing_and_register_as_forward(world: TownWorld) -> None:
    case = world.report()
    client = signed_in(world.operator)
    page = client.get(f"/cases/{case.pk}/").text
    assert 'class="button action-refuse" data-action="reject"' in page
    assert 'class="button action-forward" data-action="register"' in page
    assert 'class="button action-neutral secondary" data-action="comment"' in page
    form = client.get(f"/cases/{case.pk}/act/reject/").text
    assert '<button type="submit" class="action-refuse">' in form


def test_the_kinds_of_the_table() -> None:
    def kind(action: Action) -> ActionKind:
        return Transition(source="reported", action=action, target=None, roles=frozenset()).kind

    refusing = {a for a in Action if kind(a) == ActionKind.REFUSE}
    assert refusing == {Action.REJECT, Action.RETURN, Action.VERIFY_FAIL, Action.DENY_EXTENSION}
    assert kind(Action.DISPATCH) == ActionKind.FORWARD
