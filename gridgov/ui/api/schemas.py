"""Request and response shapes of the REST API (they make the OpenAPI description)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from gridgov.data.cases.domain.attachments import MAX_PHOTOS_PER_ACTION
from gridgov.data.cases.enums import Action, AttachmentKind, Channel, Kind, Lamp, Satisfaction, Status
from gridgov.data.cases.transitions import Need
from gridgov.data.errors import NotFound
from gridgov.data.org.enums import AreaLevel, DepartmentKind, Role
from gridgov.data.safetext import control_character, strings_in
from gridgov.data.taxonomy.enums import Priority
from gridgov.data.worktime.enums import TimeUnit
from gridgov.types import FromDjango

MAX_ID = 2**62  # the largest id a row can have: a path's or body's id beyond it is refused, never a database overflow
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]  # an id a row can have (a body's reference, a list of ids)
ID = Field(default=None, ge=1, le=MAX_ID)  # an optional id (a filter's, or a body's reference)
NOTE = Field(default="", max_length=2000)  # a record's or an action's optional note


def row_id(value: int, missing: str) -> int:
    """A path's id, or NotFound with ``missing`` for one no row can have (never a database overflow)."""
    if not 1 <= value <= MAX_ID:
        raise NotFound(missing)
    return value


class ErrorOut(Schema):
    code: str = Field(description="机器可读的错误代码，例如 not_found、invalid_input、conflict")
    message: str = Field(description="中文说明")
    message_en: str = Field(description="English description")
    field: str | None = Field(default=None, description="出错的字段（若有）")


class MembershipOut(Schema):
    role: Role
    role_label: str
    area_id: int | None
    area_name: str | None
    department_id: int | None
    department_name: str | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    memberships: list[MembershipOut]


class AreaOut(Schema):
    id: int
    code: str
    name: str
    level: AreaLevel
    parent_id: int | None
    town_id: int | None
    path: str


class DepartmentOut(Schema):
    id: int
    town_id: int
    code: str
    name: str
    kind: DepartmentKind
    area_id: int | None
    active: bool


class SubCategoryOut(Schema):
    id: int
    code: str
    name: str
    description: str
    keywords: str
    default_priority: Priority
    default_department_id: int | None
    active: bool


class CategoryOut(Schema):
    id: int
    town_id: int
    code: str
    name: str
    children: list[SubCategoryOut]


class RefOut(Schema):
    id: int
    name: str


class Ref(Schema):
    id: int
    name: str


class DeadlineOut(Schema):
    lamp: Lamp
    lamp_label: str
    phase: str = Field(description="dispatch（立案派遣）、handle（处置）或空")
    deadline: datetime | None
    remaining_minutes: int | None = Field(description="按该阶段的计时方式剩余的分钟数，超期为负数")
    provisional: bool = Field(
        default=False,
        description="期限暂定：计算时跨入了尚未录入正式节假日安排的年度（按法定节假日暂算，不含调休），"
        "正式安排录入后自动重算并记入流转记录",
    )


class CaseSummaryOut(Schema):
    id: int
    number: str
    kind: Kind
    channel: Channel
    status: Status
    status_label: str
    priority: Priority
    category: Ref
    major_category: Ref
    title: str
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    area: Ref
    village: Ref | None
    department: Ref | None
    lamp: Lamp
    reported_at: datetime
    handle_deadline: datetime | None
    closed_at: datetime | None
    version: int


class AttachmentOut(Schema):
    id: int
    kind: AttachmentKind
    name: str
    content_type: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    created_at: datetime
    action_seq: int | None
    url: str


class TimelineEntryOut(Schema):
    seq: int
    action: Action
    action_label: str
    from_status: Status | None
    to_status: Status
    actor_name: str
    actor_role: Role | None
    note: str
    detail: str = Field(
        description="该步骤所作的决定（备注之外）：派遣设定的处置期限（处置期限 2026年11月25日 17:30）、"
        "申请、批准或驳回的延期（延期2个工作日，批准时附新期限）、恢复后的新期限、评价（评价：满意）；"
        "使用请求的语言；其他步骤为空字符串"
    )
    created_at: datetime
    attachments: list[AttachmentOut]


class ReporterOut(Schema):
    name: str
    phone: str
    masked: bool


class ActionOfferOut(Schema):
    action: Action
    label: str
    target_status: Status | None
    needs: list[Need] = Field(
        description="该操作需要的内容：note、photo、department、extension、rating、reclassification"
    )


class CaseLinksOut(Schema):
    self: str = Field(description="事件详情 GET /api/cases/{id}（含流转记录、期限、附件）")
    actions: str = Field(description="可执行的操作 GET，执行操作 POST")
    attachments: str = Field(description="照片和附件")


class CaseCreatedOut(Schema):
    """The answer to a create: what a client needs to follow the case, not the whole case."""

    id: int
    number: str = Field(description="事件编号，如 DX2026-000123")
    status: Status
    status_label: str
    version: int = Field(description="乐观锁版本：执行操作时作为 expected_version 传回")
    reported_at: datetime
    attachments: int = Field(description="随上报保存的照片数")
    links: CaseLinksOut


