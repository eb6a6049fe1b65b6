"""A case list as an Excel workbook (.xlsx): Chinese headers, one row per case, dates as real cells."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from gridgov.data.cases.domain.deadlines import lamp_of
from gridgov.data.cases.models import Case, Notification

MAX_ROWS = 50_000
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


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


def case_row(case: Case, *, now: datetime) -> list[object]:
    deadline = case.dispatch_deadline if case.status in ("reported", "registered") else case.handle_deadline
    if case.status not in ("reported", "registered", "dispatched", "handling"):
        deadline = None
    return [
        case.number,
        str(case.get_status_display()),
        str(lamp_of(case, now=now).label),
        case.major_category.name,
        case.category.name,
        str(case.get_priority_display()),
        str(case.get_channel_display()),
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


def cases_workbook(cases: Iterable[Case], *, now: datetime, title: str) -> bytes:
    """The workbook bytes for ``cases`` (already filtered, scoped and ordered by the caller)."""
    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31] or "cases"
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    date_columns = (14, 15, 16)
    for count, case in enumerate(cases, start=1):
        if count > MAX_ROWS:
            break
        sheet.append(case_row(case, now=now))
        for column in date_columns:
            sheet.cell(row=count + 1, column=column).number_format = DATETIME_FORMAT
    widths = [16, 8, 8, 12, 14, 8, 12, 10, 14, 20, 40, 16, 10, 17, 17, 17]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def notifications_workbook(rows: Iterable[Notification], *, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31] or "notifications"
    sheet.append([_("时间"), _("编号"), _("内容"), _("状态")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for count, row in enumerate(rows, start=2):
        sheet.append([_local(row.created_at), row.case.number, row.message, _("已读") if row.read_at else _("未读")])
        sheet.cell(row=count, column=1).number_format = DATETIME_FORMAT
    for index, width in enumerate([17, 16, 60, 8], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
