"""The lists read part by part (``list_cases``, the API's ``api_cases``, the phone's verify queue) show exactly
the cases of the one-query scope rule (``search_cases`` / ``visible_cases``), in the same order, window by
window and keyset by keyset — for every kind of user, queue and filter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.access.queries import CaseFilters, api_cases
from gridgov.data.cases.domain.queries import CaseFilter, Queue, keyset_of, list_cases, parse_keyset, search_cases
from gridgov.data.cases.enums import Channel, Lamp, Status
from gridgov.data.cases.models import Case
from gridgov.data.cases.scope import visible_cases, visible_parts
from gridgov.data.errors import InvalidInput
from gridgov.data.org.domain import grant_role
from gridgov.data.org.enums import Role
from gridgov.data.org.models import User
from gridgov.ui.phone.views import verify_queue
from tests.factories import MONDAY_0900, TownWorld

NOW = MONDAY_0900 + timedelta(days=2)


@pytest.fixture
def mixed(world: TownWorld) -> TownWorld:
    """Cases in both grids, the village and the town, by several reporters, in every state, some at the same
    moment (ties broken by id), with the departments and the village committee."""
    at = MONDAY_0900
    for status in (Status.REPORTED, Status.REGISTERED, Status.DISPATCHED, Status.HANDLING, Status.RESOLVED):
        world.bring_to(status, now=at)
        world.bring_to(status, now=at, department=world.dept_b, reporter=world.village_staff_a)
        at += timedelta(minutes=7)
    world.bring_to(Status.DISPATCHED, now=at, department=world.committee_a)
    world.bring_to(Status.HANDLING, now=at, department=world.committee_a, reporter=world.village_staff_a)
    world.bring_to(Status.SUSPENDED, now=at)
    world.bring_to(Status.CLOSED, now=at, reporter=world.operator)
    for area in (world.grid_a, world.grid_b, world.village_a, world.village_b, world.town):
        world.report(area=area, now=at)  # by the area's own grid worker, or the command room
        world.report(reporter=world.village_staff_a, area=area, now=at + timedelta(minutes=1))  # theirs beyond it
    world.report(reporter=world.resident, area=world.grid_b, channel=Channel.RESIDENT, now=at)
    world.report(reporter=world.operator, area=world.grid_b, now=at + timedelta(minutes=2))
    return world


def users(world: TownWorld) -> list[User]:
    county_leader = User.objects.create_user(username="county", password="x-x-x-x-1")
    grant_role(user=county_leader, role=Role.LEADER, area=world.county)
    return [*(world.persona(role) for role in Role), world.grid_worker_b, world.village_staff_b, county_leader]


def test_parts_are_disjoint_and_make_up_the_visible_cases(mixed: TownWorld) -> None:
    for user in users(mixed):
        parts = visible_parts(user)
        visible = set(visible_cases(user).values_list("pk", flat=True))
        if parts is None:
            assert visible == set(Case.objects.values_list("pk", flat=True))
            continue
        seen: list[int] = []
        for part in parts:
            seen += Case.objects.filter(part).values_list("pk", flat=True)
        assert sorted(seen) == sorted(visible), user.username


@pytest.mark.parametrize("queue", [Queue.ALL, Queue.TRIAGE, Queue.INBOX])
@pytest.mark.parametrize(
    "case_filter",
    [
        CaseFilter(),
        CaseFilter(sort="reported_at"),
        CaseFilter(statuses=(Status.HANDLING, Status.REPORTED)),
        CaseFilter(channel=Channel.GRID_WORKER, search="垃圾"),
        CaseFilter(sort="deadline"),
    ],
)
def test_windows_are_those_of_the_one_query_list(mixed: TownWorld, queue: str, case_filter: CaseFilter) -> None:
    for user in users(mixed):
        f = CaseFilter(**{**{k: getattr(case_filter, k) for k in case_filter.__slots__}, "queue": queue})
        expected = [c.pk for c in search_cases(user=user, case_filter=f, now=NOW)]
        cases = list_cases(user=user, case_filter=f, now=NOW)
        assert cases.count() == len(expected)
        for size in (1, 4, 25):
            paged = [c.pk for start in range(0, len(expected) + size, size) for c in cases[start : start + size]]
            assert paged == expected, (user.username, queue, size)


def test_api_keyset_pages_walk_the_whole_list(mixed: TownWorld) -> None:
    for user in users(mixed):
        for filters in (CaseFilters(), CaseFilters(channel=(Channel.GRID_WORKER, Channel.RESIDENT))):
            cases = api_cases(user=user, filters=filters, now=NOW)
            expected = [c.pk for c in cases]
            assert [c.pk for c in cases[0:100]] == expected
            walked: list[int] = []
            page = cases[0:3]
            while page:
                walked += [c.pk for c in page]
                reported_at, case_id = parse_keyset(keyset_of(page[-1]))
                page = cases.after(reported_at=reported_at, case_id=case_id)[0:3]
            assert walked == expected, user.username


def test_keyset_round_trip_and_bad_cursor(mixed: TownWorld) -> None:
    case = Case.objects.order_by("id").first()
    assert case is not None
    assert parse_keyset(keyset_of(case)) == (case.reported_at, case.pk)
    for bad in ("", "abc", "1.", ".5", "1.2.3", "9" * 50 + ".1"):
        with pytest.raises(InvalidInput):
            parse_keyset(bad)


def test_verify_queue_is_the_visible_resolved_cases_of_the_grids(mixed: TownWorld) -> None:
    for worker, grid in ((mixed.grid_worker_a, mixed.grid_a), (mixed.grid_worker_b, mixed.grid_b)):
        expected = list(
            visible_cases(worker)
            .filter(area_path__startswith=grid.path, status=Status.RESOLVED)
            .order_by("resolved_at", "id")
        )
        queue = verify_queue(worker)
        assert queue.count() == len(expected)
        assert queue[0:10] == expected
    assert verify_queue(mixed.grid_worker_a).count() == 2  # resolved in grid A (departments A and B)
    assert verify_queue(mixed.operator).count() == 0


def test_an_empty_list_has_an_empty_first_page(world: TownWorld) -> None:
    """Django's Paginator asks an empty list for [0:0]; on PostgreSQL the parts are sliced before the union."""
    from django.core.paginator import Paginator

    cases = list_cases(user=world.operator, case_filter=CaseFilter(queue=Queue.TRIAGE), now=NOW)
    page = Paginator(cases, 20).page(1)
    assert (cases.count(), list(page.object_list), cases[0:0]) == (0, [], [])


