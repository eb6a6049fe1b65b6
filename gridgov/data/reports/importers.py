"""Excel import of economic and social indicator actuals (经济社会指标实际值), through the sheets framework.

One row per indicator and month or quarter: 指标编码 (or 指标名称), 年度, 月份/季度, 实际值, 备注. Importing
the same file again changes nothing (identical rows are skipped); a row with a corrected value replaces the
value entered before.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.errors import InvalidInput
from gridgov.data.org.models import User
from gridgov.data.reports.domain.economy import parse_value, period_count, record_actual
from gridgov.data.reports.domain.viewers import viewer_of
from gridgov.data.reports.models import IndicatorActual, IndicatorDefinition
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import Column, ImportContext, Importer, RowInvalid, register
from gridgov.types import CellValue, SheetRow


@dataclass(frozen=True)
class ActualRow:
    indicator: IndicatorDefinition
    year: int
    period: int
    value: Decimal
    note: str


def _period(value: CellValue, *, column: str) -> int:
    """12 / "12" / "12月" / "第四季度" / "Q4" / "四季度" → the month or quarter number."""
    if value in (None, ""):
        raise RowInvalid(column, _("必填项为空"))
    raw = str(value).strip().upper().removeprefix("第").removesuffix("月").removesuffix("季度").removeprefix("Q")
    raw = {"一": "1", "二": "2", "三": "3", "四": "4"}.get(raw, raw)
    if not raw.isdigit():
        raise RowInvalid(column, _("“%(value)s”不是月份或季度（如 3、3月、第一季度）") % {"value": value})
    return int(raw)


class IndicatorActualImporter(Importer):
    name = "indicator-actuals"
    title = gettext_lazy("经济社会指标实际值")
    notes = gettext_lazy("按月填报的指标填月份（1–12），按季填报的指标填季度（1–4）；金额按指标的计量单位填写。")
    columns = (
        Column("code", gettext_lazy("指标编码"), aliases=("编码",), example="GYZCZ"),
        Column("name", gettext_lazy("指标名称"), aliases=("指标",), example="工业总产值"),
        Column("year", gettext_lazy("年度"), required=True, aliases=("年份",), example="2026"),
        Column("period", gettext_lazy("月份/季度"), required=True, aliases=("月份", "季度", "期间"), example="3"),
        Column("value", gettext_lazy("实际值"), required=True, aliases=("数值", "完成值"), example="23166.5"),
        Column("note", gettext_lazy("备注"), example=""),
    )

    def allowed(self, user: User) -> bool:
        return bool(viewer_of(user).towns)

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> ActualRow:
        code = cells.text(row.get("code"), column="code")
        name = cells.text(row.get("name"), column="name")
        if not code and not name:
            raise RowInvalid("code", _("请填写指标编码或指标名称"))
        found = IndicatorDefinition.objects.filter(town=ctx.town)
        indicator = found.filter(code=code).first() if code else found.filter(name=name).first()
        if indicator is None:
            column, text = ("code", code) if code else ("name", name)
            raise RowInvalid(column, _("本镇没有指标“%(text)s”，请先在经济社会指标页面新增") % {"text": text})
        year = cells.count(row.get("year"), column="year")
        if not 2000 <= year <= 2100:
            raise RowInvalid("year", _("年度必须在 2000 至 2100 之间"))
        period = _period(row.get("period"), column="period")
        last = period_count(indicator.frequency)
        if not 1 <= period <= last:
            message = _("月份必须在 1 至 12 之间") if last == 12 else _("季度必须在 1 至 4 之间")
            raise RowInvalid("period", message)
        try:
            value = parse_value(row.get("value"))
        except InvalidInput as error:
            raise RowInvalid("value", error.message) from None
        return ActualRow(
            indicator=indicator,
            year=year,
            period=period,
            value=value,
            note=cells.text(row.get("note"), column="note", max_length=200),
        )

    def natural_key(self, parsed: ActualRow) -> Hashable:
        return (parsed.indicator.pk, parsed.year, parsed.period)

    def exists(self, parsed: ActualRow, *, ctx: ImportContext) -> bool:
        """Already entered with the same value: nothing to do (a different value is a correction)."""
        return IndicatorActual.objects.filter(
            indicator=parsed.indicator, year=parsed.year, period=parsed.period, value=parsed.value
        ).exists()

    def apply(self, parsed: ActualRow, *, ctx: ImportContext) -> None:
        record_actual(
            indicator=parsed.indicator,
            year=parsed.year,
            period=parsed.period,
            value=parsed.value,
            note=parsed.note,
            user=ctx.user,
            now=ctx.now,
        )


INDICATOR_ACTUALS = IndicatorActualImporter()


def register_importers() -> None:
    register(INDICATOR_ACTUALS)
