"""The field declarations the ledgers repeat, each rule once: an optional reference without a reverse accessor
(the person who wrote or did something is one: ``org.models.acting_user``), a map coordinate, the key a spreadsheet
import finds its row again by (with its index), and the database checks that a choices column holds one of its
choices, that an amount is not negative (or is above zero), that a month is one of the year's and that a later day
is not before an earlier one.

Only Django here (the referenced model is passed in), so ``org.models`` and every ledger app above it may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


def optional_link[M: models.Model](
    to: type[M],
    verbose_name: StrOrPromise | None = None,
    *,
    on_delete: Callable[..., None] = models.PROTECT,
    related_name: str = "+",
    db_index: bool = True,
    db_constraint: bool = True,
    help_text: StrOrPromise = "",
) -> models.ForeignKey[M | None, M | None]:
    """An optional reference (a village, a grid, a department …): unless told otherwise, the referenced row cannot be
    deleted while referenced, and does not list the referencing rows back. ``db_constraint=False`` where the
    reference is derived from another one the row holds under a foreign key (a case's village from its area)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        db_index=db_index,
        db_constraint=db_constraint,
        help_text=help_text,
    )


def coordinate_field(verbose_name: StrOrPromise) -> models.DecimalField[Decimal | None, Decimal | None]:
    """A latitude or a longitude in degrees, to six decimals (about 0.1 m), when one is known."""
    return models.DecimalField(verbose_name, max_digits=9, decimal_places=6, null=True, blank=True)


def note_field() -> models.TextField[str, str]:
    """A row's free remark (备注), which may stay empty."""
    return models.TextField(_("备注"), blank=True)


def import_key_field() -> models.CharField[str, str]:
    """The key a spreadsheet import finds its row again by (a second import of the same sheet updates, not adds)."""
    return models.CharField(max_length=64, blank=True, editable=False)


def import_key_index(prefix: str) -> models.Index:
    """The index a town's import looks its rows up by ``import_key`` in: named ``<prefix>_import``."""
    return models.Index(fields=["town", "import_key"], name=f"{prefix}_import")


def choice_check(field: str, choices: type[models.Choices], *, name: str) -> models.CheckConstraint:
    """The database's own check that ``field`` holds one of its choices (a row written past the forms or an import
    with a stray value is refused)."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)


def not_negative_check(*fields: str, name: str) -> models.CheckConstraint:
    """The database's check that none of ``fields`` (an amount, a sum of money, points) is below zero."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__gte": 0 for field in fields}), name=name)


class _NotNegative:
    """What a not-negative integer field adds to Django's: validation and forms refuse a value below zero, as a
    positive field's do — without the per-column CHECK (its table states the rule once: ``not_negative_check``)."""

    default_validators: list[Callable[[Any], None]] = [MinValueValidator(0)]  # Any: a validator takes any value

    def formfield(self, **kwargs: Any) -> Any:  # Any: Django's form-field keywords and the field it makes
        return super().formfield(**{"min_value": 0, **kwargs})  # type: ignore[misc]  # a mixin: the field class follows in the MRO


class NonNegativeIntegerField[ST, GT](_NotNegative, models.IntegerField[ST, GT]):
    """A whole number never below zero (a count, a length in minutes) in a table that states that rule once for all
    such columns (``not_negative_check`` in its ``Meta``), not one CHECK per column as Django's positive fields do:
    PostgreSQL prepares each CHECK of a table anew for every INSERT and UPDATE, so a wide row written on every
    report (a case) pays per CHECK."""


class NonNegativeSmallIntegerField[ST, GT](_NotNegative, models.SmallIntegerField[ST, GT]):
    """``NonNegativeIntegerField`` on a small integer column."""


def positive_check(field: str, *, name: str) -> models.CheckConstraint:
    """The database's check that ``field`` (an amount paid, a time limit, a threshold) is above zero."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__gt": 0}), name=name)


def month_check(field: str, *, name: str) -> models.CheckConstraint:
    """The database's check that ``field`` numbers a month of the year (1–12); a quarter (1–4) passes it too."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 12}), name=name)


def date_order_check(later: str, earlier: str, *, name: str, later_optional: bool = False) -> models.CheckConstraint:
    """The database's check that the day ``later`` is not before the day ``earlier`` (an end after its start, an
    acceptance after the finding); with ``later_optional``, an empty ``later`` (the step not taken yet) passes."""
    after = models.Q(**{f"{later}__gte": models.F(earlier)})
    return models.CheckConstraint(
        condition=models.Q(**{f"{later}__isnull": True}) | after if later_optional else after, name=name
    )
