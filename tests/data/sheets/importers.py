"""A small real importer for the tests: departments (code, name, kind, village, budget, set-up date)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from gridgov.data.cases.scope import memberships_of
from gridgov.data.org.domain import create_department
from gridgov.data.org.enums import AreaLevel, DepartmentKind, Role
from gridgov.data.org.models import Area, Department, User
from gridgov.data.sheets import cells
from gridgov.data.sheets.framework import Column, ImportContext, Importer, RowInvalid, register


@dataclass(frozen=True)
class DepartmentRow:
    code: str
    name: str
    kind: DepartmentKind
    village: Area | None
    budget: Decimal | None
    founded: date | None


class DepartmentImporter(Importer):
    name = "test-departments"
    title = "部门"
    columns = (
        Column("code", "编码", required=True, example="ZFZ"),
        Column("name", "名称", required=True, aliases=("部门名称",)),
        Column("kind", "类型", required=True),
        Column("village", "所属村"),
        Column("budget", "预算"),
        Column("founded", "成立日期"),
    )

    def allowed(self, user: User) -> bool:
        return user.is_superuser or any(m.role == Role.ADMIN for m in memberships_of(user))

    def parse_row(self, row: dict[str, Any], *, ctx: ImportContext) -> DepartmentRow:
        kind = cells.choice(row["kind"], DepartmentKind, column="kind")
        village = None
        if row.get("village"):
            villages = Area.objects.filter(town=ctx.town, level=AreaLevel.VILLAGE)
            village = cells.area_by_name(row["village"], candidates=villages, column="village", what="村")
        if kind == DepartmentKind.VILLAGE_COMMITTEE and village is None:
            raise RowInvalid("village", "村委会必须填写所属村")
        return DepartmentRow(
            code=cells.required_text(row["code"], column="code", max_length=32),
            name=cells.required_text(row["name"], column="name", max_length=64),
            kind=kind,
            village=village,
            budget=cells.amount(row.get("budget"), column="budget"),
            founded=cells.optional_date(row.get("founded"), column="founded"),
        )

    def natural_key(self, parsed: DepartmentRow) -> Hashable:
        return parsed.code

    def exists(self, parsed: DepartmentRow, *, ctx: ImportContext) -> bool:
        return Department.objects.filter(town=ctx.town, code=parsed.code).exists()

    def apply(self, parsed: DepartmentRow, *, ctx: ImportContext) -> None:
        create_department(town=ctx.town, code=parsed.code, name=parsed.name, kind=parsed.kind, area=parsed.village)


DEPARTMENTS = register(DepartmentImporter())
