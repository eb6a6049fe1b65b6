"""The history importer, registered with the sheets framework (web: /imports/history/; command: import_history).

The framework reads the sheet, checks every row (dry run, no lock held), skips cases imported before and
hands the rest to ``apply_all``, which writes them all or none through the bulk path
(``gridgov.data.cases.domain.history.import_historical_cases``: bulk inserts in one short transaction).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.access.permissions import memberships_of
from gridgov.data.cases.domain.history import (
    HistoricalCase,
    Limits,
    check_deadlines,
    import_historical_cases,
)
from gridgov.data.cases.models import Case
from gridgov.data.errors import InvalidInput
from gridgov.data.org.enums import Role
from gridgov.data.org.models import User
from gridgov.data.sheets.importer import ImportContext, Importer, RowInvalid, per_import
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.ops.history.rows import COLUMNS, RowReader
from gridgov.types import SheetRow

# Errors about the place are reported on the village column.
_COLUMN_OF_FIELD = {"area": "village"}


class HistoryImporter(Importer):
    name = "history"
    title = gettext_lazy("历史事件（原平台导出）")
    columns = COLUMNS
    notes = gettext_lazy(
        "每行一件原平台的事件。时间写成 2022-03-07 09:30；只写日期的处置期限按当天24时计。"
        "已结案但没有派遣时间的事件按“自行处置”导入。同一编号重复导入会被跳过。"
    )

    def allowed(self, user: User) -> bool:
        """Only administrators: an import writes years of cases into every indicator."""
        if not user.is_authenticated:
            return False
        # From the memberships the request has read already (every page's menu asks this).
        return user.is_superuser or any(m.role == Role.ADMIN for m in memberships_of(user))

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> HistoricalCase:
        state = _state(ctx)
        try:
            record = state.reader.read(row)
        except InvalidInput as error:
            column = _COLUMN_OF_FIELD.get(error.field or "", error.field)
            raise RowInvalid(column, error.message) from None
        check_deadlines(record, calendar=state.calendar, limits=state.limits)
        if state.numbers.get(record.number) is False:
            raise RowInvalid(
                "number", _("编号 %(n)s 已被本平台的事件使用，不能作为历史事件导入") % {"n": record.number}
            )
        return record

    def natural_key(self, parsed: HistoricalCase) -> Hashable:
        return parsed.number

    def exists(self, parsed: HistoricalCase, *, ctx: ImportContext) -> bool:
        return _state(ctx).numbers.get(parsed.number) is True

    def apply(self, parsed: HistoricalCase, *, ctx: ImportContext) -> None:
        """One row: the bulk path with a single record (as ``import_historical_case`` does)."""
        self.apply_all([parsed], ctx=ctx)

    def apply_all(self, rows: list[HistoricalCase], *, ctx: ImportContext) -> bool:
        """All rows through the bulk path: described first, then written in one short transaction."""
        state = _state(ctx)
        import_historical_cases(
            town=ctx.town,
            records=rows,
            imported_by=ctx.user,
            now=ctx.now,
            calendar=state.calendar,
            limits=state.limits,
        )
        return True


@dataclass
class _State:
    reader: RowReader
    calendar: WorkCalendar
    limits: Limits
    numbers: dict[str, bool]


@per_import
def _state(ctx: ImportContext) -> _State:
    """What one import looks up once, not per row: the town's categories, areas and departments, the working
    calendar, time limits, and the case numbers the town already has (number → imported)."""
    return _State(
        reader=RowReader(town=ctx.town, now=ctx.now),
        calendar=WorkCalendar.load(),
        limits=Limits(),
        numbers=dict(Case.objects.filter(town=ctx.town).values_list("number", "imported")),
    )
