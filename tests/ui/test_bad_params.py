"""Every bad value is a 4xx or an ignored filter, never a 500: list, export and figure pages, and the API."""

from __future__ import annotations

import pytest
from django.test import Client

from gridgov.data.access.tokens import create_token
from gridgov.data.cases.models import Case
from gridgov.ui.params import float_param, id_param, int_param, year_param
from tests.factories import TownWorld

HUGE = "99999999999999999999999"
BAD_VALUES = ["-1", "", "abc", HUGE, "²", "１２", "1.5", " ", "0", "2**64", "١"]

PAGES = [
    ("/ledgers/hazards/", ("year", "enterprise", "village", "page")),
    ("/ledgers/hazards/export.xlsx", ("year", "enterprise", "village")),
    ("/ledgers/services/", ("year", "enterprise", "meeting", "page")),
    ("/ledgers/services/export.xlsx", ("year", "enterprise", "meeting")),
    ("/ledgers/meetings/", ("year", "meeting")),
    ("/ledgers/enterprises/", ("village", "page")),
    ("/ledgers/hazards/figures/", ("year",)),
    ("/ledgers/problem-lists/", ("list", "department", "page")),
    ("/ledgers/problem-lists/export.xlsx", ("list", "department")),
    ("/ledgers/disputes/", ("village", "page")),
    ("/ledgers/disputes/export.xlsx", ("village",)),
    ("/ledgers/inspections/", ("village", "page")),
    ("/ledgers/figures/civic/", ("year",)),
    ("/cases/", ("village", "category", "page", "status")),
    ("/triage/", ("village", "category", "page")),
    ("/dashboard/", ("town", "scope", "date")),
    ("/dashboard/map.json", ("zoom", "south", "west", "north", "east")),
    ("/dashboard/year/", ("year",)),
    ("/dashboard/economy/", ("year",)),
    ("/dashboard/indicators/", ("town",)),
]


def test_the_readers_refuse_what_they_cannot_use() -> None:
    assert [id_param(v) for v in BAD_VALUES] == [None] * len(BAD_VALUES)
    assert [year_param(v) for v in ("-1", "", "0", "99999", "2026", "1999", "2000", "2101")] == [
        None,
        None,
        None,
        None,
        2026,
        None,
        2000,
        None,
    ]
    assert (id_param("42"), id_param(" 7 "), id_param(str(2**63)), id_param(str(2**63 - 1))) == (
        42,
        7,
        None,
        2**63 - 1,
    )
    assert int_param("3", minimum=0, maximum=2) is None
    assert [float_param(v, minimum=-180, maximum=180) for v in ("nan", "inf", "1e999", "-200", "30.5")] == [
        None,
        None,
        None,
        None,
        30.5,
    ]


@pytest.mark.parametrize(("path", "names"), PAGES)
def test_bad_filter_values_never_answer_500(world: TownWorld, path: str, names: tuple[str, ...]) -> None:
    client = Client()
    client.force_login(world.operator)
    baseline = client.get(path)
    assert baseline.status_code in (200, 403), (path, baseline.status_code)
    for name in names:
        for value in BAD_VALUES:
            response = client.get(path, {name: value})
            # an ignored filter answers the page as without it; a refusal is a 4xx
            assert response.status_code == baseline.status_code or 400 <= response.status_code < 500, (
                path,
                name,
                value,
                response.status_code,
            )


def test_a_bad_hazard_year_is_ignored_not_a_500(world: TownWorld) -> None:
    client = Client()
    client.force_login(world.operator)
    plain = client.get("/ledgers/hazards/")
    for query in ("?year=-1", "?year=", "?enterprise=", f"?village={HUGE}"):
        response = client.get("/ledgers/hazards/" + query)
        assert (response.status_code, len(response.context["page"].object_list)) == (
            200,
            len(plain.context["page"].object_list),
        )


def test_multipart_without_a_boundary_is_a_json_400(world: TownWorld) -> None:
    case = world.report()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=world.operator, name='t').secret}")
    response = client.generic(
        "POST", f"/api/cases/{case.pk}/attachments", b"--x\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["code"] == "bad_request"


def test_a_grid_worker_reports_only_into_their_own_grids(world: TownWorld) -> None:
    before = Case.objects.count()
    worker = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=world.grid_worker_a, name='t').secret}")
    body = {"category": world.category.code, "description": "垃圾堆放", "area_id": world.grid_b.pk}
    refused = worker.post("/api/cases", body, content_type="application/json")
    assert refused.status_code == 422
    assert (refused.json()["field"], "网格" in refused.json()["message"]) == ("area_id", True)
    assert Case.objects.count() == before
    own = worker.post("/api/cases", {**body, "area_id": world.grid_a.pk}, content_type="application/json")
    assert own.status_code == 201
    operator = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=world.operator, name='o').secret}")
    anywhere = operator.post("/api/cases", body, content_type="application/json")
    assert anywhere.status_code == 201
    assert Case.objects.count() == before + 2
