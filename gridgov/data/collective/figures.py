"""Year figures of the village collective economy, as the work report counts them ("全镇8个村实现村级集体经济收入
1529万元，其中经营性收入683万元，实现经营性收入增幅19%，6个村完成经营性收入超50万元") — each with the incomes behind it:

- collective_income: every kind of income of the villages in the period, in 元;
- collective_operating: the operating income (经营性收入), in 元;
- collective_operating_growth: its growth on the same period a year before, a fraction (None without last year's);
- villages_operating_over: the villages whose operating income exceeds ``OPERATING_THRESHOLD`` (超: more than);
- villages_operating_leading: those at ``LEADING_MULTIPLE`` times the threshold or more, which the report names with
  the round figure they all pass (其中摇星浦、前岸均突破180万元: ``leaders``);
- villages_with_income: the villages with any income in the period.

An income counts in a period when its month's first day lies in [start, end), and only when it was entered by
``as_of`` (a later correction of an entered month reads its corrected amount).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from gridgov.data.cases.figures import Figure
from gridgov.data.collective.enums import IncomeKind, SupportKind
from gridgov.data.collective.models import VillageIncome, VillageSupport
from gridgov.data.org.models import Area

# 经营性收入超50万元: the villages whose operating income is above this (in 元) are counted.
OPERATING_THRESHOLD = Decimal(500_000)
# 其中摇星浦、前岸均突破180万元: the villages at three times the threshold or more lead the town; the sentence says the
# figure they all pass, rounded down to 10万元.
LEADING_MULTIPLE = 3
LEADING_ROUND = Decimal(100_000)


def _first_month(start: date) -> tuple[int, int]:
    """The first (year, month) whose first day is on or after ``start``."""
    if start.day == 1:
        return start.year, start.month
    return (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)


def _last_month(end: date) -> tuple[int, int]:
    """The last (year, month) whose first day is before ``end``."""
    if end.day > 1:
        return end.year, end.month
    return (end.year - 1, 12) if end.month == 1 else (end.year, end.month - 1)


def months_between(start: date, end: date) -> Q:
    """The incomes of the months whose first day lies in [start, end)."""
    (y0, m0), (y1, m1) = _first_month(start), _last_month(end)
    after = Q(year__gt=y0) | Q(year=y0, month__gte=m0)
    before = Q(year__lt=y1) | Q(year=y1, month__lte=m1)
    return after & before


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year - 1)


def incomes(*, town: Area, start: date, end: date, as_of: datetime) -> QuerySet[VillageIncome]:
    """The town's village incomes of the months in [start, end), entered by ``as_of``."""
    return VillageIncome.objects.filter(months_between(start, end), town=town, created_at__lte=as_of)


def _or_zero(total: Decimal | None) -> Decimal:
    return total if total is not None else Decimal(0)


def _total(rows: QuerySet[VillageIncome] | QuerySet[VillageSupport]) -> Decimal:
    total: Decimal | None = rows.aggregate(total=Sum("amount"))["total"]
    return _or_zero(total)


def operating_by_village(rows: QuerySet[VillageIncome]) -> dict[int, Decimal]:
    """Each village's operating income among ``rows`` (villages without any are left out)."""
    operating = rows.filter(kind=IncomeKind.OPERATING).order_by().values("village").annotate(total=Sum("amount"))
    return {row["village"]: row["total"] for row in operating}


def year_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """The ledgers' shape (``cases.figures``), each figure with its incomes (not cases) behind it."""
    rows = incomes(town=town, start=start, end=end, as_of=as_of)
    operating = rows.filter(kind=IncomeKind.OPERATING)
    before = incomes(town=town, start=_year_before(start), end=_year_before(end), as_of=as_of)
    operating_before = before.filter(kind=IncomeKind.OPERATING)
    # The period's totals in one query (each that of its figure's records), last year's in another.
    found = rows.aggregate(
        total=Sum("amount"),
        operating=Sum("amount", filter=Q(kind=IncomeKind.OPERATING)),
        with_income=Count("village", distinct=True, filter=Q(amount__gt=0)),
    )
    this_year, last_year = _or_zero(found["operating"]), _total(operating_before)
    growth = None if last_year == 0 else (this_year - last_year) / last_year
    by_village = operating_by_village(rows)
    over = [village for village, total in by_village.items() if total > OPERATING_THRESHOLD]
    leading = [village for village, total in by_village.items() if total >= OPERATING_THRESHOLD * LEADING_MULTIPLE]
    with_income = rows.filter(amount__gt=0)
    villages = _("个村")
    return {
        "collective_income": Figure(_("村级集体经济收入"), _or_zero(found["total"]), _("元"), records=rows),
        "collective_operating": Figure(_("经营性收入"), this_year, _("元"), records=operating),
        "collective_operating_growth": Figure(
            _("经营性收入增幅"),
            growth,
            "%",
            records=VillageIncome.objects.filter(
                months_between(start, end) | months_between(_year_before(start), _year_before(end)),
                town=town,
                kind=IncomeKind.OPERATING,
                created_at__lte=as_of,
            ),
        ),
        "villages_operating_over": Figure(
            _("经营性收入超过门槛的村"), len(over), villages, records=operating.filter(village__in=over)
        ),
        "villages_operating_leading": Figure(
            _("经营性收入领先的村"), len(leading), villages, records=operating.filter(village__in=leading)
        ),
        "villages_with_income": Figure(
            _("实现集体经济收入的村"),
            found["with_income"],
            villages,
            records=with_income,
        ),
    }


