"""Key projects written through the API: a project created with its milestones (the command room, as on the web
page), once per Idempotency-Key; refusals per role and for bad input with nothing written; a milestone marked done
on its actual date, refused out of scope or in the future."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gridgov.data.projects.models import Milestone, Project
from tests.data.projects.builders import project, today
from tests.factories import TownWorld

pytestmark = pytest.mark.django_db


def _body(world: TownWorld, **extra: object) -> dict[str, object]:
    base = today()
    return {
        "name": "双合入岛门户·游客中心",
        "type": "infrastructure",
        "department": world.dept_a.pk,
        "village": world.village_a.pk,
        "year": base.year,
        "total_investment": "1.2亿",
        "year_investment": "3,500万",
        "milestones": [
            {"name": "立项", "planned_on": (base - timedelta(days=20)).isoformat(),
             "done_on": (base - timedelta(days=18)).isoformat()},
            {"name": "开工", "planned_on": (base + timedelta(days=10)).isoformat()},
            {"name": "竣工", "planned_on": (base + timedelta(days=200)).isoformat()},
        ],
        **extra,
    }  # fmt: skip


def test_create_once_per_key(world: TownWorld, as_user) -> None:
    client = as_user(world.operator)
    body = _body(world)
    first = client.post("/api/projects", body, **{"Idempotency-Key": "proj-1"})
    assert first.status_code == 201
    made = Project.objects.get()
    shown = first.json()
    assert (shown["id"], shown["total_investment"], shown["year_investment"], shown["status"]) == (
        made.pk,
        120_000_000.0,
        35_000_000.0,
        "active",
    )
    assert [(m["name"], m["done_on"]) for m in shown["milestones"]] == [
        ("立项", (today() - timedelta(days=18)).isoformat()),
        ("开工", None),
        ("竣工", None),
    ]
    again = client.post("/api/projects", body, **{"Idempotency-Key": "proj-1"})
    assert (again.status_code, again.json()) == (200, shown)
    assert (Project.objects.count(), Milestone.objects.count()) == (1, 3)
    twice = client.post("/api/projects", body, **{"Idempotency-Key": "proj-2"})  # a new key: the same name refused
    assert twice.status_code == 422
    assert "已有项目“双合入岛门户·游客中心”" in twice.json()["message"]
    assert Project.objects.count() == 1


def test_default_milestones_from_start_and_finish(world: TownWorld, as_user) -> None:
    base = today()
    body = _body(world, milestones=[], start_on=base.isoformat(), finish_on=(base + timedelta(days=80)).isoformat())
    made = as_user(world.admin).post("/api/projects", body)
    assert made.status_code == 201
    assert [m["name"] for m in made.json()["milestones"]] == ["立项", "开工", "主体完工", "竣工", "投用"]


@pytest.mark.parametrize(
    "persona", ["leader", "handler_a", "village_staff_a", "grid_worker_a", "resident", "enterprise"]
)
def test_create_refused_per_role(world: TownWorld, as_user, persona: str) -> None:
    refused = as_user(getattr(world, persona)).post("/api/projects", _body(world), **{"Idempotency-Key": "x"})
    assert refused.status_code == 403
    assert refused.json()["message"] == "只有镇指挥室或管理员可以登记重点项目"
    assert Project.objects.count() == 0


def test_milestones_out_of_order_refused_with_nothing_written(world: TownWorld, as_user) -> None:
    base = today()
    body = _body(
        world,
        milestones=[
            {"name": "开工", "planned_on": (base + timedelta(days=30)).isoformat()},
            {"name": "立项", "planned_on": (base + timedelta(days=5)).isoformat()},
        ],
    )
    refused = as_user(world.operator).post("/api/projects", body)
    assert refused.status_code == 422
    assert refused.json()["field"] == "milestones"
    assert "节点“立项”的计划日期" in refused.json()["message"]
    assert "请按时序排列" in refused.json()["message"]
    assert (Project.objects.count(), Milestone.objects.count()) == (0, 0)


def test_a_grid_given_as_the_village_refused(world: TownWorld, as_user) -> None:
    refused = as_user(world.operator).post("/api/projects", _body(world, village=world.grid_a.pk))
    assert refused.status_code == 422
    assert refused.json()["field"] == "village"
    assert Project.objects.count() == 0


def test_milestone_done_on_its_actual_date(world: TownWorld, as_user) -> None:
    built = project(world)
    milestone = built.milestones.get(name="立项")
    url = f"/api/projects/{built.pk}/milestones/{milestone.pk}/done"
    actual = today() - timedelta(days=3)
    done = as_user(world.handler_a).post(url, {"done_on": actual.isoformat()})
    assert done.status_code == 200
    assert [(m["name"], m["done_on"]) for m in done.json()["milestones"]] == [
        ("立项", actual.isoformat()),
        ("竣工", None),
    ]
    assert done.json()["status"] == "active"
    assert Milestone.objects.get(pk=milestone.pk).done_on == actual


@pytest.mark.parametrize(("persona", "status"), [("leader", 403), ("village_staff_a", 403), ("handler_b", 404)])
def test_milestone_done_refused_out_of_scope(world: TownWorld, as_user, persona: str, status: int) -> None:
    built = project(world)
    milestone = built.milestones.get(name="立项")
    refused = as_user(getattr(world, persona)).post(f"/api/projects/{built.pk}/milestones/{milestone.pk}/done", {})
    assert refused.status_code == status
    assert Milestone.objects.get(pk=milestone.pk).done_on is None


def test_milestone_done_in_the_future_refused(world: TownWorld, as_user) -> None:
    built = project(world)
    milestone = built.milestones.get(name="竣工")
    future = (today() + timedelta(days=1)).isoformat()
    refused = as_user(world.operator).post(
        f"/api/projects/{built.pk}/milestones/{milestone.pk}/done", {"done_on": future}
    )
    assert refused.status_code == 422
    assert refused.json()["message"] == "节点“竣工”：完成日期不能晚于今天"
    assert Milestone.objects.get(pk=milestone.pk).done_on is None
