"""The demo's enterprises' yearly figures: 岱西镇's 2022 reads as the 2023 work report — 新增规上企业4家，
重点企业固定资产投资7.7亿元，全面完成辖区内13家低效企业整治 — counted from the rows the demo writes; built again, it
writes nothing; the current year has figures entered and some low-efficiency enterprises still being rectified."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gridgov.data.enterprises.enums import Rectification
from gridgov.data.enterprises.models_yearly import EnterpriseYear
from gridgov.data.enterprises.yearly_figures import year_figures
from gridgov.data.reports.domain.year_review import review_sentences
from gridgov.ops.demo.ledgers_2022 import firms
from gridgov.ops.demo.organisation import build_organisation
from gridgov.ops.demo.year2022 import LEDGER_BUILDERS

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2023, 1, 15, 9, tzinfo=SHANGHAI)  # the day of the work report


def test_2022_reads_like_the_work_report() -> None:
    assert LEDGER_BUILDERS["firms"] is firms.build
    org = build_organisation(random.Random(1))
    written = firms.write_years(town=org.town, rng=random.Random(7), year=2022)
    assert written == 16 + 12  # the town's sixteen enterprises and twelve workshops
    found = year_figures(town=org.town, start=date(2022, 1, 1), end=date(2023, 1, 1), as_of=AS_OF)
    assert {key: f.value for key, f in found.items()} == {
        "enterprises_new_above_scale": 4,
        "enterprises_above_scale": 10,
        "key_investment": Decimal("770000000.00"),
        "low_efficiency": 13,
        "low_efficiency_rectified": 13,
        "low_efficiency_open": 0,
    }
    sentence = {s.topic: s.text for s in review_sentences({"enterprise_years": found})}["企业发展"]
    assert sentence == "新增规上企业4家，重点企业固定资产投资7.7亿元，全面完成辖区内13家低效企业整治。"
    assert firms.write_years(town=org.town, rng=random.Random(7), year=2022) == 0
    assert EnterpriseYear.objects.filter(year=2022).count() == written


def test_the_current_year_is_live(clock) -> None:
    org = build_organisation(random.Random(1))
    year = timezone.localdate().year
    firms.build(town=org.town, rng=random.Random(7), year=year)
    rows = EnterpriseYear.objects.filter(town=org.town, year=year)
    assert rows.count() == 12 + 5
    assert rows.filter(low_efficiency=True).exclude(rectification=Rectification.DONE).count() == 3
    found = year_figures(town=org.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=timezone.now())
    assert (found["enterprises_new_above_scale"].value, found["low_efficiency_rectified"].value) == (2, 2)
    assert all(r.rectified_on is None or r.rectified_on <= timezone.localdate() for r in rows)


def test_2022_built_after_the_live_year_as_bin_demo_builds_it(clock) -> None:
    """bin/demo builds this year's ledgers first (the workshops and the investment leads' new enterprises join the
    town's enterprises), then 2022: the same rows and figures, no enterprise twice."""
    org = build_organisation(random.Random(1))
    year = timezone.localdate().year
    for name in ("firms", "investment"):
        LEDGER_BUILDERS[name](town=org.town, rng=random.Random(7), year=year)
    assert firms.write_years(town=org.town, rng=random.Random(7), year=2022) == 16 + 12
    found = year_figures(town=org.town, start=date(2022, 1, 1), end=date(2023, 1, 1), as_of=AS_OF)
    assert (found["enterprises_new_above_scale"].value, found["low_efficiency"].value) == (4, 13)
    assert found["key_investment"].value == Decimal("770000000.00")
