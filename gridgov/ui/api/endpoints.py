"""REST endpoints for cases. Thin: authenticate, fetch through the scope check, call domain functions, present
(the user and reference data: ``directory``; ledgers: ``ledgers``; indicators: ``figures``)."""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query
from ninja.files import UploadedFile

from gridgov.data.access.idempotency import Answer, create_once
from gridgov.data.access.permissions import (
    case_for,
    home_area,
    may_report_through,
    memberships_of,
    out_of_reach,
    own_channel,
)
from gridgov.data.access.queries import CaseFilters, api_cases
from gridgov.data.cases.domain import reference
from gridgov.data.cases.domain.attachments import MAX_IMAGE_BYTES, Upload
from gridgov.data.cases.domain.engine import apply_action, as_reported, report_case, reported_photos
from gridgov.data.cases.domain.personal_data import reveal_reporter_contact
from gridgov.data.cases.domain.queries import keyset_of, parse_keyset
from gridgov.data.cases.enums import Action, AttachmentKind, Channel
from gridgov.data.cases.models import Attachment, Case
from gridgov.data.errors import InvalidInput, NotFound
from gridgov.data.org.enums import Role
from gridgov.data.org.models import Area, Department, User
from gridgov.data.org.security import Client
from gridgov.data.taxonomy.models import Category
from gridgov.types import FromDjango, JSONObject
from gridgov.ui.api import present
from gridgov.ui.api.api import api
from gridgov.ui.api.files import file_answer, private_file
from gridgov.ui.api.named import named, named_by
from gridgov.ui.api.schemas import (
    ActionIn,
    ActionOfferOut,
    AttachmentOut,
    CaseCreatedOut,
    CaseDetailOut,
    CaseFilterIn,
    CaseIn,
    CasePageOut,
    ErrorOut,
    PhotoIn,
    ReporterOut,
    row_id,
)
from gridgov.ui.signed_in import api_user

ERRORS: dict[FromDjango, FromDjango] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}
IDEMPOTENCY_HEADER: JSONObject = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 128},
    "description": "同一 Key 与相同请求体只创建一次，重复请求返回同一结果；同一 Key 换了请求体返回 422",
}


def town_ids(user: User) -> set[int] | None:
    """The towns whose reference data the user sees; None = every town (admins, residents)."""
    memberships = memberships_of(user)
    if user.is_superuser or any(m.role == Role.ADMIN and m.area_id is None for m in memberships):
        return None
    towns = {m.town_id for m in memberships if m.town_id is not None}
    towns |= {m.area.town_id for m in memberships if m.area is not None and m.area.town_id is not None}
    return towns or None


# ---------------------------------------------------------------------------------------------------
# Cases


@api.get("/cases", response={200: CasePageOut, **ERRORS}, tags=["事件"], summary="事件列表（按权限范围、可筛选、分页）")
def list_cases(request: HttpRequest, filters: Query[CaseFilterIn]) -> JSONObject:
    """Newest first (上报时间, then id): a stable order for paging — by page number, or by keyset (``after``:
    the ``next_after`` of the previous page), which reads on from the index without skipping an offset."""
    user = api_user(request)
    now = timezone.now()
    cases = api_cases(
        user=user,
        filters=CaseFilters(
            status=tuple(filters.status),
            category_id=filters.category,
            area_id=filters.area,
            village_id=filters.village,
            department_id=filters.department,
            channel=tuple(filters.channel),
            kind=tuple(filters.kind),
            lamp=tuple(filters.lamp),
            q=filters.q,
            reported_from=filters.reported_from,
            reported_to=filters.reported_to,
        ),
        now=now,
    )
    count = cases.count()
    if filters.after:
        reported_at, case_id = parse_keyset(filters.after)
        rows = cases.after(reported_at=reported_at, case_id=case_id)[: filters.page_size]
    else:
        start = (filters.page - 1) * filters.page_size
        rows = cases[start : start + filters.page_size]
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": math.ceil(count / filters.page_size) if count else 0,
        "next_after": keyset_of(rows[-1]) if len(rows) == filters.page_size else None,
        "results": [present.case_summary(case, now=now) for case in rows],
    }


