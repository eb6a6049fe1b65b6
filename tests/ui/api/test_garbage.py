"""Malformed input to every write endpoint: a 4xx JSON error, never a 500, and nothing written."""

from __future__ import annotations

import pytest
from django.test import Client

from gridgov.data.access.models import IdempotencyRecord
from gridgov.data.access.tokens import create_token
from gridgov.data.cases.models import Case, CaseAction
from tests.factories import TownWorld

GARBAGE = [
    ("application/json", b"{"),
    ("application/json", b"null"),
    ("application/json", b"[]"),
    ("application/json", b'"text"'),
    ("application/json", b'{"category": 12, "description": ["x"]}'),
    ("application/json", b'{"category": "1201", "description": "x", "latitude": "north"}'),
    ("application/json", b'{"category": "1201", "description": "x", "latitude": 1e999}'),
    ("application/json", b'{"category": "1201", "description": "x", "area_id": 99999999999999999999999}'),
    ("application/json", b'{"action": "register", "expected_version": -1}'),
    ("application/json", b'{"action": "dispatch", "department_id": "abc"}'),
    ("application/json", b'{"action": "resolve", "note": "x", "photos": [{"name": "a", "data_base64": "@@@"}]}'),
    ("application/json", b'{"description": "\\ud800"}'),
    ("application/json", b"\xff\xfe\x00garbage"),
    ("application/xml", b"<case><description>x</description></case>"),
    ("text/plain", b"hello"),
    ("multipart/form-data; boundary=zz", b"--zz\r\nbroken"),
    ("application/x-www-form-urlencoded", b"%%%=&&"),
]


@pytest.mark.parametrize(("content_type", "data"), GARBAGE)
def test_garbage_to_every_write_endpoint(world: TownWorld, content_type: str, data: bytes) -> None:
    case = world.report()
    before = (Case.objects.count(), CaseAction.objects.count(), IdempotencyRecord.objects.count())
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=world.operator, name='t').secret}")
    for path in ("/api/cases", f"/api/cases/{case.pk}/actions", f"/api/cases/{case.pk}/attachments"):
        response = client.generic("POST", path, data, content_type=content_type, headers={"Idempotency-Key": "g-1"})
        assert 400 <= response.status_code < 500, (path, response.status_code, response.content[:200])
        body = response.json()
        assert set(body) == {"code", "message", "message_en", "field"}
        assert body["message"]
    assert (Case.objects.count(), CaseAction.objects.count(), IdempotencyRecord.objects.count()) == before


def test_huge_and_odd_ids_are_404_not_500(world: TownWorld) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=world.operator, name='t').secret}")
    for path in ("/api/cases/0", "/api/cases/99999999999999999999", "/api/cases/-1", "/api/cases/abc"):
        response = client.get(path)
        assert response.status_code in (404, 422), path
        assert response.json()["code"] in ("not_found", "invalid_input")
    assert client.get("/api/cases/1/attachments/99999999999999999999").status_code in (404, 422)


def test_a_method_a_path_does_not_take_is_a_json_405(world: TownWorld) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=world.operator, name='t').secret}")
    for method, path, allowed in (
        ("DELETE", "/api/cases", {"GET", "POST"}),
        ("PUT", "/api/me", {"GET"}),
        ("PATCH", f"/api/cases/{world.report().pk}", {"GET"}),
    ):
        response = client.generic(method, path)
        assert (response.status_code, response["Content-Type"]) == (405, "application/json; charset=utf-8"), path
        assert set(response["Allow"].split(", ")) == allowed
        assert response.json() == {
            "code": "method_not_allowed",
            "message": "不支持该请求方法",
            "message_en": "Method not allowed.",
            "field": None,
        }


def test_a_path_the_api_does_not_have_is_a_json_404(world: TownWorld) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=world.operator, name='t').secret}")
    for method, path in (("GET", "/api/cases/"), ("GET", "/api/nothing"), ("POST", "/api/cases/1/"), ("GET", "/api/")):
        response = client.generic(method, path)
        assert (response.status_code, response["Content-Type"]) == (404, "application/json; charset=utf-8"), path
        assert response.json()["code"] == "not_found"
    redirected = client.get("/api/tokens?x=1")
    assert (redirected.status_code, redirected["Location"]) == (301, "/api/tokens/?x=1")


def test_a_ledger_record_id_no_row_can_have_is_that_ledgers_404(world: TownWorld) -> None:
    """An id beyond the database's range is answered as a missing record of that ledger, not as a missing event."""
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=world.operator, name='t').secret}")
    answers = {
        path: (response.status_code, response.json()["message"])
        for path in (
            "/api/disputes/99999999999999999999",
            "/api/enterprises/99999999999999999999",
            "/api/problem-items/99999999999999999999",
            "/api/inspection-rounds/99999999999999999999",
        )
        for response in [client.get(path)]
    }
    assert answers == {
        "/api/disputes/99999999999999999999": (404, "纠纷不存在或您无权查看"),
        "/api/enterprises/99999999999999999999": (404, "企业不存在或您无权查看"),
        "/api/problem-items/99999999999999999999": (404, "问题不存在或您无权查看"),
        "/api/inspection-rounds/99999999999999999999": (404, "督查不存在或您无权查看"),
    }
