"""What the API's shared schema pieces promise: the ids a row can have."""

from __future__ import annotations

import pytest
from django.test import Client

from gridgov.data.errors import NotFound
from gridgov.ui.api.schemas import MAX_ID, row_id


def test_row_id_lets_through_every_id_a_row_can_have_and_refuses_the_others_with_the_message_given() -> None:
    assert (row_id(1, "无"), row_id(MAX_ID, "无")) == (1, MAX_ID)
    for value in (0, -1, MAX_ID + 1):
        with pytest.raises(NotFound) as refused:
            row_id(value, "记录不存在")
        assert refused.value.message == "记录不存在"


def test_the_ledger_pages_keep_the_names_clients_generated_their_code_from(db) -> None:
    document = Client().get("/api/openapi.json").json()
    answers = {
        path: operations["get"]["responses"]["200"]["content"]["application/json"]["schema"].get("$ref", "")
        for path, operations in document["paths"].items()
        if path in ("/api/hazards", "/api/service-requests", "/api/residents")
    }
    assert answers == {
        "/api/hazards": "#/components/schemas/HazardPageOut",
        "/api/service-requests": "#/components/schemas/ServicePageOut",
        "/api/residents": "#/components/schemas/ResidentPageOut",
    }
