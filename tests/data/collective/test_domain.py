"""Recording a village's collective income: the checks (each refusal names its field, nothing written), the amount
as people type it, and a second entry for the same month and kind correcting the first."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from gridgov.data.collective.domain import IncomeInput, record_income
from gridgov.data.collective.enums import IncomeKind
from gridgov.data.collective.models import VillageIncome
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.org.domain import create_area
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from tests.factories import WORLD_NOW, TownWorld

pytestmark = pytest.mark.django_db


def _input(village: Area | None, /, **changes: object) -> IncomeInput:
    fields: dict[str, object] = {
        "village": village,
        "year": 2026,
        "month": 3,
        "kind": IncomeKind.OPERATING,
        "amount": "12,000",
        "note": "",
    }
    fields.update(changes)
    return IncomeInput(**fields)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12,000", Decimal("12000.00")),
        ("1.2万", Decimal("12000.00")),
        ("１２０００元", Decimal("12000.00")),
        ("0", Decimal("0.00")),
        (Decimal("3500.5"), Decimal("3500.50")),
        (683, Decimal("683.00")),
    ],
)
def test_an_income_is_recorded_with_the_amount_as_typed(world: TownWorld, typed: object, amount: Decimal):
    income = record_income(actor=world.operator, data=_input(world.village_a, amount=typed), now=WORLD_NOW)
    stored = VillageIncome.objects.get()
    assert (stored.pk, stored.town_id, stored.village_id, stored.year, stored.month, stored.kind, stored.amount) == (
        income.pk, world.town.pk, world.village_a.pk, 2026, 3, IncomeKind.OPERATING, amount,
    )  # fmt: skip
    assert (stored.created_at, stored.created_by_id, stored.updated_at) == (WORLD_NOW, world.operator.pk, None)


def test_a_second_entry_for_the_same_month_and_kind_corrects_the_first(world: TownWorld):
    first = record_income(actor=world.village_staff_a, data=_input(world.village_a), now=WORLD_NOW)
    later = WORLD_NOW + timedelta(days=2)
    again = record_income(actor=world.operator, data=_input(world.village_a, amount="1.5万", note="更正"), now=later)
    record_income(actor=world.operator, data=_input(world.village_a, kind=IncomeKind.SUBSIDY), now=later)
    assert again.pk == first.pk
    assert VillageIncome.objects.count() == 2
    stored = VillageIncome.objects.get(pk=first.pk)
    assert (stored.amount, stored.note, stored.created_at, stored.created_by_id) == (
        Decimal(15000), "更正", WORLD_NOW, world.village_staff_a.pk,
    )  # fmt: skip
    assert (stored.updated_at, stored.updated_by_id) == (later, world.operator.pk)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"village": None}, "village", "村：请选择一个村（社区）"),
        ({"month": 13}, "month", "月份：应为1至12，而不是13"),
        ({"month": 0}, "month", "月份：应为1至12，而不是0"),
        ({"month": "三"}, "month", "月份“三”不是整数"),
        ({"month": 12}, "month", "月份：2026年12月尚未到来"),
        ({"year": 2027}, "year", "年度：2027年尚未到来"),
        ({"year": "2O22"}, "year", "年度“2O22”不是整数"),
        ({"year": 1999}, "year", "年度：1999年过早，请核对"),
        ({"kind": "bonus"}, "kind", "收入类型：请选择经营性、非经营性或补助收入"),
        ({"amount": "-5"}, "amount", "金额不能为负数"),
        ({"amount": "一万"}, "amount", "金额：“一万”不是金额"),
        ({"amount": ""}, "amount", "金额：必填项为空"),
        ({"amount": "9999999999999"}, "amount", "金额过大，请核对（单位：元）"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    world: TownWorld, changes: dict[str, object], field: str, message: str
):
    with pytest.raises(InvalidInput) as refused:
        record_income(actor=world.operator, data=_input(world.village_a, **changes), now=WORLD_NOW)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert VillageIncome.objects.count() == 0


def test_a_grid_or_a_town_is_not_a_village(world: TownWorld):
    for area in (world.grid_a, world.town):
        with pytest.raises(InvalidInput) as refused:
            record_income(actor=world.operator, data=_input(area), now=WORLD_NOW)
        assert refused.value.field == "village"
    assert VillageIncome.objects.count() == 0


def test_a_village_of_another_town_is_refused(world: TownWorld):
    other_town = create_area(code="330921103", name="衢山镇", level=AreaLevel.TOWN, parent=world.county)
    other = create_area(code="330921103201", name="外村", level=AreaLevel.VILLAGE, parent=other_town)
    with pytest.raises(InvalidInput) as refused:
        record_income(actor=world.operator, data=_input(other), now=WORLD_NOW)
    assert (refused.value.field, refused.value.message) == ("village", "村：外村不在您所在的乡镇")
    assert VillageIncome.objects.count() == 0


@pytest.mark.parametrize("persona", ["leader", "handler_a", "grid_worker_a", "village_staff_b"])
def test_who_may_not_record_is_refused(world: TownWorld, persona: str):
    with pytest.raises(NotAllowed) as refused:
        record_income(actor=getattr(world, persona), data=_input(world.village_a), now=WORLD_NOW)
    assert refused.value.message == "您无权登记双合村的集体经济收入"
    assert VillageIncome.objects.count() == 0


def test_year_and_month_may_be_typed_as_written(world: TownWorld):
    data = _input(world.village_b, year="2025年", month="１１月", kind=IncomeKind.NON_OPERATING, amount="3,500万元")
    income = record_income(actor=world.village_staff_b, data=data, now=WORLD_NOW)
    assert (income.year, income.month, income.kind, income.amount) == (
        2025, 11, IncomeKind.NON_OPERATING, Decimal("35000000.00"),
    )  # fmt: skip
