"""Every page of one year reads ``?year=`` by one rule (``params.year_shown``): a year from ``FIRST_YEAR`` (the first
year a ledger takes) to 2100, this year (the clock's) for anything else — never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gridgov.data.worktime.days import FIRST_YEAR
from tests.factories import WORLD_TODAY, TownWorld, signed_in

PAGES = [
    "ledgers:collective",
    "ledgers:collective_village",
    "ledgers:collective_supports",
    "ledgers:enterprise_rectifications",
    "ledgers:investment_arrivals",
    "ledgers:enterprise_figures",
    "ledgers:civic_figures",
    "ledgers:rounds",
    "ledgers:farmhouses",
    "ledgers:assistance_figures",
    "dashboard:year",
    "dashboard:economy",
    "dashboard:development",
]
ASKED = [str(FIRST_YEAR - 1), str(FIRST_YEAR), "2100", "2101", "abc", "-1", "２０２２"]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_of_one_year_shows_the_year_asked_within_the_ledgers_years_else_this_year(
    world: TownWorld, page: str
) -> None:
    client = signed_in(world.admin)
    path = reverse(page, args=[world.village_a.pk] if page == "ledgers:collective_village" else [])
    shown = {}
    for value in ASKED:
        response = client.get(path, {"year": value})
        assert response.status_code == 200, (page, value)
        shown[value] = response.context["review"].year if page == "dashboard:year" else response.context["year"]
    this = WORLD_TODAY.year
    assert shown == {
        str(FIRST_YEAR - 1): this,
        str(FIRST_YEAR): FIRST_YEAR,
        "2100": 2100,
        "2101": this,
        "abc": this,
        "-1": this,
        "２０２２": this,
    }
