"""The dashboard in a real browser: charts are drawn, the map shows grid boundaries and case clusters with
no tile server, and zooming in splits a cluster. Headless Chromium through Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.test import Client
from playwright.sync_api import Page, sync_playwright

from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area, User
from tests.factories import MONDAY_0900, TownWorld
from tests.ui.frontend import needs_frontend_build, watch_csp

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _box(lng: float, lat: float, size: float) -> dict[str, object]:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@contextmanager
def browser_page(live_server, user: User) -> Iterator[Page]:
    """A signed-in page. Playwright runs an event loop in this thread while it is open, so everything that
    touches the database (sign-in here, data set-up in the test) happens before it starts."""
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        context = browser.new_context(locale="zh-CN")
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        violations: list[str] = []
        try:
            page = context.new_page()
            watch_csp(page, violations)
            yield page
        finally:
            browser.close()
        assert violations == [], violations  # the board works under the Content-Security-Policy


@needs_frontend_build
@pytest.mark.django_db(transaction=True)
def test_board_draws_charts_boundaries_and_clusters(live_server, world: TownWorld) -> None:
    Area.objects.filter(pk=world.village_a.pk).update(boundary=_box(122.10, 30.26, 0.02))
    Area.objects.filter(pk=world.grid_a.pk).update(boundary=_box(122.10, 30.26, 0.01))
    first = world.bring_to(Status.CLOSED, now=MONDAY_0900)
    second = world.bring_to(Status.HANDLING, now=MONDAY_0900)
    Case.objects.filter(pk=first.pk).update(latitude="30.2650", longitude="122.1050")
    Case.objects.filter(pk=second.pk).update(latitude="30.2651", longitude="122.1051")
    errors: list[str] = []
    with browser_page(live_server, world.leader) as page:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/dashboard/?period=year&date=2026-11-23")
        for chart in ("chart-trend", "chart-areas", "chart-categories", "chart-funnel", "chart-channels"):
            page.wait_for_selector(f"#{chart} canvas", timeout=10_000)
        # Leaflet comes only when the map is about to be seen (it is below the fold at 1280×720)
        assert page.evaluate("typeof window.L") == "undefined"
        page.locator("#map").scroll_into_view_if_needed()
        page.wait_for_selector("#map path.leaflet-interactive", timeout=10_000)  # the grid and village outlines
        assert page.locator("#map .leaflet-tile").count() == 0  # no tile server configured
        page.wait_for_function("() => document.querySelectorAll('#map .map-cluster').length === 1", timeout=10_000)
        assert page.locator("#map .map-cluster").first.inner_text() == "2"  # the count inside its circle
        assert page.locator("#map .area-label.village").all_inner_texts() == [world.village_a.name]
        page.locator("#map").click(position={"x": 5, "y": 5})  # focus; then zoom in a lot
        for _ in range(6):
            page.keyboard.press("+")
            page.wait_for_timeout(250)
        page.wait_for_function(
            "() => document.querySelectorAll('#map .map-cluster:not(.single)').length === 0", timeout=10_000
        )
        assert page.locator("#map .area-label.grid").all_inner_texts() == [world.grid_a.name]  # zoomed in
        assert errors == []
