"""Key projects through the API: seen per role as projects.scope defines, with schedule, lamps and supervision
cases; progress reported once per Idempotency-Key, amounts as people type them, over-plan without a note refused
with nothing written; the list in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.projects.models import ProgressReport, Project
from gridgov.data.projects.supervision import supervise_lagging
from tests.data.projects.builders import project, today
from tests.factories import TownWorld

pytestmark = pytest.mark.django_db


def _behind(world: TownWorld) -> Project:
    base = today()
    return project(
        world,
        name="渔港改造",
        total="100万",
        plan=[("立项", base - timedelta(days=40)), ("开工", base - timedelta(days=10))],
        done={"立项": base - timedelta(days=40)},
    )


def test_project_with_schedule_lamps_and_case(world: TownWorld, as_user) -> None:
    built = _behind(world)
    (case,) = supervise_lagging()
    shown = as_user(world.leader).get(f"/api/projects/{built.pk}").json()
    assert (shown["schedule"], shown["lamp"], shown["total_investment"]) == ("behind", "red", 1_000_000.0)
    assert [(m["name"], m["lamp"], m["case"]) for m in shown["milestones"]] == [
        ("立项", "none", None),
        ("开工", "red", case.pk),
    ]
    listed = as_user(world.operator).get("/api/projects", schedule="behind").json()
    assert [p["name"] for p in listed["results"]] == ["渔港改造"]
    assert as_user(world.operator).get("/api/projects", schedule="ahead").json()["results"] == []


@pytest.mark.parametrize(
    ("persona", "seen"),
    [("operator", True), ("leader", True), ("handler_a", True), ("village_staff_a", True),
     ("handler_b", False), ("village_staff_b", False), ("grid_worker_a", False)],
)  # fmt: skip
def test_seen_per_role(world: TownWorld, as_user, persona: str, seen: bool) -> None:
    built = _behind(world)
    client = as_user(getattr(world, persona))
    assert [p["id"] for p in client.get("/api/projects").json()["results"]] == ([built.pk] if seen else [])
    assert client.get(f"/api/projects/{built.pk}").status_code == (200 if seen else 404)


def test_progress_once_per_key_and_over_plan_refused(world: TownWorld, as_user) -> None:
    built = _behind(world)
    base = today()
    url = f"/api/projects/{built.pk}/progress"
    client = as_user(world.handler_a)
    refused = client.post(
        url, {"year": base.year, "month": base.month, "investment": "1.2亿"}, **{"Idempotency-Key": "p-0"}
    )
    assert refused.status_code == 422
    assert "请在进展说明中写明原因" in refused.json()["message"]
    assert ProgressReport.objects.count() == 0
    body = {"year": base.year, "month": base.month, "investment": "３５万"}
    first = client.post(url, body, **{"Idempotency-Key": "p-1"})
    assert first.status_code == 201
    assert first.json()["investment"] == 350_000.0
    again = client.post(url, body, **{"Idempotency-Key": "p-1"})
    assert (again.status_code, again.json()) == (200, first.json())
    assert ProgressReport.objects.count() == 1
    assert as_user(world.leader).post(url, body, **{"Idempotency-Key": "p-2"}).status_code == 403


def test_list_in_constant_queries(world: TownWorld, as_user) -> None:
    client = as_user(world.operator)
    project(world, name="项目0")
    client.get("/api/projects")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/projects").status_code == 200
        return len(queries)

    few = count()
    for n in range(1, 6):
        project(world, name=f"项目{n}")
    assert count() == few
