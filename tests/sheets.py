"""Spreadsheets as the town's staff upload them, built in memory for the import tests."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils import timezone
from openpyxl import Workbook

from gridgov.data.org.models import User
from gridgov.data.sheets.framework import ImportContext
from tests.factories import TownWorld


def workbook(headers: Sequence[object], rows: Sequence[Sequence[object]]) -> bytes:
    """An .xlsx file whose first sheet has ``headers`` in its first row and then ``rows``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_context(world: TownWorld, user: User | None = None) -> ImportContext:
    """An import into ``world``'s town by ``user`` (the command room's operator unless given), now."""
    return ImportContext(town=world.town, user=user or world.operator, now=timezone.now())
