"""Recording an enterprise's figures of a year (企业年度数据): 规上 status, the key enterprises' fixed-asset
investment, the 亩均论英雄 data and the 低效企业 rectification (整治).

``record_year`` checks the input (``clean_year``: each refusal a Chinese message naming the field) and who records
(``enterprises.scope``), then writes the row. **A second entry for the same enterprise and year corrects the first**
(its time and author kept in ``updated_at``/``updated_by``). ``set_rectification`` moves a low-efficiency
enterprise's rectification on (未整治 → 整治中 → 已整治, with the date and the measure). Nothing is written when a
check fails. The town marks its low-efficiency enterprises itself, or sets a 亩均税收 threshold for the year
(``set_threshold``) and marks those below it (``mark_below_threshold``).

规上 since: the year an enterprise first reached the statistical threshold. When not given, it is carried on from
the enterprise's row of the year before if that one was above the threshold, and is the year itself otherwise — so
an enterprise counts as 新增规上企业 once, in the year it reached the threshold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.amounts import parse_amount
from gridgov.data.enterprises.enums import Measure, Rectification
from gridgov.data.enterprises.models_yearly import EfficiencyThreshold, EnterpriseYear
from gridgov.data.enterprises.scope import may_record_years, year_towns
from gridgov.data.errors import Conflict, InvalidInput, NotAllowed
from gridgov.data.org.models import Area, Enterprise, User
from gridgov.data.worktime.days import check_year

MAX_MU = Decimal("99999999.99")


@dataclass(frozen=True)
class YearInput:
    """An enterprise's year as a form, a sheet or the API gives it: the year as a number or text (2022, "2022年"),
    amounts as people type them ("3,500万", "1.2亿"), the land in 亩 ("12.5", "12.5亩")."""

    enterprise: Enterprise | None
    year: int | str
    above_scale: bool = False
    above_scale_since: int | str | None = None
    key: bool = False
    fixed_investment: Decimal | int | str | None = None
    land_mu: Decimal | int | str | None = None
    tax: Decimal | int | str | None = None
    output: Decimal | int | str | None = None
    low_efficiency: bool = False
    rectification: Rectification | str = ""
    rectified_on: date | None = None
    measure: Measure | str = ""
    note: str = ""


# The fields of a year's row that its figures fill (``CleanYear.values``).
FIGURE_FIELDS = (
    "above_scale", "above_scale_since", "key", "fixed_investment", "land_mu", "tax", "output", "low_efficiency",
    "rectification", "rectified_on", "measure", "note",
)  # fmt: skip


@dataclass(frozen=True)
class CleanYear:
    enterprise: Enterprise
    year: int
    above_scale: bool
    above_scale_since: int | None
    key: bool
    fixed_investment: Decimal
    land_mu: Decimal | None
    tax: Decimal
    output: Decimal
    low_efficiency: bool
    rectification: str
    rectified_on: date | None
    measure: str
    note: str

    def values(self) -> dict[str, object]:
        """The row's figures by field name (all but the enterprise and the year, which name the row)."""
        return {name: getattr(self, name) for name in FIGURE_FIELDS}


def parse_year(value: int | str | None, *, field: str, label: str, today: date) -> int:
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip().removesuffix("年")
    if isinstance(value, bool) or not re.fullmatch(r"\d{4}", text):
        raise InvalidInput(_("%(label)s：“%(v)s”不是年份") % {"label": label, "v": value or ""}, field=field)
    return check_year(int(text), today=today, field=field, label=label)


def parse_mu(value: Decimal | int | str | None) -> Decimal | None:
    """The land area in 亩 (blank: not known); InvalidInput naming the field unless a number above 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").removesuffix("亩")
    try:
        mu = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(_("用地面积（亩）：“%(v)s”不是数字") % {"v": value}, field="land_mu") from None
    if isinstance(value, bool) or not mu.is_finite():
        raise InvalidInput(_("用地面积（亩）：“%(v)s”不是数字") % {"v": value}, field="land_mu")
    if mu > MAX_MU:
        raise InvalidInput(_("用地面积（亩）过大，请核对"), field="land_mu")
    mu = mu.quantize(Decimal("0.01"))  # (a tiny positive area rounds to 0 and is refused below)
    if mu <= 0:
        raise InvalidInput(_("用地面积（亩）应大于0"), field="land_mu")
    return mu


class YearBefore(Protocol):
    """What the 规上 since of a year reads from the enterprise's row of the year before (stored or being imported)."""

    @property
    def above_scale(self) -> bool: ...

    @property
    def above_scale_since(self) -> int | None: ...


