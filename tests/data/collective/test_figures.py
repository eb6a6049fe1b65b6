"""The collective economy's year figures on hand-built incomes: totals, the operating income and its growth on the
year before, the villages over the threshold (exactly 50万 is not 超), the villages with any income; each figure's
records; the period's months and the ``as_of`` moment respected; and the year in review's sentence."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from gridgov.data.collective.domain import IncomeInput, record_income
from gridgov.data.collective.enums import IncomeKind
from gridgov.data.collective.figures import OPERATING_THRESHOLD, year_figures
from gridgov.data.org.domain import create_area
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.data.reports.domain.year_review import review_sentences
from tests.factories import WORLD_NOW, TownWorld

pytestmark = pytest.mark.django_db
OPERATING, NON_OPERATING, SUBSIDY = IncomeKind.OPERATING, IncomeKind.NON_OPERATING, IncomeKind.SUBSIDY


def _record(world: TownWorld, village: Area, year: int, month: int, kind: IncomeKind, amount: str, **later: int) -> int:
    data = IncomeInput(village=village, year=year, month=month, kind=kind, amount=amount)
    now = WORLD_NOW + timedelta(hours=later.get("hours", 0))
    return record_income(actor=world.operator, data=data, now=now).pk


@pytest.fixture
def rows(world: TownWorld) -> dict[str, int]:
    village_c = create_area(code="330921102203", name="摇星浦村", level=AreaLevel.VILLAGE, parent=world.town)
    a, b = world.village_a, world.village_b
    return {
        "a_jan": _record(world, a, 2025, 1, OPERATING, "300000"),
        "a_dec": _record(world, a, 2025, 12, OPERATING, "20万"),  # a: exactly 500,000 — not over
        "a_non": _record(world, a, 2025, 6, NON_OPERATING, "50,000"),
        "b_op": _record(world, b, 2025, 3, OPERATING, "500000.01"),  # b: just over
        "b_sub": _record(world, b, 2025, 9, SUBSIDY, "2万元"),
        "c_zero": _record(world, village_c, 2025, 4, OPERATING, "0"),  # an entry of nothing: no income
        "a_before": _record(world, a, 2024, 5, OPERATING, "400000"),
        "b_before": _record(world, b, 2024, 12, OPERATING, "400000"),
        "b_before_sub": _record(world, b, 2024, 2, SUBSIDY, "9000"),
        "a_next_year": _record(world, a, 2026, 1, OPERATING, "99"),
        "a_after_as_of": _record(world, a, 2025, 8, NON_OPERATING, "7000", hours=1),
    }


def _figures(world: TownWorld, year: int) -> dict[str, object]:
    found = year_figures(town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=WORLD_NOW)
    return {key: figure.value for key, figure in found.items()}


def test_the_year_figures_count_the_incomes_of_the_year(world: TownWorld, rows: dict[str, int]):
    assert _figures(world, 2025) == {
        "collective_income": Decimal("1070000.01"),
        "collective_operating": Decimal("1000000.01"),
        "collective_operating_growth": Decimal("200000.01") / Decimal(800000),
        "villages_operating_over": 1,
        "villages_operating_leading": 0,
        "villages_with_income": 2,
    }
    assert Decimal(500_000) == OPERATING_THRESHOLD


def test_each_figure_keeps_the_incomes_behind_it(world: TownWorld, rows: dict[str, int]):
    found = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=WORLD_NOW)
    names = {pk: name for name, pk in rows.items()}
    behind = {
        key: {names[pk] for pk in f.records.values_list("pk", flat=True)} for key, f in found.items() if f.records
    }
    assert behind == {
        "collective_income": {"a_jan", "a_dec", "a_non", "b_op", "b_sub", "c_zero"},
        "collective_operating": {"a_jan", "a_dec", "b_op", "c_zero"},
        "collective_operating_growth": {"a_jan", "a_dec", "b_op", "c_zero", "a_before", "b_before"},
        "villages_operating_over": {"b_op"},
        "villages_with_income": {"a_jan", "a_dec", "a_non", "b_op", "b_sub"},
    }
    assert all(f.cases is None for f in found.values())


def test_without_last_years_operating_income_there_is_no_growth(world: TownWorld, rows: dict[str, int]):
    assert _figures(world, 2024) == {
        "collective_income": Decimal(809000),
        "collective_operating": Decimal(800000),
        "collective_operating_growth": None,
        "villages_operating_over": 0,
        "villages_operating_leading": 0,
        "villages_with_income": 2,
    }


def test_a_period_counts_the_months_whose_first_day_lies_in_it(world: TownWorld, rows: dict[str, int]):
    found = year_figures(town=world.town, start=date(2025, 2, 15), end=date(2025, 9, 2), as_of=WORLD_NOW)
    # March to September 2025: b's operating income and subsidy, a's non-operating income of June.
    assert found["collective_income"].value == Decimal("570000.01")


def test_the_year_in_review_writes_it_as_the_work_report(world: TownWorld, rows: dict[str, int]):
    def text() -> str:
        found = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=WORLD_NOW)
        sentences = {s.topic: s for s in review_sentences({"collective": found})}
        return sentences[translation.pgettext("year review topic", "村级集体经济")].text

    assert text() == (
        "全镇2个村实现村级集体经济收入107万元，其中经营性收入100万元，实现经营性收入增幅25%，1个村完成经营性收入超50万元。"
    )
    # A year with less operating income than the one before says 降幅, not 增幅-20%.
    _record(world, world.village_b, 2024, 12, OPERATING, "850000.01")  # 2024: 1,250,000.01 → 2025 falls by 20%
    assert text() == (
        "全镇2个村实现村级集体经济收入107万元，其中经营性收入100万元，经营性收入降幅20%，1个村完成经营性收入超50万元。"
    )


def test_the_leading_villages_are_named_with_the_round_figure_they_all_pass(world: TownWorld, rows: dict[str, int]):
    def text() -> str:
        found = year_figures(town=world.town, start=date(2025, 1, 1), end=date(2026, 1, 1), as_of=WORLD_NOW)
        sentences = {s.topic: s for s in review_sentences({"collective": found})}
        return sentences[translation.pgettext("year review topic", "村级集体经济")].text

    _record(world, world.village_b, 2025, 4, OPERATING, "1,360,000")  # b: 1,860,000.01 — three times over
    assert text().endswith("，1个村完成经营性收入超50万元，其中火箭村突破180万元。")
    _record(world, world.village_a, 2025, 7, OPERATING, "1,320,000")  # a: 1,820,000 — both lead, a second
    assert text().endswith("，2个村完成经营性收入超50万元，其中火箭村、双合村均突破180万元。")
    with translation.override("en"):
        assert text().endswith(
            " had operating income over 500,000 yuan, among them 火箭村, 双合村 each over 1.8 million yuan."
        )
