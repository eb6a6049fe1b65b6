"""Enterprises' yearly figures (企业年度数据): the 亩均 arithmetic, 规上 since carried on from the year before, the
rectification's rules, corrections, and bad input refused with nothing written."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from gridgov.data.enterprises.domain.yearly import (
    YearInput,
    below_threshold,
    mark_below_threshold,
    record_year,
    set_rectification,
    set_threshold,
)
from gridgov.data.enterprises.enums import Measure, Rectification
from gridgov.data.enterprises.models_yearly import EfficiencyThreshold, EnterpriseYear, per_mu
from gridgov.data.errors import InvalidInput, NotAllowed
from tests.data.enterprises.conftest import EnterpriseWorld
from tests.factories import MONDAY_0900

pytestmark = pytest.mark.django_db
TODAY = MONDAY_0900.date()


def _record(ew: EnterpriseWorld, **fields: object) -> EnterpriseYear:
    values: dict[str, object] = {"enterprise": ew.shipyard, "year": 2025, **fields}
    return record_year(actor=ew.w.operator, data=YearInput(**values), now=MONDAY_0900)


def test_per_mu_figures_are_tax_and_output_over_the_land(ew: EnterpriseWorld) -> None:
    row = _record(ew, land_mu="12.5亩", tax="3.5万", output="1,200万元")
    assert (row.land_mu, row.tax, row.output) == (Decimal("12.50"), Decimal("35000.00"), Decimal("12000000.00"))
    assert row.tax_per_mu == Decimal("2800.00")
    assert row.output_per_mu == Decimal("960000.00")
    assert per_mu(Decimal(100), Decimal(3)) == Decimal("33.33")
    assert per_mu(Decimal(200), Decimal(3)) == Decimal("66.67")
    assert _record(ew, year=2024, tax="1000").tax_per_mu is None  # no land: no per-mu figure


def test_above_scale_since_is_carried_on_from_the_year_before(ew: EnterpriseWorld) -> None:
    first = _record(ew, year=2023, above_scale=True)
    second = _record(ew, year=2024, above_scale=True)
    assert (first.above_scale_since, second.above_scale_since) == (2023, 2023)
    _record(ew, year=2025, above_scale=False)
    assert _record(ew, year=2026, above_scale=True).above_scale_since == 2026  # back above after a gap: new again
    other = _record(ew, enterprise=ew.chemical, year=2024, above_scale=True, above_scale_since="2019年")
    assert other.above_scale_since == 2019


def test_a_second_entry_corrects_the_first(ew: EnterpriseWorld) -> None:
    _record(ew, key=True, fixed_investment="3000万")
    row = _record(ew, key=True, fixed_investment="3,500万", note="更正")
    assert EnterpriseYear.objects.count() == 1
    assert (row.fixed_investment, row.note, row.updated_by) == (Decimal("35000000.00"), "更正", ew.w.operator)


def test_low_efficiency_starts_pending_and_is_rectified_with_date_and_measure(ew: EnterpriseWorld) -> None:
    row = _record(ew, low_efficiency=True, land_mu=20, tax="2万")
    assert (row.rectification, row.rectified_on, row.measure) == (Rectification.PENDING, None, "")
    row = set_rectification(actor=ew.w.operator, row=row, status=Rectification.IN_PROGRESS, now=MONDAY_0900)
    assert row.rectification == Rectification.IN_PROGRESS
    row = set_rectification(
        actor=ew.w.operator,
        row=row,
        status=Rectification.DONE,
        rectified_on=TODAY,
        measure=Measure.VACATE,
        now=MONDAY_0900,
    )
    assert (row.rectification, row.rectified_on, row.measure) == (Rectification.DONE, TODAY, Measure.VACATE)


BAD = [
    ({"enterprise": None}, "enterprise", "企业：请选择一家企业"),
    ({"year": "明年"}, "year", "年度：“明年”不是年份"),
    ({"year": 2027}, "year", "年度：2027年尚未到来"),
    ({"land_mu": "0"}, "land_mu", "用地面积（亩）应大于0"),
    ({"land_mu": "-3"}, "land_mu", "用地面积（亩）应大于0"),
    ({"land_mu": "十亩"}, "land_mu", "用地面积（亩）：“十亩”不是数字"),
    ({"land_mu": "1e-9"}, "land_mu", "用地面积（亩）应大于0"),
    ({"land_mu": "NaN"}, "land_mu", "用地面积（亩）：“NaN”不是数字"),
    ({"land_mu": "1e12"}, "land_mu", "用地面积（亩）过大，请核对"),
    ({"tax": "三万"}, "tax", "税收：“三万”不是金额"),
    ({"output": "-5"}, "output", "产值不能为负数"),
    ({"fixed_investment": "100万"}, "fixed_investment", "固定资产投资：只登记重点企业的固定资产投资"),
    ({"above_scale_since": 2020}, "above_scale_since", "首次进入规上年度：非规上企业不填"),
    (
        {"above_scale": True, "above_scale_since": 2026},
        "above_scale_since",
        "首次进入规上年度：2026年晚于登记年度2025年",
    ),
    ({"rectification": Rectification.DONE}, "rectification", "整治状态：非低效企业无需整治"),
    ({"low_efficiency": True, "rectification": "gone"}, "rectification", "整治状态：请选择未整治、整治中或已整治"),
    (
        {"low_efficiency": True, "rectification": Rectification.DONE, "measure": Measure.UPGRADE},
        "rectified_on",
        "整治日期：已整治的企业请填写整治日期",
    ),
    (
        {"low_efficiency": True, "rectification": Rectification.DONE, "rectified_on": TODAY + timedelta(days=1)},
        "rectified_on",
        "整治日期：2026年11月24日尚未到来",
    ),
    (
        {"low_efficiency": True, "rectification": Rectification.DONE, "rectified_on": date(2024, 12, 31)},
        "rectified_on",
        "整治日期：早于登记年度2025年",
    ),
    (
        {"low_efficiency": True, "rectification": Rectification.DONE, "rectified_on": TODAY},
        "measure",
        "整治措施：已整治的企业请选择整治措施",
    ),
    (
        {"low_efficiency": True, "rectification": Rectification.PENDING, "rectified_on": TODAY},
        "rectified_on",
        "整治日期：整治完成（已整治）后才填写",
    ),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD)
def test_bad_input_is_refused_naming_the_field_and_nothing_written(
    ew: EnterpriseWorld, fields: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _record(ew, **fields)
    assert (refused.value.field, str(refused.value)) == (field, message)
    assert EnterpriseYear.objects.count() == 0


def test_a_failed_correction_keeps_the_first_entry(ew: EnterpriseWorld) -> None:
    _record(ew, tax="1000")
    with pytest.raises(InvalidInput):
        _record(ew, tax="1000", land_mu="0")
    assert list(EnterpriseYear.objects.values_list("tax", "land_mu")) == [(Decimal("1000.00"), None)]


def test_rectification_refused_for_a_firm_not_low_efficiency_and_for_a_future_date(ew: EnterpriseWorld) -> None:
    plain = _record(ew)
    with pytest.raises(InvalidInput) as refused:
        set_rectification(actor=ew.w.operator, row=plain, status=Rectification.IN_PROGRESS, now=MONDAY_0900)
    assert str(refused.value) == "整治状态：“岱西船舶修造有限公司”不是低效企业"
    low = _record(ew, enterprise=ew.chemical, low_efficiency=True)
    with pytest.raises(InvalidInput) as refused:
        set_rectification(
            actor=ew.w.operator,
            row=low,
            status=Rectification.DONE,
            rectified_on=TODAY + timedelta(days=3),
            measure=Measure.MERGE,
            now=MONDAY_0900,
        )
    assert refused.value.field == "rectified_on"
    low.refresh_from_db()
    assert (low.rectification, low.rectified_on) == (Rectification.PENDING, None)


def test_who_records(ew: EnterpriseWorld) -> None:
    for actor in (ew.w.grid_worker_a, ew.w.village_staff_a, ew.w.handler_a, ew.shipyard_user, ew.w.resident):
        with pytest.raises(NotAllowed):
            record_year(actor=actor, data=YearInput(enterprise=ew.shipyard, year=2025), now=MONDAY_0900)
    assert EnterpriseYear.objects.count() == 0
    for actor in (ew.w.operator, ew.w.leader, ew.w.admin):
        record_year(actor=actor, data=YearInput(enterprise=ew.shipyard, year=2025), now=MONDAY_0900)
    assert EnterpriseYear.objects.get().updated_by == ew.w.admin


def test_a_threshold_marks_the_firms_below_it(ew: EnterpriseWorld) -> None:
    low = _record(ew, land_mu="10", tax="2万")  # 2000 元/亩
    high = _record(ew, enterprise=ew.chemical, land_mu="10", tax="20万")  # 20000 元/亩
    with pytest.raises(InvalidInput) as refused:
        set_threshold(actor=ew.w.operator, town=ew.w.town, year=2025, tax_per_mu="0", now=MONDAY_0900)
    assert refused.value.field == "tax_per_mu"
    with pytest.raises(NotAllowed):
        set_threshold(actor=ew.w.grid_worker_a, town=ew.w.town, year=2025, tax_per_mu="1万", now=MONDAY_0900)
    assert EfficiencyThreshold.objects.count() == 0
    set_threshold(actor=ew.w.operator, town=ew.w.town, year="2025年", tax_per_mu="1万", now=MONDAY_0900)
    assert [r.pk for r in below_threshold(town=ew.w.town, year=2025)] == [low.pk]
    assert mark_below_threshold(actor=ew.w.operator, town=ew.w.town, year=2025, now=MONDAY_0900) == 1
    assert mark_below_threshold(actor=ew.w.operator, town=ew.w.town, year=2025, now=MONDAY_0900) == 0
    low.refresh_from_db()
    high.refresh_from_db()
    assert (low.low_efficiency, low.rectification, high.low_efficiency) == (True, Rectification.PENDING, False)
