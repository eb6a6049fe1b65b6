"""Year figures of the enterprises' yearly rows (``EnterpriseYear``), as the work report counts them ("新增规上企业4家",
"重点企业固定资产投资7.7亿元", "全面完成辖区内13家低效企业整治") — each with the rows behind it:

- enterprises_new_above_scale: the enterprises that first reached the 规上 threshold in the year (their row of the
  year is above it and its 规上 since is the year itself);
- enterprises_above_scale: the enterprises above the threshold in the year;
- key_investment: the fixed-asset investment recorded for the year's key enterprises (重点企业), in 元;
- low_efficiency: the year's low-efficiency enterprises (低效企业);
- low_efficiency_rectified: those of them rectified (已整治) by the end of the period and by ``as_of``;
- low_efficiency_open: those of them not rectified then (未整治, 整治中, or rectified later).

A row belongs to the years of the period [start, end) (the year in review: one year); it counts only when it was
entered by ``as_of``. The town may also keep monthly statistics of the same names among its economic indicators
(新增规上企业, 重点企业固定资产投资: ``INDICATOR_NAMES``). The year in review says each number once: when the year has
records behind a figure, its sentence (``reports.domain.economy_sentences._enterprise_year_sentence``) states it,
counted from the records and linked to them, and the economy table leaves out the indicator of that name; a town
that keeps only the indicator reads it in the economy table.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.cases.figures import Figure
from gridgov.data.enterprises.enums import Rectification
from gridgov.data.enterprises.models_yearly import EnterpriseYear
from gridgov.data.org.models import Area

#: The economic indicators (by name) that state the same number as a figure of these records.
INDICATOR_NAMES = {"新增规上企业": "enterprises_new_above_scale", "重点企业固定资产投资": "key_investment"}


def rows_in(*, town: Area, start: date, end: date, as_of: datetime) -> QuerySet[EnterpriseYear]:
    """The town's yearly rows of the years of [start, end), entered by ``as_of``."""
    last = end - timedelta(days=1)
    return EnterpriseYear.objects.filter(
        town=town, year__gte=start.year, year__lte=last.year, created_at__lte=as_of
    ).select_related("enterprise")


def rectified_by(*, end: date, as_of: datetime) -> Q:
    """The low-efficiency rows rectified before ``end`` and by ``as_of``."""
    day = min(end - timedelta(days=1), timezone.localdate(as_of))
    return Q(low_efficiency=True, rectification=Rectification.DONE, rectified_on__lte=day)


def new_above_scale() -> Q:
    return Q(above_scale=True, above_scale_since=F("year"))


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """The ledgers' shape (``cases.figures``), each figure with its rows (not cases) behind it."""
    rows = rows_in(town=town, start=start, end=end, as_of=as_of)
    new = rows.filter(new_above_scale())
    above = rows.filter(above_scale=True)
    key = rows.filter(key=True, fixed_investment__gt=0)
    low = rows.filter(low_efficiency=True)
    done = rectified_by(end=end, as_of=as_of)
    # Every figure in one query (each the count or sum of its records).
    found = rows.aggregate(
        new=Count("pk", filter=new_above_scale()),
        above=Count("pk", filter=Q(above_scale=True)),
        investment=Sum("fixed_investment", filter=Q(key=True, fixed_investment__gt=0)),
        low=Count("pk", filter=Q(low_efficiency=True)),
        low_done=Count("pk", filter=Q(low_efficiency=True) & done),
    )
    investment: Decimal | None = found["investment"]
    firms = _("家")
    return {
        "enterprises_new_above_scale": Figure(_("新增规上企业"), found["new"], firms, records=new),
        "enterprises_above_scale": Figure(_("规上企业"), found["above"], firms, records=above),
        "key_investment": Figure(
            _("重点企业固定资产投资"), investment if investment is not None else Decimal(0), _("元"), records=key
        ),
        "low_efficiency": Figure(_("低效企业"), found["low"], firms, records=low),
        "low_efficiency_rectified": Figure(_("低效企业已整治"), found["low_done"], firms, records=low.filter(done)),
        "low_efficiency_open": Figure(
            _("低效企业未完成整治"), found["low"] - found["low_done"], firms, records=low.exclude(done)
        ),
    }