@api.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    tags=["事件"],
    summary="事件详情（含流转记录和可执行操作）",
    url_name="get_case",
)
def get_case(request: HttpRequest, case_id: int) -> JSONObject:
    user = api_user(request)
    case_id = _case_id(case_id)
    try:
        case = case_for(user, case_id=case_id)
    except NotFound:
        left = out_of_reach(user=user, case_ids=[case_id]).get(case_id)
        if left is None:
            raise
        raise NotFound(f"{left.number}：{left.reason}") from None  # told of it once: why it no longer opens
    return present.case_detail(case, user=user, now=timezone.now())


@api.post(
    "/cases",
    response={201: CaseCreatedOut, 200: CaseCreatedOut, **ERRORS},
    tags=["事件"],
    summary="上报事件（支持 Idempotency-Key；返回编号、状态和链接，详情见 links.self）",
    openapi_extra={"parameters": [IDEMPOTENCY_HEADER]},
)
def create_case(request: HttpRequest, payload: CaseIn) -> HttpResponse:
    """Answers with the compact ``CaseCreatedOut`` (id, number, status, version, links) and a Location header;
    the whole case (timeline, deadlines, attachments) is one GET away at ``links.self``."""
    user = api_user(request)
    town = _reporting_town(user, payload.town_id)
    category = _category(town, payload.category, field="category")
    area = _area(town, payload.area_id) if payload.area_id is not None else None
    if area is None and (payload.latitude is None or payload.longitude is None):
        area = home_area(user)  # neither area nor point: a field worker's own grid, as on the phone
    channel = payload.channel or own_channel(user)
    if channel == Channel.OPEN311:
        raise InvalidInput(_("Open311 渠道的事件请通过 /open311/v2/ 提交"), field="channel")
    if payload.channel is not None and not may_report_through(user, channel):  # one's own channel needs no check
        raise InvalidInput(
            _("只有指挥室可以登记“%(channel)s”渠道的事件；您上报的事件渠道为“%(own)s”")
            % {"channel": channel.label, "own": own_channel(user).label},
            field="channel",
        )
    photos = _uploads(payload.photos)

    def create(on_written: Callable[[Case], None] | None = None) -> Case:
        try:
            return report_case(
                town=town,
                reporter=user,
                channel=channel,
                category=category,
                description=payload.description,
                title=payload.title,
                priority=payload.priority,
                area=area,
                latitude=payload.latitude,
                longitude=payload.longitude,
                address=payload.address,
                reporter_name=payload.reporter_name,
                reporter_phone=payload.reporter_phone,
                photos=photos,
                on_written=on_written,
            )
        except InvalidInput as error:  # the engine names its own argument; the API's field is area_id
            if error.field == "area":
                raise InvalidInput(error.message, field="area_id", code=error.code) from None
            raise

    def rendered(case: Case) -> JSONObject:
        return present.case_created(case, attachments=len(photos))  # = CaseCreatedOut's JSON (tested)

    def rebuilt(case: Case) -> JSONObject:
        """The first answer again for a retry, from the case however it has moved on since (not stored)."""
        return present.case_created(as_reported(case), attachments=reported_photos(case))

    key = request.headers.get("Idempotency-Key")
    if key is None:
        body = rendered(create())
        response = api.create_response(request, body, status=201)
    else:
        answer = create_once(
            user=user,
            key=key,
            body=payload.model_dump(mode="json"),
            create_recording=create,
            render=rendered,
            first_answer=rebuilt,
        )
        response = keyed_response(request, answer)
        body = answer.body
    response["Location"] = body["links"]["self"]
    return response


