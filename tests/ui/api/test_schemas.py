"""What the API's shared schema pieces promise: a ledger list's page, and the ids a row can have."""

from __future__ import annotations

import pytest
from django.test import Client
from pydantic import ValidationError

from gridgov.data.errors import NotFound
from gridgov.ui.api.ledgers.hazards import HazardOut
from gridgov.ui.api.schemas import MAX_ID, Page, row_id


def test_a_ledger_page_answers_the_counts_then_its_rows_each_in_the_ledgers_schema(db) -> None:
    document = Client().get("/api/openapi.json").json()
    answer = document["paths"]["/api/hazards"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    name = answer["$ref"].removeprefix("#/components/schemas/")
    page = document["components"]["schemas"][name]
    assert (name, list(page["properties"]), page["required"], page["properties"]["results"]["items"]) == (
        "Page_HazardOut_",
        ["count", "page", "page_size", "pages", "results"],
        ["count", "page", "page_size", "pages", "results"],
        {"$ref": "#/components/schemas/HazardOut"},
    )


def test_a_page_checks_its_rows_against_the_ledgers_schema() -> None:
    with pytest.raises(ValidationError) as refused:
        Page[HazardOut].model_validate({"count": 1, "page": 1, "page_size": 50, "pages": 1, "results": [{}]})
    missing = [error["loc"] for error in refused.value.errors() if error["type"] == "missing"]
    assert missing == [("results", 0, field) for field in HazardOut.model_fields]


def test_row_id_lets_through_every_id_a_row_can_have_and_refuses_the_others_with_the_message_given() -> None:
    assert (row_id(1, "无"), row_id(MAX_ID, "无")) == (1, MAX_ID)
    for value in (0, -1, MAX_ID + 1):
        with pytest.raises(NotFound) as refused:
            row_id(value, "记录不存在")
        assert refused.value.message == "记录不存在"
