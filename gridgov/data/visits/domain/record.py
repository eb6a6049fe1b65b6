"""Recording a visit (scope, place, time, photo), and its finding made a case on the engine (one per visit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.attachments import Upload, check_image
from gridgov.data.cases.domain.engine import report_case
from gridgov.data.cases.enums import AttachmentKind, Channel
from gridgov.data.cases.models import Case
from gridgov.data.errors import Conflict, InvalidInput, NotFound, first_or_not_found
from gridgov.data.org.domain import boundary_covers
from gridgov.data.org.models import Area, User
from gridgov.data.people.domain.display import person_view
from gridgov.data.people.models import House, Resident
from gridgov.data.taxonomy.domain import resolve_category
from gridgov.data.taxonomy.models import Category
from gridgov.data.visits.domain.scope import VisitScope, require_scope
from gridgov.data.visits.models import Visit

MAX_TEXT = 2000


@dataclass(frozen=True, slots=True)
class VisitInput:
    """A visit as the phone sends it: whom (a resident or a house), when, where, what was seen."""

    visited_at: datetime
    resident_id: int | None = None
    house_id: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    photo: Upload | None = None
    note: str = ""
    findings: str = ""


def _text(value: str, *, field_name: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise InvalidInput(_("%(label)s不能超过 %(n)s 字") % {"label": label, "n": MAX_TEXT}, field=field_name)
    return value


def _visited(scope: VisitScope, data: VisitInput) -> tuple[Resident | None, House]:
    """The resident (with their house) or the house visited, if the worker may visit them."""
    if (data.resident_id is None) == (data.house_id is None):
        raise InvalidInput(_("请选择走访对象（人员或房屋，二选一）"), field="resident")
    if data.resident_id is not None:
        resident = (
            scope.residents.filter(pk=data.resident_id, erased_at__isnull=True)
            .select_related("household__house")
            .first()
        )
        if resident is None:
            raise InvalidInput(_("该人员不在您的走访范围内"), field="resident")
        return resident, resident.household.house
    house = scope.houses.filter(pk=data.house_id or 0).first()
    if house is None:
        raise InvalidInput(_("该房屋不在您的走访范围内"), field="house")
    return None, house


def _check_point(scope: VisitScope, data: VisitInput) -> None:
    """Both coordinates or neither; a point inside one of the worker's grids. A grid without a drawn boundary
    cannot refuse a point: the check applies when every grid of the worker has one."""
    if data.latitude is None and data.longitude is None:
        return
    if data.latitude is None or data.longitude is None:
        raise InvalidInput(_("经纬度必须同时提供"), field="latitude")
    if not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180):
        raise InvalidInput(_("经纬度超出范围"), field="latitude")
    if not scope.grids or any(not grid.boundary for grid in scope.grids):
        return
    lat, lng = float(data.latitude), float(data.longitude)
    if not any(boundary_covers(grid, latitude=lat, longitude=lng) for grid in scope.grids):
        raise InvalidInput(_("位置不在您的网格内"), field="latitude")


def record_visit(*, worker: User, data: VisitInput, now: datetime) -> Visit:
    """Record a visit of the scope's worker; InvalidInput (naming the field) for a resident or house out of their
    scope, a point outside their grids, a time in the future, a text too long or a photo that is not one."""
    scope = require_scope(worker)
    resident, house = _visited(scope, data)
    if data.visited_at > now:
        raise InvalidInput(_("走访时间不能晚于当前时间"), field="visited_at")
    _check_point(scope, data)
    note = _text(data.note, field_name="note", label=_("走访情况"))
    findings = _text(data.findings, field_name="findings", label=_("发现问题"))
    checked = check_image(data.photo) if data.photo is not None else None
    visit = Visit(
        town_id=scope.town_id,
        worker=scope.worker,
        resident=resident,
        house=None if resident is not None else house,
        village_id=house.village_id,
        grid_id=house.grid_id,
        visited_at=data.visited_at,
        latitude=data.latitude,
        longitude=data.longitude,
        note=note,
        findings=findings,
        created_at=now,
    )
    if checked is not None:  # the upright copy without metadata: no GPS tags kept beside the visit's own point
        visit.photo_sha256 = checked.sha256
        visit.photo.save("visit.jpg", ContentFile(checked.photo.display), save=False)
    with transaction.atomic():
        visit.save()
    return visit


def visit_of(*, worker: User, visit_id: int) -> Visit:
    """One of the worker's own visits (NotFound otherwise)."""
    return first_or_not_found(Visit.objects.filter(pk=visit_id, worker=worker), _("走访记录不存在"))


def finding_to_case(*, worker: User, visit: Visit, category: Category, description: str, now: datetime) -> Case:
    """Report the visit's finding as a case through the engine, at the visit's place, and link it to the visit;
    Conflict when the visit already became a case (one case per visit)."""
    description = (description or "").strip() or visit.findings
    with transaction.atomic():
        locked = first_or_not_found(
            Visit.objects.select_for_update(of=("self",))
            .select_related("house", "resident__household__house")
            .filter(pk=visit.pk, worker=worker),
            _("走访记录不存在"),
        )
        if locked.case_id is not None:
            number = Case.objects.filter(pk=locked.case_id).values_list("number", flat=True).first()
            raise Conflict(_("该走访已转为事件 %(n)s，不能重复上报") % {"n": number or ""})
        house = locked.resident.household.house if locked.resident is not None else locked.house
        latitude = locked.latitude if locked.latitude is not None else (house.latitude if house else None)
        longitude = locked.longitude if locked.latitude is not None else (house.longitude if house else None)
        case = report_case(
            town=Area.objects.get(pk=locked.town_id),
            reporter=worker,
            channel=Channel.GRID_WORKER,
            category=category,
            description=description,
            area=locked.grid or locked.village,
            latitude=latitude,
            longitude=longitude,
            address=house.address if house else "",
            photos=_photos_of(locked),
            now=now,
        )
        Visit.objects.filter(pk=locked.pk).update(case=case)
    visit.case = case
    return case


def _photos_of(visit: Visit) -> list[Upload]:
    if not visit.photo:
        return []
    with visit.photo.open("rb") as stored:
        return [Upload(name="visit.jpg", data=stored.read(), kind=AttachmentKind.BEFORE)]


def record_visit_and_case(
    *, worker: User, data: VisitInput, category_id: int | None, description: str, now: datetime
) -> tuple[Visit, Case]:
    """A visit and its finding made a case in one step (the phone's 转为事件): both written, or neither."""
    if not data.findings.strip():
        raise InvalidInput(_("转为事件需要填写发现问题"), field="findings")
    town = Area.objects.get(pk=require_scope(worker).town_id)
    category = resolve_category(town=town, category_id=category_id)
    with transaction.atomic():
        visit = record_visit(worker=worker, data=data, now=now)
        case = finding_to_case(worker=worker, visit=visit, category=category, description=description, now=now)
    return visit, case


def visit_target(*, worker: User, resident_id: int | None, house_id: int | None) -> str:
    """The label of a resident (masked) or house the worker may visit, for the visit form; NotFound otherwise."""
    scope = require_scope(worker)
    if resident_id is not None and house_id is None:
        resident = scope.residents.filter(pk=resident_id, erased_at__isnull=True).first()
        if resident is not None:
            return person_view(resident).name
    if house_id is not None and resident_id is None:
        house = scope.houses.filter(pk=house_id).first()
        if house is not None:
            return house.address
    raise NotFound(_("走访对象不存在或不在您的网格内"))
