"""Excel import of the enterprises' yearly figures (企业年度数据): one row per enterprise and year, the enterprise
found in the town by its 统一社会信用代码 or, without one, by its name. Every row is checked as the domain checks an
entry (``clean_year``); the rows are then written together through ``record_years`` (the bulk path: checked in
year order, so that an enterprise's 规上 since is carried on from its earlier year in the same file, then one insert
and one update in one short transaction — all or nothing). A row equal to the one
recorded is skipped; a row that differs corrects it (as a second entry does)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.enterprises.domain.yearly import CleanYear, YearInput, clean_year, record_years
from gridgov.data.enterprises.enums import Measure, Rectification
from gridgov.data.enterprises.models_yearly import EnterpriseYear
from gridgov.data.enterprises.scope import year_towns
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.data.sheets import cells
from gridgov.data.sheets.framework import Column, ImportContext, Importer, RowInvalid, register
from gridgov.types import CellValue, SheetRow


@dataclass(frozen=True)
class YearRow:
    data: YearInput
    clean: CleanYear


def _enterprise(row: SheetRow, *, town: Area) -> Enterprise:
    code = cells.text(row.get("credit_code"), column="credit_code", max_length=30)
    if code:
        return cells.enterprise_by_code(code, town=town)
    name = cells.text(row.get("name"), column="name", max_length=100)
    if not name:
        raise RowInvalid("name", _("请填写企业名称或统一社会信用代码"))
    matches = list(Enterprise.objects.filter(town=town, name=name)[:2])
    if not matches:
        raise RowInvalid("name", _("企业名录中没有名为“%(v)s”的企业") % {"v": name})
    if len(matches) > 1:
        raise RowInvalid("name", _("企业名录中有多家名为“%(v)s”的企业，请填写统一社会信用代码") % {"v": name})
    return matches[0]


def _text(value: CellValue) -> str:
    return "" if value is None else str(value)


class EnterpriseYearImporter(Importer):
    name = "enterprise-years"
    title = gettext_lazy("企业年度数据（规上、重点企业投资、亩均论英雄、低效企业整治）")
    notes = gettext_lazy(
        "按“统一社会信用代码”（或企业名称）查找企业名录中的企业；每家企业每年一行，再次导入同一企业同一年度即更正。"
        "金额可写1200、3,500万或1.2亿；首次进入规上年度不填则沿用上一年度。"
    )
    columns = (
        Column("name", gettext_lazy("企业名称"), aliases=("企业",), example="岱西船舶修造有限公司"),
        Column("credit_code", gettext_lazy("统一社会信用代码"), aliases=("信用代码",)),
        Column("year", gettext_lazy("年度"), required=True, aliases=("年份",), example="2022"),
        Column("above_scale", gettext_lazy("规上"), aliases=("规上企业",), example="是"),
        Column("above_scale_since", gettext_lazy("首次进入规上年度"), aliases=("首次规上年度",)),
        Column("key", gettext_lazy("重点"), aliases=("重点企业",), example="否"),
        Column("fixed_investment", gettext_lazy("固定资产投资"), aliases=("固定资产投资（元）",), example="3,500万"),
        Column("land_mu", gettext_lazy("用地面积（亩）"), aliases=("用地面积", "占地面积（亩）"), example="12.5"),
        Column("tax", gettext_lazy("税收"), aliases=("税收（元）", "实缴税收"), example="120万"),
        Column("output", gettext_lazy("产值"), aliases=("产值（元）", "工业产值"), example="1.2亿"),
        Column("low_efficiency", gettext_lazy("低效"), aliases=("低效企业",), example="否"),
        Column("rectification", gettext_lazy("整治状态"), help=gettext_lazy("未整治、整治中、已整治")),
        Column("rectified_on", gettext_lazy("整治日期"), example="2022-10-08"),
        Column("measure", gettext_lazy("整治措施"), help=gettext_lazy("腾退、提升、兼并重组、其他")),
    )

    def allowed(self, user: User) -> bool:
        return bool(year_towns(user))

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> YearRow:
        rectification = cells.optional_choice(row.get("rectification"), Rectification, column="rectification")
        measure = cells.optional_choice(row.get("measure"), Measure, column="measure")
        data = YearInput(
            enterprise=_enterprise(row, town=ctx.town),
            year=_text(row["year"]),
            above_scale=cells.yes_no(row.get("above_scale"), column="above_scale"),
            above_scale_since=_text(row.get("above_scale_since")) or None,
            key=cells.yes_no(row.get("key"), column="key"),
            fixed_investment=_text(row.get("fixed_investment")),
            land_mu=_text(row.get("land_mu")),
            tax=_text(row.get("tax")),
            output=_text(row.get("output")),
            low_efficiency=cells.yes_no(row.get("low_efficiency"), column="low_efficiency"),
            rectification=rectification or "",
            rectified_on=cells.optional_date(row.get("rectified_on"), column="rectified_on"),
            measure=measure or "",
        )
        return YearRow(data=data, clean=clean_year(data, now=ctx.now))

    def natural_key(self, parsed: YearRow) -> Hashable:
        return (parsed.clean.enterprise.pk, parsed.clean.year)

    def exists(self, parsed: YearRow, *, ctx: ImportContext) -> bool:
        """The same values are recorded for the enterprise and year (a differing row corrects them)."""
        clean = parsed.clean
        return EnterpriseYear.objects.filter(enterprise=clean.enterprise, year=clean.year, **clean.values()).exists()

    def apply_all(self, rows: list[YearRow], *, ctx: ImportContext) -> bool:
        record_years(actor=ctx.signed_in_user(), rows=[parsed.data for parsed in rows], now=ctx.now)
        return True


ENTERPRISE_YEARS = register(EnterpriseYearImporter())
