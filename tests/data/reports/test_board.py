"""Overdue and due-soon lists; the map's grid clusterer and boundaries."""

from __future__ import annotations

from datetime import timedelta

from gridgov.data.cases.enums import Status
from gridgov.data.cases.models import Case
from gridgov.data.org.domain import create_area
from gridgov.data.org.enums import AreaLevel
from gridgov.data.reports.domain.board import (
    boundaries,
    cell_size,
    cluster_points,
    due_soon_cases,
    map_clusters,
    overdue_cases,
)
from tests.factories import MONDAY_0900, TownWorld, at


def test_cluster_points_groups_by_cell_and_keeps_singles_clickable() -> None:
    size = cell_size(12)
    assert size == 360.0 / 4096 / 256 * 60
    points = [
        (1, "DX2026-000001", 30.0001, 122.0001, True),
        (2, "DX2026-000002", 30.0003, 122.0003, False),
        (3, "DX2026-000003", 30.0 + 5 * size, 122.0, True),
    ]
    clusters = cluster_points(points, zoom=12)
    assert [(c.count, c.open, c.case_id, c.number) for c in clusters] == [
        (2, 1, None, ""),
        (1, 1, 3, "DX2026-000003"),
    ]
    assert (clusters[0].latitude, clusters[0].longitude) == (30.0002, 122.0002)


def test_zooming_in_splits_a_cluster() -> None:
    points = [(1, "a", 30.0001, 122.0001, True), (2, "b", 30.0101, 122.0101, True)]
    assert [c.count for c in cluster_points(points, zoom=8)] == [2]
    assert [c.count for c in cluster_points(points, zoom=16)] == [1, 1]


def test_map_clusters_only_located_cases_in_the_box(world: TownWorld) -> None:
    inside = world.report()
    outside = world.report()
    Case.objects.filter(pk=inside.pk).update(latitude="30.26", longitude="122.10")
    Case.objects.filter(pk=outside.pk).update(latitude="31.00", longitude="122.10")
    world.report()  # no coordinates
    clusters = map_clusters(cases=Case.objects.all(), zoom=18, bbox=(30.0, 122.0, 30.5, 122.5))
    assert [(c.case_id, c.count, c.open) for c in clusters] == [(inside.pk, 1, 1)]


def test_overdue_and_due_soon_lists(world: TownWorld) -> None:
    # 暴露垃圾: 4 working hours from dispatch (08:30–12:00, 13:30–17:30); yellow at 75 % (3 hours).
    late = world.bring_to(Status.HANDLING, now=MONDAY_0900)  # dispatched 09:02 → due 14:32
    fresh = world.bring_to(Status.HANDLING, now=at(2026, 11, 23, 11, 0))  # dispatched 11:02 → warn 15:32, due 16:32
    world.bring_to(Status.CLOSED, now=MONDAY_0900)
    world.bring_to(Status.SUSPENDED, now=MONDAY_0900 - timedelta(days=7))
    assert (late.handle_deadline, fresh.handle_warn_at, fresh.handle_deadline) == (
        at(2026, 11, 23, 14, 32),
        at(2026, 11, 23, 15, 32),
        at(2026, 11, 23, 16, 32),
    )
    cases = Case.objects.all()
    now = at(2026, 11, 23, 15, 40)
    assert [c.pk for c in overdue_cases(cases=cases, now=now)] == [late.pk]
    assert [c.pk for c in due_soon_cases(cases=cases, now=now)] == [fresh.pk]
    assert [c.pk for c in overdue_cases(cases=cases, now=at(2026, 11, 24, 9))] == [late.pk, fresh.pk]
    assert due_soon_cases(cases=cases, now=at(2026, 11, 23, 10)) == []


def test_boundaries_are_a_feature_collection_of_villages_and_grids(world: TownWorld) -> None:
    box = {"type": "Polygon", "coordinates": [[[122, 30], [122.1, 30], [122.1, 30.1], [122, 30.1], [122, 30]]]}
    village = create_area(code="330921102209", name="海丰村", level=AreaLevel.VILLAGE, parent=world.town, boundary=box)
    collection = boundaries(area=world.town)
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in collection["features"]] == [village.name]
    assert boundaries(area=world.village_a)["features"] == []
