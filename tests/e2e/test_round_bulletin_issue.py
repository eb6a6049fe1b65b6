"""Issuing an inspection round's bulletin in a real browser: 生成并发布通报 swaps the confirmation in place of the
button (htmx), which names the number it takes and what it freezes; nothing is issued until 确认印发."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gridgov.data.inspections.domain import ItemSpec, create_round
from gridgov.data.inspections.models import InspectionBulletin
from tests.e2e.conftest import SignIn
from tests.factories import WORLD_TODAY, TownWorld

pytestmark = pytest.mark.e2e


def test_issuing_a_rounds_bulletin_asks_first_then_issues(e2e_world: TownWorld, sign_in: SignIn, live_server) -> None:
    world = e2e_world
    round_ = create_round(
        town=world.town,
        actor=world.operator,
        name="本周创城督查",
        start_date=WORLD_TODAY - timedelta(days=1),
        end_date=WORLD_TODAY + timedelta(days=3),
        organizer=world.operator,
        inspectors=[world.grid_worker_a],
        items=[ItemSpec("A01", "暴露垃圾", Decimal(2))],
    )
    leader = sign_in(world.leader)
    page = f"{live_server.url}/ledgers/inspections/{round_.pk}/"
    leader.goto(page)
    leader.wait_for_load_state("load")  # htmx must be listening, or the click posts the plain form
    leader.get_by_role("button", name="生成并发布通报").click()
    confirm = leader.locator("#issue-bulletin-confirm")
    expect(confirm).to_be_visible()
    expect(leader.locator("#issue-bulletin")).to_contain_text(f"创城督查通报{WORLD_TODAY.year}年第1期")
    expect(leader.locator("#issue-bulletin")).to_contain_text("各村（社区）、各有关单位")
    assert leader.url == page  # swapped into the round's page, not a page of its own
    assert InspectionBulletin.objects.count() == 0
    with leader.expect_navigation():
        confirm.click()
    expect(leader.locator("body")).to_contain_text(f"创城督查通报{WORLD_TODAY.year}年第1期.docx")
    assert list(InspectionBulletin.objects.values_list("title", flat=True)) == [
        f"创城督查通报{WORLD_TODAY.year}年第1期"
    ]
