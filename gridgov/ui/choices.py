"""The choices a form's select takes from its view (the town's villages, departments, problem lists…): how a
record's (pk, label) pairs become options, and a form's field narrowed to the ChoiceField it is, in one place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django import forms
from django.utils.functional import Promise

#: The blank option first in a select: nothing chosen (yet).
CHOOSE: list[tuple[str, str]] = [("", "——")]


def options(pairs: Iterable[tuple[int, str]]) -> list[tuple[str, str]]:
    """Records' (pk, label) pairs as a select's options (the pk as the text the browser posts), after ``CHOOSE``."""
    return CHOOSE + [(str(pk), label) for pk, label in pairs]


def set_choices(form: forms.Form, name: str, choices: Sequence[tuple[str | int, str | Promise]]) -> None:
    """Give the form's choice field ``name`` the choices its view found."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # a TypedChoiceField is one too
    field.choices = choices
