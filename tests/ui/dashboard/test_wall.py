"""The 驾驶舱 wall mode: one full-screen page for the command room, its figures and lists refreshed by htmx
polling of partials, and the same figures as the dashboard; a 1920×1080 screenshot in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from gridgov.data.org.models import Area
from tests.factories import MONDAY_0900, TownWorld, signed_in
from tests.ui.dashboard.test_board_browser import _box, browser_page
from tests.ui.frontend import needs_frontend_build

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
QUERY = "?period=year&date=2026-11-23"


def _figure(html: str, key: str) -> str:
    match = re.search(rf'data-measure="{key}">.*?<span class="value">([^<]*)</span>', html, re.S)
    assert match is not None
    return match.group(1)


def test_wall_shows_the_dashboards_figures_and_polls_its_partials(world: TownWorld) -> None:
    world.bring_to(Status.CLOSED)
    world.bring_to(Status.HANDLING)
    world.report()
    client = signed_in(world.leader)
    wall = client.get(f"/dashboard/wall/{QUERY}").text
    board = client.get(f"/dashboard/{QUERY}").text
    board_reported = re.search(
        r'data-measure="reported">\s*<div>[^<]*</div>\s*<div class="value"><a[^>]*>(\d+)</a>', board
    )
    assert board_reported is not None
    assert _figure(wall, "reported") == board_reported.group(1) == "3"
    assert 'id="wall-figures" hx-get="/dashboard/wall/figures/?' in wall
    assert 'id="wall-lists" hx-get="/dashboard/wall/lists/?' in wall
    assert 'hx-trigger="every 60s" hx-swap="outerHTML"' in wall
    assert "<style" not in wall
    assert " style=" not in wall
    assert "onclick" not in wall


def test_the_partials_answer_only_their_section(world: TownWorld) -> None:
    world.report()
    client = signed_in(world.leader)
    figures = client.get(f"/dashboard/wall/figures/{QUERY}", headers={"HX-Request": "true"}).text
    assert figures.strip().startswith('<section class="wall-figures" id="wall-figures"')
    assert _figure(figures, "reported") == "1"
    lists = client.get(f"/dashboard/wall/lists/{QUERY}", headers={"HX-Request": "true"}).text
    assert lists.strip().startswith('<section class="panel lists" id="wall-lists"')
    number = Case.objects.get().number
    assert f'<ol class="wall-rows" id="wall-latest"><li><span class="num">{number}</span>' in lists


def test_wall_refuses_those_who_see_no_figures(world: TownWorld) -> None:
    for url in ("/dashboard/wall/", "/dashboard/wall/figures/", "/dashboard/wall/lists/"):
        assert signed_in(world.grid_worker_a).get(url).status_code == 403


@needs_frontend_build
@pytest.mark.django_db(transaction=True)
def test_wall_at_1920_by_1080_screenshot(live_server, world: TownWorld) -> None:
    Area.objects.filter(pk=world.village_a.pk).update(boundary=_box(122.10, 30.26, 0.02))
    Area.objects.filter(pk=world.grid_a.pk).update(boundary=_box(122.10, 30.26, 0.01))
    first = world.bring_to(Status.CLOSED, now=MONDAY_0900)
    second = world.bring_to(Status.HANDLING, now=MONDAY_0900)
    Case.objects.filter(pk=first.pk).update(latitude="30.2650", longitude="122.1050")
    Case.objects.filter(pk=second.pk).update(latitude="30.2651", longitude="122.1051")
    errors: list[str] = []
    with browser_page(live_server, world.leader) as page:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.goto(f"{live_server.url}/dashboard/wall/{QUERY}")
        page.wait_for_selector("#wall-trend canvas", timeout=10_000)
        page.wait_for_selector("#wall-categories canvas", timeout=10_000)
        page.wait_for_selector("#wall-map .map-cluster", timeout=10_000)
        assert page.locator("#wall-map .area-label.village").all_inner_texts() == [world.village_a.name]
        # the clock: the town's time, written the Chinese way (not 2026-11-25 01:00 in the computer's zone)
        assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", page.locator("#clock").inner_text())
        # one screen: nothing scrolls
        assert page.evaluate("document.documentElement.scrollHeight") <= 1080
        assert page.evaluate("typeof window.htmx") == "object"
        out = SCREENSHOTS
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / "wall-1920x1080.png"))
    assert errors == []
