"""Year in review page: sentences with linked numbers, the cases behind a number, the .docx download."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from docx import Document

from gridgov.data.cases.enums import Status
from tests.factories import MONDAY_0900, TownWorld, signed_in


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
