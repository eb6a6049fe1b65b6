"""Year in review, issue 15: each number of the register's, the visits' and social assistance's sentences links to
a list of exactly the records it counted (for a user who sees the whole town), and a user sees there only the
records their scope allows."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gridgov.data.assistance.domain import PaymentInput, apply_card, issue_card, record_attendance, record_payment
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.org.domain import grant_role
from gridgov.data.org.enums import Role
from gridgov.data.org.models import User
from gridgov.data.people.enums import GroupKind, HouseUse
from gridgov.data.people.models import PersonGroup
from gridgov.data.people.revitalisation import revitalise_house
from gridgov.data.reports.domain.year_review import SOURCES
from tests.data.assistance.people import head, household, person
from tests.data.visits.builders import group, house, member, resident, visited
from tests.factories import MONDAY_0900, TownWorld, at, signed_in

YEAR = 2026


@pytest.fixture
def year_records(world: TownWorld) -> TownWorld:
    """A year of records of every kind, with some outside the year or the definitions."""
    for day, income in ((date(2026, 3, 1), "3万"), (date(2026, 7, 1), "1.2万"), (date(2025, 5, 1), "9000")):
        revitalise_house(
            actor=world.operator, house=house(world, use=HouseUse.IDLE), on=day, added_income=income, now=MONDAY_0900
        )
    house(world, use=HouseUse.IDLE)  # idle, not revitalised
    a = household(world, world.village_a, "A-001", "张阿大", serial=1)
    b = household(world, world.village_b, "B-001", "李阿二", serial=2)
    spouse = person(world, b, "李阿嫂", serial=3)
    paid = [
        (a, PaymentKind.MINIMUM_LIVING, "6000", date(2026, 2, 1)),
        (b, PaymentKind.LIVING_ALLOWANCE, "1500", date(2026, 4, 1)),
        (a, PaymentKind.MINIMUM_LIVING, "6000", date(2025, 12, 31)),  # last year
        (a, PaymentKind.CONDOLENCE, "1000", date(2026, 9, 1)),
        (b, PaymentKind.TEMPORARY, "800", date(2026, 9, 1)),  # in no figure
        (a, PaymentKind.PENSION_SUBSIDY, "300", date(2026, 5, 1)),
        (b, PaymentKind.MEDICAL_SUBSIDY, "250", date(2026, 5, 1)),
    ]
    for hh, kind, amount, day in paid:
        data = PaymentInput(household=hh, kind=kind, amount=amount, paid_on=day)
        record_payment(town=world.town, actor=world.operator, data=data)
    card = apply_card(town=world.town, actor=world.operator, resident=head(a), applied_on=date(2026, 1, 5))
    issue_card(card=card, actor=world.operator, issued_on=date(2026, 2, 5))
    apply_card(town=world.town, actor=world.operator, resident=head(b), applied_on=date(2026, 6, 1))  # not issued
    for day in (date(2026, 3, 2), date(2026, 3, 3)):
        record_attendance(town=world.town, actor=world.operator, resident=spouse, day=day, provider="残疾人之家")
    # 纳管: a sensitive key group (only its department and the leaders see it) and an open one.
    corrections = group(world, code="community_correction", every=30, kind=GroupKind.KEY, sensitive=True)
    released = group(world, code="released_prisoner", every=90, kind=GroupKind.KEY)
    member(resident(world, name="赵一"), corrections, since=date(2026, 4, 1))
    member(resident(world, name="钱二"), released, since=date(2026, 1, 1))
    member(resident(world, name="孙三", grid=world.grid_b), released, since=date(2026, 6, 1))
    member(resident(world, name="李四"), released, since=date(2025, 12, 31))  # last year
    # 走访困难对象: two visits to one household, one to another, one to a member of no hardship group.
    poor = group(world, code="poor_family", every=30)
    elderly = group(world, code="elderly_alone", every=30)
    family, other, alone = (
        resident(world, name="周五"),
        resident(world, name="吴六", grid=world.grid_b),
        resident(world),
    )
    member(family, poor, since=date(2025, 1, 1))
    member(other, poor, since=date(2026, 1, 1))
    member(alone, elderly, since=date(2025, 1, 1))
    for who, day in (
        (family, at(2026, 3, 1)),
        (family, at(2026, 8, 1)),
        (other, at(2026, 5, 1)),
        (alone, at(2026, 5, 2)),
    ):
        visited(world, at=day, person=who)
    return world


def _links(client: Client) -> dict[str, tuple[str, str]]:
    """The year page's numbers: key → (link, text)."""
    return _links_in(client.get(reverse("dashboard:year"), {"year": YEAR}).text)


def _links_in(page: str) -> dict[str, tuple[str, str]]:
    found = re.findall(r'<a href="([^"]+)" data-key="([a-z_]+)"[^>]*>([^<]+)</a>', page)
    return {key: (href.replace("&amp;", "&"), text) for href, key, text in found}


