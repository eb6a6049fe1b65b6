"""Demo economic indicators (经济指标): the 2023 work report's figures for 2022 — 工业总产值27.8亿元, 规上工业产值
26.1亿元 (同比增长66.17%, so 2021 is in the data too), 财政总收入1.89亿元, 地方财政收入1.58亿元, 重点企业固定资产投资
7.7亿元, 新增规上企业4家, 帮助企业融资5400余万元, 税费支持107万元 — each with a yearly target and twelve monthly
actuals that add up to the report's figure exactly. For the current year: last year's twelve months and this
year's months up to the last finished one (from the clock), so the economy page shows a year in progress.

Like the other ledgers it is listed in ``year2022.LEDGER_BUILDERS`` and called with the year to build; it is safe
to call again (definitions are kept, actuals and targets are set to the same values)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from gridgov.data.org.models import Area
from gridgov.data.reports.domain.economy import define_indicator, record_actual, set_target
from gridgov.data.reports.enums import Accumulation, Frequency, IndicatorKind
from gridgov.data.reports.models import IndicatorDefinition
from gridgov.data.sheets.cells import SHANGHAI


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    unit: str
    kind: IndicatorKind
    year_2022: Decimal  # the work report's figure
    year_2021: Decimal  # so that 2022 has a 同比
    target_2022: Decimal
    places: int = 4  # decimals of a monthly actual
    growth: Decimal = Decimal("0.06")  # yearly growth of the years after 2022


SPECS = (
    # 规上工业产值 26.1亿元，同比增长66.17%: 26.1 / 1.6617 = 15.7068.
    Spec("GY01", "工业总产值", "亿元", IndicatorKind.INDUSTRY, Decimal("27.8"), Decimal("17.46"), Decimal("26")),
    Spec("GY02", "规上工业产值", "亿元", IndicatorKind.INDUSTRY, Decimal("26.1"), Decimal("15.7068"), Decimal("24")),
    Spec("GY03", "新增规上企业", "家", IndicatorKind.INDUSTRY, Decimal(4), Decimal(2), Decimal(3), places=0),
    Spec("TZ01", "重点企业固定资产投资", "亿元", IndicatorKind.INVESTMENT, Decimal("7.7"), Decimal("5.9"), Decimal(7)),
    Spec("CZ01", "财政总收入", "亿元", IndicatorKind.FISCAL, Decimal("1.89"), Decimal("1.72"), Decimal("1.85")),
    Spec("CZ02", "地方财政收入", "亿元", IndicatorKind.FISCAL, Decimal("1.58"), Decimal("1.44"), Decimal("1.55")),
    Spec("QY01", "帮助企业融资", "万元", IndicatorKind.OTHER, Decimal(5436), Decimal(4120), Decimal(5000), places=0),
    Spec("QY02", "税费支持", "万元", IndicatorKind.OTHER, Decimal(107), Decimal(92), Decimal(100), places=0),
)
# A month's share of the year: the Spring Festival dip in February, a strong second half.
SEASON = (7, 5, 8, 8, 8, 9, 9, 8, 9, 9, 10, 10)


def _months(total: Decimal, places: int, rng: random.Random) -> list[Decimal]:
    """``total`` split into twelve monthly amounts with ``places`` decimals, adding up to it exactly."""
    step = Decimal(1).scaleb(-places)
    if places == 0 and total < 24:  # a few units (新增规上企业4家): whole ones in some months
        counts = [Decimal(0)] * 12
        for _unit in range(int(total)):
            counts[rng.choices(range(12), weights=SEASON)[0]] += 1
        return counts
    weights = [w * rng.uniform(0.85, 1.15) for w in SEASON]
    whole = sum(weights)
    months = [(total * Decimal(w / whole)).quantize(step, rounding=ROUND_DOWN) for w in weights]
    months[-1] += total - sum(months)
    return months


def _indicator(town: Area, spec: Spec, order: int) -> IndicatorDefinition:
    found = IndicatorDefinition.objects.filter(town=town, code=spec.code).first()
    if found is not None:
        return found
    return define_indicator(
        town=town,
        code=spec.code,
        name=spec.name,
        unit=spec.unit,
        kind=spec.kind,
        frequency=Frequency.MONTHLY,
        accumulation=Accumulation.PERIOD,
        sort_order=order,
    )


def _year_total(spec: Spec, year: int) -> Decimal:
    """The figure of ``year``: the report's for 2021 and 2022, growing by ``spec.growth`` a year after that."""
    if year <= 2021:
        return spec.year_2021
    value = spec.year_2022 * (1 + spec.growth) ** (year - 2022)
    return value.quantize(Decimal(1).scaleb(-max(spec.places, 2)))


def _record(
    indicator: IndicatorDefinition, spec: Spec, year: int, months: int, rng: random.Random, now: datetime
) -> None:
    """The first ``months`` monthly actuals of ``year``, each entered early in the next month (never after
    ``now``)."""
    for month, value in enumerate(_months(_year_total(spec, year), spec.places, rng)[:months], start=1):
        entered = datetime(year + month // 12, month % 12 + 1, 8, 10, tzinfo=SHANGHAI)
        record_actual(indicator=indicator, year=year, period=month, value=value, user=None, now=min(entered, now))


def build(*, town: Area, rng: random.Random, year: int = 2022, now: datetime | None = None) -> None:
    """A past year (2022): it and the year before in full, with the year's targets. The current year (from
    the clock, or ``now``): last year in full and this year up to the last finished month (in January,
    January's first estimate), with targets a little above the expected year."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    # Its own random numbers, so that the other builders draw from ``rng`` as they did without it.
    own = random.Random(f"economy-{town.code}-{year}")
    for order, spec in enumerate(SPECS, start=1):
        indicator = _indicator(town, spec, order)
        if year < today.year:
            target = spec.target_2022 if year == 2022 else _year_total(spec, year)
            set_target(indicator=indicator, year=year, value=target)
            _record(indicator, spec, year - 1, 12, own, now)
            _record(indicator, spec, year, 12, own, now)
            continue
        target = (_year_total(spec, year) * Decimal("1.05")).quantize(Decimal(1).scaleb(-max(spec.places, 2)))
        set_target(indicator=indicator, year=year, value=target)
        _record(indicator, spec, year - 1, 12, own, now)
        _record(indicator, spec, year, max(1, today.month - 1), own, now)
