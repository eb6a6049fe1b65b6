"""A case list as an Excel workbook (.xlsx): Chinese headers, one row per case, dates as real cells."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from gridgov.data.cases.domain.deadlines import deadline_view, time_left_text
from gridgov.data.cases.domain.notifications import notification_text
from gridgov.data.cases.enums import Channel, Lamp, Status
from gridgov.data.cases.models import Case, Notification
from gridgov.data.safetext import excel_row, sheet_title, xml_text
from gridgov.data.taxonomy.enums import Priority
from gridgov.data.worktime.calendar import WorkCalendar

MAX_ROWS = 50_000
# What a row reads (the fields of the lamp and of the time left included), as plain values: no model instances
# for a long export.
EXPORT_FIELDS = (
    "number",
    "status",
    "priority",
    "channel",
    "address",
    "description",
    "reported_at",
    "closed_at",
    "dispatch_clock",
    "dispatch_limit_unit",
    "dispatch_deadline",
    "dispatch_warn_at",
    "dispatch_provisional",
    "handle_clock",
    "handle_limit_unit",
    "handle_deadline",
    "handle_warn_at",
    "handle_provisional",
    "category__name",
    "major_category__name",
    "village__name",
    "grid__name",
    "department__name",
    "handler__full_name",
    "handler__username",
)
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_BOLD = Font(bold=True)


def _local(value: datetime | None) -> datetime | None:
    """Excel has no time zones: write the local (Asia/Shanghai) wall time without tzinfo."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, second=0, microsecond=0)


def headers() -> list[str]:
    return [
        _("编号"),
        _("状态"),
        _("期限灯"),
        _("剩余/超期"),
        _("大类"),
        _("小类"),
        _("紧急程度"),
        _("来源渠道"),
        _("村/社区"),
        _("网格"),
        _("地址"),
        _("描述"),
        _("处置部门"),
        _("处置人"),
        _("上报时间"),
        _("期限"),
        _("结案时间"),
    ]


@dataclass(frozen=True, slots=True)
class Labels:
    """The display labels of the coded columns, translated once per export (not once per cell)."""

    status: dict[str, str]
    lamp: dict[str, str]
    priority: dict[str, str]
    channel: dict[str, str]

    @classmethod
    def now(cls) -> Labels:
        def of(choices: Iterable[tuple[object, object]]) -> dict[str, str]:
            return {str(value): str(label) for value, label in choices}

        return cls(
            status=of(Status.choices), lamp=of(Lamp.choices), priority=of(Priority.choices), channel=of(Channel.choices)
        )


def case_row(case: Case, *, now: datetime, calendar: WorkCalendar, labels: Labels | None = None) -> list[object]:
    labels = labels or Labels.now()
    view = deadline_view(case, now=now, calendar=calendar)
    deadline = case.dispatch_deadline if case.status in ("reported", "registered") else case.handle_deadline
    if case.status not in ("reported", "registered", "dispatched", "handling"):
        deadline = None
    return [
        case.number,
        labels.status.get(case.status, case.status),
        labels.lamp.get(view.lamp, ""),
        time_left_text(view),
        case.major_category.name,
        case.category.name,
        labels.priority.get(case.priority, case.priority),
        labels.channel.get(case.channel, case.channel),
        case.village.name if case.village else "",
        case.grid.name if case.grid else "",
        case.address,
        case.description,
        case.department.name if case.department else "",
        str(case.handler) if case.handler else "",
        _local(case.reported_at),
        _local(deadline),
        _local(case.closed_at),
    ]


def _values_row(
    row: Any, *, now: datetime, calendar: WorkCalendar, labels: Labels
) -> list[object]:  # Any: a named values_list() row, whose fields (EXPORT_FIELDS) Django's stubs do not type
    """``case_row`` for a row of ``EXPORT_FIELDS`` values (the deadline view reads the same attributes on it)."""
    view = deadline_view(cast(Case, row), now=now, calendar=calendar)
    open_phase = row.status in ("reported", "registered", "dispatched", "handling")
    deadline = row.dispatch_deadline if row.status in ("reported", "registered") else row.handle_deadline
    return [
        row.number,
        labels.status.get(row.status, row.status),
        labels.lamp.get(view.lamp, ""),
        time_left_text(view),
        row.major_category__name,
        row.category__name,
        labels.priority.get(row.priority, row.priority),
        labels.channel.get(row.channel, row.channel),
        row.village__name or "",
        row.grid__name or "",
        row.address,
        row.description,
        row.department__name or "",
        row.handler__full_name or row.handler__username or "",
        _local(row.reported_at),
        _local(deadline if open_phase else None),
        _local(row.closed_at),
    ]


def _header_row(sheet: WriteOnlyWorksheet, names: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=xml_text(name))
        cell.font = _BOLD
        cells.append(cell)
    return cells


def _date_cell(sheet: WriteOnlyWorksheet, value: datetime | None) -> WriteOnlyCell | None:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = DATETIME_FORMAT
    return cell


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cases_workbook(cases: Iterable[Case], *, now: datetime, calendar: WorkCalendar, title: str) -> bytes:
    """The workbook bytes for ``cases`` (already filtered, scoped and ordered by the caller).

    Written row by row (openpyxl's write-only mode), every text cell through ``safetext.excel_cell``."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title(title, default="cases"))
    widths = [16, 8, 8, 18, 12, 14, 8, 12, 10, 14, 20, 40, 16, 10, 17, 17, 17]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_header_row(sheet, headers()))
    labels = Labels.now()
    if isinstance(cases, QuerySet):
        plain = cases.values_list(*EXPORT_FIELDS, named=True)[:MAX_ROWS].iterator(chunk_size=2000)
        rows: Iterable[list[object]] = (_values_row(row, now=now, calendar=calendar, labels=labels) for row in plain)
    else:
        rows = (case_row(case, now=now, calendar=calendar, labels=labels) for case in cases)
    for count, values in enumerate(rows, start=1):
        if count > MAX_ROWS:
            break
        text, dates = values[:14], values[14:]
        sheet.append(excel_row(sheet, text) + [_date_cell(sheet, d) for d in dates])  # type: ignore[arg-type]  # openpyxl's append accepts cells and values mixed; its stubs say values
    return _save(book)


def notifications_workbook(rows: Iterable[Notification], *, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title(title, default="notifications"))
    for index, width in enumerate([17, 16, 60, 8], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(_header_row(sheet, [_("时间"), _("编号"), _("内容"), _("状态")]))
    for row in rows:
        values = [row.case.number, notification_text(row), _("已读") if row.read_at else _("未读")]
        sheet.append([_date_cell(sheet, _local(row.created_at)), *excel_row(sheet, values)])
    return _save(book)
