"""One default period: the dashboard, the indicators and the rankings open on this year to date (from the
clock), and each links to the others with the period (and scope) chosen."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from gridgov.data.metrics.indicators import Period
from tests.factories import WORLD_TODAY, TownWorld, signed_in

pytestmark = pytest.mark.django_db
PAGES = ("dashboard:board", "dashboard:indicators", "dashboard:rankings")


def links(page: str) -> dict[str, str]:
    """The page's 同一周期 links: page name → query string."""
    block = re.search(r'<p class="period-links">(.*?)</p>', page, re.S)
    assert block is not None
    return {
        name: html.unescape(query)
        for path, query in re.findall(r'href="([^"?]+)\?([^"]*)"', block.group(1))
        for name in PAGES
        if reverse(name) == path
    }


def test_the_three_pages_open_on_this_year_to_date(world: TownWorld) -> None:
    client = signed_in(world.leader)
    for name in PAGES:
        filters = client.get(reverse(name)).context["filters"]
        assert (filters.period_kind, filters.period) == ("year", Period.year(WORLD_TODAY.year)), name
        assert filters.anchor == WORLD_TODAY


def test_the_chosen_period_and_scope_go_from_one_page_to_the_others(world: TownWorld) -> None:
    client = signed_in(world.leader)
    asked = {"period": "quarter", "date": "2026-08-14", "scope": f"village:{world.village_a.pk}"}
    page = client.get(reverse("dashboard:indicators"), asked)
    found = links(page.text)
    assert set(found) == {"dashboard:board", "dashboard:rankings"}
    assert "as_of" not in found["dashboard:board"]  # the other page counts as of now
    for name, query in found.items():
        filters = client.get(f"{reverse(name)}?{query}").context["filters"]
        assert (filters.period_kind, filters.period) == ("quarter", Period.quarter(2026, 3)), name
        assert filters.scope_value == asked["scope"]
    board = client.get(reverse("dashboard:board"), {"period": "custom", "start": "2026-03-01", "end": "2026-05-31"})
    for name, query in links(board.text).items():
        filters = client.get(f"{reverse(name)}?{query}").context["filters"]
        assert filters.period == Period.custom(
            WORLD_TODAY.replace(month=3, day=1), WORLD_TODAY.replace(month=5, day=31)
        )
    rankings = client.get(reverse("dashboard:rankings"), {"period": "month", "date": "2026-02-03"})
    assert set(links(rankings.text)) == {"dashboard:board", "dashboard:indicators"}
    for query in links(rankings.text).values():
        assert "period=month" in query
        assert "date=2026-02-03" in query


def test_village_staff_get_no_link_to_the_town_rankings(world: TownWorld) -> None:
    page = signed_in(world.village_staff_a).get(reverse("dashboard:indicators"))
    assert set(links(page.text)) == {"dashboard:board"}
