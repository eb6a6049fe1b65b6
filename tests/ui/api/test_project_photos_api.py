"""Site photos of a project's progress report through the API: taken as base64, as POST /api/cases takes them,
once per Idempotency-Key, their addresses listed in the report and the project's answers and served only within
the project's scope; a file that is not a photo refuses the report with nothing written."""

from __future__ import annotations

import base64

import pytest

from gridgov.data.projects.models import ProgressPhoto, ProgressReport
from tests.data.projects.builders import project, today
from tests.factories import TownWorld, jpeg

pytestmark = pytest.mark.django_db


def test_api_report_with_a_photo_lists_its_addresses(world: TownWorld, as_user) -> None:
    built = project(world)
    base = today()
    body = {
        "year": base.year,
        "month": base.month,
        "investment": "35万",
        "photos": [{"name": "site.jpg", "data_base64": base64.b64encode(jpeg(size=(640, 480))).decode()}],
    }
    client = as_user(world.handler_a)
    answer = client.post(f"/api/projects/{built.pk}/progress", body, **{"Idempotency-Key": "ph-1"})
    assert answer.status_code == 201
    photo = ProgressPhoto.objects.get()
    shown = answer.json()["photos"]
    expected_url = f"/api/projects/{built.pk}/photos/{photo.pk}?size=display"
    assert [(p["id"], p["name"], p["width"], p["height"], p["url"]) for p in shown] == [
        (photo.pk, "site.jpg", 640, 480, expected_url)
    ]
    again = client.post(f"/api/projects/{built.pk}/progress", body, **{"Idempotency-Key": "ph-1"})
    assert (again.status_code, again.json()) == (200, answer.json())
    assert ProgressPhoto.objects.count() == 1
    detail = as_user(world.leader).get(f"/api/projects/{built.pk}").json()
    assert [[p["thumbnail_url"] for p in r["photos"]] for r in detail["reports"]] == [[shown[0]["thumbnail_url"]]]
    image = as_user(world.leader).client.get(shown[0]["thumbnail_url"])
    assert (image.status_code, image["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
    assert as_user(world.handler_b).client.get(shown[0]["url"]).status_code == 404


def test_api_refuses_a_non_image_with_nothing_written(world: TownWorld, as_user) -> None:
    built = project(world)
    base = today()
    body = {
        "year": base.year,
        "month": base.month,
        "investment": "35万",
        "photos": [{"name": "notes.txt", "data_base64": base64.b64encode(b"hello").decode()}],
    }
    refused = as_user(world.handler_a).post(f"/api/projects/{built.pk}/progress", body)
    assert refused.status_code == 422
    assert "“notes.txt”不是有效的图片" in refused.json()["message"]
    assert (ProgressReport.objects.count(), ProgressPhoto.objects.count()) == (0, 0)
