"""岱西镇's enterprises' yearly figures (企业年度数据), as the 2023 work report tells 2022: "新增规上企业4家",
"重点企业固定资产投资7.7亿元", "全面完成辖区内13家低效企业整治" — and a live current year: figures entered for some
enterprises, two newly above 规上, five low-efficiency enterprises of which three are still being rectified.

The town's demo enterprises (``ledgers_2022.enterprises.ensure_enterprises``) are joined by twelve small workshops
(小微企业, synthetic credit codes with a valid check character), the low-efficiency ones. Every row passes the
domain's checks (``clean_year``) and is written with one bulk insert; a row that exists (enterprise, year) is
skipped, so a re-run writes nothing twice and the figures stay exact.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gridgov.data.enterprises.domain.enterprises import create_enterprise
from gridgov.data.enterprises.domain.yearly import YearInput, clean_year, year_row
from gridgov.data.enterprises.enums import Measure, Rectification
from gridgov.data.enterprises.models_yearly import EnterpriseYear
from gridgov.data.org.credit_code import check_character
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, Enterprise
from gridgov.data.sheets.cells import SHANGHAI
from gridgov.ops.demo.ledgers_2022.enterprises import ENTERPRISES, ensure_enterprises

YI = Decimal(100_000_000)

WORKSHOPS = [
    "岱西明辉五金加工厂", "岱西海峰网具厂", "岱西顺达塑料制品厂", "岱西红星修船作坊", "岱西永兴鱼粉加工厂",
    "岱西宏达包装材料厂", "岱西东升石材加工厂", "岱西利民铸件厂", "岱西新港木业加工厂", "岱西长青编织厂",
    "岱西华盛水泥制品厂", "岱西金源废旧物资回收站",
]  # fmt: skip
# Of the town's enterprises (by their place in ``ensure_enterprises``): above 规上 since the year given (the
# year built: newly above), key enterprises with their fixed-asset investment (in 亿元; 7.7 together).
ABOVE_2022 = {0: 2018, 1: 2019, 2: 2020, 3: 2021, 4: 2019, 5: 2021, 6: 2022, 7: 2022, 8: 2022, 9: 2022}
KEY_2022 = {0: Decimal("2.1"), 1: Decimal("1.6"), 4: Decimal("1.8"), 5: Decimal("1.2"), 10: Decimal("1.0")}
# The thirteenth low-efficiency enterprise of 2022, beside the twelve workshops.
LOW_2022 = 15
MEASURES = [Measure.VACATE, Measure.UPGRADE, Measure.MERGE, Measure.UPGRADE]


def _code(index: int) -> str:
    body = f"92330921MA2DX{index:04d}"
    return body + check_character(body)


def ensure_workshops(*, town: Area) -> list[Enterprise]:
    """The twelve small workshops (created once)."""
    villages = list(Area.objects.filter(town=town, level=AreaLevel.VILLAGE).order_by("sort_order", "code"))
    found = {e.name: e for e in Enterprise.objects.filter(town=town, name__in=WORKSHOPS)}
    for index, name in enumerate(WORKSHOPS):
        if name not in found:
            village = villages[index % len(villages)] if villages else None
            found[name] = create_enterprise(town=town, name=name, credit_code=_code(index + 1), village=village)
    return [found[name] for name in WORKSHOPS]


def _figures(rng: random.Random, *, small: bool) -> tuple[Decimal, Decimal, Decimal]:
    """Land (亩), tax and output (元): a workshop's per-mu tax stays low (the 低效 mark), a company's higher."""
    land = Decimal(rng.randint(8, 30) if small else rng.randint(30, 260))
    tax_per_mu = rng.randint(2_000, 9_000) if small else rng.randint(30_000, 160_000)
    output_per_mu = rng.randint(60_000, 250_000) if small else rng.randint(800_000, 3_500_000)
    return land, land * tax_per_mu, land * output_per_mu


def plan(*, town: Area, rng: random.Random, year: int) -> list[EnterpriseYear]:
    """The unsaved rows of ``year``, each checked by the domain."""
    # The demo's own companies, in their order (not the workshops, nor the investment leads' new enterprises, which
    # the town has too once another year or ledger was built first)
    firms = [e for e in ensure_enterprises(town=town, rng=rng) if e.name in ENTERPRISES]
    workshops = ensure_workshops(town=town)
    today = timezone.localdate()
    current = year >= today.year
    entered = timezone.now() - timedelta(hours=1) if current else datetime(year, 12, 28, 17, tzinfo=SHANGHAI)
    inputs: list[YearInput] = []
    if current:
        above = {i: min(since, year - 1) for i, since in ABOVE_2022.items()} | {10: year, 11: year}
        key = {0: Decimal("0.9"), 4: Decimal("0.6"), 10: Decimal("0.5")}
        firms_entered = range(min(12, len(firms)))
        low = {0: Rectification.DONE, 1: Rectification.DONE, 2: Rectification.IN_PROGRESS}
        low |= {3: Rectification.IN_PROGRESS, 4: Rectification.PENDING}
    else:
        above, key, firms_entered = ABOVE_2022, KEY_2022, range(len(firms))
        low = dict.fromkeys(range(len(workshops)), Rectification.DONE)
    first = date(year, 1, 1)
    last = min(entered.astimezone(SHANGHAI).date(), date(year, 12, 31))
    for index in firms_entered:
        land, tax, output = _figures(rng, small=False)
        is_low = not current and index == LOW_2022
        inputs.append(
            YearInput(
                enterprise=firms[index],
                year=year,
                above_scale=index in above,
                above_scale_since=above.get(index),
                key=index in key,
                fixed_investment=key[index] * YI if index in key else None,
                land_mu=land,
                tax=tax,
                output=output,
                low_efficiency=is_low,
                rectification=Rectification.DONE if is_low else "",
                rectified_on=date(year, 11, 18) if is_low else None,
                measure=Measure.MERGE if is_low else "",
            )
        )
    for index, status in low.items():
        land, tax, output = _figures(rng, small=True)
        done = status == Rectification.DONE
        day = first + timedelta(days=rng.randint(0, max(0, (last - first).days))) if done else None
        inputs.append(
            YearInput(
                enterprise=workshops[index],
                year=year,
                land_mu=land,
                tax=tax,
                output=output,
                low_efficiency=True,
                rectification=status,
                rectified_on=day,
                measure=MEASURES[index % len(MEASURES)] if status != Rectification.PENDING else "",
            )
        )
    return [year_row(clean_year(data, now=entered), created_at=entered) for data in inputs]


def build(*, town: Area, rng: random.Random, year: int) -> None:
    """The ledger's step of the demo's year (``year2022.LEDGER_BUILDERS``)."""
    write_years(town=town, rng=rng, year=year)


def write_years(*, town: Area, rng: random.Random, year: int) -> int:
    """Write ``year``'s rows of the town's enterprises; the number written (0 when they were all written before)."""
    rows = plan(town=town, rng=rng, year=year)
    with transaction.atomic():
        existing = set(EnterpriseYear.objects.filter(town=town, year=year).values_list("enterprise_id", flat=True))
        missing = [r for r in rows if r.enterprise_id not in existing]
        EnterpriseYear.objects.bulk_create(missing)
    return len(missing)
