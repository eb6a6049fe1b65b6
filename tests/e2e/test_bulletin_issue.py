"""Issuing a bulletin in a real browser: 印发通报 swaps the confirmation into the preview (htmx), which says what is
issued and to whom; nothing is issued until 确认印发."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gridgov.data.reports.models import Bulletin
from tests.e2e.conftest import SignIn
from tests.factories import WORLD_NOW, TownWorld

pytestmark = pytest.mark.e2e


def test_issuing_asks_first_then_issues(e2e_world: TownWorld, sign_in: SignIn, live_server) -> None:
    leader = sign_in(e2e_world.leader)
    leader.goto(f"{live_server.url}/dashboard/bulletins/")
    leader.wait_for_load_state("load")
    with leader.expect_navigation():
        leader.get_by_role("button", name="生成通报草稿").click()
    preview = leader.url
    leader.wait_for_load_state("load")  # htmx must be listening, or the click posts the plain form
    leader.get_by_role("button", name="印发通报").click()
    confirm = leader.locator("#bulletin-issue-confirm")
    expect(confirm).to_be_visible()
    expect(leader.locator("#bulletin-issue")).to_contain_text(f"{WORLD_NOW.year}年第1期")
    expect(leader.locator("#bulletin-issue")).to_contain_text("各村（社区）、镇各有关部门")
    assert leader.url == preview  # swapped into the preview, not a page of its own
    assert list(Bulletin.objects.values_list("status", flat=True)) == ["draft"]
    with leader.expect_navigation():
        confirm.click()
    expect(leader.locator("body")).to_contain_text(f"已印发：{WORLD_NOW.year}年第1期")
    assert list(Bulletin.objects.values_list("status", "number")) == [("issued", 1)]
