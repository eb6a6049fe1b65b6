"""重点工作 in a real browser: the four charts are drawn from the page's figures (a canvas each, no error, under the
Content-Security-Policy, their tooltips too), and a click on a slice opens its ledger list. Headless Chromium
through Playwright."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.factories import TownWorld
from tests.ui.dashboard.test_board_browser import browser_page
from tests.ui.dashboard.test_development import _records
from tests.ui.frontend import needs_frontend_build

CHARTS = ("chart-schedules", "chart-investment", "chart-arrivals", "chart-collective")


@needs_frontend_build
@pytest.mark.django_db(transaction=True)
def test_the_development_page_draws_its_charts_and_they_link_to_the_lists(live_server, world: TownWorld) -> None:
    _records(world, 2)  # two projects, both behind schedule: the schedules' ring is all 滞后
    year = timezone.localdate().year
    errors: list[str] = []
    with browser_page(live_server, world.operator) as page:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/dashboard/development/")
        for chart in CHARTS:
            page.wait_for_selector(f"#{chart} canvas", timeout=10_000)
        # the CSS bars that the charts repeat are left to screen readers
        bars = page.locator("#development-investment .bars").bounding_box()
        assert bars is not None
        assert bars["width"] <= 1
        # a tooltip with the amounts as written, shown under the Content-Security-Policy (browser_page checks it)
        page.locator("#chart-arrivals").hover()
        page.wait_for_selector("#chart-arrivals div:has-text('累计到位资金')", timeout=10_000)
        ring = page.locator("#chart-schedules")
        box = ring.bounding_box()
        assert box is not None
        # halfway through the ring (radius 35%–65% of half the smaller side), right of the centre
        middle = {"x": box["width"] / 2 + min(box["width"], box["height"]) / 4, "y": box["height"] / 2}
        for attempt in range(3):  # a click while a busy machine still draws the ring may meet no slice yet
            ring.click(position=middle)
            try:
                page.wait_for_url(f"**/ledgers/projects/?year={year}&schedule=behind", timeout=5_000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
        assert errors == []