def test_api_filters_of_many_values_are_one_query_of_their_size(mixed: TownWorld) -> None:
    """Channels and lamps as a client may send them — each value many times — list exactly the union of the
    one-value lists, and the query is the size of the distinct values: a fuzzer's 35 channels and 6 lamps once
    made a count of 60 cases take 15 s (a variant per channel × lamp, repeats included)."""
    channels = (Channel.GRID_WORKER, Channel.RESIDENT, Channel.HOTLINE)
    lamps = (Lamp.RED, Lamp.NONE, Lamp.GREEN)
    for user in users(mixed):
        one_by_one = {
            c.pk
            for channel in channels
            for lamp in lamps
            for c in api_cases(user=user, filters=CaseFilters(channel=(channel,), lamp=(lamp,)), now=NOW)
        }
        once = CaseFilters(channel=channels, lamp=lamps)
        repeated = CaseFilters(channel=channels * 12, lamp=lamps * 2)
        assert {c.pk for c in api_cases(user=user, filters=repeated, now=NOW)} == one_by_one, user.username
        with CaptureQueriesContext(connection) as first:
            api_cases(user=user, filters=once, now=NOW).count()
        with CaptureQueriesContext(connection) as again:
            api_cases(user=user, filters=repeated, now=NOW).count()
        assert [len(q["sql"]) for q in again.captured_queries] == [len(q["sql"]) for q in first.captured_queries]
