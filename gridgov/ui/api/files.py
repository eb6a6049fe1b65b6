"""How the API serves a stored photo or attachment: a file the endpoint has checked the user may see, cached only
privately and never content-sniffed; and how such an endpoint's file answer is described in the OpenAPI document."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from gridgov.types import JSONObject


def private_file(stored: FieldFile, *, content_type: str) -> FileResponse:
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_answer(description: str, content_type: str) -> JSONObject:
    """The ``openapi_extra`` of a ``GET`` answering 200 with a file (binary of ``content_type``)."""
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }
