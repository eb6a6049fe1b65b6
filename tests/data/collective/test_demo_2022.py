"""The demo's village collective economy: 岱西镇's 2022 reads as the 2023 work report — 全镇8个村实现村级集体经济收入
1529万元，其中经营性收入683万元，实现经营性收入增幅19%，6个村完成经营性收入超50万元，其中摇星浦、前岸均突破180万元 —
counted from the monthly incomes the demo writes; built again, it writes nothing."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from gridgov.data.collective.figures import incomes, operating_by_village, year_figures
from gridgov.data.collective.models import VillageIncome
from gridgov.data.org.models import Area
from gridgov.data.reports.domain.year_review import review_sentences
from gridgov.ops.demo.ledgers_2022 import collective
from gridgov.ops.demo.organisation import build_organisation
from gridgov.ops.demo.year2022 import LEDGER_BUILDERS

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2023, 1, 15, 9, tzinfo=SHANGHAI)  # the day of the work report
ROWS_PER_YEAR = 8 * (12 + 12 + 4)  # eight villages: operating and non-operating monthly, subsidies quarterly


def _sentence() -> str:
    town = Area.objects.get(name="岱西镇")
    found = year_figures(town=town, start=date(2022, 1, 1), end=date(2023, 1, 1), as_of=AS_OF)
    sentences = {s.topic: s for s in review_sentences({"collective": found})}
    return sentences[translation.pgettext("year review topic", "村级集体经济")].text


def test_2022_reads_like_the_work_report() -> None:
    org = build_organisation(random.Random(1))
    assert collective.write_incomes(town=org.town, rng=random.Random(7), year=2022) == 2 * ROWS_PER_YEAR
    found = year_figures(town=org.town, start=date(2022, 1, 1), end=date(2023, 1, 1), as_of=AS_OF)
    assert {key: f.value for key, f in found.items() if key != "collective_operating_growth"} == {
        "collective_income": Decimal(15_290_000),
        "collective_operating": Decimal(6_830_000),
        "villages_operating_over": 6,
        "villages_operating_leading": 2,
        "villages_with_income": 8,
    }
    growth = found["collective_operating_growth"].value
    assert growth == Decimal(6_830_000 - 5_739_000) / Decimal(5_739_000)
    assert Decimal("0.185") <= growth < Decimal("0.195")  # 增幅19%
    names = dict(Area.objects.filter(town=org.town).values_list("pk", "name"))
    operating = operating_by_village(incomes(town=org.town, start=date(2022, 1, 1), end=date(2023, 1, 1), as_of=AS_OF))
    assert sorted(names[pk] for pk, total in operating.items() if total > Decimal(1_800_000)) == ["前岸村", "摇星浦村"]
    assert _sentence() == (
        "全镇8个村实现村级集体经济收入1529万元，其中经营性收入683万元，实现经营性收入增幅19%，6个村完成经营性收入超50万元，"
        "其中摇星浦村、前岸村均突破180万元。"
    )
    with translation.override("en"):
        assert _sentence() == (
            "Across the town, 8 villages earned a village collective income of 15.3 million yuan, of which operating"
            " income 6.83 million yuan, an increase in operating income of 19%; 6 villages had operating income over"
            " 500,000 yuan, among them 摇星浦村, 前岸村 each over 1.8 million yuan."
        )
    # Each month an entry of whole 元, entered within its month.
    assert VillageIncome.objects.filter(amount__gt=0).count() == 2 * ROWS_PER_YEAR
    assert all(
        amount == amount.to_integral_value() for amount in VillageIncome.objects.values_list("amount", flat=True)
    )
    assert all(
        (row.created_at.astimezone(SHANGHAI).year, row.created_at.astimezone(SHANGHAI).month) == (row.year, row.month)
        for row in VillageIncome.objects.all()
    )

    # Built again (a re-run of the demo, with another random stream even): nothing written, the same figures.
    assert collective.write_incomes(town=org.town, rng=random.Random(8), year=2022) == 0
    collective.build(town=org.town, rng=random.Random(9), year=2022)
    assert VillageIncome.objects.count() == 2 * ROWS_PER_YEAR
    assert found["collective_income"].value == Decimal(15_290_000)
    assert LEDGER_BUILDERS["collective"] is collective.build