class CaseDetailOut(CaseSummaryOut):
    grid: Ref | None
    handler: Ref | None
    reporter: ReporterOut
    registered_at: datetime | None
    dispatched_at: datetime | None
    resolved_at: datetime | None
    rejected_at: datetime | None
    dispatch_deadline: datetime | None
    deadline: DeadlineOut
    satisfaction: Satisfaction | None
    rework_count: int
    extension_count: int
    pending_extension_value: int | None
    pending_extension_unit: TimeUnit | None = Field(
        description="申请延期时长的单位（处置时限的单位：work_hours 工作时、work_days 工作日、calendar_days 自然日）"
    )
    duplicate_of: str | None
    timeline: list[TimelineEntryOut]
    actions: list[ActionOfferOut]


class NotificationOut(Schema):
    id: int
    case_id: int
    case_number: str
    message: str
    case_available: bool = Field(description="调用者现在能否打开该事件（GET /api/cases/{case_id}）")
    case_unavailable_reason: str | None = Field(
        description="不能打开时的原因，例如“该事件已退回镇指挥室，不再由本单位处理”；能打开时为 null"
    )
    created_at: datetime
    read_at: datetime | None


class PageOut(Schema):
    """What a paged list answers besides its ``results`` (each list's subclass declares them, after these)."""

    count: int
    page: int
    page_size: int
    pages: int


class CasePageOut(PageOut):
    next_after: str | None = Field(default=None, description="下一页的键集游标（作为 after 传回）；没有下一页时为 null")
    results: list[CaseSummaryOut]


class TextIn(Schema):
    """A request body or query whose text fields refuse NUL and other control characters (422, field named)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: FromDjango) -> FromDjango:
        for text in strings_in(value):
            character = control_character(text)
            if character is not None:
                raise PydanticCustomError(
                    "control_character",
                    _("含有不可见的控制字符（%(char)s），请删除后重新提交") % {"char": character},
                )
        return value


class PageIn(TextIn):
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=50, ge=1, le=200)


class PhotoIn(TextIn):
    name: str = Field(min_length=1, max_length=255, description="文件名，例如 before.jpg")
    data_base64: str = Field(min_length=1, max_length=21_000_000, description="图片内容（base64），JPEG/PNG/WEBP/GIF")
    kind: AttachmentKind = AttachmentKind.OTHER


PHOTOS: list[PhotoIn] = Field(default_factory=list, max_length=MAX_PHOTOS_PER_ACTION)  # a report's or an action's


class CaseIn(TextIn):
    category: str = Field(min_length=1, max_length=16, description="小类编码（如 1201）或小类 id")
    description: str = Field(min_length=1, max_length=2000)
    title: str = Field(default="", max_length=120)
    channel: Channel | None = Field(
        default=None,
        description="来源渠道；缺省按上报人角色确定。只有指挥室（受理员、管理员）可登记其他渠道（如 hotline）"
        "，不能为 open311",
    )
    priority: Priority | None = None
    area_id: int | None = Field(default=None, description="所在区域（村/网格）；缺省按经纬度定位")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    address: str = Field(default="", max_length=255)
    reporter_name: str = Field(default="", max_length=64)
    reporter_phone: str = Field(default="", max_length=20)
    photos: list[PhotoIn] = PHOTOS
    town_id: int | None = Field(default=None, description="乡镇 id；账号只属于一个乡镇时可省略")


class ActionIn(TextIn):
    action: Action
    note: str = NOTE
    expected_version: int | None = Field(
        default=None, ge=1, le=2_000_000_000, description="读取时的 version；若事件已被他人更新则返回 409"
    )
    department_id: int | None = ID
    handler_id: int | None = ID
    category: str | None = Field(default=None, max_length=16, description="新的小类编码或 id（调整分类）")
    priority: Priority | None = None
    duplicate_of: str | None = Field(default=None, max_length=32, description="重复事件的编号（不予立案时）")
    extension: int | None = Field(default=None, ge=1, le=365, description="申请延期的时长（处置时限的单位）")
    rating: Satisfaction | None = None
    photos: list[PhotoIn] = PHOTOS


class CaseFilterIn(TextIn):
    status: list[Status] = Field(default_factory=list)
    category: RowId | None = Field(default=None, description="小类或大类 id")
    area: RowId | None = Field(default=None, description="区域 id（含下级）")
    village: int | None = ID
    department: int | None = ID
    channel: list[Channel] = Field(default_factory=list)
    kind: list[Kind] = Field(default_factory=list)
    lamp: list[Lamp] = Field(default_factory=list)
    q: str = Field(default="", max_length=100, description="事件编号或描述/地址中的文字")
    reported_from: date | None = None
    reported_to: date | None = None
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=50, ge=1, le=200)
    after: str = Field(
        default="", max_length=40, description="键集分页：上一页返回的 next_after；给出时从该事件之后读取，忽略 page"
    )


class MarkReadIn(TextIn):
    ids: list[RowId] | None = Field(
        default=None, max_length=1000, description="要标为已读的消息 id；缺省为全部未读消息"
    )


class MarkedOut(Schema):
    marked: int = Field(description="本次标为已读的条数")
