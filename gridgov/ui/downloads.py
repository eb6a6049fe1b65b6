"""A generated file (an Excel list, a Word bulletin, a JSON copy of someone's data) handed to the browser as a
download under its own name — the one response every page with an export button answers."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

from gridgov.data.sheets.framework import XLSX_CONTENT_TYPE

XLSX = XLSX_CONTENT_TYPE
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(content: bytes, filename: str, content_type: str = XLSX, *, plain_name: str = "") -> HttpResponse:
    """``content`` as a download named ``filename`` (any script: UTF-8, percent-encoded, RFC 6266 ``filename*``);
    ``plain_name``, an ASCII name for the old clients that read only ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    plain = f'filename="{plain_name}"; ' if plain_name else ""
    response["Content-Disposition"] = f"attachment; {plain}filename*=UTF-8''{quote(filename)}"
    return response
