"""The 走访覆盖 dashboard page and its overdue list: scope per role, numbers equal to their lists, masked names,
query counts that do not grow with the people."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from gridgov.data.metrics.models import IndicatorWeights
from tests.data.visits.builders import group, member, resident, visited
from tests.factories import TownWorld, at, signed_in

pytestmark = pytest.mark.django_db

NOV = {"period": "month", "date": "2026-11-23"}  # the world's today: 23 November 2026


def _rows(page: str) -> dict[str, tuple[str, ...]]:
    """Area name → (due, on time, late, coverage, overdue now) as shown."""
    found = {}
    for body in re.findall(r'<tr data-area="\d+">(.*?)</tr>', page, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]
        found[cells[0]] = tuple(cells[1:])
    return found


@pytest.fixture
def round_(world: TownWorld) -> TownWorld:
    """Village A: 张三 visited on time, 李四 never (overdue); a sensitive member 王五 never visited (overdue);
    village B: 赵六 never visited (overdue). All due from 1 November (monthly; 社区矫正 weekly)."""
    monthly = group(world, code="elderly", every=30)
    sensitive = group(world, code="correction", every=7, sensitive=True)
    zhang, li, wang = resident(world, name="张三"), resident(world, name="李四"), resident(world, name="王五")
    zhao = resident(world, name="赵六", grid=world.grid_b)
    for person in (zhang, li, zhao):
        member(person, monthly, since=date(2026, 11, 1))
    member(wang, sensitive, since=date(2026, 11, 1))
    visited(world, person=zhang, at=at(2026, 11, 1, 10, 0))
    return world


def test_a_leader_sees_every_village_with_coverage_and_overdue(round_: TownWorld) -> None:
    page = signed_in(round_.leader).get(reverse("dashboard:visits"), NOV)
    assert page.status_code == 200
    assert _rows(page.text) == {
        "双合村": ("3", "1", "2", "33.3%", "2"),
        "火箭村": ("1", "0", "1", "0.0%", "1"),
    }
    assert 'class="lamp lamp-red"' in page.text


def test_village_staff_see_their_village_without_the_sensitive_member(round_: TownWorld) -> None:
    client = signed_in(round_.village_staff_a)
    page = client.get(reverse("dashboard:visits"), NOV)
    assert _rows(page.text) == {"双合村第1网格": ("2", "1", "1", "50.0%", "1")}  # their village, per grid
    listed = client.get(reverse("dashboard:visits_overdue"), {**NOV, "area": round_.village_a.pk})
    assert re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', listed.text) == ["李*"]
    assert "李四" not in listed.text
    other = client.get(reverse("dashboard:visits_overdue"), {**NOV, "area": round_.village_b.pk})
    assert other.status_code == 403
    assert signed_in(round_.grid_worker_a).get(reverse("dashboard:visits"), NOV).status_code == 403


def test_the_overdue_number_equals_its_list(round_: TownWorld) -> None:
    client = signed_in(round_.leader)
    listed = client.get(reverse("dashboard:visits_overdue"), {**NOV, "area": round_.village_a.pk})
    assert re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', listed.text) == ["李*", "王*"]
    assert "从未走访" in listed.text
    assert client.get(reverse("dashboard:visits_overdue"), {**NOV, "area": "x"}).status_code == 404


def test_a_village_drills_down_to_its_grids_as_an_htmx_partial(round_: TownWorld) -> None:
    page = signed_in(round_.leader).get(
        reverse("dashboard:visits"), {**NOV, "scope": f"village:{round_.village_b.pk}"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in page.text
    assert _rows(page.text) == {"火箭村第1网格": ("1", "0", "1", "0.0%", "1")}


def test_the_page_s_queries_do_not_grow_with_the_people(world: TownWorld, django_assert_max_num_queries) -> None:
    client = signed_in(world.leader)
    monthly = group(world, code="elderly", every=30)
    member(resident(world), monthly, since=date(2026, 11, 1))
    overdue = {**NOV, "area": str(world.village_a.pk)}
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("dashboard:visits"), NOV)
    baseline = len(few)  # read now: every request clears the query log
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("dashboard:visits_overdue"), overdue)
    list_baseline = len(few)
    for n in range(8):
        person = resident(world, grid=world.grid_a if n % 2 else world.grid_b)
        member(person, monthly, since=date(2026, 11, 1))
        if n % 4:
            visited(world, person=person, at=at(2026, 11, 2, 10, 0))
    with django_assert_max_num_queries(baseline):
        page = client.get(reverse("dashboard:visits"), NOV)
    with django_assert_max_num_queries(list_baseline):
        listed = client.get(reverse("dashboard:visits_overdue"), overdue)
    # Overdue: the first member (village A) and the two never visited (n = 0, 4: village B).
    assert {name: row[4] for name, row in _rows(page.text).items()} == {"双合村": "1", "火箭村": "2"}
    assert len(re.findall(r"<tr data-resident=", listed.text)) == 1


def test_the_ranking_page_shows_visit_coverage_only_when_its_weight_is_on(round_: TownWorld) -> None:
    client = signed_in(round_.leader)
    off = client.get(reverse("dashboard:rankings"), NOV).text
    assert "走访覆盖率" not in off
    IndicatorWeights.objects.create(town=round_.town, visit_coverage=Decimal("0.1"))
    on = client.get(reverse("dashboard:rankings"), NOV).text
    assert '<th class="num">走访覆盖率</th>' in on
    assert "33.3%" in on  # 双合村: 1 of 3 visited on time
    departments = client.get(reverse("dashboard:rankings"), {**NOV, "by": "department"}).text
    assert '<th class="num">走访覆盖率</th>' not in departments
