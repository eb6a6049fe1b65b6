"""What the prepared statements ask of a model's fields: plain types, column names, whether signals listen."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Model
from django.db.models.signals import ModelSignal
from django.dispatch.dispatcher import NO_RECEIVERS

from gridgov.types import AnyField, FromDjango, SQLValue

Converter = Callable[[SQLValue, FromDjango, FromDjango], SQLValue]


# Field classes (these, or a subclass that changes nothing of the saving: an encrypted text field is a TextField
# that does, so it is not plain) whose
# ``get_db_prep_save`` returns a value of the given type unchanged and whose ``pre_save`` reads the attribute.
_PLAIN: dict[type, type] = {
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
}


# Field classes (exactly these) whose ``get_db_prep_save`` of None is None: an empty column costs no call.
NONE_AS_NULL: frozenset[type] = frozenset(
    {models.DateTimeField, models.DateField, models.DecimalField, models.FloatField}
)


def heard(model: type[Model], *signals: ModelSignal) -> bool:
    """Whether any of ``signals`` has receivers for ``model`` — from the signal's own per-sender cache when it
    holds the answer (Django empties it whenever a receiver connects or disconnects)."""
    for signal in signals:
        if signal.sender_receivers_cache.get(model) is not NO_RECEIVERS and signal.has_listeners(model):
            return True
    return False


# What a field does to a value on its way to the database: a subclass of a plain class that overrides none of these
# stores values as that class does (a project's integer field that only changes its checks or validators).
_SAVING = ("pre_save", "get_db_prep_save", "get_db_prep_value", "get_prep_value")


def plain_type(field: AnyField) -> type | None:
    if isinstance(field, models.ForeignKey) and type(field) is models.ForeignKey:
        return plain_type(field.target_field)
    kind = type(field)
    if kind in _PLAIN:
        return _PLAIN[kind]
    base = next((base for base in kind.__mro__[1:] if base in _PLAIN), None)
    if base is not None and all(getattr(kind, name) is getattr(base, name) for name in _SAVING):
        return _PLAIN[base]
    return None


def column_sql(field: FromDjango) -> str:
    """The quoted column of a concrete field (or of a model's primary key)."""
    db = connections[DEFAULT_DB_ALIAS]
    column = field.column
    assert isinstance(column, str)
    return str(db.ops.quote_name(column))
