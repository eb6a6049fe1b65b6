"""Year in review: the numbers of the villages' collective economy link to the village table of that year, whose
columns show what each counted."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse
from django.utils import timezone

from gridgov.data.collective.domain import IncomeInput, SupportInput, record_income, record_support
from gridgov.data.collective.enums import IncomeKind, SupportKind
from gridgov.data.org.models import Area, User
from tests.factories import WORLD_TODAY, TownWorld, signed_in

YEAR = WORLD_TODAY.year - 1  # a finished year: every month has come
KEYS = (
    "villages_with_income",
    "collective_income",
    "collective_operating",
    "collective_operating_growth",
    "villages_operating_over",
)


def enter(world: TownWorld, village: Area, year: int, kind: IncomeKind, amount: str) -> None:
    data = IncomeInput(village=village, year=year, month=6, kind=kind, amount=amount)
    record_income(actor=world.operator, data=data, now=timezone.now())


def _links(user: User) -> dict[str, tuple[str, str]]:
    page = signed_in(user).get(reverse("dashboard:year"), {"year": YEAR}).text
    found = re.findall(r'<a href="([^"]+)" data-key="([a-z_]+)"[^>]*>([^<]+)</a>', page)
    return {key: (href.replace("&amp;", "&"), text) for href, key, text in found}


def test_the_collective_numbers_link_to_the_village_table_of_the_year(world: TownWorld):
    enter(world, world.village_a, YEAR, IncomeKind.OPERATING, "60万")
    enter(world, world.village_a, YEAR - 1, IncomeKind.OPERATING, "50万")
    enter(world, world.village_b, YEAR, IncomeKind.SUBSIDY, "5万")
    links = _links(world.leader)
    table = f"{reverse('ledgers:collective')}?year={YEAR}"
    assert {key: links[key][0] for key in KEYS} == dict.fromkeys(KEYS, table)
    assert (links["collective_income"][1], links["collective_operating"][1]) == ("65万元", "60万元")
    page = signed_in(world.leader).get(table)
    assert page.status_code == 200
    assert page.text.count('data-over="1"') == 1  # the one village over the threshold the review counts
    supports = f"{reverse('ledgers:collective_supports')}?year={YEAR}"
    assert ("village_supports" in links, links["village_support_amount"]) == (False, (supports, "0元"))


def test_the_pairings_and_workshops_link_to_exactly_their_records(world: TownWorld):
    for village, kind in ((world.village_a, SupportKind.PAIRING), (world.village_b, SupportKind.PAIRING)):
        data = SupportInput(village=village, kind=kind, on=date(YEAR, 5, 1), amount="3万", partner="岱西农商行")
        record_support(actor=world.operator, data=data, now=timezone.now())
    data = SupportInput(
        village=world.village_a, kind=SupportKind.WORKSHOP, on=date(YEAR, 7, 1), amount="1万", partner="网具工坊"
    )
    record_support(actor=world.operator, data=data, now=timezone.now())
    links = _links(world.leader)
    supports = reverse("ledgers:collective_supports")
    assert (links["villages_paired"], links["village_workshops"]) == (
        (f"{supports}?year={YEAR}&kind=pairing", "2个村"),
        (f"{supports}?year={YEAR}&kind=workshop", "1个共富工坊"),
    )
    client = signed_in(world.leader)
    listed = {
        key: len(re.findall(r"<tr data-support=", client.get(links[key][0]).text))
        for key in ("villages_paired", "village_workshops")
    }
    assert listed == {"villages_paired": 2, "village_workshops": 1}
