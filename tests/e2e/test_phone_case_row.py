"""The phone's case cards (我的上报): the deadline lamp stands on the status label's line, at a phone's size."""

from __future__ import annotations

import pytest
from playwright.sync_api import FloatRect, Locator

from gridgov.data.cases.enums import Status
from tests.e2e.conftest import SignIn
from tests.factories import TownWorld

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}


def box(card: Locator, selector: str) -> FloatRect:
    found = card.locator(selector).bounding_box()
    assert found is not None, selector
    return found


def test_the_lamp_sits_on_the_status_labels_line_in_my_reports(
    e2e_world: TownWorld, sign_in: SignIn, live_server
) -> None:
    world = e2e_world
    case = world.bring_to(Status.DISPATCHED, reporter=world.grid_worker_a)
    page = sign_in(world.grid_worker_a, **PHONE_390)
    page.goto(f"{live_server.url}/m/mine/")
    card = page.locator("#my-reports li.row", has_text=case.number)
    boxes = {
        name: box(card, selector) for name, selector in (("number", ".num"), ("lamp", ".lamp"), ("status", ".status"))
    }
    middle = {name: b["y"] + b["height"] / 2 for name, b in boxes.items()}
    # on one line: vertical centres within 3 px of the status label's, and left to right number, lamp, status
    assert {name: abs(y - middle["status"]) <= 3 for name, y in middle.items()} == dict.fromkeys(boxes, True), middle
    assert sorted(boxes, key=lambda name: boxes[name]["x"]) == ["number", "lamp", "status"]
