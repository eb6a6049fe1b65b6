"""岱西镇's village collective economy (村级集体经济) of 2022, as the 2023 work report tells it: "全镇8个村实现村级集体
经济收入1529万元，其中经营性收入683万元，实现经营性收入增幅19%，6个村完成经营性收入超50万元，其中摇星浦、前岸均突破
180万元" — and 2021 beside it, so that the growth is counted from records too (573.9万元 → 683万元: 19.0%).

Each village's yearly income of each kind (``INCOMES``, in 万元) is split into monthly entries in whole 元 that add
up to it exactly: operating income every month (a Spring Festival dip, a stronger second half), non-operating
income every month, subsidies each quarter. Every entry passes the domain's checks (``clean_income``) and is
written with one bulk insert; an entry that exists (village, year, month, kind) is skipped, so a re-run writes
nothing twice and the figures stay exact.
"""

from __future__ import annotations

import calendar
import random
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from gridgov.data.collective.domain import IncomeInput, clean_income, income_row
from gridgov.data.collective.enums import IncomeKind
from gridgov.data.collective.models import VillageIncome
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area

SHANGHAI = ZoneInfo("Asia/Shanghai")
WAN = 10_000

# Per village, in 万元: (operating, non-operating, subsidy) of the year built, then the year before's operating.
# Operating 683 (摇星浦 186 and 前岸 182 over 180; six villages over 50), all kinds 1529; the year before's operating
# 573.9, so that the growth is 683 / 573.9 - 1 = 19.0%.
INCOMES: dict[str, tuple[int, int, int, Decimal]] = {
    "双合村": (90, 60, 55, Decimal(80)),
    "火箭村": (70, 50, 48, Decimal(60)),
    "摇星浦村": (186, 70, 60, Decimal(150)),
    "前岸村": (182, 65, 58, Decimal("147.9")),
    "后岸村": (62, 52, 50, Decimal(52)),
    "海丰村": (56, 48, 47, Decimal(48)),
    "青黑村": (20, 45, 44, Decimal(19)),
    "茶前山村": (17, 48, 46, Decimal(17)),
}
# The year before's non-operating income and subsidies: this share of the year built's.
EARLIER_SHARE = Decimal("0.92")
# A month's share of the operating income: the Spring Festival dip in February, a stronger second half.
SEASON = (7, 5, 8, 8, 8, 9, 9, 8, 9, 9, 10, 10)
SUBSIDY_MONTHS = (3, 6, 9, 12)


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """``total`` 元 split by ``weights`` (each jittered a little) into whole amounts adding up to it exactly."""
    jittered = [w * rng.uniform(0.9, 1.1) for w in weights]
    scale = total / sum(jittered)
    shares = [int(w * scale) for w in jittered]
    for index in range(total - sum(shares)):  # what the flooring left over, a 元 at a time
        shares[index % len(shares)] += 1
    return shares


def _year_entries(year: int, incomes: tuple[int, int, int], rng: random.Random) -> list[tuple[int, IncomeKind, int]]:
    """(month, kind, 元) of one village's year."""
    operating, non_operating, subsidy = incomes
    entries = [(m + 1, IncomeKind.OPERATING, a) for m, a in enumerate(_split(operating, list(SEASON), rng))]
    entries += [(m + 1, IncomeKind.NON_OPERATING, a) for m, a in enumerate(_split(non_operating, [1] * 12, rng))]
    quarters = _split(subsidy, [1] * len(SUBSIDY_MONTHS), rng)
    entries += [(month, IncomeKind.SUBSIDY, a) for month, a in zip(SUBSIDY_MONTHS, quarters, strict=True)]
    return entries


def _entered(year: int, month: int) -> datetime:
    """When a month's statement is entered: the 28th at 17:00 (within the month, so a review of the year sees it)."""
    return datetime(year, month, min(28, calendar.monthrange(year, month)[1]), 17, 0, tzinfo=SHANGHAI)


def plan(*, town: Area, rng: random.Random, year: int) -> list[VillageIncome]:
    """The unsaved rows of ``year`` and the year before, each checked by the domain."""
    villages = {v.name: v for v in Area.objects.filter(town=town, level=AreaLevel.VILLAGE)}
    missing = sorted(set(INCOMES) - set(villages))
    if missing:
        raise ValueError(f"演示组织缺少村：{'、'.join(missing)}")
    rows: list[VillageIncome] = []
    for name, (operating, non_operating, subsidy, earlier) in INCOMES.items():
        village = villages[name]
        years = {
            year - 1: (
                int(earlier * WAN),
                int(non_operating * WAN * EARLIER_SHARE),
                int(subsidy * WAN * EARLIER_SHARE),
            ),
            year: (operating * WAN, non_operating * WAN, subsidy * WAN),
        }
        for y, amounts in years.items():
            for month, kind, amount in _year_entries(y, amounts, rng):
                moment = _entered(y, month)
                data = IncomeInput(village=village, year=y, month=month, kind=kind, amount=Decimal(amount))
                rows.append(income_row(clean_income(data, now=moment), created_at=moment))
    return rows


def build(*, town: Area, rng: random.Random, year: int) -> None:
    """The ledger's step of the demo's year (``year2022.LEDGER_BUILDERS``)."""
    write_incomes(town=town, rng=rng, year=year)


def write_incomes(*, town: Area, rng: random.Random, year: int) -> int:
    """Write ``year``'s and the year before's incomes of the town's villages; the number of rows written (0 when
    they were all written before)."""
    rows = plan(town=town, rng=rng, year=year)
    with transaction.atomic():
        existing = set(
            VillageIncome.objects.filter(town=town, year__in=(year - 1, year)).values_list(
                "village_id", "year", "month", "kind"
            )
        )
        missing = [r for r in rows if (r.village_id, r.year, r.month, r.kind) not in existing]
        VillageIncome.objects.bulk_create(missing)
    return len(missing)
