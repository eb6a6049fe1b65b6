"""The bulletins page on a phone (390×844): each issued bulletin and each draft reads as a card whose title runs
across the screen — not a table squeezed until the title stands one character per line."""

from __future__ import annotations

import pytest

from gridgov.data.metrics.indicators import Period, Scope
from gridgov.data.reports.domain.bulletins import generate_bulletin, issue_bulletin
from tests.e2e.conftest import SignIn
from tests.factories import WORLD_NOW, TownWorld

pytestmark = pytest.mark.e2e


def test_issued_and_draft_bulletins_read_across_a_phone(e2e_world: TownWorld, sign_in: SignIn, live_server) -> None:
    world = e2e_world
    month = Period.month(WORLD_NOW.year, WORLD_NOW.month)
    issued = generate_bulletin(user=world.leader, scope=Scope(town=world.town), scope_key="", period=month)
    issue_bulletin(bulletin_id=issued.pk, town=world.town, user=world.leader)
    generate_bulletin(user=world.leader, scope=Scope(town=world.town), scope_key="", period=month)
    leader = sign_in(world.leader, width=390, height=844)
    leader.goto(f"{live_server.url}/dashboard/bulletins/")
    leader.wait_for_load_state("load")
    titles = leader.locator("#archive td:nth-child(3), #drafts td:nth-child(1)").all()
    title_widths = [box is not None and box["width"] > 300 for box in (cell.bounding_box() for cell in titles)]
    assert title_widths == [True, True]
    sideways = leader.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert sideways == 0
