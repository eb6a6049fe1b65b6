"""Every page that shows a case's time left or overdue says it the same way, in the unit of its limit: the case
page, the three lists and their Excel export, the dashboard's deadline lists and wall, and the phone pages."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from gridgov.data.cases.domain.engine import apply_action
from gridgov.data.cases.enums import Action
from gridgov.data.cases.models import Case
from tests.factories import WORLD_NOW, TownWorld, at, signed_in

QUERY = "?period=year&date=2026-11-23"
# Handled within 3 working days from Monday 16 Nov 10:00: due Thursday 19 Nov 10:00. At the world's Monday
# 23 Nov 10:00: Thursday 10:00–17:30 (less lunch), all Friday, no weekend, Monday 08:30–10:00 = 15 h = 2 days.
LATE = "已超期2个工作日"
# Reported on Friday 20 Nov 16:00, to be dispatched within 1 working hour: due 17:00; by Monday 10:00 it is
# Friday's last half hour and Monday's first hour and a half past it.
UNDISPATCHED = "已超期2个工作小时"


@pytest.fixture
def still(clock: time_machine.Traveller) -> Iterator[None]:
    """The world's clock held at WORLD_NOW, so the minutes on the pages do not move while the test runs."""
    with time_machine.travel(WORLD_NOW, tick=False):
        yield


@pytest.fixture
def late(world: TownWorld, still: None) -> Case:
    when = at(2026, 11, 16, 10, 0)
    case = world.report(now=when, category=world.category_days)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.REGISTER, now=when)
    apply_action(case_id=case.pk, actor=world.operator, action=Action.DISPATCH, department=world.dept_a, now=when)
    case.refresh_from_db()
    return case


def test_the_case_page_and_the_lists_read_overdue_in_working_days(world: TownWorld, late: Case) -> None:
    undispatched = world.report(now=at(2026, 11, 20, 16, 0))
    operator = signed_in(world.operator)
    assert LATE in operator.get(reverse("web:case_detail", args=[late.pk])).text
    assert LATE in operator.get("/cases/").text
    assert UNDISPATCHED in operator.get("/triage/").text
    assert LATE in signed_in(world.handler_a).get("/inbox/").text
    assert UNDISPATCHED in operator.get(reverse("web:case_detail", args=[undispatched.pk])).text


def test_the_export_has_the_same_words(world: TownWorld, late: Case) -> None:
    response = signed_in(world.operator).get("/cases/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[late.number][2:4] == ("超期", LATE)


def test_the_dashboards_overdue_lists_read_it_too(world: TownWorld, late: Case) -> None:
    leader = signed_in(world.leader)
    assert LATE in leader.get(f"/dashboard/{QUERY}").text
    lists = leader.get(f"/dashboard/wall/lists/{QUERY}", headers={"HX-Request": "true"}).text
    assert f'<span class="due" title="期限 11/19 10:00">{LATE}</span>' in lists


def test_the_phone_pages_read_it_too(world: TownWorld, late: Case) -> None:
    worker = signed_in(world.grid_worker_a)
    assert f'<span class="time-left" id="time-left">{LATE}</span>' in worker.get(f"/m/cases/{late.pk}/").text
    assert f'<span class="time-left">{LATE}</span>' in worker.get("/m/mine/").text
    assert f'<span class="time-left">{LATE}</span>' in worker.get("/m/").text


def test_english_readers_get_it_in_english(world: TownWorld, late: Case) -> None:
    client = signed_in(world.operator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "2 working days overdue" in client.get("/cases/").text