def _rows(client: Client, href: str) -> int:
    """How many records the linked page lists (one page is enough here)."""
    page = client.get(href)
    assert page.status_code == 200, href
    text = page.text
    if "/ledgers/farmhouses/" in href:
        return len(re.findall(r"<tr data-house=", text))
    if "/ledgers/assistance/day-care/" in href:
        persons = re.search(r'id="day-care-persons">(\d+) 人', text)
        assert persons is not None
        return int(persons.group(1))
    if "/ledgers/assistance/" in href:
        listed = re.search(r"共 (\d+) [笔人]", text)
        assert listed is not None
        return int(listed.group(1))
    return len(re.findall(r"<tr data-row>", text))


def test_each_number_links_to_exactly_the_records_it_counts(year_records: TownWorld) -> None:
    world = year_records
    client = signed_in(world.leader)
    links = _links(client)
    figures = {
        key: figure
        for source in ("rentals", "assistance", "people", "visits")
        for key, figure in SOURCES[source](
            town=world.town, start=date(YEAR, 1, 1), end=date(YEAR + 1, 1, 1), as_of=at(2026, 11, 23, 12)
        ).items()
    }
    counted = {
        "farmhouses_revitalised": 2,
        "farmhouses_added_income": 2,  # the same two houses
        "managed_persons": 3,
        "hardship_households_visited": 2,
        "assistance_living": 2,
        "assistance_condolence": 1,
        "insurance_subsidies": 2,
        "veteran_cards_issued": 1,
        "day_care_persons": 1,
    }
    listed = {key: _rows(client, links[key][0]) for key in counted}
    assert listed == counted
    for key in ("farmhouses_revitalised", "managed_persons", "hardship_households_visited", "insurance_subsidies"):
        assert figures[key].value == counted[key]
    assert figures["assistance_living"].value == Decimal("7500.00")
    assert {key: links[key][1] for key in counted} == {
        "farmhouses_revitalised": "2户",
        "farmhouses_added_income": "4.2万元",
        "managed_persons": "3人",
        "hardship_households_visited": "2户",
        "assistance_living": "7500元",
        "assistance_condolence": "1000元",
        "insurance_subsidies": "2人次",
        "veteran_cards_issued": "1名",
        "day_care_persons": "1名",
    }
    assert links["rental_rooms_rectified"][0].startswith(
        reverse("dashboard:year_cases", args=["rentals", "rental_rooms_rectified"])
    )


def test_the_lists_show_what_the_user_may_see(year_records: TownWorld) -> None:
    world = year_records
    leader, operator = signed_in(world.leader), signed_in(world.operator)
    managed = _links(leader)["managed_persons"][0]
    leaders_page = leader.get(managed).text
    assert len(re.findall(r"<tr data-row>", leaders_page)) == 3
    assert "赵*" in leaders_page
    assert "community_correction" in leaders_page
    # The command room does not see the sensitive group: 赵一 is not on its list, and no group name betrays him.
    operators_page = operator.get(managed).text
    assert len(re.findall(r"<tr data-row>", operators_page)) == 2
    assert "赵*" not in operators_page
    assert "community_correction" not in operators_page
    hardship = _links(leader)["hardship_households_visited"][0]
    assert signed_in(world.village_staff_a).get(hardship).status_code == 403  # not a town-wide page
    assert leader.get(reverse("dashboard:year_records", args=["people", "nonsense"])).status_code == 404


def test_the_register_lists_are_masked(year_records: TownWorld) -> None:
    page = signed_in(year_records.leader).get(_links(signed_in(year_records.leader))["managed_persons"][0]).text
    assert "钱二" not in page
    assert "孙三" not in page
    assert "钱*" in page
    assert "孙*" in page


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_record_lists_query_counts_do_not_grow_with_rows(
    year_records: TownWorld, django_assert_num_queries
) -> None:
    world = year_records
    client = signed_in(world.leader)
    links = _links(client)
    managed, hardship = links["managed_persons"][0], links["hardship_households_visited"][0]
    before = (_count(client, managed), _count(client, hardship))
    released = group(world, code="key_youth", every=90, kind=GroupKind.KEY)
    poor = PersonGroup.objects.get(town=world.town, code="poor_family")
    for n in range(5):
        member(resident(world, name=f"郑{n}"), released, since=date(2026, 2, n + 1))
        family = resident(world, name=f"王{n}")
        member(family, poor, since=date(2026, 1, 1))
        visited(world, at=at(2026, 7, n + 1), person=family)
    assert _rows(client, managed) == 8
    assert _rows(client, hardship) == 7
    with django_assert_num_queries(before[0]):
        client.get(managed)
    with django_assert_num_queries(before[1]):
        client.get(hardship)


def test_a_number_links_only_to_a_page_that_opens_for_the_reader(year_records: TownWorld) -> None:
    """A county leader reads the town's year in review; a ledger page not open to them leaves its number unlinked."""
    world = year_records
    county_leader = User.objects.create_user(username="county-leader", password="x")
    grant_role(user=county_leader, role=Role.LEADER, area=world.county)
    client = signed_in(county_leader)
    page = client.get(reverse("dashboard:year"), {"year": YEAR, "town": world.town.pk}).text
    links = _links_in(page)
    assert "2户" in page  # 盘活闲置农房2户, written even where it cannot be opened
    assert {key: client.get(href).status_code for key, (href, _text) in links.items()} == dict.fromkeys(links, 200)
    assert ("farmhouses_revitalised" in links) == (client.get(reverse("ledgers:farmhouses")).status_code == 200)
