"""Economic and social indicators: definitions, yearly targets, monthly or quarterly actuals, and the
year-to-date table with completion of target and year-on-year change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput, first_or_not_found
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.reports.enums import Accumulation, Frequency, IndicatorKind
from gridgov.data.reports.models import IndicatorActual, IndicatorDefinition, IndicatorTarget

MAX_ABS_VALUE = Decimal("1e15")


def parse_value(raw: object, *, field: str = "value") -> Decimal:
    """A number as people type it: "27.8", "1,234.5", "１２３" (full-width); refused with a clear message."""
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        value = Decimal(str(raw))
    else:
        text = str(raw or "").strip().translate(_FULL_WIDTH).replace(",", "").replace("，", "")
        if not text:
            raise InvalidInput(_("请填写数值"), field=field)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InvalidInput(_("“%(text)s”不是有效的数字") % {"text": raw}, field=field) from None
    if not value.is_finite() or abs(value) >= MAX_ABS_VALUE:
        raise InvalidInput(_("数值超出范围"), field=field)
    return value.quantize(Decimal("0.0001"))


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


def define_indicator(
    *,
    town: Area,
    code: str,
    name: str,
    unit: str,
    kind: IndicatorKind = IndicatorKind.OTHER,
    frequency: Frequency = Frequency.MONTHLY,
    accumulation: Accumulation = Accumulation.PERIOD,
    sort_order: int = 0,
) -> IndicatorDefinition:
    if town.level != AreaLevel.TOWN:
        raise InvalidInput(_("指标必须属于一个乡镇"), field="town")
    code, name, unit = code.strip(), name.strip(), unit.strip()
    if not code:
        raise InvalidInput(_("请填写指标编码"), field="code")
    if not name:
        raise InvalidInput(_("请填写指标名称"), field="name")
    if not unit:
        raise InvalidInput(_("请填写计量单位"), field="unit")
    if IndicatorDefinition.objects.filter(town=town, code=code).exists():
        raise InvalidInput(_("指标编码 %(code)s 已存在") % {"code": code}, field="code")
    if IndicatorDefinition.objects.filter(town=town, name=name).exists():
        raise InvalidInput(_("指标“%(name)s”已存在") % {"name": name}, field="name")
    return IndicatorDefinition.objects.create(
        town=town,
        code=code,
        name=name,
        unit=unit,
        kind=kind,
        frequency=frequency,
        accumulation=accumulation,
        sort_order=sort_order,
    )


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("年度必须在 2000 至 2100 之间"), field="year")


def period_count(frequency: str) -> int:
    return 12 if frequency == Frequency.MONTHLY else 4


def period_label(frequency: str, period: int) -> str:
    if frequency == Frequency.MONTHLY:
        return _("%(n)s月") % {"n": period}
    return _("第%(n)s季度") % {"n": "一二三四"[period - 1]}


def set_target(*, indicator: IndicatorDefinition, year: int, value: object) -> IndicatorTarget:
    """Set (or change) the yearly target of an indicator."""
    _check_year(year)
    amount = parse_value(value)
    target, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator, year=year, defaults={"value": amount, "town_id": indicator.town_id}
    )
    return target


def record_actual(
    *,
    indicator: IndicatorDefinition,
    year: int,
    period: int,
    value: object,
    user: User | None,
    note: str = "",
    now: datetime | None = None,
) -> IndicatorActual:
    """Record (or correct) the actual of one month or quarter."""
    _check_year(year)
    last = period_count(indicator.frequency)
    if not 1 <= period <= last:
        message = _("月份必须在 1 至 12 之间") if last == 12 else _("季度必须在 1 至 4 之间")
        raise InvalidInput(message, field="period")
    amount = parse_value(value)
    actual, _created = IndicatorActual.objects.update_or_create(
        indicator=indicator,
        year=year,
        period=period,
        defaults={
            "value": amount,
            "town_id": indicator.town_id,
            "note": note.strip()[:200],
            "entered_by": user,
            "entered_at": now or timezone.now(),
        },
    )
    return actual


@dataclass(frozen=True)
class ActualEntry:
    code: str
    year: int
    period: int
    value: object
    note: str = ""


def record_actuals(
    *, town: Area, entries: list[ActualEntry], user: User | None, now: datetime | None = None
) -> list[IndicatorActual]:
    """Record many actuals at once, all or nothing (an import): the first bad one aborts the batch."""
    definitions = {d.code: d for d in IndicatorDefinition.objects.filter(town=town)}
    with transaction.atomic():
        saved = []
        for entry in entries:
            indicator = definitions.get(entry.code)
            if indicator is None:
                raise InvalidInput(_("指标编码 %(code)s 不存在") % {"code": entry.code}, field="code")
            saved.append(
                record_actual(
                    indicator=indicator,
                    year=entry.year,
                    period=entry.period,
                    value=entry.value,
                    note=entry.note,
                    user=user,
                    now=now,
                )
            )
    return saved


def indicator_for_town(*, town: Area, indicator_id: int) -> IndicatorDefinition:
    return first_or_not_found(IndicatorDefinition.objects.filter(town=town, pk=indicator_id), _("指标不存在"))


@dataclass(frozen=True)
class IndicatorRow:
    """One line of the economic table: year to date against target and against last year's same periods."""

    indicator: IndicatorDefinition
    year: int
    through: int | None  # last period with an actual this year (None: nothing entered yet)
    through_label: str
    target: Decimal | None
    to_date: Decimal | None
    last_year_to_date: Decimal | None
    actuals: dict[int, Decimal]

    @property
    def completion(self) -> Decimal | None:
        """Year to date / yearly target (None without a target or actual)."""
        if self.to_date is None or not self.target:
            return None
        return self.to_date / self.target

    @property
    def change(self) -> Decimal | None:
        """Year-on-year change of the year-to-date value (None when last year is missing or zero)."""
        if self.to_date is None or not self.last_year_to_date:
            return None
        return (self.to_date - self.last_year_to_date) / abs(self.last_year_to_date)


