"""``report_case``: a new case, numbered from the town's yearly counter, written with its first action and the
caller's record in one short transaction (one round trip on PostgreSQL after the token). Its report-day counts
are added to the rollups by the task worker (``rollups.count_pending_reports``); until then the indicators
count it live."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.domain import deadlines, reference
from gridgov.data.cases.domain.attachments import Upload, check_images
from gridgov.data.cases.domain.bulk_statements import own_number, own_number_sql
from gridgov.data.cases.domain.engine.act import apply_action
from gridgov.data.cases.domain.engine.common import MAX_DESCRIPTION, after_commit, reporting_role, write_action
from gridgov.data.cases.domain.new_case import new_case
from gridgov.data.cases.domain.steps import report_step
from gridgov.data.cases.enums import Action, Channel, Kind, Status
from gridgov.data.cases.models import Attachment, Case, CaseAction
from gridgov.data.cases.scope import check_may_report_into
from gridgov.data.errors import InvalidInput
from gridgov.data.org import numbering
from gridgov.data.org.domain import place_in_town
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.data.safetext import blank
from gridgov.data.taxonomy.enums import Phase, Priority
from gridgov.data.taxonomy.models import Category
from gridgov.db import prepared

# ---------------------------------------------------------------------------------------------------
# Reporting


def report_case(
    *,
    town: Area,
    reporter: User | None,
    channel: Channel,
    category: Category,
    description: str,
    area: Area | None = None,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    address: str = "",
    title: str = "",
    priority: Priority | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    photos: Sequence[Upload] = (),
    kind: Kind = Kind.EVENT,
    enterprise: Enterprise | None = None,
    resolve_on_spot: bool = False,
    resolution_note: str = "",
    resolution_photos: Sequence[Upload] = (),
    now: datetime | None = None,
    on_written: Callable[[Case], None] | None = None,
    by_ledger: bool = False,
) -> Case:
    """Create a case (status 待受理) with its first action; optionally resolve it on the spot (自行处置).

    ``on_written`` is called with the new case inside the same transaction, once everything is written (the
    API records its Idempotency-Key answer there, so both commit or neither). ``by_ledger``: a ledger files the
    case it keeps (a hazard, a service request, a milestone's supervision), which alone may use its own categories.
    """
    now = now or timezone.now()
    description = (description or "").strip()
    if blank(description):
        raise InvalidInput(_("请填写事件描述"), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(_("事件描述不能超过 %(n)s 字") % {"n": MAX_DESCRIPTION}, field="description")
    if town.level != AreaLevel.TOWN:
        raise InvalidInput(_("事件必须属于一个乡镇"), field="town")
    if category.town_id != town.pk or category.parent_id is None or not category.active:
        raise InvalidInput(
            _("事件分类“%(name)s”不可用，请选择本镇启用的小类") % {"name": category.name}, field="category"
        )
    if category.ledger_only and not by_ledger:
        raise InvalidInput(
            _("“%(name)s”是台账专用分类，请在相应台账中登记，或选择其他事件分类") % {"name": category.name},
            field="category",
        )
    lat, lng = _check_coordinates(latitude, longitude)
    located = area is None and lat is not None and lng is not None
    if area is None and lat is not None and lng is not None:  # OutsideTown for a point beyond the town's bounds
        area = place_in_town(town=town, latitude=float(lat), longitude=float(lng))
    area = area or town
    if area.town_id != town.pk:
        raise InvalidInput(_("所选区域“%(name)s”不在%(town)s") % {"name": area.name, "town": town.name}, field="area")
    if not by_ledger and reporter is not None and reporter.is_authenticated:
        check_may_report_into(reporter, area, field="latitude" if located else "area")
    if enterprise is not None and enterprise.town_id != town.pk:
        raise InvalidInput(
            _("企业“%(name)s”不在%(town)s") % {"name": enterprise.name, "town": town.name}, field="enterprise"
        )
    levels = reference.ancestors_by_level(area)
    checked = check_images(list(photos))
    calendar = reference.calendar()
    role = reporting_role(reporter, channel)

    if resolve_on_spot and (reporter is None or not reporter.is_authenticated):
        raise InvalidInput(_("自行处置需要登录的网格员"), field="resolve_on_spot")

    # Everything that needs no lock is prepared before the transaction (on SQLite, BEGIN IMMEDIATE takes
    # the database's write lock: it is held only while writing).
    case = new_case(
        town=town,
        kind=kind,
        channel=channel,
        category=category,
        priority=priority,
        title=title,
        description=description,
        address=address,
        latitude=lat,
        longitude=lng,
        area=area,
        levels=levels,
        reporter=reporter if reporter is not None and reporter.is_authenticated else None,
        reporter_role=role or "",
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        enterprise=enterprise,
        status=Status.REPORTED,
        reported_at=now,
    )
    year = case.year
    deadlines.start_dispatch_clock(
        case,
        calendar=calendar,
        limit=reference.time_limit(category=category, phase=Phase.DISPATCH, priority=case.priority),
        start=now,
    )

    # The case row's values are prepared here too: inside, only the keys, the number and the first action's
    # hash are filled in. No rollup row is written: the report-day counts are the worker's to add, and a new
    # case has no cohort counts until it is registered (an action, which writes its own).
    case.report_rolled_up = False
    staged = prepared.stage(case)
    if staged is not None:
        staged.stamp(updated_at=now)  # last updated by its report step, as an action leaves it
    # PostgreSQL: the number is drawn by the one round trip that writes the case (the counter's row is locked
    # only while the database writes), with keys reserved ahead by this connection's previous report.
    drawn: numbering.Drawn | None = None
    # Photos and an on-the-spot resolution write through the ORM: they need Django's own transaction.
    with transaction.atomic() if checked or resolve_on_spot else prepared.transaction():
        with prepared.batched():  # the case, its action and the caller's record
            if staged is not None and not (checked or resolve_on_spot) and connection.vendor == "postgresql":
                pk, action_pk = prepared.reserved_keys(Case, CaseAction)
                drawn = numbering.draw(series=numbering.CASES, town=town, year=year)
                staged.set(id=pk)
                staged.compute(seq=drawn.sql, number=own_number_sql(town, year, drawn))
            else:
                seq, pk, action_pk = _next_number(town=town, year=year)
                number = own_number(town, year, seq)
                if staged is not None:
                    staged.set(id=pk, seq=seq, number=number)
                else:
                    case.pk, case.seq, case.number = pk, seq, number
            step = report_step(case, role=role, channel=channel, now=now, calendar=calendar, files=checked)
            row = write_action(step, from_status="", new_case=staged or True, pk=action_pk)
            if on_written is not None and not resolve_on_spot:
                on_written(case)  # a number drawn by the batch is not known yet: the record reads it from the row
        after_commit(row)
        if resolve_on_spot:  # in the same transaction: a failed resolution leaves no half-made case
            assert reporter is not None
            apply_action(
                case_id=case.pk,
                actor=reporter,
                action=Action.SELF_RESOLVE,
                note=resolution_note,
                photos=resolution_photos,
                now=now,
            )
            case.refresh_from_db()
            if on_written is not None:
                on_written(case)
    if drawn is not None:
        case.seq = drawn.value
        case.number = own_number(town, year, case.seq)
    return case


def as_reported(case: Case) -> Case:
    """A copy of ``case`` as ``report_case`` returned it without an on-the-spot resolution: 待受理, at its first
    version — to rebuild the answer its report gave (an Idempotency-Key's first answer, not stored) once later
    actions have moved the case on. Its number, key and report time never change."""
    first = copy.copy(case)
    first.status = Status.REPORTED
    first.version = Case._meta.get_field("version").get_default()  # a new case's; the report step keeps it
    return first


def reported_photos(case: Case) -> int:
    """How many photos ``case``'s report carried: its first action's attachments (one per photo; later photos
    belong to later actions)."""
    return Attachment.objects.filter(case=case, action__seq=1).count()


def _check_coordinates(
    latitude: Decimal | float | None, longitude: Decimal | float | None
) -> tuple[Decimal | None, Decimal | None]:
    if latitude is None and longitude is None:
        return None, None
    if latitude is None or longitude is None:
        raise InvalidInput(_("经纬度必须同时提供"), field="latitude")
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lng = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        raise InvalidInput(_("经纬度格式不正确"), field="latitude") from None
    if not (Decimal(-90) <= lat <= Decimal(90)) or not (Decimal(-180) <= lng <= Decimal(180)):
        raise InvalidInput(_("经纬度超出范围"), field="latitude")
    return lat, lng


def _next_number(*, town: Area, year: int) -> tuple[int, int, int]:
    """Bump the town's case counter for ``year`` inside the caller's transaction (gap-free, race-free), and
    reserve the primary keys of the new case and of its first action in the same statement; returns
    ``(seq, case pk, action pk)``.

    Knowing the keys before anything is written lets the first action's hash (which covers the case's key) go
    into the case's own INSERT — no UPDATE of the new row — and lets the case, its action and the
    caller's record go to the database together (``prepared.batched``). If the reporting transaction rolls
    back, so does the bump.
    """
    seq, pk, action_pk = numbering.next_value_with(series=numbering.CASES, town=town, year=year, also=_new_keys())
    return seq, pk, action_pk


@functools.cache
def _new_keys() -> tuple[str, str]:
    """The SQL that reserves the keys of a new case and of its first action."""
    return prepared.next_pk_sql(Case), prepared.next_pk_sql(CaseAction)
