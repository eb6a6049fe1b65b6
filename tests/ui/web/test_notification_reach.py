"""A notification whose case has left its reader (returned to the command room, reassigned to another unit) is
never a dead link: the 消息 page shows it without the link and says why, the case's address says the same in a
page of its own (its number and the reason, nothing else of the case), the API's list says whether each case
still opens and why not, and the e-mail's link lands on that page. Whether the reader may see the case is the
scope check's answer (``visible_cases``); someone who never heard of the case still gets a plain "not found"."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.test import Client

from gridgov.data.cases.domain import notifications
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action, Status
from gridgov.data.cases.models import Case, Notification
from gridgov.data.notify.models import Delivery
from gridgov.data.org.domain import grant_role
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Membership
from tests.factories import MONDAY_0900, TownWorld, signed_in
from tests.ui.api.conftest import ApiClient

RETURNED = "该事件已退回镇指挥室，不再由本单位处理"
REASSIGNED = "该事件已改派其他单位，不再由本单位处理"
OUT_OF_SCOPE = "该事件已不在您的查看范围内"
EVENT_CELL = re.compile(r'<tr(?: class="unread")?>\s*<td>[^<]*</td>\s*<td>(.*?)</td>', re.S)
LINE_CELL = re.compile(r'<tr(?: class="unread")?>\s*<td>[^<]*</td>\s*<td>.*?</td>\s*<td>(?:<strong>)?([^<]*)', re.S)


def dispatched(world: TownWorld) -> Case:
    """A case dispatched to department A, whose handler has been told of it."""
    case = world.bring_to(Status.DISPATCHED)
    notifications.deliver_due()
    return case


def returned(world: TownWorld) -> Case:
    case = dispatched(world)
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.RETURN, note="不属于本单位职责")
    return case


def event_cells(client: Client) -> list[str]:
    return [re.sub(r"\s+", " ", cell).strip() for cell in EVENT_CELL.findall(client.get("/notifications/").text)]


def test_the_message_of_a_returned_case_keeps_no_dead_link_and_says_why(world: TownWorld) -> None:
    case = dispatched(world)
    client = signed_in(world.handler_a)
    assert event_cells(client) == [f'<a href="/cases/{case.pk}/">{case.number}</a>']
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.RETURN, note="不属于本单位职责")
    assert event_cells(client) == [f'{case.number}<br><small class="muted case-gone">{RETURNED}</small>']


def test_the_case_address_says_why_it_no_longer_opens_and_shows_nothing_of_the_case(world: TownWorld) -> None:
    case = returned(world)
    response = signed_in(world.handler_a).get(f"/cases/{case.pk}/")
    assert response.status_code == 404
    assert response.templates[0].name == "web/case_gone.html"
    assert (response.context["number"], response.context["reason"]) == (case.number, RETURNED)
    for content in (case.description, "不属于本单位职责", world.category.name, world.grid_a.name):
        assert content not in response.text
    # whoever worked on it is told the same, even without a message about it
    Notification.objects.filter(user=world.handler_a).delete()
    assert signed_in(world.handler_a).get(f"/cases/{case.pk}/").context["reason"] == RETURNED


def test_a_reassigned_case_says_it_went_to_another_unit(world: TownWorld) -> None:
    case = dispatched(world)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_b)
    client = signed_in(world.handler_a)
    assert event_cells(client) == [f'{case.number}<br><small class="muted case-gone">{REASSIGNED}</small>']
    assert client.get(f"/cases/{case.pk}/").context["reason"] == REASSIGNED
    # the unit it went to opens it as ever
    notifications.deliver_due()
    assert signed_in(world.handler_b).get(f"/cases/{case.pk}/").status_code == 200


def lines(user, *, language: str = "", search: str = "") -> list[str]:
    client = signed_in(user)
    if language:
        client.cookies["django_language"] = language
    return LINE_CELL.findall(client.get("/notifications/", {"q": search} if search else {}).text)


def test_the_unit_a_case_is_reassigned_away_from_is_told_it_left_and_not_where_it_went(world: TownWorld) -> None:
    case = dispatched(world)
    apply_action(
        case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_b, note="转村镇建设办"
    )
    notifications.deliver_due()
    assert lines(world.handler_a) == [f"{case.number}：已改派其他单位", f"{case.number}：派遣"]
    assert lines(world.handler_a, language="en")[0] == f"{case.number}: reassigned to another unit"
    assert lines(world.handler_b) == [f"{case.number}：改派 — 转村镇建设办"]  # the unit it went to: the step
    row = Notification.objects.get(user=world.handler_a, action__action=Action.REDISPATCH)
    assert (row.kind, row.params, row.message) == (
        "action",
        {"number": case.number, "action": "redispatch", "note": "", "away": "1"},
        f"{case.number}：已改派其他单位",
    )
    for said in ("转村镇建设办", world.dept_b.name):  # the note or the unit would say where it went
        assert said not in signed_in(world.handler_a).get("/notifications/").text
    # the search finds it by the words its reader reads
    gone = f"{case.number}：已改派其他单位"
    for search in ("其他单位", "改派", "转派", "已改派其他单位", f"{case.number[-6:]}：已改派"):
        assert lines(world.handler_a, search=search) == [gone], search
    assert lines(world.handler_a, search="转村镇建设办") == []
    for search in ("another unit", "reassigned", "REASSIGN"):
        assert lines(world.handler_a, language="en", search=search) == [f"{case.number}: reassigned to another unit"], (
            search
        )
    assert lines(world.handler_b, search="其他单位") == []


def test_someone_in_both_units_hears_only_of_the_reassignment_to_them(world: TownWorld) -> None:
    case = dispatched(world)
    grant_role(user=world.handler_a, role=Role.HANDLER, department=world.dept_b)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_b)
    notifications.deliver_due()
    assert lines(world.handler_a) == [f"{case.number}：改派", f"{case.number}：派遣"]


def test_someone_of_the_unit_left_who_still_sees_the_case_hears_of_the_step(world: TownWorld) -> None:
    # dispatched to village A's committee: its village staff see the case by their village too, a handler of the
    # committee only while the case is with it
    case = world.bring_to(Status.DISPATCHED, department=world.committee_a)
    clerk = world.handler_b
    grant_role(user=clerk, role=Role.HANDLER, department=world.committee_a)
    Membership.objects.filter(user=clerk, department=world.dept_b).update(active=False)
    notifications.deliver_due()
    apply_action(
        case_id=case.pk, actor=world.operator, action=Action.REDISPATCH, department=world.dept_a, note="转执法中队"
    )
    notifications.deliver_due()
    assert lines(world.village_staff_a)[0] == f"{case.number}：改派 — 转执法中队"
    assert event_cells(signed_in(world.village_staff_a))[0] == f'<a href="/cases/{case.pk}/">{case.number}</a>'
    assert signed_in(world.village_staff_a).get(f"/cases/{case.pk}/").status_code == 200
    assert lines(clerk)[0] == f"{case.number}：已改派其他单位"
    assert event_cells(signed_in(clerk))[0] == f'{case.number}<br><small class="muted case-gone">{REASSIGNED}</small>'


def test_a_case_dispatched_back_to_the_unit_opens_again(world: TownWorld) -> None:
    case = returned(world)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a)
    client = signed_in(world.handler_a)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert [cell.startswith("<a href=") for cell in event_cells(client)] == [True]


def test_a_reader_whose_membership_ended_is_told_it_is_out_of_their_scope(world: TownWorld) -> None:
    case = dispatched(world)
    Membership.objects.filter(user=world.handler_a, role=Role.HANDLER).update(active=False)
    client = signed_in(world.handler_a)
    assert client.get(f"/cases/{case.pk}/").context["reason"] == OUT_OF_SCOPE
    assert event_cells(client) == [f'{case.number}<br><small class="muted case-gone">{OUT_OF_SCOPE}</small>']


def test_someone_never_told_of_the_case_gets_a_plain_not_found(world: TownWorld) -> None:
    case = returned(world)
    response = signed_in(world.handler_b).get(f"/cases/{case.pk}/")
    assert response.status_code == 404
    assert "case_gone" not in [t.name for t in response.templates]
    assert case.number not in response.text


def test_the_reason_is_in_the_readers_language(world: TownWorld) -> None:
    case = returned(world)
    client = signed_in(world.handler_a)
    client.cookies["django_language"] = "en"
    expected = "This case has been returned to the command room and is no longer handled by your unit"
    assert client.get(f"/cases/{case.pk}/").context["reason"] == expected
    assert event_cells(client) == [f'{case.number}<br><small class="muted case-gone">{expected}</small>']


def test_the_api_list_says_which_cases_no_longer_open_and_the_case_says_why(world: TownWorld) -> None:
    kept = dispatched(world)
    gone = returned(world)
    api = ApiClient(world.handler_a)
    listed = {row["case_number"]: row for row in api.get("/api/notifications").json()}
    assert {number: (row["case_available"], row["case_unavailable_reason"]) for number, row in listed.items()} == {
        kept.number: (True, None),
        gone.number: (False, RETURNED),
    }
    answer = api.get(f"/api/cases/{gone.pk}")
    assert (answer.status_code, answer.json()["code"], answer.json()["message"]) == (
        404,
        "not_found",
        f"{gone.number}：{RETURNED}",
    )
    stranger = ApiClient(world.handler_b).get(f"/api/cases/{gone.pk}")
    assert (stranger.status_code, stranger.json()["message"]) == (404, "事件不存在或您无权查看")


def test_the_e_mails_link_lands_on_the_page_that_says_why(world: TownWorld, settings) -> None:
    settings.GRIDGOV_NOTIFY_CHANNELS = ["email"]
    world.handler_a.email = "handler_a@example.org"
    world.handler_a.save(update_fields=["email"])
    case = world.report(now=MONDAY_0900)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a)
    notifications.deliver_due()
    [link] = Delivery.objects.filter(user=world.handler_a, channel="email").values_list("link", flat=True)
    apply_action(case_id=case.pk, actor=world.handler_a, action=Action.RETURN, note="不属于本单位职责")
    response = signed_in(world.handler_a).get(urlsplit(link).path)
    assert (response.status_code, response.context["reason"]) == (404, RETURNED)


def test_the_page_costs_the_same_queries_however_many_cases_have_left(
    world: TownWorld, django_assert_max_num_queries
) -> None:
    returned(world)
    client = signed_in(world.handler_a)
    with django_assert_max_num_queries(20) as baseline:
        client.get("/notifications/")
    for _ in range(3):
        returned(world)
        dispatched(world)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert len(event_cells(client)) == 7