@api.get(
    "/cases/{case_id}/actions",
    response={200: list[ActionOfferOut], **ERRORS},
    tags=["事件"],
    summary="当前用户此刻可对该事件执行的操作",
)
def list_case_actions(request: HttpRequest, case_id: int) -> list[JSONObject]:
    user = api_user(request)
    case = case_for(user, case_id=_case_id(case_id))
    return present.offers(user=user, case=case)


@api.post(
    "/cases/{case_id}/actions",
    response={200: CaseDetailOut, **ERRORS},
    tags=["事件"],
    summary="执行流转操作（立案、派遣、签收、反馈、核查、延期、缓办、督办、备注……）",
)
def take_action(request: HttpRequest, case_id: int, payload: ActionIn) -> JSONObject:
    """``expected_version``: the case's version when you read it; if someone acted first → 409 conflict."""
    user = api_user(request)
    case = case_for(user, case_id=_case_id(case_id))
    town = case.town
    department = _department(town.pk, payload.department_id) if payload.department_id is not None else None
    handler = None
    if payload.handler_id is not None:
        handler = named(
            User.objects.filter(pk=payload.handler_id, is_active=True).first(),
            _("处置人 %(id)s 不存在") % {"id": payload.handler_id},
            field="handler_id",
        )
    category = _category(town, payload.category, field="category") if payload.category else None
    duplicate = None
    if payload.duplicate_of:
        number = payload.duplicate_of.strip()
        message = _("重复事件 %(n)s 不存在或您无权查看") % {"n": payload.duplicate_of}
        duplicate = named_by(lambda: case_for(user, number=number), message, field="duplicate_of")
    apply_action(
        case_id=case.pk,
        actor=user,
        action=payload.action,
        note=payload.note,
        expected_version=payload.expected_version,
        department=department,
        handler=handler,
        category=category,
        priority=payload.priority,
        duplicate_of=duplicate,
        extension=payload.extension,
        rating=payload.rating,
        photos=_uploads(payload.photos, default_kind=_photo_kind(payload.action)),
    )
    try:
        fresh = case_for(user, case_id=case.pk)
    except NotFound:
        # The action was done and took the case out of the user's scope (a department's 退回): answer the case as
        # the action left it, with nothing more to offer — not a 404 that reads as if nothing happened.
        case.refresh_from_db()
        fresh = case
    return present.case_detail(fresh, user=user, now=timezone.now())


@api.get(
    "/cases/{case_id}/attachments",
    response={200: list[AttachmentOut], **ERRORS},
    tags=["附件"],
    summary="事件的照片和附件",
)
def list_attachments(request: HttpRequest, case_id: int) -> list[JSONObject]:
    case = case_for(api_user(request), case_id=_case_id(case_id))
    rows = Attachment.objects.filter(case=case).select_related("action").order_by("id")
    return [present.attachment(row, action_seq=row.action.seq if row.action else None) for row in rows]


@api.post(
    "/cases/{case_id}/attachments",
    response={200: CaseDetailOut, **ERRORS},
    tags=["附件"],
    summary="上传照片（multipart，记为一条“备注”流转记录）",
)
def upload_attachments(
    request: HttpRequest,
    case_id: int,
    note: Form[str],
    files: File[list[UploadedFile]],
    kind: Form[AttachmentKind] = AttachmentKind.OTHER,
) -> JSONObject:
    user = api_user(request)
    case = case_for(user, case_id=_case_id(case_id))
    uploads = []
    for upload in files:
        if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
            raise InvalidInput(_("照片“%(name)s”过大") % {"name": upload.name}, field="files")
        uploads.append(Upload(name=upload.name or "photo", data=upload.read(), kind=kind))
    if not uploads:
        raise InvalidInput(_("请选择要上传的照片"), field="files")
    apply_action(case_id=case.pk, actor=user, action=Action.COMMENT, note=note, photos=uploads)
    fresh = case_for(user, case_id=case.pk)
    return present.case_detail(fresh, user=user, now=timezone.now())


