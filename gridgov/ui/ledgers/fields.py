"""Form fields the ledger forms share."""

from __future__ import annotations

from django import forms
from django_stubs_ext import StrPromise


def date_input() -> forms.DateInput:
    """A day as ``<input type="date">`` reads and writes it (2026-11-25) whatever the language: Django's
    Chinese format would write 2026/11/25, which the browser throws away, showing an empty field."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def amount_field(
    label: str | StrPromise, *, help_text: str | StrPromise = "", required: bool = False
) -> forms.CharField:
    """An amount of money as people type it (1200, 1,200, 3,500万, 1.2亿, full-width digits): the form takes it as
    text, up to 32 characters; the ledger's domain reads it and says what is wrong, which the view puts beside the
    field."""
    return forms.CharField(label=label, max_length=32, required=required, help_text=help_text)
