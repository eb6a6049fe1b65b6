"""The enterprises' yearly figures through the API: created once per Idempotency-Key, a second entry corrects,
bad input refused (422, field named) with nothing written, seen per role, lists in a constant number of queries,
in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.data.enterprises.domain.enterprises import create_enterprise
from gridgov.data.enterprises.domain.yearly import YearInput, record_year
from gridgov.data.enterprises.models_yearly import EnterpriseYear
from tests.data.enterprises.conftest import EnterpriseWorld, build_enterprise_world, valid_code
from tests.factories import MONDAY_0900, TownWorld
from tests.ui.api.conftest import ApiClient

URL = "/api/enterprise-years"


@pytest.fixture
def ew(world: TownWorld) -> EnterpriseWorld:
    return build_enterprise_world(world)


def test_created_once_per_key_then_corrected(ew: EnterpriseWorld) -> None:
    staff = ApiClient(ew.w.operator)
    body = {"enterprise_id": ew.shipyard.pk, "year": 2025, "above_scale": True, "land_mu": "12.5", "tax": "3.5万"}
    first = staff.post(URL, body, **{"Idempotency-Key": "ey-1"})
    assert first.status_code == 201
    shown = first.json()
    assert (shown["tax_per_mu"], shown["above_scale_since"], shown["new_above_scale"]) == (2800.0, 2025, True)
    again = staff.post(URL, body, **{"Idempotency-Key": "ey-1"})
    assert (again.status_code, again.json()) == (200, shown)
    corrected = staff.post(URL, {**body, "tax": "5万"}, **{"Idempotency-Key": "ey-2"})
    assert (corrected.status_code, corrected.json()["id"], corrected.json()["tax"]) == (201, shown["id"], 50000.0)
    assert EnterpriseYear.objects.count() == 1


def test_bad_input_is_refused_with_the_field_and_nothing_written(ew: EnterpriseWorld) -> None:
    staff = ApiClient(ew.w.operator)
    base = {"enterprise_id": ew.shipyard.pk, "year": 2025}
    land = staff.post(URL, {**base, "land_mu": "0"})
    assert (land.status_code, land.json()["field"], land.json()["message"]) == (422, "land_mu", "用地面积（亩）应大于0")
    tax = staff.post(URL, {**base, "tax": "三万"})
    assert (tax.status_code, tax.json()["field"], tax.json()["message"]) == (422, "tax", "税收：“三万”不是金额")
    future = staff.post(URL, {**base, "low_efficiency": True, "rectification": "done", "rectified_on": "2099-01-01"})
    assert (future.status_code, future.json()["field"]) == (422, "rectified_on")
    assert EnterpriseYear.objects.count() == 0


def test_each_role_sees_and_records_what_the_rule_says(ew: EnterpriseWorld) -> None:
    for firm in (ew.shipyard, ew.chemical):
        record_year(actor=ew.w.operator, data=YearInput(enterprise=firm, year=2025), now=MONDAY_0900)

    def names(client: ApiClient) -> list[str]:
        return sorted(r["enterprise"]["name"] for r in client.get(URL).json()["results"])

    assert names(ApiClient(ew.w.leader)) == ["岱西石化储运有限公司", "岱西船舶修造有限公司"]
    assert names(ApiClient(ew.shipyard_user)) == ["岱西船舶修造有限公司"]
    assert names(ApiClient(ew.w.grid_worker_a)) == []
    refused = ApiClient(ew.shipyard_user).post(URL, {"enterprise_id": ew.shipyard.pk, "year": 2024})
    assert refused.status_code == 403
    assert EnterpriseYear.objects.filter(year=2024).count() == 0


def test_the_list_costs_the_same_queries_for_more_rows(ew: EnterpriseWorld) -> None:
    record_year(actor=ew.w.operator, data=YearInput(enterprise=ew.shipyard, year=2025), now=MONDAY_0900)
    client = ApiClient(ew.w.operator)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for n in range(5):
        firm = create_enterprise(town=ew.w.town, name=f"岱西企业{n}", credit_code=valid_code(f"91330921MA2A0E{n}X1"))
        record_year(actor=ew.w.operator, data=YearInput(enterprise=firm, year=2025), now=MONDAY_0900)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).json()["count"] == 6
    assert len(many) == len(few)


def test_the_endpoints_are_in_the_schema(ew: EnterpriseWorld) -> None:
    paths = ApiClient(ew.w.operator).client.get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths[URL])
    assert "get" in paths[URL + "/{row_id}"]