def leaders(figure: Figure) -> tuple[list[str], Decimal]:
    """The names of the villages behind ``villages_operating_leading`` (the highest operating income first) and the
    round figure they all pass (rounded down to ``LEADING_ROUND``), for the sentence."""
    if figure.records is None or not figure.value:
        return [], Decimal(0)
    totals = list(
        figure.records.order_by()
        .values_list("village__name")
        .annotate(total=Sum("amount"))
        .order_by("-total", "village__name")
    )
    lowest: Decimal = min(total for _name, total in totals)
    return [str(name) for name, _total in totals], (lowest // LEADING_ROUND) * LEADING_ROUND


def support_figures(*, town: Area, start: date, end: date, as_of: datetime) -> dict[str, Figure]:
    """Enterprises' help to the villages (企业助农) dated in [start, end) and entered by ``as_of``: how many
    村企结对 and 共富工坊 records, the villages paired with an enterprise (全镇五个村实现村企结对), the workshops
    (共富工坊), and their support in 元."""
    rows = VillageSupport.objects.filter(town=town, on__gte=start, on__lt=end, created_at__lte=as_of)
    pairings = rows.filter(kind=SupportKind.PAIRING)
    workshops = rows.filter(kind=SupportKind.WORKSHOP)
    found = rows.aggregate(
        n=Count("pk"),
        paired=Count("village", distinct=True, filter=Q(kind=SupportKind.PAIRING)),
        workshops=Count("pk", filter=Q(kind=SupportKind.WORKSHOP)),
        total=Sum("amount"),
    )
    return {
        "village_supports": Figure(_("村企结对和共富工坊"), found["n"], _("项"), records=rows),
        "villages_paired": Figure(_("实现村企结对的村"), found["paired"], _("个村"), records=pairings),
        "village_workshops": Figure(_("共富工坊"), found["workshops"], _("个共富工坊"), records=workshops),
        "village_support_amount": Figure(_("企业助农金额"), _or_zero(found["total"]), _("元"), records=rows),
    }


# How many villages the 红榜 flags in each ranking.
RED_LIST_SIZE = 3


@dataclass(frozen=True)
class VillageYear:
    """One village's year: its income of each kind, last year's operating income and the growth on it."""

    village: Area
    operating: Decimal
    non_operating: Decimal
    subsidy: Decimal
    last_operating: Decimal  # last year's, over the same months (上年同期)

    @property
    def total(self) -> Decimal:
        return self.operating + self.non_operating + self.subsidy

    @property
    def growth(self) -> Decimal | None:
        """The operating income's growth on last year's, a fraction (None without last year's)."""
        return None if self.last_operating == 0 else (self.operating - self.last_operating) / self.last_operating

    @property
    def over(self) -> bool:
        """超50万元: the operating income is above the threshold."""
        return self.operating > OPERATING_THRESHOLD


def village_years(*, incomes: QuerySet[VillageIncome], villages: list[Area], year: int) -> list[VillageYear]:
    """Each village's year (in the order of ``villages``) from ``incomes`` (those the viewer may see). Last year's
    operating income is that of the same months (上年同期): the months up to the latest one entered for ``year`` —
    a year in progress is compared with the same part of the year before, a finished year with the whole."""
    mine = incomes.filter(village__in=[v.pk for v in villages])
    through = mine.filter(year=year).aggregate(latest=Max("month"))["latest"] or 12
    sums: dict[tuple[int, int, str], Decimal] = {
        (v, y, k): total
        for v, y, k, total in mine.filter(Q(year=year) | Q(year=year - 1, month__lte=through))
        .order_by()
        .values("village", "year", "kind")
        .annotate(total=Sum("amount"))
        .values_list("village", "year", "kind", "total")
    }

    def amount(village: Area, kind: IncomeKind, in_year: int = year) -> Decimal:
        return sums.get((village.pk, in_year, kind.value), Decimal(0))

    return [
        VillageYear(
            village=v,
            operating=amount(v, IncomeKind.OPERATING),
            non_operating=amount(v, IncomeKind.NON_OPERATING),
            subsidy=amount(v, IncomeKind.SUBSIDY),
            last_operating=amount(v, IncomeKind.OPERATING, year - 1),
        )
        for v in villages
    ]


def red_list(rows: list[VillageYear]) -> tuple[list[VillageYear], list[VillageYear]]:
    """The 红榜: the villages with operating income ranked by it, and those with a growth ranked by it (highest
    first, ties by the villages' order)."""
    by_income = sorted((r for r in rows if r.operating > 0), key=lambda r: -r.operating)
    by_growth = sorted((r for r in rows if r.growth is not None), key=lambda r: -(r.growth or Decimal(0)))
    return by_income, by_growth
