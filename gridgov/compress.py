"""Gzip for responses that shrink: Django's GZipMiddleware (with its BREACH mitigation, random bytes in the
gzip header) minus the formats that are compressed already — photos, and xlsx/docx exports (zip files) —
which would only cost CPU and lose their Content-Length. Static files never get here: whitenoise answers
them first, with the .gz built beside each file."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

PACKED_TYPES = ("image/", "video/", "audio/", "application/zip", "application/pdf", "application/vnd.openxmlformats")


class GZipUnpackedMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        kind = response.get("Content-Type", "").split(";")[0].strip().lower()
        if kind.startswith(PACKED_TYPES) and kind != "image/svg+xml":
            return response
        return super().process_response(request, response)
