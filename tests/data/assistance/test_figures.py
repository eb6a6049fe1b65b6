"""The year's assistance figures as the work report writes them, each with the records behind it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from gridgov.data.assistance.domain import PaymentInput, apply_card, issue_card, record_attendance, record_payment
from gridgov.data.assistance.enums import PaymentKind
from gridgov.data.assistance.figures import year_figures
from gridgov.data.assistance.models import Payment
from gridgov.data.people.models import Household
from gridgov.data.reports.phrasing import money
from tests.data.assistance.people import head, household
from tests.factories import WORLD_TODAY, TownWorld


def _pay(world: TownWorld, hh: Household, kind: PaymentKind, amount: str, day: date) -> Payment:
    return record_payment(
        town=world.town, actor=world.operator, data=PaymentInput(household=hh, kind=kind, amount=amount, paid_on=day)
    )


def test_the_years_figures_count_the_years_records_only(world: TownWorld):
    year = WORLD_TODAY.year
    this_year, last_year = date(year, 3, 1), date(year - 1, 12, 31)
    a = household(world, world.village_a, "A-001", "张阿大", serial=1)
    b = household(world, world.village_b, "B-001", "李阿二", serial=2)
    c = household(world, world.village_b, "B-002", "王阿三", serial=3)
    living = [
        _pay(world, a, PaymentKind.MINIMUM_LIVING, "100万", this_year),
        _pay(world, b, PaymentKind.MARGINAL, "50万", this_year),
        _pay(world, c, PaymentKind.LIVING_ALLOWANCE, "17万", WORLD_TODAY),
    ]
    _pay(world, a, PaymentKind.MINIMUM_LIVING, "9万", last_year)  # last year's: not counted
    _pay(world, a, PaymentKind.TEMPORARY, "3万", this_year)  # 临时救助: in no figure
    condolence = [
        _pay(world, a, PaymentKind.CONDOLENCE, "20万", this_year),
        _pay(world, b, PaymentKind.CONDOLENCE, "1万", this_year),
    ]
    insurance = [
        _pay(world, a, PaymentKind.PENSION_SUBSIDY, "300", this_year),
        _pay(world, b, PaymentKind.MEDICAL_SUBSIDY, "250", this_year),
    ]
    issued = apply_card(town=world.town, actor=world.operator, resident=head(a), applied_on=last_year)
    issue_card(card=issued, actor=world.operator, issued_on=this_year)
    apply_card(town=world.town, actor=world.operator, resident=head(b), applied_on=this_year)  # not issued yet
    for day in (this_year, this_year + timedelta(days=1)):
        record_attendance(town=world.town, actor=world.operator, resident=head(c), day=day, provider="照料中心")
    record_attendance(town=world.town, actor=world.operator, resident=head(b), day=last_year, provider="照料中心")

    figures = year_figures(town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=timezone.now())

    values = {key: (f.value, f.unit) for key, f in figures.items()}
    assert values == {
        "assistance_living": (Decimal("1670000.00"), "元"),
        "assistance_condolence": (Decimal("210000.00"), "元"),
        "insurance_subsidies": (2, "人次"),
        "veteran_cards_issued": (1, "名"),
        "day_care_persons": (1, "名"),
    }
    assert money(figures["assistance_living"].value) == "167万元"
    assert money(figures["assistance_condolence"].value) == "21万元"
    assert set(figures["assistance_living"].records) == set(living)
    assert set(figures["assistance_condolence"].records) == set(condolence)
    assert set(figures["insurance_subsidies"].records) == set(insurance)
    assert list(figures["veteran_cards_issued"].records) == [issued]
    assert {r.resident_id for r in figures["day_care_persons"].records} == {head(c).pk}


def test_records_written_after_the_as_of_moment_do_not_count(world: TownWorld):
    year = WORLD_TODAY.year
    hh = household(world, world.village_a, "A-001", "张阿大", serial=1)
    before = timezone.now()
    _pay(world, hh, PaymentKind.CONDOLENCE, "500", WORLD_TODAY)
    figures = year_figures(town=world.town, start=date(year, 1, 1), end=date(year + 1, 1, 1), as_of=before)
    assert figures["assistance_condolence"].value == Decimal(0)
