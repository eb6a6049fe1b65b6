"""企业名录: the town's enterprise directory, one row an enterprise, found again by its credit code."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from gridgov.data.enterprises.domain.enterprises import check_phone, create_enterprise
from gridgov.data.enterprises.importers.common import (
    credit_code,
    may_import,
)
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import Column, ImportContext, Importer, register
from gridgov.types import SheetRow


@dataclass(frozen=True)
class EnterpriseRow:
    name: str
    credit_code: str
    village: Area | None
    address: str
    contact_name: str
    contact_phone: str


class EnterpriseImporter(Importer):
    name = "enterprises"
    title = gettext_lazy("企业名录")
    notes = gettext_lazy("统一社会信用代码按 GB 32100-2015 校验；同一代码只登记一次。")
    columns = (
        Column("name", gettext_lazy("企业名称"), required=True, aliases=("单位名称",), example="岱西船舶修造有限公司"),
        Column(
            "credit_code",
            gettext_lazy("统一社会信用代码"),
            required=True,
            aliases=("信用代码", "社会信用代码"),
            example="91330100799655058B",
            help=gettext_lazy("18位，含校验位"),
        ),
        Column("village", gettext_lazy("所在村/社区"), aliases=("所在村", "村（社区）"), example="双合村"),
        Column("address", gettext_lazy("地址"), aliases=("企业地址", "经营地址"), example="海港路1号"),
        Column("contact_name", gettext_lazy("联系人"), example="陈厂长"),
        Column("contact_phone", gettext_lazy("联系电话"), aliases=("电话", "手机"), example="13805801234"),
    )

    def allowed(self, user: User) -> bool:
        return may_import(user)

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> EnterpriseRow:
        village = cells.optional_village(row.get("village"), town=ctx.town)
        phone = cells.text(row.get("contact_phone"), column="contact_phone")
        phone = cells.checked(check_phone, phone, column="contact_phone")
        return EnterpriseRow(
            name=cells.required_text(row["name"], column="name", max_length=100),
            credit_code=credit_code(row["credit_code"]),
            village=village,
            address=cells.text(row.get("address"), column="address", max_length=255),
            contact_name=cells.text(row.get("contact_name"), column="contact_name", max_length=64),
            contact_phone=phone,
        )

    def natural_key(self, parsed: EnterpriseRow) -> Hashable:
        return parsed.credit_code

    def exists(self, parsed: EnterpriseRow, *, ctx: ImportContext) -> bool:
        return Enterprise.objects.filter(town=ctx.town, credit_code=parsed.credit_code).exists()

    def apply(self, parsed: EnterpriseRow, *, ctx: ImportContext) -> None:
        create_enterprise(
            town=ctx.town,
            name=parsed.name,
            credit_code=parsed.credit_code,
            address=parsed.address,
            village=parsed.village,
            contact_name=parsed.contact_name,
            contact_phone=parsed.contact_phone,
        )


ENTERPRISES = register(EnterpriseImporter())
