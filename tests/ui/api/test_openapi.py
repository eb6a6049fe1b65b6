"""The OpenAPI description is valid, complete, and accurate enough to drive a client built from it."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import jsonschema_rs
from django.test import Client
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from gridgov.data.access.tokens import create_token
from tests.factories import TownWorld, jpeg


def spec() -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_openapi_document_is_valid_openapi_31(db) -> None:
    document = spec()
    assert document["openapi"].startswith("3.1")
    OPENAPI_31_VALIDATOR.validate(document)  # raises on any violation of the OpenAPI 3.1 meta-schema
    operation_ids = [op["operationId"] for path in document["paths"].values() for op in path.values()]
    assert set(operation_ids) == {
        "create_case",
        "download_attachment",
        "get_case",
        "list_areas",
        "list_attachments",
        "list_case_actions",
        "list_categories",
        "list_cases",
        "list_departments",
        "me",
        "take_action",
        "upload_attachments",
        "reveal_contact",
        "list_notifications",
        "read_notifications",
        "get_indicators",
        "get_rankings",
        "list_indicator_cases",
        "list_enterprises",
        "get_enterprise",
        "list_hazards",
        "get_hazard",
        "create_hazard",
        "list_service_requests",
        "get_service_request",
        "list_disputes",
        "get_dispute",
        "create_dispute",
        "reveal_dispute_parties",
        "create_service_request",
        "create_problem_item",
        "list_inspection_rounds",
        "get_inspection_round",
        "list_problem_lists",
        "list_problem_items",
        "get_problem_item",
        # the people register (issue 15)
        "list_houses",
        "get_house",
        "create_house",
        "patch_house",
        "list_households",
        "get_household",
        "create_household",
        "patch_household",
        "list_residents",
        "get_resident",
        "create_resident",
        "patch_resident",
        "move_out_resident",
        "list_due_visits",
        "list_visits",
        "get_visit",
        "get_visit_photo",
        "create_visit",
        "report_visit_finding",
        "list_payments",
        "get_payment",
        "create_payment",
        "list_veteran_cards",
        "get_veteran_card",
        "create_veteran_card",
        "issue_veteran_card",
        "list_day_care",
        "create_day_care",
        "list_enterprise_years",  # the enterprises' yearly figures (issue 16)
        "get_enterprise_year",
        "create_enterprise_year",
        # investment attraction (issue 16)
        "list_investment_leads",
        "get_investment_lead",
        "create_investment_lead",
        "create_investment_arrival",
        "advance_investment_lead",
        "register_investment_enterprise",
        # key projects (issue 16)
        "list_projects",
        "get_project",
        "report_project_progress",
        "get_project_photo",
        "create_project",
        "complete_project_milestone",
        # the villages' collective incomes (issue 16)
        "list_incomes",
        "get_income",
        "create_income",
        # the villages' 村企结对 and 共富工坊 (issue 16)
        "list_village_supports",
        "get_village_support",
        "create_village_support",
    }
    assert len(operation_ids) == len(set(operation_ids))  # every operation id unique
    assert document["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}
    # One component per name: a case's lamp and a visit's are the same Lamp, so neither answer breaks the other's
    # schema (two enums of one name once made every case answer "none" invalid).
    assert document["components"]["schemas"]["Lamp"]["enum"] == ["green", "yellow", "red", "paused", "none"]


def test_docs_page_lists_every_operation_and_loads_nothing_from_outside(db) -> None:
    page = Client().get("/api/docs")
    assert page.status_code == 200
    text = page.content.decode()
    for path in spec()["paths"]:
        assert f"<code>{path}</code>" in text
    assert re.findall(r"""(?:src|href)=["'](https?:)?//""", text) == []
    assert "<script" not in text


class GeneratedClient:
    """A client that knows nothing but the OpenAPI document: operations by id, bodies checked by the schemas."""

    def __init__(self, document: dict[str, Any], token: str) -> None:
        self.document = document
        self.http = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        self.operations = {
            op["operationId"]: (method, path, op)
            for path, methods in document["paths"].items()
            for method, op in methods.items()
        }

    def _validator(self, schema: dict[str, Any]) -> Any:
        root = {**schema, "components": self.document["components"]}
        return jsonschema_rs.Draft202012Validator(root)

    def call(self, operation_id: str, body: Any = None, **params: Any) -> tuple[int, Any]:
        method, path, op = self.operations[operation_id]
        query = {}
        for parameter in op.get("parameters", []):
            if parameter["in"] == "path":
                path = path.replace("{" + parameter["name"] + "}", str(params.pop(parameter["name"])))
            elif parameter["in"] == "query" and parameter["name"] in params:
                query[parameter["name"]] = params.pop(parameter["name"])
        assert params == {}, f"not in the spec: {params}"
        if body is not None:
            request_schema = op["requestBody"]["content"]["application/json"]["schema"]
            self._validator(request_schema).validate(body)
            response = self.http.generic(method.upper(), path, json.dumps(body), content_type="application/json")
        else:
            response = self.http.get(path, query)
        declared = op["responses"][str(response.status_code)]
        payload = response.json()
        self._validator(declared["content"]["application/json"]["schema"]).validate(payload)
        return response.status_code, payload


def test_a_client_built_from_the_spec_reports_and_dispatches_a_case(world: TownWorld) -> None:
    document = spec()
    reporter = GeneratedClient(document, create_token(user=world.grid_worker_a, name="app").secret)
    operator = GeneratedClient(document, create_token(user=world.operator, name="desk").secret)
    status, created = reporter.call(
        "create_case",
        {
            "category": "1201",
            "description": "桥下垃圾",
            "area_id": world.grid_a.pk,
            "photos": [{"name": "a.jpg", "data_base64": base64.b64encode(jpeg()).decode(), "kind": "before"}],
        },
    )
    assert (status, created["status"]) == (201, "reported")
    status, offers = operator.call("list_case_actions", case_id=created["id"])
    assert "register" in {o["action"] for o in offers}
    operator.call("take_action", {"action": "register", "expected_version": created["version"]}, case_id=created["id"])
    status, case = operator.call(
        "take_action", {"action": "dispatch", "department_id": world.dept_a.pk}, case_id=created["id"]
    )
    assert (status, case["status"], case["department"]["name"]) == (200, "dispatched", "综合行政执法中队")
    status, page = operator.call("list_cases", status=["dispatched"])
    assert [row["number"] for row in page["results"]] == [created["number"]]
    # errors are described too: stale version, unknown case, bad input
    assert operator.call("take_action", {"action": "sign", "expected_version": 1}, case_id=created["id"])[0] == 409
    assert reporter.call("get_case", case_id=999999)[0] == 404
    assert reporter.call("list_cases", page_size=1000)[0] == 422
    for operation in ("me", "list_areas", "list_departments", "list_categories"):
        assert operator.call(operation)[0] == 200
    status, attachments = operator.call("list_attachments", case_id=created["id"])
    assert [a["kind"] for a in attachments] == ["before"]
