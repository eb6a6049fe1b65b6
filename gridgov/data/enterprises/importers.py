"""Excel import of the enterprise ledgers: the enterprise directory (企业名录), hazards (隐患台账) and
enterprise service requests (企业诉求台账), on the sheets framework (dry run, all-or-nothing, no duplicates).

Hazards and requests still open are imported as new cases, filed as ``record_hazard``/``raise_request`` file
them (``plan_hazard``/``plan_request``; the rectification or handling then happens in the system). A row
already finished — a hazard with its 验收日期/销号日期, a request with its 办结日期 — or rectified awaiting
acceptance (整改完成日期 only) is imported as a historical case (its milestones from the row's dates as
历史导入 actions on the audit chain), so the ledger's figures of past years (整改率, 解决问题数) are right.
Both go through the bulk path at once (``ledger_import.LedgerImporter``). Each row's identity (credit code +
book + date + location + description) is kept as ``source_key`` so the same file imported twice creates
nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.data.cases.domain.history import HistoricalCase
from gridgov.data.cases.domain.ledger_import import (
    LEDGER_CLOSED_AT,
    LEDGER_OPENED_AT,
    LedgerImporter,
    LedgerMilestones,
    finished_case,
    ledger_milestones,
    ledger_moment,
)
from gridgov.data.cases.enums import Satisfaction
from gridgov.data.cases.models import Case
from gridgov.data.enterprises.categories import HAZARD_MAJOR, service_category
from gridgov.data.enterprises.domain.credit_code import normalise_credit_code
from gridgov.data.enterprises.domain.enterprises import MANAGER_ROLES, check_phone, create_enterprise, staff_town_ids
from gridgov.data.enterprises.domain.hazards import (
    HazardInput,
    PlannedHazard,
    check_hazard_input,
    hazard_case_fields,
    hazard_row,
    plan_hazard,
)
from gridgov.data.enterprises.domain.services import PlannedRequest, plan_request, request_case_fields
from gridgov.data.enterprises.enums import Book, Grade, RequestType
from gridgov.data.enterprises.models import Hazard, Meeting, ServiceRequest
from gridgov.data.errors import InvalidInput
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.data.sheets import cells
from gridgov.data.sheets.cells import LaterDate
from gridgov.data.sheets.framework import Column, ImportContext, Importer, RowInvalid, register
from gridgov.data.taxonomy.models import Category
from gridgov.data.worktime.calendar import WorkCalendar
from gridgov.types import CellValue, SheetRow


def may_import(user: User) -> bool:
    return user.is_superuser or bool(staff_town_ids(user, MANAGER_ROLES))


def _key(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:40]


def _credit_code(value: CellValue, *, column: str = "credit_code") -> str:
    return cells.checked(normalise_credit_code, cells.required_text(value, column=column), column=column)


def _enterprise(row: SheetRow, ctx: ImportContext) -> Enterprise:
    code = _credit_code(row.get("credit_code"))
    # with its town and village: an open row's case is filed there inside the import's transaction
    enterprise = Enterprise.objects.select_related("town", "village").filter(town=ctx.town, credit_code=code).first()
    if enterprise is None:
        raise RowInvalid("credit_code", _("信用代码 %(c)s 的企业尚未登记，请先导入企业名录") % {"c": code})
    name = cells.text(row.get("enterprise"), column="enterprise")
    if name and name != enterprise.name:
        raise RowInvalid(
            "enterprise", _("企业名称“%(n)s”与信用代码登记的“%(r)s”不一致") % {"n": name, "r": enterprise.name}
        )
    return enterprise


# ---------------------------------------------------------------------------------------------------


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
        village = None
        if row.get("village") not in (None, ""):
            village = cells.village_by_name(row["village"], town=ctx.town, column="village", what=_("村/社区"))
        phone = cells.text(row.get("contact_phone"), column="contact_phone")
        phone = cells.checked(check_phone, phone, column="contact_phone")
        return EnterpriseRow(
            name=cells.required_text(row["name"], column="name", max_length=100),
            credit_code=_credit_code(row["credit_code"]),
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


# The company a hazard or request belongs to: by its credit code (its name, if given, must match).
_COMPANY_COLUMNS = (
    Column("enterprise", gettext_lazy("企业名称"), aliases=("单位名称",), example="岱西船舶修造有限公司"),
    Column(
        "credit_code",
        gettext_lazy("统一社会信用代码"),
        required=True,
        aliases=("信用代码",),
        example="91330100799655058B",
    ),
)

# ---------------------------------------------------------------------------------------------------

_GRADES = {"一般": Grade.GENERAL, "一般隐患": Grade.GENERAL, "重大": Grade.MAJOR, "重大隐患": Grade.MAJOR}


@dataclass(frozen=True)
class HazardRow:
    data: HazardInput
    source_key: str
    rectified_on: date | None = None  # 整改完成日期
    acceptor: str = ""  # 验收人
    accepted_on: date | None = None  # 验收日期 (= 销号)


def _after_today(label: str) -> str:
    return _("%(label)s晚于今天") % {"label": label}


class HazardImporter(LedgerImporter):
    detail_model, key_field = Hazard, "source_key"
    needs_operator = gettext_lazy("导入隐患台账需要指定操作人（受理员）")
    name = "hazards"
    title = gettext_lazy("隐患台账")
    notes = gettext_lazy(
        "企业须先在企业名录中登记；台账填“企业自查”“政府检查”或“第三方”；隐患等级填“一般”或“重大”（重大隐患自动督办）。"
    )
    columns = (
        *_COMPANY_COLUMNS,
        Column("book", gettext_lazy("台账"), required=True, aliases=("检查类型", "来源"), example="企业自查"),
        Column("grade", gettext_lazy("隐患等级"), aliases=("等级",), example="一般"),
        Column(
            "category",
            gettext_lazy("隐患类别"),
            required=True,
            aliases=("类别",),
            example="电气安全",
            help=gettext_lazy("消防安全、电气安全、特种设备、危险化学品、有限空间、作业现场、其他"),
        ),
        Column("location", gettext_lazy("隐患部位"), required=True, aliases=("部位", "位置"), example="1号车间"),
        Column("description", gettext_lazy("隐患描述"), required=True, aliases=("隐患内容",), example="配电箱未接地"),
        Column("found_on", gettext_lazy("发现日期"), required=True, aliases=("检查日期",), example="2026-11-02"),
        Column("responsible", gettext_lazy("整改责任人"), aliases=("责任人",), example="张安全"),
        Column("deadline", gettext_lazy("整改期限"), aliases=("整改时限",), example="2026-11-30"),
        Column("measures", gettext_lazy("整改措施"), example="更换接地线"),
        Column("funds", gettext_lazy("整改资金（元）"), aliases=("整改资金", "投入资金"), example="1200"),
        Column(
            "rectified_on",
            gettext_lazy("整改完成日期"),
            aliases=("完成日期", "整改完成时间"),
            example="2026-11-20",
            help=gettext_lazy("已整改的填写；未验收的导入为待核查"),
        ),
        Column("acceptor", gettext_lazy("验收人"), example="李安监"),
        Column(
            "accepted_on",
            gettext_lazy("验收日期"),
            aliases=("销号日期", "验收销号日期"),
            example="2026-11-22",
            help=gettext_lazy("已验收销号的填写（须同时填验收人）；导入为已销号"),
        ),
    )

    def allowed(self, user: User) -> bool:
        return may_import(user)

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> HazardRow:
        enterprise = _enterprise(row, ctx)
        book = cells.choice(row["book"], Book, column="book")
        grade_text = cells.text(row.get("grade"), column="grade") or "一般"
        grade = _GRADES.get(grade_text)
        if grade is None:
            raise RowInvalid("grade", _("“%(v)s”不是隐患等级（填“一般”或“重大”）") % {"v": grade_text})
        category_name = cells.required_text(row["category"], column="category")
        category = (
            Category.objects.filter(town=ctx.town, parent__code=HAZARD_MAJOR[0], active=True)
            .filter(name=category_name)
            .first()
        )
        if category is None:
            raise RowInvalid("category", _("没有“%(v)s”这个隐患类别") % {"v": category_name})
        found_on = cells.required_date(row["found_on"], column="found_on")
        deadline = cells.optional_date(row.get("deadline"), column="deadline")
        cells.dates_in_order(found_on, deadline, column="deadline", message=_("整改期限早于发现日期"))
        funds = cells.amount(row.get("funds"), column="funds")
        data = HazardInput(
            enterprise=enterprise,
            book=book,
            grade=grade,
            category=category,
            location=cells.required_text(row["location"], column="location", max_length=120),
            description=cells.required_text(row["description"], column="description", max_length=2000),
            found_on=found_on,
            responsible=cells.text(row.get("responsible"), column="responsible", max_length=64),
            deadline=deadline,
            measures=cells.text(row.get("measures"), column="measures", max_length=2000),
            funds=funds if funds is not None else Decimal(0),
        )
        try:
            check_hazard_input(data, today=ctx.today)
        except InvalidInput as error:
            raise RowInvalid(error.field, error.message) from None
        rectified_on, accepted_on = cells.later_dates(
            row,
            opened_on=found_on,
            today=ctx.today,
            resolved=LaterDate("rectified_on", _("整改完成日期早于发现日期"), _after_today(_("整改完成日期"))),
            closed=LaterDate("accepted_on", _("验收日期早于发现日期"), _after_today(_("验收日期"))),
            closed_before_resolved=_("验收日期早于整改完成日期"),
        )
        acceptor = cells.text(row.get("acceptor"), column="acceptor", max_length=64)
        if accepted_on is not None and not acceptor:
            raise RowInvalid("acceptor", _("已填验收日期，请填写验收人"))
        if acceptor and accepted_on is None:
            raise RowInvalid("accepted_on", _("已填验收人，请填写验收日期"))
        key = _key(enterprise.credit_code, book, found_on.isoformat(), data.location, data.description)
        return HazardRow(
            data=data, source_key=key, rectified_on=rectified_on, acceptor=acceptor, accepted_on=accepted_on
        )

    def milestones(self, parsed: HazardRow, *, ctx: ImportContext) -> LedgerMilestones | None:
        return ledger_milestones(
            opened_on=parsed.data.found_on, resolved_on=parsed.rectified_on, closed_on=parsed.accepted_on, now=ctx.now
        )

    def finished_case(self, parsed: HazardRow, *, milestones: LedgerMilestones, town: Area) -> HistoricalCase:
        data = parsed.data
        deadline = ledger_moment(data.deadline, LEDGER_CLOSED_AT) if data.deadline is not None else None
        return finished_case(milestones, deadline=deadline, **hazard_case_fields(data))

    def finished_rows(self, parsed: HazardRow, *, town: Area, case: Case) -> list[Hazard]:
        data = parsed.data
        assert case.handle_deadline is not None  # dispatched
        deadline = data.deadline or timezone.localdate(case.handle_deadline)
        row = hazard_row(case=case, data=data, source_key=parsed.source_key, deadline=deadline)
        row.rectified_on = parsed.rectified_on or parsed.accepted_on
        row.acceptor, row.accepted_on = parsed.acceptor, parsed.accepted_on
        return [row]

    def plan(self, parsed: HazardRow, *, ctx: ImportContext, calendar: WorkCalendar) -> PlannedHazard:
        """A hazard still open: filed as ``record_hazard`` files it, replayed in memory."""
        user = self.open_rows_actor(ctx)
        return plan_hazard(actor=user, data=parsed.data, source_key=parsed.source_key, now=ctx.now, calendar=calendar)


# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceRow:
    enterprise: Enterprise
    request_type: RequestType
    description: str
    raised_on: date
    meeting: Meeting | None
    source_key: str
    solved_on: date | None = None  # 办结日期
    financing: Decimal = Decimal(0)  # 协调融资（元）
    satisfaction: Satisfaction | None = None


class ServiceRequestImporter(LedgerImporter):
    detail_model, key_field = ServiceRequest, "source_key"
    needs_operator = gettext_lazy("导入企业诉求需要指定操作人（受理员）")
    name = "service-requests"
    title = gettext_lazy("企业诉求台账")
    notes = gettext_lazy("诉求类型：要素保障、融资、用工、审批、政策；提出会议须为已登记的乡镇长有约名称（可不填）。")
    columns = (
        *_COMPANY_COLUMNS,
        Column("request_type", gettext_lazy("诉求类型"), required=True, aliases=("问题类型",), example="融资"),
        Column("description", gettext_lazy("诉求内容"), required=True, aliases=("问题描述",), example="流动资金贷款"),
        Column("raised_on", gettext_lazy("提出日期"), required=True, aliases=("日期",), example="2026-11-20"),
        Column("meeting", gettext_lazy("提出会议"), aliases=("会议",), example=""),
        Column(
            "solved_on",
            gettext_lazy("办结日期"),
            aliases=("解决日期", "办结时间"),
            example="2026-11-24",
            help=gettext_lazy("已办结的填写；导入为已办结"),
        ),
        Column("financing", gettext_lazy("协调融资（元）"), aliases=("协调融资", "融资金额"), example="0"),
        Column("satisfaction", gettext_lazy("企业满意度"), aliases=("满意度",), example="满意"),
    )

    def allowed(self, user: User) -> bool:
        return may_import(user)

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> ServiceRow:
        enterprise = _enterprise(row, ctx)
        kind = cells.choice(row["request_type"], RequestType, column="request_type")
        raised_on = cells.required_date(row["raised_on"], column="raised_on")
        cells.not_after(raised_on, ctx.today, column="raised_on", message=_("提出日期晚于今天"))
        meeting = None
        if title := cells.text(row.get("meeting"), column="meeting"):
            meeting = Meeting.objects.filter(town=ctx.town, title=title).order_by("-held_on").first()
            if meeting is None:
                raise RowInvalid("meeting", _("没有名为“%(t)s”的乡镇长有约，请先登记会议") % {"t": title})
        description = cells.required_text(row["description"], column="description", max_length=2000)
        solved = LaterDate("solved_on", _("办结日期早于提出日期"), _after_today(_("办结日期")))
        solved_on = cells.later_date(row, solved, opened_on=raised_on, today=ctx.today)
        financing = cells.amount(row.get("financing"), column="financing") or Decimal(0)
        satisfaction = cells.optional_choice(row.get("satisfaction"), Satisfaction, column="satisfaction")
        if solved_on is None and (financing or satisfaction is not None):
            raise RowInvalid("solved_on", _("填写了协调融资或满意度的诉求须有办结日期"))
        return ServiceRow(
            enterprise=enterprise,
            request_type=kind,
            description=description,
            raised_on=raised_on,
            meeting=meeting,
            source_key=_key(enterprise.credit_code, kind, raised_on.isoformat(), description),
            solved_on=solved_on,
            financing=financing,
            satisfaction=satisfaction,
        )

    def milestones(self, parsed: ServiceRow, *, ctx: ImportContext) -> LedgerMilestones | None:
        return ledger_milestones(opened_on=parsed.raised_on, resolved_on=None, closed_on=parsed.solved_on, now=ctx.now)

    def finished_case(self, parsed: ServiceRow, *, milestones: LedgerMilestones, town: Area) -> HistoricalCase:
        category = service_category(town=town, request_type=parsed.request_type)
        if category is None:
            raise RowInvalid("request_type", _("本镇尚未配置“%(t)s”类企业诉求分类") % {"t": parsed.request_type.label})
        fields = request_case_fields(parsed.enterprise, parsed.request_type, category, parsed.description)
        return finished_case(milestones, satisfaction=parsed.satisfaction, **fields)

    def finished_rows(self, parsed: ServiceRow, *, town: Area, case: Case) -> list[ServiceRequest]:
        return [
            ServiceRequest(
                case=case,
                town=town,
                enterprise=parsed.enterprise,
                request_type=parsed.request_type,
                meeting=parsed.meeting,
                financing_amount=parsed.financing,
                source_key=parsed.source_key,
            )
        ]

    def plan(self, parsed: ServiceRow, *, ctx: ImportContext, calendar: WorkCalendar) -> PlannedRequest:
        """A request still open: raised as ``raise_request`` raises it (in the morning of its day), in memory."""
        user = self.open_rows_actor(ctx)
        raised_at = ledger_moment(parsed.raised_on, LEDGER_OPENED_AT)
        return plan_request(
            actor=user,
            enterprise=parsed.enterprise,
            request_type=parsed.request_type,
            description=parsed.description,
            meeting=parsed.meeting,
            source_key=parsed.source_key,
            now=min(raised_at, ctx.now),
            calendar=calendar,
        )


ENTERPRISES = register(EnterpriseImporter())
HAZARDS = register(HazardImporter())
SERVICE_REQUESTS = register(ServiceRequestImporter())
