"""岱西镇's village collective economy (村级集体经济) of 2022, as the 2023 work report tells it: "全镇8个村实现村级集体
经济收入1529万元，其中经营性收入683万元，实现经营性收入增幅19%，6个村完成经营性收入超50万元，其中摇星浦、前岸均突破
180万元" — and 2021 beside it, so that the growth is counted from records too (573.9万元 → 683万元: 19.0%).

Each village's yearly income of each kind (``INCOMES``, in 万元) is split into monthly entries in whole 元 that add
up to it exactly: operating income every month (a Spring Festival dip, a stronger second half), non-operating
income every month, subsidies each quarter. Every entry passes the domain's checks (``clean_income``) and is
written with one bulk insert; an entry that exists (village, year, month, kind) is skipped, so a re-run writes
nothing twice and the figures stay exact.

Called for the current year (the live ledgers, from the clock): last year in full at the 2022 sizes, and this year
a little above them (``LIVE_GROWTH``) up to the last finished month — no month is entered before it has come.

Beside the incomes, enterprises' help (企业助农): a few 村企结对 and 共富工坊 records a year (``SUPPORTS``), checked by
``clean_support`` and skipped when they were written before.
"""

from __future__ import annotations

import calendar
import random
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gridgov.data.collective.domain import IncomeInput, SupportInput, clean_income, clean_support, income_row
from gridgov.data.collective.enums import IncomeKind, SupportKind
from gridgov.data.collective.models import VillageIncome, VillageSupport
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.data.sheets.cells import SHANGHAI

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
# The work report's year; any other is built from the same sizes, the year after a little larger.
REPORT_YEAR = 2022
LIVE_GROWTH = Decimal("1.08")
# 村企结对 and 共富工坊 of a year: (village, kind, partner, support in 万元, people helped, month) — as the work report
# has it, 全镇五个村实现村企结对 and 共富工坊 beside them, 累计实现企业助农30万元.
SUPPORTS: tuple[tuple[str, SupportKind, str, str, int | None, int], ...] = (
    ("摇星浦村", SupportKind.PAIRING, "岱山县农村商业银行", "8", None, 3),
    ("前岸村", SupportKind.PAIRING, "岱西船舶修造有限公司", "6", 12, 4),
    ("青黑村", SupportKind.PAIRING, "舟山海洋渔业公司", "4", 6, 5),
    ("茶前山村", SupportKind.WORKSHOP, "岱西来料加工共富工坊", "3.5", 35, 6),
    ("海丰村", SupportKind.WORKSHOP, "海丰渔网编织共富工坊", "2.5", 28, 8),
    ("双合村", SupportKind.PAIRING, "岱山县供销合作社", "4", None, 9),
    ("火箭村", SupportKind.PAIRING, "岱山和泰船舶有限公司", "2", 5, 10),
)


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


def _sizes(name: str, year: int, built: int) -> tuple[int, int, int]:
    """A village's (operating, non-operating, subsidy) of ``year`` in 元, when ``built`` is the year built: the
    report's year and, before it, the growth the report tells; another year at the report's sizes, the year before
    it as they were."""
    operating, non_operating, subsidy, earlier = INCOMES[name]
    if built == REPORT_YEAR and year < built:
        scale, first = EARLIER_SHARE, earlier
    else:
        scale = LIVE_GROWTH if built != REPORT_YEAR and year == built else Decimal(1)
        first = operating * scale
    return (int(first * WAN), int(non_operating * scale * WAN), int(subsidy * scale * WAN))


def plan(*, town: Area, rng: random.Random, year: int, now: datetime | None = None) -> list[VillageIncome]:
    """The unsaved rows of ``year`` and the year before, each checked by the domain; of the current year (from
    ``now``, by default the clock) only the months that have ended."""
    today = timezone.localtime(now or timezone.now()).date()
    villages = {v.name: v for v in Area.objects.filter(town=town, level=AreaLevel.VILLAGE)}
    missing = sorted(set(INCOMES) - set(villages))
    if missing:
        raise ValueError(f"演示组织缺少村：{'、'.join(missing)}")
    rows: list[VillageIncome] = []
    for name in INCOMES:
        village = villages[name]
        for y in (year - 1, year):
            for month, kind, amount in _year_entries(y, _sizes(name, y, year), rng):
                if (y, month) >= (today.year, today.month):  # not ended yet
                    continue
                moment = _entered(y, month)
                data = IncomeInput(village=village, year=y, month=month, kind=kind, amount=Decimal(amount))
                rows.append(income_row(clean_income(data, now=moment), created_at=moment))
    return rows


def build(*, town: Area, rng: random.Random, year: int, now: datetime | None = None) -> None:
    """The ledger's step of the demo's year (``year2022.LEDGER_BUILDERS``)."""
    write_incomes(town=town, rng=rng, year=year, now=now)
    write_supports(town=town, year=year, now=now)


def write_incomes(*, town: Area, rng: random.Random, year: int, now: datetime | None = None) -> int:
    """Write ``year``'s and the year before's incomes of the town's villages (of the current year, the months that
    have ended); the number of rows written (0 when they were all written before)."""
    rows = plan(town=town, rng=rng, year=year, now=now)
    with transaction.atomic():
        existing = set(
            VillageIncome.objects.filter(town=town, year__in=(year - 1, year)).values_list(
                "village_id", "year", "month", "kind"
            )
        )
        missing = [r for r in rows if (r.village_id, r.year, r.month, r.kind) not in existing]
        VillageIncome.objects.bulk_create(missing)
    return len(missing)


def write_supports(*, town: Area, year: int, now: datetime | None = None) -> int:
    """Write ``year``'s 村企结对 and 共富工坊 records (``SUPPORTS``; of the current year, those of the months that
    have ended), each checked by ``clean_support``; the number written (0 when they were all written before)."""
    today = timezone.localtime(now or timezone.now()).date()
    villages = {v.name: v for v in Area.objects.filter(town=town, level=AreaLevel.VILLAGE)}
    rows = []
    for name, kind, partner, wan, people, month in SUPPORTS:
        if (year, month) >= (today.year, today.month) or name not in villages:
            continue
        on = date(year, month, 15)
        data = SupportInput(village=villages[name], kind=kind, on=on, amount=f"{wan}万", partner=partner, people=people)
        rows.append(clean_support(data, now=_entered(year, month)))
    with transaction.atomic():
        existing = set(VillageSupport.objects.filter(town=town, year=year).values_list("village_id", "kind", "partner"))
        missing = [r for r in rows if (r.village_id, r.kind, r.partner) not in existing]
        VillageSupport.objects.bulk_create(missing)
    return len(missing)