type YearsBefore = Callable[[Enterprise, int], YearBefore | None]


def _stored_year(enterprise: Enterprise, year: int) -> EnterpriseYear | None:
    return EnterpriseYear.objects.filter(enterprise=enterprise, year=year).first()


def _since(data: YearInput, *, enterprise: Enterprise, year: int, today: date, before: YearsBefore) -> int | None:
    if not data.above_scale:
        if data.above_scale_since not in (None, ""):
            raise InvalidInput(_("首次进入规上年度：非规上企业不填"), field="above_scale_since")
        return None
    if data.above_scale_since not in (None, ""):
        since = parse_year(data.above_scale_since, field="above_scale_since", label=_("首次进入规上年度"), today=today)
        if since > year:
            raise InvalidInput(
                _("首次进入规上年度：%(since)s年晚于登记年度%(year)s年") % {"since": since, "year": year},
                field="above_scale_since",
            )
        return since
    last = before(enterprise, year - 1)
    return last.above_scale_since if last is not None and last.above_scale else year


def check_rectification(
    *, low_efficiency: bool, status: str, rectified_on: date | None, measure: str, year: int, today: date
) -> tuple[str, date | None, str]:
    """The rectification's status, date and measure checked together (see the module); InvalidInput naming the
    field otherwise."""
    if not low_efficiency:
        if status or rectified_on is not None or measure:
            raise InvalidInput(_("整治状态：非低效企业无需整治"), field="rectification")
        return "", None, ""
    status = status or Rectification.PENDING
    if status not in Rectification.values:
        raise InvalidInput(_("整治状态：请选择未整治、整治中或已整治"), field="rectification")
    if measure and measure not in Measure.values:
        raise InvalidInput(_("整治措施：请选择腾退、提升、兼并重组或其他"), field="measure")
    if status != Rectification.DONE:
        if rectified_on is not None:
            raise InvalidInput(_("整治日期：整治完成（已整治）后才填写"), field="rectified_on")
        return status, None, measure
    if rectified_on is None:
        raise InvalidInput(_("整治日期：已整治的企业请填写整治日期"), field="rectified_on")
    if rectified_on > today:
        raise InvalidInput(_("整治日期：%(d)s尚未到来") % {"d": f"{rectified_on:%Y年%-m月%-d日}"}, field="rectified_on")
    if rectified_on.year < year:
        raise InvalidInput(
            _("整治日期：早于登记年度%(year)s年") % {"year": year},
            field="rectified_on",
        )
    if not measure:
        raise InvalidInput(_("整治措施：已整治的企业请选择整治措施"), field="measure")
    return status, rectified_on, measure


def clean_year(data: YearInput, *, now: datetime, before: YearsBefore = _stored_year) -> CleanYear:
    """The input checked, field by field; InvalidInput naming the field otherwise. Who records is ``record_year``'s
    check. ``before`` gives the enterprise's row of a year (the stored one by default) for the 规上 since."""
    today = timezone.localdate(now)
    enterprise = data.enterprise
    if enterprise is None:
        raise InvalidInput(_("企业：请选择一家企业"), field="enterprise")
    year = parse_year(data.year, field="year", label=_("年度"), today=today)
    since = _since(data, enterprise=enterprise, year=year, today=today, before=before)
    investment = parse_amount(data.fixed_investment, field="fixed_investment", label=_("固定资产投资"))
    if investment > 0 and not data.key:
        raise InvalidInput(_("固定资产投资：只登记重点企业的固定资产投资"), field="fixed_investment")
    land = parse_mu(data.land_mu)
    tax = parse_amount(data.tax, field="tax", label=_("税收"))
    output = parse_amount(data.output, field="output", label=_("产值"))
    status, rectified_on, measure = check_rectification(
        low_efficiency=data.low_efficiency,
        status=str(data.rectification or ""),
        rectified_on=data.rectified_on,
        measure=str(data.measure or ""),
        year=year,
        today=today,
    )
    return CleanYear(
        enterprise=enterprise,
        year=year,
        above_scale=data.above_scale,
        above_scale_since=since,
        key=data.key,
        fixed_investment=investment,
        land_mu=land,
        tax=tax,
        output=output,
        low_efficiency=data.low_efficiency,
        rectification=status,
        rectified_on=rectified_on,
        measure=measure,
        note=(data.note or "").strip(),
    )


