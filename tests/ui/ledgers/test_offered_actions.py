"""The buttons a page offers are the permission module's answer: every ledger detail page and the case page,
for every role, at each step of a record's life. A ledger button is a transition of the case page's table
(``LEDGER_STEPS``), so the two pages never disagree about what a user may do now."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from gridgov.data.access.permissions import (
    CIVIC_KEEPERS,
    LEDGER_STEPS,
    Ledger,
    available_actions,
    ledger_actions,
    record_actions,
    visible_cases,
)
from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action
from gridgov.data.disputes.enums import DisputeType
from gridgov.data.disputes.models import Dispute
from gridgov.data.enterprises.domain.services import raise_request
from gridgov.data.enterprises.models import Hazard, ServiceRequest
from gridgov.data.org.enums import Role
from gridgov.data.org.models import User
from gridgov.data.problemlists.domain import ensure_seven_lists
from gridgov.data.problemlists.models import ProblemItem
from gridgov.data.rentals.models import Rectification
from tests.data.disputes.test_disputes import register
from tests.data.enterprises.conftest import EnterpriseWorld, build_enterprise_world
from tests.data.problemlists.test_items import item
from tests.data.rentals.builders import fire_safety_by, make_house, record
from tests.factories import MONDAY_0900, TownWorld, photo, signed_in

Record = Hazard | ServiceRequest | ProblemItem | Dispute | Rectification
STEP = re.compile(r'data-step="([a-z_]+)"')
CASE_ACTION = re.compile(r'data-action="([a-z_]+)"')
PAGES: dict[type[Record], str] = {
    Hazard: "ledgers:hazard_detail",
    ServiceRequest: "ledgers:service_detail",
    ProblemItem: "ledgers:problem_item",
    Dispute: "ledgers:dispute",
    Rectification: "ledgers:rectification",
}


@pytest.fixture
def ew(world: TownWorld) -> EnterpriseWorld:
    return build_enterprise_world(world)


def people(ew: EnterpriseWorld) -> dict[str, User]:
    """One persona per role, both departments' handlers, and the record's company."""
    w = ew.w
    found = {str(role): w.persona(role) for role in Role}
    found.update({"handler_b": w.handler_b, "grid_worker_b": w.grid_worker_b, "shipyard": ew.shipyard_user})
    return found


def page_of(record: Record) -> str:
    key = record.case_id if isinstance(record, (Hazard, ServiceRequest)) else record.pk
    return reverse(PAGES[type(record)], args=[key])


def offered(ew: EnterpriseWorld, record: Record) -> dict[str, frozenset[str]]:
    """For each person: the buttons both pages offer, checked against the permission module; returns the
    ledger page's buttons per person who may see the record."""
    record = type(record).objects.select_related("case").get(pk=record.pk)
    seen: dict[str, frozenset[str]] = {}
    for name, user in people(ew).items():
        client = signed_in(user)
        ledger_page = client.get(page_of(record))
        case_page = client.get(reverse("web:case_detail", args=[record.case_id]))
        visible = visible_cases(user).filter(pk=record.case_id).exists()  # a ledger row is seen through its case
        assert (ledger_page.status_code, case_page.status_code) == ((200, 200) if visible else (404, 404)), name
        if not visible:
            continue
        transitions = available_actions(user=user, case=record.case)
        case_buttons = set(CASE_ACTION.findall(case_page.text))
        assert case_buttons == {str(t.action) for t in transitions}, name
        steps = frozenset(STEP.findall(ledger_page.text))
        assert steps == record_actions(user=user, record=record), name
        for step in steps & set(LEDGER_STEPS[type(record)]):  # each ledger button is a button of the case page
            assert str(LEDGER_STEPS[type(record)][step]) in case_buttons, (name, step)
        seen[name] = steps
    return seen


Step = tuple[User, Action, dict[str, object]]


def walk(ew: EnterpriseWorld, record: Record, steps: list[Step]) -> list[dict[str, frozenset[str]]]:
    """The buttons per person before the first step and after each (a minute apart, through the engine)."""
    found = [offered(ew, record)]
    for minute, (actor, action, data) in enumerate(steps, start=1):
        at = MONDAY_0900 + timedelta(minutes=minute)
        apply_action(case_id=record.case_id, actor=actor, action=action, now=at, **data)
        found.append(offered(ew, record))
    return found


def to_resolved(w: TownWorld, handler: User) -> list[Step]:
    """Register, dispatch to the handler's department, sign and resolve."""
    return [
        (w.operator, Action.REGISTER, {}),
        (w.operator, Action.DISPATCH, {"department": w.dept_b if handler == w.handler_b else w.dept_a}),
        (handler, Action.SIGN, {}),
        (handler, Action.RESOLVE, {"note": "已整改", "photos": photo()}),
    ]


def with_buttons(seen: dict[str, frozenset[str]]) -> dict[str, list[str]]:
    return {name: sorted(steps) for name, steps in seen.items() if steps}


def test_hazard_pages(ew: EnterpriseWorld) -> None:
    w = ew.w
    hazard = ew.hazard()
    life = walk(ew, hazard, to_resolved(w, w.handler_b))
    assert with_buttons(life[3]) == {"handler_b": ["rectify"]}
    assert with_buttons(life[4]) == {"admin": ["accept"], "operator": ["accept"]}