def _to_date(accumulation: str, actuals: dict[int, Decimal], through: int) -> Decimal | None:
    if accumulation == Accumulation.CUMULATIVE:
        return actuals.get(through)
    values = [v for p, v in actuals.items() if p <= through]
    return sum(values, Decimal(0)) if values else None


def indicator_table(*, town: Area, year: int, through: int | None = None) -> list[IndicatorRow]:
    """Every active indicator of the town for ``year`` (up to month/quarter ``through`` if given): three
    queries whatever the number of indicators."""
    definitions = list(IndicatorDefinition.objects.filter(town=town, active=True))
    targets = {
        t.indicator_id: t.value
        for t in IndicatorTarget.objects.filter(indicator__in=definitions, year=year).only("indicator_id", "value")
    }
    actuals: dict[tuple[int, int], dict[int, Decimal]] = {}
    for a in IndicatorActual.objects.filter(indicator__in=definitions, year__in=(year, year - 1)).only(
        "indicator_id", "year", "period", "value"
    ):
        actuals.setdefault((a.indicator_id, a.year), {})[a.period] = a.value
    rows = []
    for d in definitions:
        this_year = actuals.get((d.pk, year), {})
        last_year = actuals.get((d.pk, year - 1), {})
        entered = [p for p in this_year if through is None or p <= through]
        last = max(entered) if entered else None
        rows.append(
            IndicatorRow(
                indicator=d,
                year=year,
                through=last,
                through_label=period_label(d.frequency, last) if last else "",
                target=targets.get(d.pk),
                to_date=_to_date(d.accumulation, this_year, last) if last else None,
                last_year_to_date=_to_date(d.accumulation, last_year, last) if last else None,
                actuals={p: v for p, v in this_year.items() if last is not None and p <= last},
            )
        )
    return rows