def _check_actor(actor: User, enterprise: Enterprise) -> None:
    if not may_record_years(actor, enterprise):
        raise NotAllowed(_("您无权登记“%(name)s”的年度数据") % {"name": enterprise.name})


def record_year(*, actor: User, data: YearInput, now: datetime) -> EnterpriseYear:
    """Record (or correct: see the module) one enterprise's figures of one year."""
    if data.enterprise is not None:
        _check_actor(actor, data.enterprise)
    clean = clean_year(data, now=now)
    with transaction.atomic():
        row, _created = EnterpriseYear.objects.update_or_create(
            enterprise=clean.enterprise,
            year=clean.year,
            defaults={**clean.values(), "updated_at": now, "updated_by": actor},
            create_defaults={
                **clean.values(),
                "town_id": clean.enterprise.town_id,
                "created_at": now,
                "created_by": actor,
            },
        )
    return row


def record_years(*, actor: User, rows: Sequence[YearInput], now: datetime) -> int:
    """The bulk path of ``record_year`` for an import: every row checked as ``record_year`` checks it, in year order
    so that a row's 规上 since reads the year before from the file when the file has it (else from the stored row);
    then the new rows inserted and the stored ones corrected, each with one statement, in one short transaction —
    all or nothing. Returns the number of rows written."""
    enterprises = {data.enterprise.pk: data.enterprise for data in rows if data.enterprise is not None}
    for enterprise in enterprises.values():
        _check_actor(actor, enterprise)
    stored = {
        (row.enterprise_id, row.year): row for row in EnterpriseYear.objects.filter(enterprise_id__in=enterprises)
    }
    checked: dict[tuple[int, int], CleanYear] = {}

    def before(enterprise: Enterprise, year: int) -> YearBefore | None:
        return checked.get((enterprise.pk, year)) or stored.get((enterprise.pk, year))

    today = timezone.localdate(now)
    in_order = sorted(rows, key=lambda data: _year_or_zero(data.year, today=today))
    for data in in_order:
        clean = clean_year(data, now=now, before=before)
        checked[(clean.enterprise.pk, clean.year)] = clean
    new, corrected = [], []
    for (enterprise_id, year), clean in checked.items():
        row = stored.get((enterprise_id, year))
        if row is None:
            new.append(
                EnterpriseYear(
                    **clean.values(),
                    enterprise=clean.enterprise,
                    year=clean.year,
                    town_id=clean.enterprise.town_id,
                    created_at=now,
                    created_by=actor,
                )
            )
            continue
        for field, value in {**clean.values(), "updated_at": now, "updated_by": actor}.items():
            setattr(row, field, value)
        corrected.append(row)
    fields = [*FIGURE_FIELDS, "updated_at", "updated_by"]
    try:
        with transaction.atomic():
            EnterpriseYear.objects.bulk_create(new)
            EnterpriseYear.objects.bulk_update(corrected, fields)
    except IntegrityError:  # a year entered on a page while the file was being imported
        raise Conflict(_("导入期间有企业年度数据被登记，请重新检查后再导入")) from None
    return len(checked)


def _year_or_zero(value: int | str | None, *, today: date) -> int:
    """The year a row names (0 for one that is not a year: its check refuses it in order)."""
    try:
        return parse_year(value, field="year", label="", today=today)
    except InvalidInput:
        return 0


