"""The phone's case page (/m/cases/<id>/) of a case that has left its reader says so as the desk's does: its
number and why (returned, reassigned, out of their scope now), in the phone's own page, nothing else of the case;
someone never told of the case and who never worked on it gets the plain "not found"."""

from __future__ import annotations

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Membership
from tests.factories import TownWorld, signed_in
from tests.ui.web.test_notification_reach import OUT_OF_SCOPE, REASSIGNED, RETURNED, dispatched, returned


def test_a_returned_case_says_why_on_the_phone_and_shows_nothing_of_the_case(world: TownWorld) -> None:
    case = returned(world)
    response = signed_in(world.handler_a).get(f"/m/cases/{case.pk}/")
    assert response.status_code == 404
    assert response.templates[0].name == "phone/case_gone.html"
    assert (response.context["number"], response.context["reason"]) == (case.number, RETURNED)
    assert f'<p class="problem" role="alert">{RETURNED}</p>' in response.text
    for content in (case.description, "不属于本单位职责", world.category.name, world.grid_a.name):
        assert content not in response.text


def test_a_reassigned_case_says_it_went_to_another_unit_on_the_phone(world: TownWorld) -> None:
    case = dispatched(world)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_b)
    assert signed_in(world.handler_a).get(f"/m/cases/{case.pk}/").context["reason"] == REASSIGNED
    assert signed_in(world.handler_b).get(f"/m/cases/{case.pk}/").status_code == 200


def test_a_case_out_of_the_readers_scope_says_so_in_their_language(world: TownWorld) -> None:
    case = dispatched(world)
    Membership.objects.filter(user=world.handler_a, role=Role.HANDLER).update(active=False)
    client = signed_in(world.handler_a)
    assert client.get(f"/m/cases/{case.pk}/").context["reason"] == OUT_OF_SCOPE
    client.cookies["django_language"] = "en"
    response = client.get(f"/m/cases/{case.pk}/")
    assert response.context["reason"] == "This case is no longer within what you may see"
    assert "The messages you were sent about it stay in your notifications" in response.text


def test_someone_never_told_of_the_case_gets_a_plain_not_found_on_the_phone(world: TownWorld) -> None:
    case = returned(world)
    response = signed_in(world.handler_b).get(f"/m/cases/{case.pk}/")
    assert response.status_code == 404
    assert "phone/case_gone.html" not in [t.name for t in response.templates]
    assert case.number not in response.text
