"""GeoReport v2 documents as JSON or XML (ElementTree), with the spec's root and item element names."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils import timezone

from gridgov.data.safetext import xml_text

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
# Element name of the items of a list, by the list's own element name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
}


def timestamp(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset, in the town's time zone: 2026-11-23T09:00:00+08:00."""
    return None if moment is None else timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value: Any) -> str:  # Any: any value JSON or the Open311 XML holds
    """The element's text; characters XML 1.0 cannot hold (U+FFFF, U+FFFE, C0 controls — input refuses only
    the controls) are dropped, so one such description cannot make a whole list unreadable."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_text(str(value))


def _fill(element: ElementTree.Element, value: Any) -> None:  # Any: any value JSON or the Open311 XML holds
    if isinstance(value, Mapping):
        for key, child in value.items():
            _fill(ElementTree.SubElement(element, key), child)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for child in value:
            _fill(ElementTree.SubElement(element, item_name), child)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:  # Any: any value JSON or the Open311 XML holds
    element = ElementTree.Element(root)
    _fill(element, value)
    document: bytes = ElementTree.tostring(element, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + document


def respond(
    fmt: str,
    root: str,
    value: Any,
    *,
    status: int = 200,  # Any: any value JSON or the Open311 XML holds
) -> HttpResponse:  # Any: any value JSON or the Open311 XML holds
    if fmt == "xml":
        return HttpResponse(to_xml(root, value), content_type=XML_TYPE, status=status)
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode(), content_type=JSON_TYPE, status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", [{"code": status, "description": description}], status=status)
