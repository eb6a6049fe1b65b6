"""What the enterprise ledgers' imports share: who may import them, a row's identity (``source_key``), and the
company a hazard or request belongs to (by its credit code; its name, if given, must match)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.ledger_import import LedgerImporter
from gridgov.data.enterprises.domain.enterprises import MANAGER_ROLES, staff_town_ids
from gridgov.data.org.credit_code import normalise_credit_code
from gridgov.data.org.models import Enterprise, User
from gridgov.data.sheets import cells
from gridgov.data.sheets.importer import Column, ImportContext, RowInvalid, row_key
from gridgov.types import CellValue, SheetRow


def may_import(user: User) -> bool:
    return user.is_superuser or bool(staff_town_ids(user, MANAGER_ROLES))


class EnterpriseBookImporter(LedgerImporter):
    """A case ledger of the enterprises' books (hazards, service requests): imported by those who manage the
    enterprises (``may_import``), a row told by its ``source_key``."""

    key_field = "source_key"

    def allowed(self, user: User) -> bool:
        return may_import(user)


def source_key(*parts: object) -> str:
    return row_key(*parts, length=40)


def credit_code(value: CellValue, *, column: str = "credit_code") -> str:
    return cells.checked(normalise_credit_code, cells.required_text(value, column=column), column=column)


def registered_enterprise(row: SheetRow, ctx: ImportContext) -> Enterprise:
    # with its town and village: an open row's case is filed there inside the import's transaction
    enterprise = cells.enterprise_by_code(row.get("credit_code"), town=ctx.town)
    name = cells.text(row.get("enterprise"), column="enterprise")
    if name and name != enterprise.name:
        raise RowInvalid(
            "enterprise", _("企业名称“%(n)s”与信用代码登记的“%(r)s”不一致") % {"n": name, "r": enterprise.name}
        )
    return enterprise


# The company a hazard or request belongs to: by its credit code (its name, if given, must match).
COMPANY_COLUMNS = (
    Column("enterprise", gettext_lazy("企业名称"), aliases=("单位名称",), example="岱西船舶修造有限公司"),
    Column(
        "credit_code",
        gettext_lazy("统一社会信用代码"),
        required=True,
        aliases=("信用代码",),
        example="91330100799655058B",
    ),
)


def after_today(label: str) -> str:
    return _("%(label)s晚于今天") % {"label": label}