def test_service_request_pages_rate_as_the_table_says(ew: EnterpriseWorld) -> None:
    """The drift fixed: the table gives RATE to the command room (operator, admin) and the enterprise."""
    w = ew.w
    request = raise_request(
        actor=ew.shipyard_user, enterprise=ew.shipyard, request_type="financing", description="贷款"
    )
    life = walk(ew, request, [*to_resolved(w, w.handler_b), (w.operator, Action.VERIFY_PASS, {})])
    assert with_buttons(life[3]) == {"handler_b": ["solve"]}
    rating = ["rate"]
    assert with_buttons(life[5]) == {"admin": rating, "operator": rating, "enterprise": rating, "shipyard": rating}


def test_problem_item_pages(ew: EnterpriseWorld) -> None:
    w = ew.w
    problem = item(w, ensure_seven_lists(town=w.town, actor=w.operator)[0], n=1, department=w.dept_a)
    life = walk(ew, problem, to_resolved(w, w.handler_a)[2:])
    assert with_buttons(life[1]) == {"handler": ["progress"]}
    assert with_buttons(life[2]) == {"admin": ["write_off"], "operator": ["write_off"]}


def test_petition_pages(ew: EnterpriseWorld) -> None:
    w = ew.w
    dispute = register(w, DisputeType.PETITION)
    life = walk(
        ew,
        dispute,
        [
            *to_resolved(w, w.handler_a)[2:3],
            (w.handler_a, Action.REQUEST_EXTENSION, {"note": "需补充调查", "extension": 30}),
            (w.leader, Action.APPROVE_EXTENSION, {}),
        ],
    )
    command = ["mediate", "reveal"]
    assert with_buttons(life[1]) == {
        "admin": command,
        "leader": command,
        "operator": command,
        "handler": ["ask_extension", "mediate"],
    }
    deciding = ["approve_extension", "deny_extension", "mediate", "reveal"]
    assert with_buttons(life[2]) == {
        "admin": deciding,
        "leader": deciding,
        "operator": deciding,
        "handler": ["mediate"],
    }
    # extended once: no second request
    assert with_buttons(life[3])["handler"] == ["mediate"]


def test_group_rental_rectification_pages(ew: EnterpriseWorld) -> None:
    """签收 and 整改 by the fire-safety department it was dispatched to, 验收 by those who verify in its grid."""
    w = ew.w
    fire_safety_by(w)
    rectification = record(w, make_house(w))
    life = walk(
        ew,
        rectification,
        [
            (w.handler_b, Action.SIGN, {}),
            (w.handler_b, Action.RESOLVE, {"note": "已整改", "photos": photo()}),
            (w.operator, Action.VERIFY_PASS, {}),
        ],
    )
    assert with_buttons(life[0]) == {"handler_b": ["sign"]}
    assert with_buttons(life[1]) == {"handler_b": ["rectify"]}
    assert with_buttons(life[2]) == {"admin": ["accept"], "grid_worker": ["accept"], "operator": ["accept"]}
    assert with_buttons(life[3]) == {}


def test_list_pages_offer_what_ledger_actions_says(ew: EnterpriseWorld) -> None:
    """The list pages' 登记/导入 links and forms, for every role, are ``ledger_actions``'s answer."""
    w = ew.w
    pages = {
        Ledger.ENTERPRISES: reverse("ledgers:enterprises"),
        Ledger.MEETINGS: reverse("ledgers:meetings"),
        Ledger.HAZARDS: reverse("ledgers:hazards"),
        Ledger.SERVICES: reverse("ledgers:services"),
        Ledger.INSPECTIONS: reverse("ledgers:rounds"),
        Ledger.PROBLEM_LISTS: reverse("ledgers:problem_lists"),
        Ledger.DISPUTES: reverse("ledgers:disputes"),
        Ledger.RENTALS: reverse("ledgers:rectifications"),
    }
    seen: dict[str, dict[str, list[str]]] = {}
    for name, user in people(ew).items():
        client = signed_in(user)
        for ledger, url in pages.items():
            page = client.get(url)
            if page.status_code != 200:  # the civic ledgers are for the town's staff only
                assert (page.status_code, ledger in CIVIC_KEEPERS) == (403, True), (name, ledger)
                continue
            offered = set(STEP.findall(page.text))
            assert offered == set(ledger_actions(user=user, ledger=ledger, town=w.town)), (name, ledger)
            if offered:
                seen.setdefault(name, {})[ledger] = sorted(offered)
    keeps_enterprises = {Ledger.ENTERPRISES: ["add"], Ledger.MEETINGS: ["add"]}
    imports = {Ledger.HAZARDS: ["import"], Ledger.SERVICES: ["import"]}
    assert seen["operator"] == {
        **keeps_enterprises,
        **imports,
        Ledger.INSPECTIONS: ["add", "import"],
        Ledger.PROBLEM_LISTS: ["add", "import"],
        Ledger.DISPUTES: ["add", "import"],
        Ledger.RENTALS: ["add", "import"],
    }
    # a leader opens inspection rounds but is not offered the upload the import page refuses them
    assert seen["leader"] == {**keeps_enterprises, **imports, Ledger.INSPECTIONS: ["add"]}
    leader = signed_in(w.persona(Role.LEADER))
    assert leader.get(reverse("imports:upload", args=["inspection-problems"])).status_code == 404
    assert [name for name in ("handler", "resident", "enterprise") if name in seen] == []
