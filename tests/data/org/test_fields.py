"""The shared database checks of ``org.fields``: an amount not below zero, an amount above zero, and the counts
whose table checks them in one CHECK."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from gridgov.data.cases.models import Case
from gridgov.data.enterprises.models import EfficiencyThreshold
from gridgov.data.metrics.models import IndicatorWeights
from gridgov.data.org.fields import (
    NonNegativeIntegerField,
    NonNegativeSmallIntegerField,
    not_negative_check,
    positive_check,
)
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


def test_every_non_negative_column_is_in_its_tables_one_check() -> None:
    """A ``NonNegativeIntegerField`` has no CHECK of its own: its table's ``not_negative_check`` must name it."""
    for model in apps.get_models():
        columns = {
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, NonNegativeIntegerField | NonNegativeSmallIntegerField)
        }
        checked = {
            name.removesuffix("__gte")
            for constraint in model._meta.constraints
            if isinstance(constraint, models.CheckConstraint)
            for child in constraint.condition.children
            if isinstance(child, tuple)  # (lookup, value); a nested Q is some other rule
            for name, value in [child]
            if name.endswith("__gte") and value == 0
        }
        assert columns <= checked, (model.__name__, sorted(columns - checked))


@pytest.mark.parametrize("column", ["rework_count", "handle_limit_minutes", "version", "seq"])
def test_the_database_refuses_a_case_count_below_zero(world: TownWorld, column: str) -> None:
    case = world.report()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(**{column: -1})
    Case.objects.filter(pk=case.pk).update(**{column: 0})
    assert Case.objects.values_list(column, flat=True).get(pk=case.pk) == 0


def test_a_non_negative_field_refuses_a_negative_value_in_validation_and_forms() -> None:
    field = Case._meta.get_field("rework_count")
    with pytest.raises(ValidationError):
        field.clean(-1, None)
    assert (field.clean(0, None), field.formfield().min_value) == (0, 0)
