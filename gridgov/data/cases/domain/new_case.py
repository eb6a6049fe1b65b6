"""A new case as it is reported — the one rule ``report_case``, the engine's ``Replay`` and the import of old
records share: its year is the local year of the report, its major category and default priority come from its
sub-category, its village and grid from its area, and its texts are cut to their columns."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from gridgov.data.cases.enums import Channel, Kind, Status
from gridgov.data.cases.models import Case
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.data.taxonomy.enums import Priority
from gridgov.data.taxonomy.models import Category
from gridgov.db import prepared


def new_case(
    *,
    town: Area,
    kind: Kind,
    channel: Channel,
    category: Category,
    priority: Priority | None,
    description: str,
    area: Area,
    levels: Mapping[str, Area],
    status: Status,
    reported_at: datetime,
    title: str = "",
    address: str = "",
    reporter: User | None = None,
    reporter_role: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    enterprise: Enterprise | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Case:
    """The unsaved case (not numbered yet) in ``area`` (``levels``: the area and its ancestors by level)."""
    return prepared.new(
        Case,
        town=town,
        year=timezone.localtime(reported_at).year,
        kind=kind,
        channel=channel,
        category=category,
        major_category_id=category.parent_id,
        priority=priority or category.default_priority,
        title=title.strip()[:120],
        description=description.strip(),
        address=address.strip()[:255],
        latitude=latitude,
        longitude=longitude,
        area=area,
        area_path=area.path,
        village=levels.get(AreaLevel.VILLAGE),
        grid=levels.get(AreaLevel.GRID),
        reporter=reporter,
        reporter_role=reporter_role,
        reporter_name=reporter_name.strip()[:64],
        reporter_phone=reporter_phone.strip()[:20],
        enterprise=enterprise,
        status=status,
        reported_at=reported_at,
    )