@api.get(
    "/cases/{case_id}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    url_name="case_attachment_file",
    tags=["附件"],
    summary="下载照片（仅限有权查看该事件的用户）",
    openapi_extra=file_answer("图片文件", "image/*"),
)
def download_attachment(request: HttpRequest, case_id: int, attachment_id: int) -> FileResponse:
    case = case_for(api_user(request), case_id=_case_id(case_id))
    row = Attachment.objects.filter(pk=_case_id(attachment_id), case=case).first()
    if row is None:
        raise NotFound(_("附件不存在"))
    return private_file(row.file, content_type=row.content_type)


@api.post(
    "/cases/{case_id}/reveal-contact",
    response={200: ReporterOut, **ERRORS},
    tags=["事件"],
    summary="查看上报人完整联系方式（指挥室、领导、管理员；记录安全日志）",
)
def reveal_contact(request: HttpRequest, case_id: int) -> JSONObject:
    user = api_user(request)
    case = case_for(user, case_id=_case_id(case_id))
    contact = reveal_reporter_contact(user=user, case=case, client=Client.of(request))
    return {"name": contact.name, "phone": contact.phone, "masked": contact.masked}


# ---------------------------------------------------------------------------------------------------
# Helpers


def keyed_response(request: HttpRequest, answer: Answer) -> HttpResponse:
    """The answer to a create sent with an Idempotency-Key: the first answer's status (200 when a retry replays
    it) and body, and whether it was replayed (``Idempotent-Replayed``)."""
    response = api.create_response(request, answer.body, status=200 if answer.replayed else answer.status)
    response["Idempotent-Replayed"] = "true" if answer.replayed else "false"
    return response


def _case_id(value: int) -> int:
    return row_id(value, _("事件不存在或您无权查看"))


def _reporting_town(user: User, town_id: int | None) -> Area:
    """The town a new record belongs to (towns come from the per-process reference cache: no query)."""
    towns = town_ids(user)
    if town_id is not None:
        town = reference.town(town_id)
        if town is None or (towns is not None and town.pk not in towns):
            raise InvalidInput(_("乡镇 %(id)s 不存在或不在您的范围内") % {"id": town_id}, field="town_id")
        return town
    candidates = reference.towns(frozenset(towns) if towns else None)[:2]
    if len(candidates) != 1:
        raise InvalidInput(_("请用 town_id 指明事件所属的乡镇"), field="town_id")
    return candidates[0]


def _category(town: Area, code: str, *, field: str) -> Category:
    return named(
        reference.sub_category(town_id=town.pk, code=code),
        _("事件分类“%(code)s”不存在或已停用，请选择一个小类") % {"code": code},
        field=field,
    )


def _department(town_id: int, department_id: int) -> Department:
    """One of the town's departments, named by id in a request (``department_id``)."""
    return named(
        Department.objects.filter(pk=department_id, town_id=town_id).first(),
        _("部门 %(id)s 不是本镇的部门") % {"id": department_id},
        field="department_id",
    )


def _area(town: Area, area_id: int) -> Area:
    return named(
        Area.objects.filter(pk=area_id, town=town).first(),
        _("区域 %(id)s 不在%(town)s") % {"id": area_id, "town": town.name},
        field="area_id",
    )


def _photo_kind(action: Action) -> AttachmentKind:
    return AttachmentKind.AFTER if action in (Action.RESOLVE, Action.SELF_RESOLVE) else AttachmentKind.OTHER


def _uploads(photos: list[PhotoIn], *, default_kind: AttachmentKind = AttachmentKind.BEFORE) -> list[Upload]:
    uploads = []
    for index, photo in enumerate(photos):
        try:
            data = base64.b64decode(photo.data_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput(
                _("第 %(n)s 张照片的 data_base64 不是有效的 base64") % {"n": index + 1}, field="photos"
            ) from None
        kind = photo.kind if "kind" in photo.model_fields_set else default_kind
        uploads.append(Upload(name=photo.name, data=data, kind=kind))
    return uploads
