"""The shared database checks of ``org.fields``: an amount not below zero, an amount above zero."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from gridgov.data.enterprises.models import EfficiencyThreshold
from gridgov.data.metrics.models import IndicatorWeights
from gridgov.data.org.fields import not_negative_check, positive_check
from tests.factories import TownWorld


def test_each_check_is_the_condition_it_names_on_every_field_given() -> None:
    assert not_negative_check("tax", "output", name="n") == models.CheckConstraint(
        condition=models.Q(tax__gte=0, output__gte=0), name="n"
    )
    assert positive_check("amount", name="p") == models.CheckConstraint(condition=models.Q(amount__gt=0), name="p")


def test_the_database_takes_zero_but_not_below_it_where_an_amount_must_not_be_negative(world: TownWorld) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorWeights.objects.create(town=world.town, satisfaction=Decimal("-0.1"))
    weights = IndicatorWeights.objects.create(town=world.town, satisfaction=Decimal(0))
    assert IndicatorWeights.objects.get(pk=weights.pk).satisfaction == Decimal(0)


def test_the_database_refuses_zero_where_an_amount_must_be_above_it(world: TownWorld) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        EfficiencyThreshold.objects.create(town=world.town, year=2026, tax_per_mu=Decimal(0), set_at=timezone.now())
    threshold = EfficiencyThreshold.objects.create(
        town=world.town, year=2026, tax_per_mu=Decimal("0.01"), set_at=timezone.now()
    )
    assert EfficiencyThreshold.objects.get(pk=threshold.pk).tax_per_mu == Decimal("0.01")
