"""The civic pages that show one year read ``?year=`` as every page of one year does (``params.year_shown``): a
year from ``FIRST_YEAR`` to 2100, this year (the clock's) for anything else — never a 500."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.factories import WORLD_TODAY, TownWorld, signed_in

NOT_YEARS = ["²", "١٩٩٩", "-1", "", "２０２２", "99999"]


def test_the_rounds_page_shows_this_year_for_what_is_not_a_year(world: TownWorld) -> None:
    client = signed_in(world.operator)
    shown = {
        value: re.findall(
            r'<strong aria-current="page">(\d+)</strong>', client.get(reverse("ledgers:rounds"), {"year": value}).text
        )
        for value in NOT_YEARS
    }
    assert shown == {value: [str(WORLD_TODAY.year)] for value in NOT_YEARS}


def test_the_civic_figures_page_shows_this_year_for_what_is_not_a_year(world: TownWorld) -> None:
    client = signed_in(world.operator)
    years = {
        value: client.get(reverse("ledgers:civic_figures"), {"year": value}).context["year"] for value in NOT_YEARS
    }
    assert years == dict.fromkeys(NOT_YEARS, WORLD_TODAY.year)


def test_the_civic_pages_read_the_same_years_as_the_ledger_lists(world: TownWorld) -> None:
    client = signed_in(world.operator)
    rounds = client.get(reverse("ledgers:rounds"), {"year": "2005"}).text
    figures = client.get(reverse("ledgers:civic_figures"), {"year": "2005"}).context["year"]
    assert (re.findall(r'<strong aria-current="page">(\d+)</strong>', rounds), figures) == (["2005"], 2005)
