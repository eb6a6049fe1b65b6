"""Year in review page: sentences with linked numbers, the cases behind a number, the .docx download."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from docx import Document

from gridgov.data.cases.enums import Status
from tests.factories import MONDAY_0900, WORLD_NOW, TownWorld, at, signed_in


def test_year_page_links_numbers_to_their_cases(world: TownWorld) -> None:
    closed = world.bring_to(Status.CLOSED, now=MONDAY_0900)
    open_case = world.bring_to(Status.HANDLING, now=MONDAY_0900)
    client = signed_in(world.leader)
    page = client.get(reverse("dashboard:year"), {"year": 2026}).text
    assert "岱西镇2026年基层治理工作情况" in page
    link = re.search(r'href="([^"]+)" data-key="events_registered">2件</a>', page)
    assert link, page
    listed = client.get(link.group(1).replace("&amp;", "&")).text
    assert set(re.findall(r"DX2026-\d{6}", listed)) == {closed.number, open_case.number}
    rate = re.search(r'href="([^"]+)" data-key="events_completion_rate">50%</a>', page)
    assert rate
    assert set(re.findall(r"DX2026-\d{6}", client.get(rate.group(1).replace("&amp;", "&")).text)) == {closed.number}


def test_year_docx_and_access(world: TownWorld) -> None:
    response = signed_in(world.operator).get(reverse("dashboard:year_docx"), {"year": 2026})
    document = Document(io.BytesIO(response.content))
    assert "处理基层智治平台事件0件，办结率—。" in [p.text for p in document.paragraphs]
    assert signed_in(world.village_staff_a).get(reverse("dashboard:year")).status_code == 403
    missing = signed_in(world.leader).get(reverse("dashboard:year_cases", args=["nonsense", "problem_items"]))
    assert missing.status_code == 404
    no_cases = signed_in(world.leader).get(reverse("dashboard:year_cases", args=["cases", "bulletins_issued"]))
    assert no_cases.status_code == 404


def test_the_inspection_bulletins_link_to_the_rounds_with_their_rankings(world: TownWorld) -> None:
    from tests.data.inspections.test_rounds import make_round, record_three

    round_ = make_round(world)
    record_three(world, round_)
    client = signed_in(world.leader)
    page = client.get(reverse("dashboard:year"), {"year": 2026}).text
    link = re.search(r'<a href="([^"]+)" data-key="inspection_bulletins"[^>]*>0期</a>', page)
    assert link, page
    assert link.group(1) == reverse("ledgers:rounds") + "?year=2026"
    assert round_.name in client.get(link.group(1)).text
    rectified = re.search(r'data-key="inspection_rectified">([^<]+)</a>', page)
    assert rectified is not None
    assert rectified.group(1) == "0条"  # found in the round, none rectified yet


# The year page's queries (84 on the demo town before they were merged): the session and the signed-in user, the
# platform's events in one query, then one or two per ledger table (each ledger's figures as one aggregate, not a
# query per figure, village or month), the economic indicators and the header. A figure counted per record, village
# or month would add queries as the records grow.
YEAR_PAGE_QUERIES = 37


def _incomes(world: TownWorld, months: range) -> None:
    from gridgov.data.collective.domain import IncomeInput, record_income
    from gridgov.data.collective.enums import IncomeKind

    for village in (world.village_a, world.village_b):
        for month in months:
            data = IncomeInput(village=village, year=2026, month=month, kind=IncomeKind.OPERATING, amount="10000")
            record_income(actor=world.operator, data=data, now=WORLD_NOW)


def test_the_year_page_costs_the_same_queries_for_more_records(world: TownWorld, django_assert_num_queries) -> None:
    client = signed_in(world.leader)
    world.bring_to(Status.CLOSED, now=at(2026, 1, 5))
    _incomes(world, range(1, 2))
    client.get(reverse("dashboard:year"), {"year": 2026})  # the first request of a session writes to it
    with django_assert_num_queries(YEAR_PAGE_QUERIES):
        client.get(reverse("dashboard:year"), {"year": 2026})
    for month in range(2, 8):
        world.bring_to(Status.CLOSED, now=at(2026, month, 5))
        world.bring_to(Status.HANDLING, now=at(2026, month, 6))
    _incomes(world, range(2, 8))
    with django_assert_num_queries(YEAR_PAGE_QUERIES):
        page = client.get(reverse("dashboard:year"), {"year": 2026}).text
    assert re.search(r'data-key="events_registered">13件</a>', page)
    assert re.search(r'data-key="collective_operating">14万元</a>', page)