def set_rectification(
    *,
    actor: User,
    row: EnterpriseYear,
    status: Rectification | str,
    rectified_on: date | None = None,
    measure: Measure | str = "",
    now: datetime,
) -> EnterpriseYear:
    """Move a low-efficiency enterprise's rectification on (or back): its status, and for 已整治 the date (not in the
    future) and the measure."""
    _check_actor(actor, row.enterprise)
    if not row.low_efficiency:
        raise InvalidInput(_("整治状态：“%(name)s”不是低效企业") % {"name": row.enterprise.name}, field="rectification")
    status, day, how = check_rectification(
        low_efficiency=True,
        status=str(status or ""),
        rectified_on=rectified_on,
        measure=str(measure or ""),
        year=row.year,
        today=timezone.localdate(now),
    )
    with transaction.atomic():
        EnterpriseYear.objects.filter(pk=row.pk).update(
            rectification=status, rectified_on=day, measure=how, updated_at=now, updated_by=actor
        )
    row.refresh_from_db()
    return row


def year_row(clean: CleanYear, *, created_at: datetime, created_by: User | None = None) -> EnterpriseYear:
    """The unsaved row of a checked year (for bulk writers such as the demo, which check with ``clean_year``)."""
    return EnterpriseYear(
        town_id=clean.enterprise.town_id,
        enterprise=clean.enterprise,
        year=clean.year,
        created_at=created_at,
        created_by=created_by,
        above_scale=clean.above_scale,
        above_scale_since=clean.above_scale_since,
        key=clean.key,
        fixed_investment=clean.fixed_investment,
        land_mu=clean.land_mu,
        tax=clean.tax,
        output=clean.output,
        low_efficiency=clean.low_efficiency,
        rectification=clean.rectification,
        rectified_on=clean.rectified_on,
        measure=clean.measure,
        note=clean.note,
    )


def set_threshold(
    *, actor: User, town: Area, year: int | str, tax_per_mu: Decimal | int | str, now: datetime
) -> EfficiencyThreshold:
    """Set (or change) ``town``'s 亩均税收 threshold of ``year`` (元/亩, above 0)."""
    if town.pk not in year_towns(actor):
        raise NotAllowed(_("您无权设定%(town)s的亩均税收门槛") % {"town": town.name})
    which = parse_year(year, field="year", label=_("年度"), today=timezone.localdate(now))
    amount = parse_amount(tax_per_mu, field="tax_per_mu", label=_("亩均税收门槛"), positive=True)
    with transaction.atomic():
        threshold, _created = EfficiencyThreshold.objects.update_or_create(
            town=town, year=which, defaults={"tax_per_mu": amount, "set_at": now, "set_by": actor}
        )
    return threshold


def below_threshold(*, town: Area, year: int) -> list[EnterpriseYear]:
    """The town's rows of ``year`` whose 亩均税收 is below the year's threshold (none without a threshold; rows
    without a land area have no 亩均税收 and are left out)."""
    threshold = EfficiencyThreshold.objects.filter(town=town, year=year).first()
    if threshold is None:
        return []
    rows = EnterpriseYear.objects.filter(town=town, year=year, land_mu__isnull=False).select_related("enterprise")
    return [r for r in rows if r.tax_per_mu is not None and r.tax_per_mu < threshold.tax_per_mu]


def mark_below_threshold(*, actor: User, town: Area, year: int, now: datetime) -> int:
    """Mark the rows below the year's threshold as low-efficiency (未整治); those marked before keep their
    rectification. The number newly marked."""
    if town.pk not in year_towns(actor):
        raise NotAllowed(_("您无权设定%(town)s的亩均税收门槛") % {"town": town.name})
    ids = [r.pk for r in below_threshold(town=town, year=year) if not r.low_efficiency]
    with transaction.atomic():
        return EnterpriseYear.objects.filter(pk__in=ids).update(
            low_efficiency=True, rectification=Rectification.PENDING, updated_at=now, updated_by=actor
        )
