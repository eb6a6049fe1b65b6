"""The enterprises' year figures and the year in review's sentence, counted from the yearly rows by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from gridgov.data.enterprises.domain.enterprises import create_enterprise
from gridgov.data.enterprises.domain.yearly import YearInput, record_year, set_rectification
from gridgov.data.enterprises.enums import Measure, Rectification
from gridgov.data.enterprises.models_yearly import EnterpriseYear
from gridgov.data.enterprises.yearly_figures import year_figures
from gridgov.data.reports.domain.economy import define_indicator, record_actual
from gridgov.data.reports.domain.year_review import review_sentences, year_review
from tests.data.enterprises.conftest import EnterpriseWorld, valid_code
from tests.factories import MONDAY_0900

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _values(ew: EnterpriseWorld, year: int, as_of: datetime = MONDAY_0900) -> dict[str, object]:
    found = year_figures(town=ew.w.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=as_of)
    return {key: figure.value for key, figure in found.items()}


def _sentence(ew: EnterpriseWorld, year: int) -> str:
    found = year_figures(town=ew.w.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=MONDAY_0900)
    return {s.topic: s.text for s in review_sentences({"enterprise_years": found})}["企业发展"]


def _world(ew: EnterpriseWorld) -> None:
    """2024: the shipyard reaches 规上; 2025: the shipyard stays above, the chemical firm and a third reach it; the
    key enterprises invest 3.2亿 + 4.5亿 (the third's 9000万 is not counted: it is not key); two low-efficiency
    firms, one rectified in 2025, the other in 2026."""
    w = ew.w
    third = create_enterprise(town=w.town, name="岱西水产加工厂", credit_code=valid_code("92330921MA2A0B1E4"))
    op, now = w.operator, MONDAY_0900
    record_year(actor=op, data=YearInput(enterprise=ew.shipyard, year=2024, above_scale=True), now=now)
    record_year(
        actor=op,
        data=YearInput(enterprise=ew.shipyard, year=2025, above_scale=True, key=True, fixed_investment="3.2亿"),
        now=now,
    )
    record_year(
        actor=op,
        data=YearInput(enterprise=ew.chemical, year=2025, above_scale=True, key=True, fixed_investment="4.5亿"),
        now=now,
    )
    record_year(
        actor=op,
        data=YearInput(
            enterprise=third,
            year=2025,
            above_scale=True,
            low_efficiency=True,
            rectification=Rectification.DONE,
            rectified_on=date(2025, 10, 8),
            measure=Measure.UPGRADE,
        ),
        now=now,
    )
    late = record_year(
        actor=op,
        data=YearInput(enterprise=third, year=2024, low_efficiency=True, land_mu=10, tax="1万"),
        now=now,
    )
    set_rectification(
        actor=op, row=late, status=Rectification.DONE, rectified_on=date(2025, 3, 1), measure=Measure.VACATE, now=now
    )


def test_figures_per_year(ew: EnterpriseWorld) -> None:
    _world(ew)
    assert _values(ew, 2024) == {
        "enterprises_new_above_scale": 1,
        "enterprises_above_scale": 1,
        "key_investment": Decimal(0),
        "low_efficiency": 1,
        "low_efficiency_rectified": 0,  # rectified in 2025: not by the end of 2024
        "low_efficiency_open": 1,
    }
    assert _values(ew, 2025) == {
        "enterprises_new_above_scale": 2,  # the shipyard reached it in 2024
        "enterprises_above_scale": 3,
        "key_investment": Decimal("770000000.00"),
        "low_efficiency": 1,
        "low_efficiency_rectified": 1,
        "low_efficiency_open": 0,
    }
    assert _sentence(ew, 2025) == "新增规上企业2家，重点企业固定资产投资7.7亿元，全面完成辖区内1家低效企业整治。"
    assert _sentence(ew, 2024) == "新增规上企业1家，重点企业固定资产投资0元，完成0家低效企业整治，1家未完成整治。"
    records = year_figures(town=ew.w.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=MONDAY_0900)
    new = records["enterprises_new_above_scale"].records
    assert new is not None
    assert sorted(row.enterprise.name for row in new if isinstance(row, EnterpriseYear)) == [
        "岱西水产加工厂",
        "岱西石化储运有限公司",
    ]


def test_rows_entered_after_as_of_do_not_count(ew: EnterpriseWorld) -> None:
    _world(ew)
    before = MONDAY_0900 - timedelta(minutes=1)
    assert _values(ew, 2025, as_of=before)["enterprises_above_scale"] == 0
    assert _values(ew, 2025, as_of=datetime(2030, 1, 1, tzinfo=SHANGHAI))["enterprises_above_scale"] == 3


def test_sentence_in_english(ew: EnterpriseWorld) -> None:
    _world(ew)
    with translation.override("en"):
        text = _sentence_en(ew)
    assert text == (
        "Newly above designated size: 2 enterprises; fixed-asset investment of key enterprises: 770 million yuan;"
        " rectification completed for all 1 enterprise of low efficiency in the area."
    )


def _sentence_en(ew: EnterpriseWorld) -> str:
    found = year_figures(town=ew.w.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=MONDAY_0900)
    return {s.topic: s.text for s in review_sentences({"enterprise_years": found})}["Enterprise development"]


def test_a_number_the_records_state_is_said_once(ew: EnterpriseWorld) -> None:
    """The town's indicators and the records both give 2025's numbers: the review says each once, from the records
    (linked); in 2024 the records have the shipyard reaching 规上 but no key investment, so 重点企业固定资产投资 stays
    in the economy table, from the indicator."""
    _world(ew)
    town = ew.w.town
    for code, name, unit, value in (
        ("GY03", "新增规上企业", "家", "3"),
        ("TZ01", "重点企业固定资产投资", "亿元", "7.7"),
    ):
        indicator = define_indicator(town=town, code=code, name=name, unit=unit)
        for year in (2024, 2025):
            record_actual(indicator=indicator, year=year, period=12, value=value, user=None, now=MONDAY_0900)
    with translation.override("zh-hans"):
        reviews = {year: year_review(town=town, year=year, as_of=MONDAY_0900) for year in (2024, 2025)}
    assert [s.topic for s in reviews[2025].economy] == []
    assert [s.topic for s in reviews[2024].economy] == ["重点企业固定资产投资"]
    assert {s.topic: s.text for s in reviews[2025].sentences}["企业发展"].startswith("新增规上企业2家，")
