"""Excel import of petitions and disputes (信访/矛盾纠纷台账)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.disputes.domain import PartyInput, check_id_number, check_phone, register_dispute
from gridgov.data.disputes.enums import DisputeType, Level
from gridgov.data.disputes.models import Dispute
from gridgov.data.errors import InvalidInput
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Department, User
from gridgov.data.problemlists.importers import find_department, may_import
from gridgov.data.sheets import cells
from gridgov.data.sheets.framework import Column, ImportContext, Importer, RowInvalid, register


@dataclass(frozen=True)
class DisputeRow:
    number: str
    type: DisputeType
    received_on: date
    party: PartyInput
    description: str
    level: Level
    amount: Decimal
    backlog: bool
    department: Department
    village: Area | None


class DisputeImporter(Importer):
    name = "disputes"
    title = gettext_lazy("信访与矛盾纠纷")
    notes = gettext_lazy("当事人信息加密保存，页面上脱敏显示。“受理编号”用于识别重复导入。")
    columns = (
        Column("number", gettext_lazy("受理编号"), required=True, aliases=("编号", "登记号"), example="XF2026-001"),
        Column(
            "type",
            gettext_lazy("类型"),
            required=True,
            example="劳资纠纷",
            help=gettext_lazy("信访、矛盾纠纷、劳资纠纷"),
        ),
        Column("received_on", gettext_lazy("受理日期"), required=True, aliases=("登记日期",), example="2026-11-02"),
        Column("party", gettext_lazy("当事人"), required=True, aliases=("信访人", "申请人"), example="张三"),
        Column("phone", gettext_lazy("联系电话"), aliases=("电话",), example="13800138000"),
        Column("id_number", gettext_lazy("身份证号"), aliases=("证件号码",)),
        Column(
            "description",
            gettext_lazy("事由"),
            required=True,
            aliases=("纠纷情况", "反映问题"),
            example="某船厂拖欠工资三个月",
        ),
        Column(
            "level", gettext_lazy("层级"), example="镇级", help=gettext_lazy("国家级、省级、市级、县级、镇级、村级")
        ),
        Column("amount", gettext_lazy("涉及金额（元）"), aliases=("涉及金额", "金额"), example="120000"),
        Column("backlog", gettext_lazy("是否积案"), aliases=("积案",), example="否"),
        Column("department", gettext_lazy("承办单位"), required=True, example="劳动保障所"),
        Column("village", gettext_lazy("所在村"), aliases=("村（社区）",), example="双合村"),
    )

    def allowed(self, user: User) -> bool:
        return may_import(user)

    def parse_row(self, row: dict[str, Any], *, ctx: ImportContext) -> DisputeRow:
        received_on = cells.required_date(row["received_on"], column="received_on")
        if received_on > ctx.now.date():
            raise RowInvalid("received_on", _("受理日期晚于今天"))
        try:
            phone = check_phone(cells.text(row.get("phone"), column="phone"))
        except InvalidInput as error:
            raise RowInvalid("phone", error.message) from None
        try:
            id_number = check_id_number(cells.text(row.get("id_number"), column="id_number"))
        except InvalidInput as error:
            raise RowInvalid("id_number", error.message) from None
        village = None
        if row.get("village"):
            villages = Area.objects.filter(town=ctx.town, level=AreaLevel.VILLAGE)
            village = cells.area_by_name(row["village"], candidates=villages, column="village", what=_("村"))
        return DisputeRow(
            number=cells.required_text(row["number"], column="number", max_length=64),
            type=cells.choice(row["type"], DisputeType, column="type"),
            received_on=received_on,
            party=PartyInput(
                name=cells.required_text(row["party"], column="party", max_length=64), phone=phone, id_number=id_number
            ),
            description=cells.required_text(row["description"], column="description", max_length=2000),
            level=cells.choice(row.get("level"), Level, column="level", default=Level.TOWN),
            amount=cells.amount(row.get("amount"), column="amount") or Decimal(0),
            backlog=cells.yes_no(row.get("backlog"), column="backlog"),
            department=find_department(row["department"], ctx=ctx, column="department"),
            village=village,
        )

    def natural_key(self, parsed: DisputeRow) -> Hashable:
        return parsed.number

    def exists(self, parsed: DisputeRow, *, ctx: ImportContext) -> bool:
        return Dispute.objects.filter(town=ctx.town, import_key=parsed.number).exists()

    def apply(self, parsed: DisputeRow, *, ctx: ImportContext) -> None:
        if ctx.user is None:
            raise RowInvalid(None, _("导入信访与纠纷需要指定操作人（受理员）"))
        register_dispute(
            town=ctx.town,
            actor=ctx.user,
            type=parsed.type,
            description=parsed.description,
            parties=[parsed.party],
            level=parsed.level,
            amount=parsed.amount,
            backlog=parsed.backlog,
            received_on=parsed.received_on,
            department=parsed.department,
            area=parsed.village,
            now=ctx.now,
            import_key=parsed.number,
        )


DISPUTES = register(DisputeImporter())
